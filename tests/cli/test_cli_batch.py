"""``moksori analyze`` and ``units`` over several files and folders: one model load, rows people read, a summary,
one bad file reported while the rest go on, and ``--out`` files read back by pandas and openpyxl."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import Result
from file_samples import SURVEY_HEADERS, make_docx, make_hwp
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.cli.inputs import expand, read_bytes
from analyzer.cli.outfile import TAG_COLUMNS, UNIT_COLUMNS
from analyzer.cli.output import display_width
from analyzer.errors import AnalyzerError
from analyzer.taxonomy import load_taxonomy

SAMPLE = "2024-05-구미-산업기반구축-간담회.txt"
FORMULA_ORG = "=HYPERLINK(1)"
FORMULA_ANSWER = "@장비 예약이 너무 어렵습니다"
REPRS = ("np.", "['", "None", "np.str_", "np.float")


@dataclass(frozen=True)
class Batch:
    root: Path
    args: list[str]
    read: list[str]
    corrupt: str
    missing: str


def _survey_csv() -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(SURVEY_HEADERS)
    writer.writerow((1, FORMULA_ORG, "경북", "전자부품", FORMULA_ANSWER, "예약 시스템을 개선해 주세요."))
    writer.writerow((2, "㈜다라테크", "대구", "", "시험인증 비용이 부담됩니다.", ""))
    return text.getvalue().encode("utf-8-sig")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """Two loose files, a folder (a docx, a corrupt docx, a sub-folder with an hwpx, a file of another type left
    out) and a missing path."""
    root = tmp_path_factory.mktemp("batch")
    sample = root / SAMPLE
    sample.write_bytes(resources.files("analyzer").joinpath("data/samples", SAMPLE).read_bytes())
    survey = root / "survey.csv"
    survey.write_bytes(_survey_csv())
    folder = root / "folder"
    (folder / "sub").mkdir(parents=True)
    docx = make_docx()
    (folder / "b-minutes.docx").write_bytes(docx)
    (folder / "a-corrupt.docx").write_bytes(docx[: len(docx) // 2])
    (folder / "sub" / "c-minutes.hwpx").write_bytes(make_hwp("hwpx"))
    (folder / "notes.md").write_text("지원하지 않는 형식", encoding="utf-8")
    missing = root / "없는-파일.txt"
    read = [str(sample), str(survey), str(folder / "b-minutes.docx"), str(folder / "sub" / "c-minutes.hwpx")]
    return Batch(
        root, [str(sample), str(survey), str(folder), str(missing)], read, str(folder / "a-corrupt.docx"), str(missing)
    )


@pytest.fixture(scope="module")
def runs(batch: Batch, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """``analyze`` on the batch three ways (plain, ``--json``, ``--out .xlsx``): three model loads per module."""
    home = tmp_path_factory.mktemp("home")
    runner = CliRunner(env={"MOKSORI_HOME": str(home)})
    xlsx = batch.root / "out" / "result.xlsx"
    (batch.root / "out").mkdir()
    return {
        "plain": runner.invoke(app, ["analyze", *batch.args]),
        "json": runner.invoke(app, ["analyze", *batch.args, "--json"]),
        "xlsx": runner.invoke(app, ["analyze", *batch.args, "--out", str(xlsx)]),
    }


def _json_rows(result: Result) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_analyze_batch_exits_2_and_goes_on_after_a_bad_file(runs: dict[str, Result], batch: Batch) -> None:
    for result in runs.values():
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
    rows = _json_rows(runs["json"])
    assert list(dict.fromkeys(str(row["file"]) for row in rows)) == batch.read  # folder files sorted, recursively


def test_analyze_batch_summary_counts_files_units_review_and_refusals(runs: dict[str, Result], batch: Batch) -> None:
    rows = _json_rows(runs["json"])
    review = sum(bool(row["needs_review"]) for row in rows)
    stderr = runs["plain"].stderr
    assert f"요약: 파일 6개 중 4개 읽음 · 단위 {len(rows)}개 · 검토 필요 {review}개 · 거부 2개" in stderr
    assert f"거부: {batch.corrupt} [corrupt_file]" in stderr
    assert f"거부: {batch.missing} [file_not_found]" in stderr
    assert f"오류[file_not_found]: {batch.missing}: 파일이나 폴더를 찾을 수 없습니다" in stderr
    summary = json.loads(runs["json"].stderr.splitlines()[-1])["summary"]
    assert summary == {
        "files": 6,
        "read": 4,
        "units": len(rows),
        "needs_review": review,
        "refused": [{"file": batch.corrupt, "code": "corrupt_file"}, {"file": batch.missing, "code": "file_not_found"}],
    }


def test_analyze_plain_output_has_korean_labels_speakers_and_no_reprs(runs: dict[str, Result]) -> None:
    out = runs["plain"].stdout
    for repr_mark in REPRS:
        assert repr_mark not in out, repr_mark
    taxonomy = load_taxonomy()
    rows = _json_rows(runs["json"])
    labels = {taxonomy.label_of(str(c)) for row in rows for c in row["categories"]}  # type: ignore[attr-defined]
    assert labels and all(label in out for label in labels)
    assert {"애로", "건의", "기타"} <= set(re.findall(r"^\d+\s+(\S+)", out, re.MULTILINE))
    assert "㈜한빛전자" in out and re.search(r"화자-[0-9A-F]{6} 대표", out) and "검토 필요" in out
    assert "export_channels" not in out and "pain_point" not in out


def test_analyze_plain_columns_are_aligned_in_display_width(runs: dict[str, Result]) -> None:
    lines = runs["plain"].stdout.splitlines()
    rows = [row for row in _json_rows(runs["json"]) if str(row["file"]).endswith(SAMPLE)]
    header_at = lines.index(next(line for line in lines if line.startswith("■ ") and SAMPLE in line)) + 1
    header = lines[header_at]
    text_column = display_width(header[: header.index("내용")])
    for row, line in zip(rows, lines[header_at + 1 :], strict=False):
        text = " ".join(str(row["text"]).split())
        assert line.endswith(text)
        assert display_width(line[: len(line) - len(text)]) == text_column


def test_analyze_json_keeps_stable_ids(runs: dict[str, Result]) -> None:
    taxonomy = load_taxonomy()
    rows = _json_rows(runs["json"])
    assert rows and all(row["kind"] in taxonomy.kind_ids for row in rows)
    assert all(set(row["categories"]) <= set(taxonomy.category_ids) for row in rows)  # type: ignore[arg-type]
    assert {"file", "seq", "speaker", "organisation", "probabilities", "needs_review", "model_version"} <= set(rows[0])
    for line in runs["json"].stderr.splitlines():  # refusals and summary as JSON; no progress bar
        json.loads(line)


def test_analyze_out_xlsx_reads_back_with_labels_ids_and_safe_cells(runs: dict[str, Result], batch: Batch) -> None:
    rows = _json_rows(runs["json"])
    assert runs["xlsx"].stdout == ""
    path = batch.root / "out" / "result.xlsx"
    frame = pd.read_excel(path, dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == TAG_COLUMNS and len(frame) == len(rows)
    assert list(frame["유형 id"]) == [row["kind"] for row in rows]
    assert set(frame["유형"]) <= {"애로", "건의", "긍정", "기타"}
    sheet = openpyxl.load_workbook(path).active
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert "'" + FORMULA_ORG in values and "'" + FORMULA_ANSWER in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert not list((batch.root / "out").glob(".*partial"))


@pytest.fixture()
def runner(tmp_path: Path) -> CliRunner:
    return CliRunner(env={"MOKSORI_HOME": str(tmp_path / "home")})


def test_units_out_csv_is_utf8_sig_and_formula_safe(runner: CliRunner, batch: Batch, tmp_path: Path) -> None:
    out = tmp_path / "units.csv"
    result = runner.invoke(app, ["units", str(batch.root / "survey.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == UNIT_COLUMNS
    assert "'" + FORMULA_ORG in set(frame["소속"]) and "'" + FORMULA_ANSWER in set(frame["내용"])
    assert "요약: 파일 1개 중 1개 읽음 · 단위 3개" in result.stderr


def test_units_out_jsonl_equals_the_json_lines(runner: CliRunner, batch: Batch, tmp_path: Path) -> None:
    out = tmp_path / "units.jsonl"
    args = ["units", str(batch.root / "folder" / "sub")]
    written = runner.invoke(app, [*args, "--out", str(out)])
    printed = runner.invoke(app, [*args, "--json"])
    assert written.exit_code == printed.exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines() == printed.stdout.splitlines()
    assert len(printed.stdout.splitlines()) > 3


@pytest.mark.parametrize("name", ["result.doc", "result", "result.txt"])
def test_units_out_refuses_an_unknown_extension_before_reading(
    runner: CliRunner, batch: Batch, tmp_path: Path, name: str
) -> None:
    result = runner.invoke(app, ["units", str(batch.root / "survey.csv"), "--out", str(tmp_path / name)])
    assert result.exit_code == 2 and "오류[output_unsupported]" in result.stderr
    assert result.stdout == "" and "요약" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_units_out_into_a_missing_folder_is_unwritable(runner: CliRunner, batch: Batch, tmp_path: Path) -> None:
    result = runner.invoke(app, ["units", str(batch.root / "survey.csv"), "--out", str(tmp_path / "no" / "x.csv")])
    assert result.exit_code == 2 and "오류[file_unwritable]" in result.stderr


def test_units_of_a_missing_file_is_file_not_found(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["units", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2 and "오류[file_not_found]" in result.stderr and "unknown_type" not in result.output


def test_read_bytes_of_a_folder_is_file_unreadable(tmp_path: Path) -> None:
    with pytest.raises(AnalyzerError) as error:
        read_bytes(tmp_path)
    assert error.value.code == "file_unreadable"


def test_expand_takes_supported_files_of_folders_sorted_once(tmp_path: Path) -> None:
    for name in ("b.txt", "a.HWP", "sub/c.csv", "sub/d.png", "e.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = expand([tmp_path / "b.txt", tmp_path, tmp_path / "gone.pdf"])
    assert [item.path.relative_to(tmp_path).as_posix() for item in found] == ["b.txt", "a.HWP", "sub/c.csv", "gone.pdf"]
    assert [item.error.code if item.error else None for item in found] == [None, None, None, "file_not_found"]


def test_analyze_with_one_worker_runs_alone_and_gives_the_rows_of_the_default(
    runs: dict[str, Result], batch: Batch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--workers 1`` is this process alone (no helper, Kiwi on one thread); the default adds the helper."""
    from analyzer.services import batch_helper

    helpers: list[object] = []
    monkeypatch.setattr(batch_helper.TaggingHelper, "close", lambda self: helpers.append(self))
    runner = CliRunner(env={"MOKSORI_HOME": str(tmp_path)})
    alone = runner.invoke(app, ["analyze", *batch.args, "--json", "--workers", "1"])
    assert alone.exit_code == 2, alone.output
    assert helpers == []

    def keyless(rows: list[dict[str, object]]) -> list[dict[str, object]]:  # pseudonyms are keyed per home
        return [{name: value for name, value in row.items() if name != "speaker"} for row in rows]

    assert keyless(_json_rows(alone)) == keyless(_json_rows(runs["json"]))
