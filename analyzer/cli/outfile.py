"""``--out FILE``: the rows of a batch as JSON Lines, CSV (utf-8-sig), XLSX or Parquet, chosen by the extension.

Spreadsheet cells are formula-safe (a leading ``= + - @`` is quoted, XLSX is written with formulas off);
the file appears only when complete (written beside it, then renamed).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from analyzer.cli.output import UNIT_KIND_LABELS, label_of, plain
from analyzer.errors import AnalyzerError
from analyzer.records import json_lines

if TYPE_CHECKING:
    from analyzer.taxonomy import Taxonomy

FORMATS = (".jsonl", ".csv", ".xlsx", ".parquet")
UNIT_COLUMNS = ("파일", "번호", "단위", "화자", "직함", "소속", "내용")
TAG_COLUMNS = (*UNIT_COLUMNS, "유형", "범주", "신뢰도", "검토 필요", "유형 id", "범주 id", "모델")


class RowSink(Protocol):
    def write(self, records: Sequence[Mapping[str, Any]]) -> None: ...


def check_out(path: Path) -> str:
    """The output format of *path* (its lower-case extension); ``output_unsupported`` for any other."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise AnalyzerError("output_unsupported", suffix or path.name)
    return suffix


def cells(record: Mapping[str, Any], taxonomy: Taxonomy | None) -> list[object]:
    """One spreadsheet row: Korean labels to read, then the stable ids."""
    from api.exports import safe_cell

    kind = plain(record.get("unit_kind"))
    row: list[object] = [
        record.get("file", ""),
        int(record["seq"]),
        UNIT_KIND_LABELS.get(kind, kind),
        plain(record.get("speaker")),
        plain(record.get("title")),
        plain(record.get("organisation")),
        str(record["text"]),
    ]
    if taxonomy is not None:
        categories = [plain(c) for c in record.get("categories") or ()]
        row += [
            label_of(taxonomy, record.get("kind")),
            ", ".join(label_of(taxonomy, c) for c in categories),
            round(float(record["kind_confidence"]), 4),
            "예" if bool(record.get("needs_review")) else "",
            plain(record.get("kind")),
            ";".join(categories),
            plain(record.get("model_version")),
        ]
    return [safe_cell(cell) for cell in row]


class _Lines:
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle

    def write(self, records: Sequence[Mapping[str, Any]]) -> None:
        self.handle.writelines(json_lines(records))


class _Csv:
    def __init__(self, handle: IO[str], taxonomy: Taxonomy | None) -> None:
        self.writer = csv.writer(handle, lineterminator="\r\n")
        self.taxonomy = taxonomy
        self.writer.writerow(TAG_COLUMNS if taxonomy else UNIT_COLUMNS)

    def write(self, records: Sequence[Mapping[str, Any]]) -> None:
        self.writer.writerows(cells(record, self.taxonomy) for record in records)


class _Xlsx:
    def __init__(self, workbook: Any, taxonomy: Taxonomy | None) -> None:
        self.sheet = workbook.add_worksheet("분석 결과" if taxonomy else "단위")
        self.taxonomy = taxonomy
        self.sheet.write_row(0, 0, TAG_COLUMNS if taxonomy else UNIT_COLUMNS, workbook.add_format({"bold": True}))
        self.sheet.set_column(6, 6, 80)
        self.row = 1

    def write(self, records: Sequence[Mapping[str, Any]]) -> None:
        for record in records:
            self.sheet.write_row(self.row, 0, cells(record, self.taxonomy))
            self.row += 1


class _Rows:
    """Spreadsheet rows kept until the end (Parquet is written as one table by ``pyarrow``, the ``cluster`` extra)."""

    def __init__(self, taxonomy: Taxonomy | None) -> None:
        self.taxonomy = taxonomy
        self.rows: list[list[object]] = []

    def write(self, records: Sequence[Mapping[str, Any]]) -> None:
        self.rows += [cells(record, self.taxonomy) for record in records]

    def save(self, path: Path) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ModuleNotFoundError as exc:
            raise AnalyzerError("output_unsupported", "Parquet: pip install 'moksori[cluster]'") from exc
        names = TAG_COLUMNS if self.taxonomy else UNIT_COLUMNS
        columns = {name: [row[i] for row in self.rows] for i, name in enumerate(names)}
        pq.write_table(pa.table(columns), str(path))


def _unwritable(path: Path, exc: OSError) -> AnalyzerError:
    return AnalyzerError("file_unwritable", f"{path}: {exc.strerror or type(exc).__name__}")


@contextmanager
def out_sink(path: Path, taxonomy: Taxonomy | None) -> Iterator[RowSink]:
    """A sink for the batch's records, written to *path* when the block ends without an exception.

    Refused before anything is read: ``output_unsupported`` for another extension, ``file_unwritable`` when the
    file cannot be created there.
    """
    suffix = check_out(path)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory")
        if suffix == ".jsonl":
            handle: IO[Any] = tmp.open("wb")  # lines of UTF-8 JSON (analyzer.records.json_lines)
        else:
            handle = tmp.open("w", encoding="utf-8-sig" if suffix == ".csv" else "utf-8", newline="")
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    try:
        if suffix == ".xlsx":
            import xlsxwriter

            handle.close()
            workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
            yield _Xlsx(workbook, taxonomy)
            workbook.close()
        elif suffix == ".parquet":
            handle.close()
            rows = _Rows(taxonomy)
            yield rows
            rows.save(tmp)
        else:
            with handle:
                yield _Csv(handle, taxonomy) if suffix == ".csv" else _Lines(handle)
        try:
            tmp.replace(path)
        except OSError as exc:
            raise _unwritable(path, exc) from exc
    finally:
        handle.close()
        tmp.unlink(missing_ok=True)
