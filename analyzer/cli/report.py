"""``moksori report``: the leadership report (개조식 보고서) of the findings, or one meeting's summary (요지), as
HWPX, DOCX or PDF."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from analyzer.cli.context import fail, settings
from analyzer.cli.options import DatabaseUrl, DataDir
from analyzer.errors import AnalyzerError
from analyzer.report import ReportFormat

Filter = Annotated[str | None, typer.Option(help="이 값으로 거르기")]
DateFilter = Annotated[str | None, typer.Option(help="날짜 (YYYY-MM-DD)")]


def _date(name: str, value: str | None) -> str | None:
    from analyzer.store.dates import given_date

    if not value:
        return None
    found = given_date(value)
    if not found:
        raise typer.BadParameter(f"실제 날짜가 아닙니다: {value[:20]}", param_hint=name)
    return found


def report(
    out: Annotated[Path, typer.Option("--out", help="저장할 파일")],
    fmt: Annotated[ReportFormat, typer.Option("--format", help="파일 형식: hwpx, docx, pdf")] = "hwpx",
    meeting: Annotated[int | None, typer.Option("--meeting", min=1, help="이 회의의 결과 요지만")] = None,
    agency: Filter = None,
    programme: Filter = None,
    region: Filter = None,
    industry: Filter = None,
    date_from: DateFilter = None,
    date_to: DateFilter = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """보고서를 만듭니다: 조건에 맞는 주요 애로·건의의 개조식 보고서, 또는 --meeting 회의의 결과 요지."""
    from analyzer.services.context import Context
    from analyzer.services.findings import FindingFilters
    from analyzer.services.report import leadership_report, meeting_summary

    chosen = FindingFilters(
        agency, programme, region, industry, _date("--date-from", date_from), _date("--date-to", date_to)
    )
    started = time.perf_counter()
    try:
        with Context.open(settings(data_dir, database_url)) as context:
            if meeting is not None:
                made = meeting_summary(context, None, meeting, fmt)
            else:
                made = leadership_report(context, None, chosen, fmt)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            partial = out.with_name(out.name + ".tmp")
            partial.write_bytes(made.data)
            partial.replace(out)
        except OSError as error:
            raise AnalyzerError("file_unwritable", str(out)) from error
    except AnalyzerError as error:
        fail(error)
    what = f"회의 {meeting} 결과 요지" if meeting is not None else "보고서"
    typer.echo(f"{out}: {what} ({fmt.upper()}, {len(made.data):,} 바이트, {time.perf_counter() - started:.1f}초)")
