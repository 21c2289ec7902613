"""``moksori agencies create|list``: agencies are made on purpose, never as a side effect of a key."""

from __future__ import annotations

import typer

from analyzer.cli.context import engine, fail
from analyzer.cli.options import DatabaseUrl, DataDir
from analyzer.cli.output import plain, table
from analyzer.errors import AnalyzerError

agencies_app = typer.Typer(help="기관 관리", no_args_is_help=True)


@agencies_app.command("create")
def agencies_create(name: str, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """기관을 만듭니다 (이름: 앞뒤 공백 제외 1~100자, 제어 문자 불가)."""
    from analyzer.store.agencies import clean_agency_name, create_agency

    try:
        cleaned = clean_agency_name(name)
    except AnalyzerError as error:
        fail(error)
    made = engine(data_dir, database_url)
    try:
        agency_id = create_agency(made, cleaned)
    except AnalyzerError as error:
        fail(error)
    finally:
        made.dispose()
    typer.echo(f"기관 {agency_id}: {cleaned}")


@agencies_app.command("list")
def agencies_list(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """기관 목록과 기관별 회의·키 수."""
    from analyzer.store.agencies import list_agencies

    made = engine(data_dir, database_url)
    try:
        rows = list_agencies(made)
    finally:
        made.dispose()
    cells = [[plain(row["id"]), plain(row["meetings"]), plain(row["keys"]), str(row["name"])] for row in rows]
    for line in table(("번호", "회의", "키", "이름"), cells):
        typer.echo(line)
