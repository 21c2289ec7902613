"""``moksori keys create|list|revoke``: API keys, validated before anything is written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from analyzer.cli.context import engine, fail
from analyzer.cli.options import DatabaseUrl, DataDir
from analyzer.cli.output import plain, table
from analyzer.errors import AnalyzerError

keys_app = typer.Typer(help="API 키 관리", no_args_is_help=True)

#: Days a key lives when ``--expires-days`` is not given; a key that never expires needs ``--no-expiry``.
DEFAULT_KEY_DAYS = 90
ROLE_LABELS = {"staff": "실무", "leadership": "리더십", "researcher": "연구", "admin": "관리자"}


def key_expiry(expires_days: int | None, no_expiry: bool, now: datetime) -> datetime | None:
    """When a new key expires: ``--expires-days`` (≥ 1), :data:`DEFAULT_KEY_DAYS`, or never with ``--no-expiry``."""
    if no_expiry:
        if expires_days is not None:
            raise AnalyzerError("invalid_expiry", "--expires-days와 --no-expiry는 함께 쓸 수 없습니다")
        return None
    days = DEFAULT_KEY_DAYS if expires_days is None else expires_days
    if days < 1:
        raise AnalyzerError("invalid_expiry", f"{days}일")
    return now + timedelta(days=days)


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else ""


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="staff | leadership | researcher | admin")],
    agency: Annotated[str | None, typer.Option(help="기관 이름 (미리 만든 기관; admin은 생략하면 전체 기관)")] = None,
    label: Annotated[str, typer.Option(help="메모")] = "",
    expires_days: Annotated[
        int | None, typer.Option(help=f"유효 기간(일, 1 이상; 기본 {DEFAULT_KEY_DAYS}일)", show_default=False)
    ] = None,
    no_expiry: Annotated[bool, typer.Option("--no-expiry", help="만료되지 않는 키 (명시해야만 만듭니다)")] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """API 키를 만듭니다 (키는 한 번만 표시됩니다). 기관은 `moksori agencies create`로 먼저 만들어야 합니다."""
    from analyzer.services import keys
    from analyzer.services.access import OPERATOR

    try:
        expires = key_expiry(expires_days, no_expiry, datetime.now(UTC))
    except AnalyzerError as error:
        fail(error)
    made = engine(data_dir, database_url)
    try:
        created = keys.create(made, OPERATOR, role, agency, label, expires)
    except AnalyzerError as error:
        fail(error)
    finally:
        made.dispose()
    until = f"{_when(expires)}까지" if expires else "만료 없음"
    where = f"기관 {agency.strip()}" if agency is not None else "전체 기관"
    typer.echo(f"키 {created.id} ({role}, {where}, {until}): {created.plaintext}")
    typer.echo("이 키는 다시 보여 줄 수 없습니다. 안전한 곳에 보관하세요.", err=True)


@keys_app.command("list")
def keys_list(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """API 키 목록 (키 자체는 보여 주지 않습니다)."""
    from analyzer.store import keys
    from analyzer.store.agencies import list_agencies

    made = engine(data_dir, database_url)
    try:
        names = {row["id"]: row["name"] for row in list_agencies(made)}
        rows = keys.list_keys(made)
    finally:
        made.dispose()
    header = ("번호", "접두어", "역할", "기관", "만료", "폐기", "메모")
    cells = [
        [
            plain(row["id"]),
            plain(row["prefix"]),
            f"{row['role']}({ROLE_LABELS.get(row['role'], '')})",
            names.get(row["agency_id"], "전체 기관"),
            _when(row.get("expires_at")) or "없음",
            _when(row.get("revoked_at")),
            plain(row.get("label")),
        ]
        for row in rows
    ]
    for line in table(header, cells):
        typer.echo(line)


@keys_app.command("revoke")
def keys_revoke(key_id: int, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """API 키를 폐기합니다."""
    from analyzer.store import keys

    made = engine(data_dir, database_url)
    try:
        revoked = keys.revoke(made, key_id)
    finally:
        made.dispose()
    if not revoked:
        fail(AnalyzerError("key_not_found", str(key_id)))
    typer.echo(f"키 {key_id}를 폐기했습니다.")
