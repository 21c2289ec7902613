"""Reports over the analysed sample meetings: the three formats read back with their own libraries and carry the
findings API's numbers; the PDF's first page is rendered (pdftoppm) and kept; one meeting's 요지; the CLI."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from api_support import auth, run_jobs
from fastapi.testclient import TestClient
from hwpx import HwpxDocument
from PIL import Image
from pypdf import PdfReader
from typer.testing import CliRunner

from analyzer.cli import app as cli
from analyzer.services.samples import SAMPLE_META, load_samples
from analyzer.settings import Settings
from analyzer.store import keys
from api.app import create_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
APPENDIX_HEAD = ["범주", "애로", "건의", "합계", "회의 수", "기관·기업 수", "정규화 점수"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, analyzer_instance: Any) -> Iterator[tuple[TestClient, str, Path]]:
    """A real app over a SQLite file holding the analysed samples, and a global admin key."""
    data_dir = tmp_path_factory.mktemp("reports") / "data"
    settings = Settings(data_dir=data_dir, uploads_per_minute=1000, failed_auth_per_minute=1000)
    with TestClient(create_app(settings)) as client:
        context = client.app.state.context  # type: ignore[attr-defined]
        load_samples(context, only_if_empty=False)
        run_jobs(client, analyzer_instance)
        key = keys.create_key(context.engine, "admin", None, "admin", None)[1]
        yield client, key, data_dir


def _rows(cells: list[str]) -> list[list[str]]:
    """The appendix table's body from a flat list of cells that starts at its heading row."""
    start = next(i for i in range(len(cells)) if cells[i : i + len(APPENDIX_HEAD)] == APPENDIX_HEAD)
    body = cells[start + len(APPENDIX_HEAD) :]
    return [body[i : i + len(APPENDIX_HEAD)] for i in range(0, len(body) - len(APPENDIX_HEAD) + 1, len(APPENDIX_HEAD))]


def _hwpx_cells(data: bytes) -> list[str]:
    document = HwpxDocument.open(io.BytesIO(data))
    assert not document.validate().issues
    tables = document.tables.all
    return [pos.cell.text.strip() for pos in tables[-1].iter_grid() if pos.is_anchor] if tables else []


def _docx_cells(data: bytes) -> list[str]:
    table = docx.Document(io.BytesIO(data)).tables[-1]
    return [cell.text.strip() for row in table.rows for cell in row.cells]


def _expected(found: dict[str, Any]) -> list[list[str]]:
    return [
        [
            row["label"],
            f"{row['units_pain_point']:,}",
            f"{row['units_request']:,}",
            f"{row['units']:,}",
            f"{row['meetings']:,}",
            f"{row['organisations']:,}",
            f"{row['score']:.2f}",
        ]
        for row in found["top"]
    ]


@pytest.mark.parametrize("query", [{}, {"region": "경북"}, {"date_from": "2024-07-01", "programme": "수출바우처"}])
def test_reports_carry_the_findings_numbers_in_every_format(
    served: tuple[TestClient, str, Path], query: dict[str, str]
) -> None:
    client, key, _ = served
    found = client.get("/api/v1/findings", params=query, headers=auth(key)).json()
    assert found["top"], "the sample data has findings for this filter"
    expected = _expected(found)
    for fmt, cells_of in (("hwpx", _hwpx_cells), ("docx", _docx_cells)):
        answer = client.get("/api/v1/reports", params={**query, "format": fmt}, headers=auth(key))
        assert answer.status_code == 200, answer.text
        assert f'filename="moksori-report.{fmt}"' in answer.headers["content-disposition"]
        assert _rows(cells_of(answer.content))[: len(expected)] == expected, fmt
    pdf = client.get("/api/v1/reports", params={**query, "format": "pdf"}, headers=auth(key))
    assert pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for row in expected:
        assert re.search(r"\s+".join(re.escape(value) for value in row[1:]), text), row
    assert f"분석 단위 {found['totals']['units']:,}건" in text.replace("\n", " ")


def test_report_pdf_first_page_is_rendered_kept_and_made_in_time(served: tuple[TestClient, str, Path]) -> None:
    client, key, _ = served
    client.app.state.context.findings_cache.clear()  # type: ignore[attr-defined]
    started = time.perf_counter()
    answer = client.get("/api/v1/reports", params={"format": "pdf"}, headers=auth(key))
    took = time.perf_counter() - started
    assert answer.status_code == 200
    assert took < 3.0, f"report over the samples took {took:.2f} s"
    reader = PdfReader(io.BytesIO(answer.content))
    fonts = {str(font) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert fonts and all(
        "NanumGothic" in str(font.get_object()["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()
    ), fonts
    first = reader.pages[0].extract_text()
    assert "주요 애로·건의 분석 보고" in first and "Ⅰ. 요약" in first and "□" in first and "○" in first
    assert shutil.which("pdftoppm"), "pdftoppm (Debian poppler-utils) is installed by scripts/install.sh --test"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = ARTIFACTS / "report.pdf"
    pdf_path.write_bytes(answer.content)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf_path),
            str(ARTIFACTS / "report-page-1"),
        ],
        check=True,
        timeout=60,
    )
    image = Image.open(ARTIFACTS / "report-page-1.png").convert("L")
    assert abs(image.width / image.height - 210 / 297) < 0.01
    inked = sum(image.histogram()[:128]) / (image.width * image.height)
    assert 0.02 < inked < 0.4, inked  # text on the page, not a blank or a black page


