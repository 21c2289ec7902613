"""Meeting dates as ISO text (``yyyy-mm-dd``), read from what minutes headers say (``2024. 5. 14.(화)``)."""

from __future__ import annotations

import re
from datetime import date

_DATE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*(?:[.\-/년]\s*)(?P<month>\d{1,2})\s*(?:[.\-/월]\s*)(?P<day>\d{1,2})(?!\d)"
)


def iso_date(text: str) -> str:
    """The first valid calendar date in *text* as ``yyyy-mm-dd``, or ``""`` when there is none."""
    for match in _DATE.finditer(text):
        try:
            found = date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            continue
        return found.isoformat()
    return ""
