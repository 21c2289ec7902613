"""``moksori keys`` and ``agencies``: roles and expiry validated, agencies made on purpose, nothing half-created."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.cli.keys import DEFAULT_KEY_DAYS
from analyzer.store.engine import make_engine
from analyzer.store.tables import agencies, api_keys, utcnow


@pytest.fixture()
def data(tmp_path: Path) -> list[str]:
    return ["--data-dir", str(tmp_path / "data")]


def _count(data: list[str], table: object) -> int:
    path = Path(data[1]) / "moksori.db"
    if not path.exists():
        return 0
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]
    finally:
        engine.dispose()


def _expiry(data: list[str]) -> object:
    engine = make_engine(f"sqlite:///{Path(data[1]) / 'moksori.db'}")
    try:
        with engine.connect() as conn:
            return conn.execute(select(api_keys.c.expires_at).order_by(api_keys.c.id.desc())).scalar()
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--role", "bogus", "--agency", "구미TP"], "invalid_role"),
        (["--role", "staff", "--agency", "구미TP", "--expires-days", "0"], "invalid_expiry"),
        (["--role", "staff", "--agency", "구미TP", "--expires-days", "-3"], "invalid_expiry"),
        (["--role", "admin", "--expires-days", "5", "--no-expiry"], "invalid_expiry"),
        (["--role", "staff"], "agency_required"),
        (["--role", "staff", "--agency", "없는 기관"], "agency_not_found"),
        (["--role", "staff", "--agency", "기관\x07"], "agency_name_invalid"),
    ],
)
def test_keys_create_refuses_in_korean_and_creates_nothing(data: list[str], args: list[str], code: str) -> None:
    result = CliRunner().invoke(app, ["keys", "create", *args, *data])
    assert result.exit_code == 2 and f"오류[{code}]" in result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert _count(data, agencies) == 0 and _count(data, api_keys) == 0


def test_agencies_create_list_and_keys_for_them(data: list[str]) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["agencies", "create", "  구미전자정보기술원  ", *data])
    assert made.exit_code == 0 and made.stdout == "기관 1: 구미전자정보기술원\n"
    again = runner.invoke(app, ["agencies", "create", "구미전자정보기술원", *data])
    assert again.exit_code == 2 and "오류[agency_exists]" in again.stderr
    for bad in ("", "   ", "가" * 101, "기관\n이름", "기관\u200b"):
        refused = runner.invoke(app, ["agencies", "create", bad, *data])
        assert refused.exit_code == 2 and "오류[agency_name_invalid]" in refused.stderr, repr(bad)

    key = runner.invoke(app, ["keys", "create", "--role", "staff", "--agency", "구미전자정보기술원", *data])
    assert key.exit_code == 0, key.output
    expires = _expiry(data)
    assert expires is not None and abs(expires - (utcnow() + timedelta(days=DEFAULT_KEY_DAYS))) < timedelta(minutes=5)  # type: ignore[operator]
    forever = runner.invoke(app, ["keys", "create", "--role", "admin", "--no-expiry", *data])
    assert forever.exit_code == 0 and "만료 없음" in forever.stdout and _expiry(data) is None
    week = runner.invoke(
        app, ["keys", "create", "--role", "leadership", "--agency", "구미전자정보기술원", "--expires-days", "7", *data]
    )
    assert week.exit_code == 0
    assert abs(_expiry(data) - (utcnow() + timedelta(days=7))) < timedelta(minutes=5)  # type: ignore[operator]

    listed = runner.invoke(app, ["agencies", "list", *data]).stdout.splitlines()
    assert listed[0].split() == ["번호", "회의", "키", "이름"] and listed[1].split() == [
        "1",
        "0",
        "2",
        "구미전자정보기술원",
    ]
    keys = runner.invoke(app, ["keys", "list", *data]).stdout
    assert "구미전자정보기술원" in keys and "전체 기관" in keys and "None" not in keys
    assert _count(data, agencies) == 1


def test_keys_revoke_an_unknown_key_is_refused_with_a_code(data: list[str]) -> None:
    result = CliRunner().invoke(app, ["keys", "revoke", "999", *data])
    assert result.exit_code == 2 and "오류[key_not_found]" in result.stderr
