"""Surveys (XLSX, CSV): one ``answer`` block per non-empty answer cell, with the respondent's columns."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, islice

from analyzer.errors import AnalyzerError
from analyzer.ingest.blocks import answer_block, clean_line
from analyzer.ingest.text import decode
from analyzer.records import Block

#: How many non-empty rows at the top of a worksheet may hold the header.
HEADER_SEARCH_ROWS = 10
ANSWER_WORDS = ("응답", "의견", "건의", "애로", "기타", "자유", "요청", "개선")
ID_WORDS = ("응답번호", "응답자", "응답일", "응답시")
RESPONDENT_NAMES = frozenset({"응답자", "응답번호", "번호", "id", "응답자id", "응답자번호", "no", "no."})
RESPONDENT_PREFIXES = ("응답자", "응답번호")
META_KEYS = ("respondent", "organisation", "region", "industry")
#: "응답자 소속" is an organisation column, so organisations are guessed before respondents.
GUESS_ORDER = ("organisation", "region", "industry", "respondent")
META_WORDS = {
    "organisation": ("기업명", "회사명", "소속", "기관명", "업체명"),
    "region": ("지역", "시도", "소재지"),
    "industry": ("업종", "산업", "분야"),
}


@dataclass(frozen=True, slots=True)
class SurveyColumns:
    """Which columns hold the answers and who answered; a field left unset is guessed from the headers."""

    answers: tuple[str, ...] = ()
    respondent: str | None = None
    organisation: str | None = None
    region: str | None = None
    industry: str | None = None


def parse_csv(data: bytes, columns: SurveyColumns | None = None) -> tuple[list[Block], str]:
    """Answer blocks of a CSV (decoded like any text file) and its encoding."""
    import pandas as pd

    decoded = decode(data)
    try:
        frame = pd.read_csv(io.StringIO(decoded.text), dtype=str, keep_default_na=False, index_col=False)
    except pd.errors.EmptyDataError as exc:
        raise AnalyzerError("no_text", "CSV") from exc
    except (pd.errors.ParserError, ValueError) as exc:
        raise AnalyzerError("corrupt_file", f"CSV: {exc}") from exc
    headers = [str(name) for name in frame.columns]
    rows = frame.itertuples(index=False, name=None)
    return survey_blocks(headers, rows, columns), decoded.encoding


def parse_xlsx(data: bytes, columns: SurveyColumns | None = None) -> list[Block]:
    """Answer blocks of the first worksheet that has data (cached values of formulas).

    The header is looked for among the sheet's first non-empty rows, so a title row above the table
    ("2024년 기업 애로 조사") is skipped.
    """
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            rows = ([_cell(value) for value in row] for row in sheet.iter_rows(values_only=True))
            rows = (row for row in rows if any(value.strip() for value in row))
            head = list(islice(rows, HEADER_SEARCH_ROWS))
            if head:
                at = _header_index(head, columns)
                return survey_blocks(_dedupe(head[at]), chain(head[at + 1 :], rows), columns)
    finally:
        workbook.close()
    raise AnalyzerError("no_text", "XLSX")


def _header_index(head: Sequence[Sequence[str]], columns: SurveyColumns | None) -> int:
    """The header among the top rows: the first of the widest rows (a header names every column, a title
    row fills one cell) whose columns resolve; else the first row that resolves; else 0 (its error is
    raised later)."""
    filled = [sum(1 for value in row if value.strip()) for row in head]
    widest = [index for index, count in enumerate(filled) if count == max(filled)]
    for index in (*widest, *range(len(head))):
        try:
            resolve_columns(_dedupe(head[index]), columns)
        except AnalyzerError:
            continue
        return index
    return 0


def survey_blocks(
    headers: Sequence[str], rows: Iterable[Sequence[str]], columns: SurveyColumns | None = None
) -> list[Block]:
    """One block per non-empty answer cell; ``meta`` has ``row`` (1-based), ``column`` and the
    respondent's columns that have a value."""
    headers = [clean_line(header) for header in headers]
    chosen = resolve_columns(headers, columns)
    answer_at = [(headers.index(name), name) for name in chosen.answers]
    meta_at = {key: headers.index(name) for key in META_KEYS if (name := getattr(chosen, key)) is not None}
    blocks: list[Block] = []
    for number, row in enumerate(rows, 1):
        cells = [str(value) for value in row]
        person = {key: value for key, index in meta_at.items() if (value := clean_line(_at(cells, index)))}
        for index, name in answer_at:
            block = answer_block(_at(cells, index), {"row": str(number), "column": name, **person})
            if block is not None:
                blocks.append(block)
    return blocks


def resolve_columns(headers: Sequence[str], columns: SurveyColumns | None = None) -> SurveyColumns:
    """*columns* with every unset field guessed from *headers*.

    A named column that is missing raises ``survey_unknown_column``; no answer column at all raises
    ``survey_no_answer_column``.
    """
    given = columns or SurveyColumns()
    named: dict[str, str] = {key: _norm(value) for key in META_KEYS if (value := getattr(given, key)) is not None}
    answers = tuple(_norm(name) for name in given.answers)
    for name in (*answers, *named.values()):
        if name not in headers:
            raise AnalyzerError("survey_unknown_column", name)
    if not answers:
        answers = tuple(h for h in headers if _is_answer(h) and h not in named.values())
    if not answers:
        raise AnalyzerError("survey_no_answer_column")
    used = {*answers, *named.values()}
    guessed = {key: _guess(key, headers, used) for key in GUESS_ORDER if key not in named}
    return SurveyColumns(answers, **named, **guessed)


def _is_answer(header: str) -> bool:
    """A header with an answer word once the id words are taken out: 응답자 의견 yes, 응답일시 no."""
    compact = _compact(header)
    for word in ID_WORDS:
        compact = compact.replace(word, " ")
    return any(word in compact for word in ANSWER_WORDS)


def _guess(key: str, headers: Sequence[str], used: set[str]) -> str | None:
    """The first unused header that fits *key* (and mark it used)."""
    free = [header for header in headers if header not in used]
    if key == "respondent":
        found = next((h for h in free if _compact(h) in RESPONDENT_NAMES), None) or next(
            (h for h in free if _compact(h).startswith(RESPONDENT_PREFIXES)), None
        )
    else:
        found = next((h for h in free if any(word in h for word in META_WORDS[key])), None)
    if found is not None:
        used.add(found)
    return found


def _norm(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip()


def _compact(header: str) -> str:
    return "".join(header.split()).lower()


def _at(cells: Sequence[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _dedupe(headers: Sequence[str]) -> list[str]:
    """Headers as pandas names them: blanks become ``Unnamed: i``, repeats get ``.1``, ``.2``…"""
    seen: dict[str, int] = {}
    result = []
    for index, header in enumerate(headers):
        name = clean_line(header) or f"Unnamed: {index}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        result.append(name)
    return result
