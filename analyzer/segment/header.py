"""The header block of minutes (일시, 장소, 참석자, 안건) becomes meeting metadata."""

from __future__ import annotations

import re
from dataclasses import replace

from analyzer.records import Meeting

_FIELDS = {
    "date": r"일\s*시|일\s*자|날\s*짜|회의\s*일시|개최\s*일시",
    "place": r"장\s*소|회의\s*장소|개최\s*장소",
    "attendees": r"참\s*석\s*자?|참\s*석\s*기\s*업|참\s*석\s*기\s*관",
    "agenda": r"안\s*건|주\s*제|의\s*제",
    "title": r"회\s*의\s*명|제\s*목|행\s*사\s*명",
    "agency": r"주\s*관|주\s*최",
}
_LEAD = r"^\s*[□■○◯●◦•·\-–*▶※]?\s*(?:\d+[.)]\s*)?(?:" + "|".join(
    f"(?P<{name}>{pattern})" for name, pattern in _FIELDS.items()
)
_HEADER = re.compile(_LEAD + r")\s*[:：]\s*(?P<value>.+?)\s*$")
#: Without a colon (``장소 경남테크노파크 세미나실``, ``일 시  2024. 5. 14.``): the field word, then space.
_HEADER_NO_COLON = re.compile(_LEAD + r")(?:\s+|\s*[|│]\s*)(?P<value>\S.{0,59}?)\s*$")
_SENTENCE_END = re.compile(r"(?:[.?!]|[다요죠음함니까])\s*$")


def parse_header_line(line: str, colon_optional: bool = True) -> tuple[str, str] | None:
    """Return ``(meeting field, value)`` for a header line such as ``일시: 2024. 5. 14.`` or, with
    *colon_optional*, ``장소 경남테크노파크 세미나실`` (a short value, not a sentence: ``주제 선정이 어렵다``)."""
    match = _HEADER.match(line)
    if match is None and colon_optional:
        match = _HEADER_NO_COLON.match(line)
        if match is not None and _SENTENCE_END.search(match.group("value")) and not _is_date(match.group("value")):
            return None
    if match is None:
        return None
    field = next(name for name in _FIELDS if match.group(name))
    return field, match.group("value")


def _is_date(value: str) -> bool:
    """``2024. 5. 14.`` ends like a sentence but is a date."""
    return re.fullmatch(r"[\d\s.\-/년월일()~:시분오전후월화수목금토일]+", value) is not None


def merge_header(meeting: Meeting, field: str, value: str) -> Meeting:
    """Fill an empty meeting field; fields the uploader already gave win."""
    return meeting if getattr(meeting, field) else replace(meeting, **{field: value})  # type: ignore[arg-type]
