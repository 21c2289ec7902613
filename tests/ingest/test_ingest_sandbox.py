"""The parser child process: limits are enforced and its errors come back with their codes, whether the child is
a new Python (``run_sandboxed``) or forked by the long-lived parser server (``ParserServer``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from analyzer.errors import AnalyzerError
from analyzer.ingest import IngestLimits, ParserServer, SurveyColumns, ingest

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def large_text_bytes() -> bytes:
    """About 29 MB of minutes as UTF-8 text (under the 50 MB file limit)."""
    return ("○ 김OO 대표: 장비 예약이 어렵습니다. 지원 사업 안건에 대한 의견입니다.\n" * 300_000).encode()


@pytest.fixture(scope="module")
def parser_server() -> Iterator[ParserServer]:
    server = ParserServer(start=True)
    yield server
    server.close()


@pytest.fixture(params=["new-process", "fork-server"])
def server(request: pytest.FixtureRequest) -> ParserServer | None:
    return request.getfixturevalue("parser_server") if request.param == "fork-server" else None


@pytest.fixture
def refused(server: ParserServer | None) -> Callable[..., AnalyzerError]:
    def run(name: str, data: bytes, limits: IngestLimits, survey: SurveyColumns | None = None) -> AnalyzerError:
        with pytest.raises(AnalyzerError) as caught:
            ingest(name, data, limits=limits, survey=survey, server=server)
        return caught.value

    return run


def test_sandbox_memory_limit(docx_bytes: bytes) -> None:
    with pytest.raises(AnalyzerError) as caught:
        ingest("회의록.docx", docx_bytes, limits=IngestLimits(memory_bytes=32 * MiB))
    assert caught.value.code == "resource_limit"


def test_memory_limit_refuses_a_parse_that_needs_more(
    refused: Callable[..., AnalyzerError], large_text_bytes: bytes
) -> None:
    """The limit is the child's whole address space in both: a forked child starts with the server's imports
    mapped, so it has less, not more, room to parse in than a new process had."""
    assert refused("회의록.txt", large_text_bytes, IngestLimits(memory_bytes=256 * MiB)).code == "resource_limit"


def test_sandbox_wall_clock_limit(refused: Callable[..., AnalyzerError], large_text_bytes: bytes) -> None:
    """A parse that takes far longer than the limit (a small HWP, parsed by a warm fork-server child, once came in
    under 0.05 s)."""
    error = refused("회의록.txt", large_text_bytes, IngestLimits(wall_seconds=0.05))
    assert error.code == "resource_limit"


def test_sandbox_child_error_keeps_its_code(refused: Callable[..., AnalyzerError], scanned_pdf_bytes: bytes) -> None:
    assert refused("스캔.pdf", scanned_pdf_bytes, IngestLimits()).code == "no_text_layer"


def test_sandbox_child_survey_error_keeps_its_code(refused: Callable[..., AnalyzerError], xlsx_bytes: bytes) -> None:
    error = refused("설문.xlsx", xlsx_bytes, IngestLimits(), SurveyColumns(answers=("없는 열",)))
    assert (error.code, error.detail) == ("survey_unknown_column", "없는 열")


@pytest.mark.parametrize("name", ["회의록.docx", "회의록.hwp", "회의록.hwpx", "설문.xlsx", "스캔.pdf"])
def test_fork_server_reads_every_format_as_a_new_process_does(
    parser_server: ParserServer, name: str, request: pytest.FixtureRequest
) -> None:
    fixture = {"docx": "docx_bytes", "hwp": "hwp_bytes", "hwpx": "hwpx_bytes", "xlsx": "xlsx_bytes", "pdf": "pdf_bytes"}
    data = request.getfixturevalue(fixture[name.rsplit(".", 1)[1]])
    outcomes: list[object] = []
    for server in (None, parser_server):
        try:
            outcomes.append(ingest(name, data, server=server))
        except AnalyzerError as error:
            outcomes.append(error.code)
    assert outcomes[0] == outcomes[1]


def test_fork_server_starts_again_after_its_process_died(parser_server: ParserServer, docx_bytes: bytes) -> None:
    server = ParserServer(start=True)
    first = ingest("회의록.docx", docx_bytes, server=server)
    assert server._process is not None
    server._process.kill()
    server._process.wait()
    assert ingest("회의록.docx", docx_bytes, server=server) == first
    server.close()