def test_meeting_summary_groups_each_organisations_asks_by_category(served: tuple[TestClient, str, Path]) -> None:
    client, key, _ = served
    meetings = client.get("/api/v1/meetings", headers=auth(key)).json()["items"]
    gumi = next(m for m in meetings if m["title"].startswith("2024-05-구미"))
    answer = client.get(f"/api/v1/meetings/{gumi['id']}/report", params={"format": "docx"}, headers=auth(key))
    assert answer.status_code == 200, answer.text
    document = docx.Document(io.BytesIO(answer.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.tables[0].cell(0, 0).text.endswith("결과 요지")
    assert "Ⅱ. 참석 기관별 발언자" in text and "Ⅳ. 후속 조치" in text
    assert "□ ㈜한빛전자: 애로" in text
    assert "반영하겠습니다" in text  # the host's undertaking is a follow-up
    organisations = [row.cells[0].text for row in document.tables[-1].rows[1:]]
    assert "㈜한빛전자" in organisations and "㈜누리모션" in organisations
    missing = client.get("/api/v1/meetings/999999/report", params={"format": "pdf"}, headers=auth(key))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_cli_report_writes_each_format_and_refuses_an_unknown_meeting(
    served: tuple[TestClient, str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, data_dir = served
    monkeypatch.delenv("MOKSORI_DATABASE_URL", raising=False)
    runner = CliRunner()
    out = tmp_path / "보고서.hwpx"
    result = runner.invoke(cli, ["report", "--data-dir", str(data_dir), "--format", "hwpx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert HwpxDocument.open(out).tables.all
    summary = tmp_path / "meeting.pdf"
    result = runner.invoke(
        cli, ["report", "--data-dir", str(data_dir), "--meeting", "1", "--format", "pdf", "--out", str(summary)]
    )
    assert result.exit_code == 0, result.output
    assert "결과 요지" in PdfReader(summary).pages[0].extract_text()
    refused = runner.invoke(
        cli, ["report", "--data-dir", str(data_dir), "--meeting", "999999", "--out", str(tmp_path / "x.pdf")]
    )
    assert refused.exit_code == 2 and "오류[meeting_not_found]" in refused.output
    assert len(SAMPLE_META) == 4


def test_findings_and_report_carry_the_action_status_for_those_who_may_read_actions(
    served: tuple[TestClient, str, Path],
) -> None:
    """An answered action shows in /findings (처리 현황) and in the report; a researcher's findings have none."""
    client, key, _ = served
    request = client.get("/api/v1/units", params={"kind": "request", "limit": 1}, headers=auth(key)).json()["items"]
    body = {"unit_ids": [request[0]["unit_id"]], "title": "시험 설비 공동 활용 검토", "department": "기업지원과"}
    made = client.post("/api/v1/actions", headers=auth(key), json={**body, "due_date": "2099-12-31"})
    assert made.status_code == 201, made.text
    answer = {"status": "accepted", "answer": "공동 활용 방안을 마련합니다."}
    assert client.patch(f"/api/v1/actions/{made.json()['id']}", headers=auth(key), json=answer).status_code == 200
    found = client.get("/api/v1/findings", headers=auth(key)).json()
    status = client.get("/api/v1/action-status", headers=auth(key)).json()
    assert found["actions"] == status and status["total"] >= 1 and status["answered"] >= 1
    pdf = client.get("/api/v1/reports", params={"format": "pdf"}, headers=auth(key))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages]
    assert "처리 현황:" in pages[0], "the 요약 with its 처리 현황 line fits on the first page"
    text = " ".join(pages)
    rate = f"{100 * status['answer_rate']:.1f}%"
    line = f"처리 현황: 조치 {status['total']:,}건 중 답변 {status['answered']:,}건 (처리율 {rate})"
    assert line in re.sub(r"\s+", " ", text) and "Ⅴ. 처리 현황" in text
    context = client.app.state.context  # type: ignore[attr-defined]
    researcher = keys.create_key(context.engine, "researcher", None, "researcher", None)[1]
    seen = client.get("/api/v1/findings", headers=auth(researcher)).json()
    assert "actions" not in seen and seen["top"] == found["top"]
