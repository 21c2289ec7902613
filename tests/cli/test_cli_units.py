"""``moksori units`` and ``evaluate`` on real files of every format, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from file_samples import make_docx, make_hwp, make_pdf, make_xlsx, survey_csv_text
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.errors import CATALOGUE

TRANSCRIPT = (
    "사회자: 네 시작하겠습니다 말씀해 주시죠",
    "[이 팀장] 어 그러니까 저희는 장비 예약이 너무 밀려서요 한 달씩 기다리거든요 연락은 010-2345-6789로 주세요",
    "정민수 부장님이 contact@example.co.kr 로 자료를 보내 주셨는데 인증 비용이 너무 비쌉니다",
)
PERSONAL = ("010-2345-6789", "contact@example.co.kr", "정민수", "김○○", "이○○")


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MOKSORI_HOME", str(tmp_path / "home"))
    return CliRunner()


def _hwp_transcript() -> bytes:
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    for line in TRANSCRIPT:
        document.add_paragraph(line)
    return document.to_bytes(format="hwp")


def _units(runner: CliRunner, path: Path, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["units", str(path), "--json", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def _assert_clean(rows: list[dict[str, object]]) -> None:
    dump = json.dumps(rows, ensure_ascii=False)
    for personal in PERSONAL:
        assert personal not in dump


def test_units_of_hwpx_minutes(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "minutes.hwpx"
    path.write_bytes(make_hwp("hwpx"))
    rows = _units(runner, path)
    assert rows[0]["meeting"]["date"].startswith("2024. 3. 14.")  # type: ignore[index]
    assert rows[0]["meeting"]["place"] == "구미전자정보기술원 3층 회의실"  # type: ignore[index]
    by_text = {row["text"]: row for row in rows}
    row = by_text["시험인증 비용 지원을 늘려 주셨으면 합니다."]
    assert row["title"] == "이사" and str(row["speaker"]).startswith("화자-")
    assert any(r["organisation"] == "㈜다라테크" for r in rows)
    assert {"seq", "unit_kind", "text", "speaker", "organisation", "start", "end"} <= set(rows[0])
    _assert_clean(rows)


def test_units_of_hwp_transcript(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "transcript.hwp"
    path.write_bytes(_hwp_transcript())
    rows = _units(runner, path)
    assert rows[0]["speaker"] == "사회자"
    team = [r for r in rows if r["title"] == "팀장"]
    assert len(team) >= 2 and all(r["unit_kind"] == "sentence" for r in team)
    assert any("[전화번호]" in str(r["text"]) for r in rows)
    assert any("[이메일]" in str(r["text"]) and "[이름]" in str(r["text"]) for r in rows)
    _assert_clean(rows)


def test_units_of_cp949_text(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "minutes.txt"
    path.write_bytes("\r\n".join(TRANSCRIPT).encode("cp949"))
    rows = _units(runner, path)
    assert rows[0]["encoding"] == "cp949"
    _assert_clean(rows)


def test_units_of_docx_with_speaker_table(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "minutes.docx"
    path.write_bytes(make_docx())
    rows = _units(runner, path)
    from_table = [r for r in rows if r["text"] == "장비 예약이 어렵습니다." and r["title"] == "대표"]
    assert len(from_table) >= 1
    _assert_clean(rows)


def test_units_of_pdf(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(make_pdf([TRANSCRIPT[:2], TRANSCRIPT[2:]]))
    rows = _units(runner, path)
    assert any(r["speaker"] == "사회자" for r in rows)
    _assert_clean(rows)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_units_of_survey(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"survey.{fmt}"
    path.write_bytes(make_xlsx() if fmt == "xlsx" else survey_csv_text().encode("utf-8-sig"))
    rows = _units(runner, path)
    assert [r["unit_kind"] for r in rows] == ["answer"] * 3
    assert rows[0]["organisation"] == "㈜가나전자" and rows[0]["region"] == "경북"
    only = _units(runner, path, "--survey-text-col", "건의사항")
    assert [r["text"] for r in only] == ["예약 시스템을 개선해 주세요.", "시험인증 비용 지원 확대 (특히 EMC)"]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.txt", b"", "empty_file"),
        ("minutes.hwpx", b"%PDF-1.7\n", "type_mismatch"),
        ("blob.bin", b"\x00\x01\x02\x03" * 100, "unknown_type"),
    ],
)
def test_units_reports_bad_input_in_korean(
    runner: CliRunner, tmp_path: Path, name: str, data: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    as_json = runner.invoke(app, ["units", str(path), "--json"])
    assert as_json.exit_code == 2 and as_json.stdout == ""
    refusal, summary = (json.loads(line) for line in as_json.stderr.splitlines())
    assert refusal["file"] == str(path) and refusal["code"] == code
    assert refusal["message"].startswith(CATALOGUE[code])
    assert summary["summary"]["refused"] == [{"file": str(path), "code": code}]
    plain = runner.invoke(app, ["units", str(path)])
    assert plain.exit_code == 2 and f"오류[{code}]: {path}: {CATALOGUE[code]}" in plain.stderr


def test_evaluate_scores_a_labelled_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "eval.jsonl"
    rows = [
        {
            "id": "t-1",
            "text": "장비 예약이 너무 어렵습니다.",
            "categories": ["equipment_facilities"],
            "kind": "pain_point",
            "register": "transcript",
            "doc": "t",
        },
        {
            "id": "t-2",
            "text": "수출 판로 개척을 지원해 주세요.",
            "categories": ["export_channels"],
            "kind": "request",
            "register": "survey",
            "doc": "t",
        },
        {
            "id": "t-3",
            "text": "오늘 회의는 2시에 시작합니다.",
            "categories": [],
            "kind": "neutral",
            "register": "minutes",
            "doc": "u",
        },
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--data", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n"] == 3
    assert {"micro_f1", "macro_f1", "per_label"} <= set(report["categories"])
    assert {"accuracy", "macro_f1"} <= set(report["kind"])
    assert set(report["categories"]["per_label"]["export_channels"]) == {"precision", "recall", "f1", "support"}
    assert 0 <= report["coverage_at_threshold"] <= 1


def test_units_show_skipped_accounts_for_every_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    lines = [
        "2024 창원 로봇기업 간담회 결과",
        "장소 경남테크노파크 세미나실",
        "- 1 -",
        "인력 구하기가 너무 어려움",
        "판로 개척 지원 필요",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    plain = _units(runner, path)
    assert [row["text"] for row in plain] == lines[3:]
    rows = _units(runner, path, "--show-skipped")
    skipped = {row["text"]: row["reason"] for row in rows if row["unit_kind"] == "skipped"}
    assert skipped == {lines[0]: "title", lines[1]: "header:place", lines[2]: "page_number"}
    table = runner.invoke(app, ["units", str(path), "--show-skipped"])
    assert "건너뜀" in table.stdout and "쪽 번호" in table.stdout and "단위 2개" in table.stdout
