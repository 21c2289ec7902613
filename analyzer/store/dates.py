"""Meeting dates as ISO text (``yyyy-mm-dd``), read from what minutes headers say (``2024. 5. 14.(화)``).

The one place that parses dates: minutes headers (:func:`iso_date`, lenient) and dates people type into the API
(:func:`given_date`, strict: the whole value must be one real calendar date).
"""

from __future__ import annotations

import re
from datetime import date

_DATE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*(?:[.\-/년]\s*)(?P<month>\d{1,2})\s*(?:[.\-/월]\s*)(?P<day>\d{1,2})(?!\d)"
)
#: What may follow a typed date: a closing dot or 일, and a weekday in brackets (``2024. 5. 14.(화)``).
_TAIL = re.compile(r"\s*[.일]?\s*(?:\([월화수목금토일]\))?\s*")


def _calendar(match: re.Match[str]) -> str | None:
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"])).isoformat()
    except ValueError:
        return None


def iso_date(text: str) -> str:
    """The first valid calendar date in *text* as ``yyyy-mm-dd``, or ``""`` when there is none."""
    for match in _DATE.finditer(text):
        found = _calendar(match)
        if found is not None:
            return found
    return ""


def given_date(text: str) -> str | None:
    """A date someone typed, as ``yyyy-mm-dd``: ``""`` for an empty value (no date), ``None`` when the value is
    not exactly one real calendar date (``2026-02-30``, ``내일``, ``2024-05-14 외``)."""
    text = text.strip()
    if not text:
        return ""
    match = _DATE.match(text)
    if match is None or not _TAIL.fullmatch(text, match.end()):
        return None
    return _calendar(match)
