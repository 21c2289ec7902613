"""Speaker labels as Korean minutes and transcripts write them.

``김OO 대표:``, ``○ 홍길동 대표(㈜가나):``, ``[이 팀장]``, ``사회자:``, ``- 박 과장:``, ``Q.``/``A.``, and a
speaker cell before a tab in a table row. Redaction (which pseudonymises the names in labels) and segmentation
(which splits turns at them) both read labels with this grammar, so it sits below both layers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from analyzer.names import NOT_NAMES, ROLES, SURNAMES, TITLES, TWO_SYLLABLE_SURNAMES
from analyzer.records import COLUMNS_META, Block

BULLET = r"[○◯●◦•·∙\-–—*▶►□■◇◆※>]"
MASK_CHARS = "○◯OＯ〇0*＊xX×"
_SURNAME = "(?:" + "|".join(TWO_SYLLABLE_SURNAMES) + f"|[{SURNAMES}])"
_GIVEN = rf"(?:[가-힣]{{1,2}}|[{re.escape(MASK_CHARS)}]{{1,3}})"
_TITLE = "(?:" + "|".join(TITLES) + ")"
_ROLE = "(?:" + "|".join(ROLES) + r")\s?\d{0,2}"
_ORG = r"(?P<org>(?:\([주사재]\)|[^()\n:：]){1,30})"
PSEUDONYM = r"화자-[0-9A-F]{6}"
NAME_PATTERN = rf"{PSEUDONYM}|{_SURNAME}(?:\s?{_GIVEN})?"

_PERSON = rf"(?P<name>{NAME_PATTERN})\s*(?P<title>{_TITLE})님?"  # PDF text: runs of spaces
_ORG_PERSON = rf"(?P<org_lead>[^\s()\n:：\[\]]{{1,20}}(?:\s[^\s()\n:：\[\]]{{1,20}})?)\s(?P<title2>{_TITLE})님?"
_ROLE_ONLY = rf"(?P<role>{_ROLE})"
_WHO = rf"(?:{_PERSON}|{_ROLE_ONLY}|{_ORG_PERSON})(?:\s?\({_ORG}\))?"

_LABEL = re.compile(rf"^\s*(?:{BULLET}\s*)?(?P<open>\[)?{_WHO}(?(open)\]\s*[:：]?|\s*[:：])\s*")
_QA = re.compile(rf"^\s*(?:{BULLET}\s*)?(?P<qa>[QA문답])\s?[.):：]\s*")
_ORG_MARKERS = re.compile(r"㈜|\(주\)|주식회사|[가-힣A-Za-z]+(?:시|도|군|구|청|원|단|센터|공사|공단|협회|사|부|처)$")
_RUNNING_TEXT = re.compile(r"[요다죠까네는은이가을를도고서며면데]$")


@dataclass(frozen=True, slots=True)
class SpeakerLabel:
    """A parsed speaker label: ``end`` is where the spoken text starts in the line."""

    name: str
    title: str
    organisation: str
    end: int
    name_span: tuple[int, int] | None = None


def block_label(block: Block) -> SpeakerLabel | None:
    """The speaker label of a block: from its speaker column when it is a row under a table heading."""
    if block.kind == "table_row" and block.meta.get(COLUMNS_META):
        return _parse_speaker_row(block.text, block.meta[COLUMNS_META].split("\t"))
    return parse_label(block.text, table_row=block.kind == "table_row")


def parse_label(line: str, *, table_row: bool = False) -> SpeakerLabel | None:
    """Parse the speaker label at the start of ``line``, if there is one."""
    if table_row and "\t" in line:
        return _parse_table_cell(line)
    qa = _QA.match(line)
    if qa is not None:
        role = {"Q": "질문자", "문": "질문자", "A": "답변자", "답": "답변자"}[qa.group("qa")]
        return SpeakerLabel(name=role, title="", organisation="", end=qa.end())
    match = _LABEL.match(line)
    if match is None:
        return None
    if _is_running_text(match):
        return None
    return _label_from(match, match.end())


def _is_running_text(match: re.Match[str]) -> bool:
    """True for "맞나요 과장:" and other running text that merely ends in a title."""
    lead = match.group("org_lead")
    return bool(lead) and not _ORG_MARKERS.search(lead) and bool(_RUNNING_TEXT.search(lead))


def _label_from(match: re.Match[str], end: int) -> SpeakerLabel:
    org = (match.group("org") or match.group("org_lead") or "").strip()
    name = match.group("name")
    if name and (name.replace(" ", "") in NOT_NAMES or _ORG_MARKERS.fullmatch(name)):
        return SpeakerLabel(name="", title=match.group("title"), organisation=org or name, end=end)
    if name:
        return SpeakerLabel(
            name=match.group("name").strip(),
            title=match.group("title"),
            organisation=org,
            end=end,
            name_span=match.span("name"),
        )
    if match.group("role"):
        return SpeakerLabel(name=match.group("role").strip(), title="", organisation=org, end=end)
    return SpeakerLabel(name="", title=match.group("title2"), organisation=org, end=end)


_CELL = re.compile(rf"^\s*(?:{BULLET}\s*)?(?P<cell>{_WHO})\s*[:：]?\s*\t\s*")
#: A short cell between the speaker and the statement that is no sentence: the speaker's organisation.
_ORG_CELL = re.compile(r"[^\t]{1,30}(?<![.?!다요죠음함])\t\s*(?=\S)")


def _parse_table_cell(line: str) -> SpeakerLabel | None:
    match = _CELL.match(line)
    if match is None or _is_running_text(match):
        return None
    label = _label_from(match, match.end())
    org = _ORG_CELL.match(line, label.end) if not label.organisation else None
    if org is None:
        return label
    return replace(label, organisation=org.group(0).strip(), end=org.end())


_SPEAKER_CELL = re.compile(
    rf"\s*(?:{BULLET}\s*|\d{{1,2}}[.)]\s*)?(?:(?P<role>{_ROLE})|(?P<name>{NAME_PATTERN})\s*(?P<title>{_TITLE})님?"
    rf"|(?P<bare>[^\s(]+)(?:\s+(?P<rest>[^(]+?))?)\s*(?:\((?P<org>[^)]*)\))?\s*"
)


def _parse_speaker_row(line: str, roles: list[str]) -> SpeakerLabel | None:
    """A row under a heading: its speaker cell is a speaker whatever the title (or none), its organisation
    and title cells are kept as such, and the statement starts at the first statement cell. A row of neither
    speaker nor statement (a note across the row) is nobody's: a label without a name. A row with a statement
    but no speaker (a vertically merged speaker cell) has no label, so it continues the turn above."""
    cells = line.split("\t")
    if len(cells) != len(roles):
        return None
    if not {"speaker", "statement"} & set(roles):
        return SpeakerLabel(name="", title="", organisation="", end=0)
    if "speaker" not in roles:
        return None
    starts = [sum(len(cell) + 1 for cell in cells[:index]) for index in range(len(cells))]
    end = next((starts[i] for i, role in enumerate(roles) if role == "statement"), len(line))
    at = roles.index("speaker")
    if starts[at] >= end:
        return None
    match = _SPEAKER_CELL.fullmatch(cells[at])
    if match is None:
        return None
    other = {role: cells[i].strip() for i, role in enumerate(roles) if starts[i] < end}
    organisation = other.get("organisation") or (match.group("org") or "").strip()
    title = other.get("title") or match.group("title") or (match.group("rest") or "").strip()
    if match.group("role"):
        return SpeakerLabel(name=match.group("role"), title=title, organisation=organisation, end=end)
    group = "name" if match.group("name") else "bare"
    lo, hi = match.span(group)
    return SpeakerLabel(match.group(group), title, organisation, end, (starts[at] + lo, starts[at] + hi))
