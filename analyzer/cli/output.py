"""Plain terminal rendering: values without Python reprs, columns aligned by display width (Hangul is wide)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analyzer.taxonomy import Taxonomy

UNIT_KIND_LABELS = {"turn": "발언", "sentence": "문장", "answer": "응답", "skipped": "건너뜀"}
#: Why a piece of text is in no unit (``moksori units --show-skipped``).
SKIP_REASONS = {
    "title": "제목",
    "header:title": "회의명",
    "header:date": "일시",
    "header:place": "장소",
    "header:attendees": "참석자",
    "header:agenda": "안건",
    "header:agency": "주관",
    "speaker_label": "화자 표시",
    "bullet": "글머리표",
    "page_number": "쪽 번호",
    "page_header": "머리말",
    "page_footer": "꼬리말",
    "table_heading": "표 머리행",
    "no_words": "글자 없음",
    "between_sentences": "문장 사이",
    "not_an_answer": "응답 아님",
}
COLUMN_GAP = "  "


def display_width(text: str) -> int:
    """Terminal columns *text* takes: wide and full-width characters count 2, combining marks 0."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    """*text* padded with spaces to *width* terminal columns."""
    return text + " " * max(0, width - display_width(text))


def plain(value: object) -> str:
    """A value as a person reads it: lists joined by commas, ``None`` empty, numbers as numbers."""
    if value is None:
        return ""
    if hasattr(value, "item") and not isinstance(value, str):  # a NumPy scalar
        value = value.item()
    if isinstance(value, bool):
        return "예" if value else ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(plain(item) for item in value)
    return " ".join(str(value).split())


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Lines of an aligned table; the last column is not padded (it is the long text)."""
    body = [list(row) for row in rows]
    widths = [max(display_width(cell) for cell in column) for column in zip(header, *body, strict=True)]
    lines = []
    for row in (list(header), *body):
        cells = [pad(cell, widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append(COLUMN_GAP.join([*cells, row[-1]]).rstrip())
    return lines


def speaker_of(row: Mapping[str, Any]) -> str:
    """The stored (masked) speaker with its title, e.g. ``화자-1A2B3C 대표``."""
    return " ".join(part for part in (plain(row.get("speaker")), plain(row.get("title"))) if part)


def label_of(taxonomy: Taxonomy, label_id: object) -> str:
    """The taxonomy's Korean label of a category or kind id (the id itself if the taxonomy lacks it)."""
    text = plain(label_id)
    try:
        return taxonomy.label_of(text)
    except KeyError:
        return text


UNIT_HEADER = ("번호", "단위", "화자", "소속", "내용")
TAG_HEADER = ("번호", "유형", "범주", "신뢰도", "검토", "화자", "소속", "내용")


def unit_cells(row: Mapping[str, Any]) -> list[str]:
    """One row of the units table."""
    kind = plain(row.get("unit_kind"))
    reason = plain(row.get("reason"))
    return [
        plain(row["seq"]),
        UNIT_KIND_LABELS.get(kind, kind),
        SKIP_REASONS.get(reason, reason) if kind == "skipped" else speaker_of(row),
        plain(row.get("organisation")),
        plain(row["text"]),
    ]


def tag_cells(row: Mapping[str, Any], taxonomy: Taxonomy) -> list[str]:
    """One row of the analysis table: Korean kind and category labels, confidence, review flag."""
    categories = ", ".join(label_of(taxonomy, c) for c in row.get("categories") or ()) or "-"
    return [
        plain(row["seq"]),
        label_of(taxonomy, row.get("kind")),
        categories,
        plain(row.get("kind_confidence")),
        "검토 필요" if plain(row.get("needs_review")) else "",
        speaker_of(row),
        plain(row.get("organisation")),
        plain(row["text"]),
    ]


def file_heading(name: str, fmt: str, count: int) -> str:
    """The line above one file's table."""
    return f"■ {name} ({fmt.upper()}, 단위 {count}개)"


def summary_lines(files: int, units: int, needs_review: int | None, refused: Sequence[tuple[str, str]]) -> list[str]:
    """The Korean summary at the end of a batch; *refused* holds ``(file, code)`` pairs."""
    read = files - len(refused)
    parts = [f"파일 {files}개 중 {read}개 읽음", f"단위 {units}개"]
    if needs_review is not None:
        parts.append(f"검토 필요 {needs_review}개")
    if refused:
        parts.append(f"거부 {len(refused)}개")
    lines = ["요약: " + " · ".join(parts)]
    lines += [f"  거부: {name} [{code}]" for name, code in refused]
    return lines
