"""Every documented setting reaches the CLI, the service and the worker; flags override the environment."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from analyzer.cli import app as cli_app
from analyzer.cli.context import settings as cli_settings
from analyzer.redact import pseudonym
from analyzer.settings import Settings
from analyzer.store import keys
from analyzer.store.tables import agencies
from analyzer.worker import _parser, main, worker_settings
from api.app import create_app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Settings", 1)[1].split("\n## ", 1)[0]
#: The environment variables named in the first column of README's Settings table.
DOCUMENTED = sorted(
    {
        name
        for row in SECTION.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"MOKSORI_\w+", row.split("|")[1])
    }
)
FIELD_OF = {Settings.variable(name): name for name in Settings.model_fields}
MINUTES = "사회자: 간담회를 시작합니다.\n○ 이OO 대표: 장비 예약이 너무 어렵습니다. 시험 인증 비용도 부담됩니다.\n"


def _app_settings() -> Settings:
    return create_app().state.settings  # type: ignore[no-any-return]


def _worker_settings() -> Settings:
    return worker_settings(_parser().parse_args([]))


ENTRY_POINTS: dict[str, Callable[[], Settings]] = {
    "cli": cli_settings,
    "service": _app_settings,
    "worker": _worker_settings,
}


def _raw_value(variable: str, tmp_path: Path) -> str:
    """A value of the right type for *variable*, different from its default."""
    annotation = str(Settings.model_fields[FIELD_OF[variable]].annotation)
    if "Path" in annotation:
        return str(tmp_path / variable.lower())
    if "Secret" in annotation:
        return "ab" * 32
    if "float" in annotation:
        return "7.5"
    if "int" in annotation:
        return "7"
    return f"sqlite:///{tmp_path / 'other.db'}"


def test_settings_readme_documents_every_setting_and_nothing_else() -> None:
    assert len(DOCUMENTED) >= 13
    assert set(DOCUMENTED) == set(FIELD_OF)


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("variable", DOCUMENTED)
def test_settings_every_documented_variable_reaches_every_entry_point(
    variable: str, entry: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _raw_value(variable, tmp_path)
    monkeypatch.setenv(variable, raw)
    seen = ENTRY_POINTS[entry]()
    assert seen.environment()[variable] == raw
    assert Settings().environment()[variable] == raw


def test_settings_worker_options_override_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOKSORI_DATA_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("MOKSORI_JOB_TIMEOUT_SECONDS", "9")
    monkeypatch.setenv("MOKSORI_MODELS_ROOT", str(tmp_path / "env-models"))
    args = ["--data-dir", str(tmp_path / "flag"), "--job-timeout-seconds", "3", "--models-root", str(tmp_path / "m")]
    chosen = worker_settings(_parser().parse_args(args))
    assert (chosen.data_dir, chosen.job_timeout_seconds, chosen.models_root) == (tmp_path / "flag", 3, tmp_path / "m")
    assert chosen.effective_database_url == f"sqlite:///{tmp_path / 'flag' / 'moksori.db'}"


def test_settings_cli_flags_override_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``moksori agencies list`` opens the database of ``--data-dir`` when given, else of ``MOKSORI_DATA_DIR``."""
    monkeypatch.setenv("MOKSORI_DATA_DIR", str(tmp_path / "env"))
    runner = CliRunner()
    assert runner.invoke(cli_app, ["agencies", "list", "--data-dir", str(tmp_path / "flag")]).exit_code == 0
    assert (tmp_path / "flag" / "moksori.db").exists() and not (tmp_path / "env").exists()
    assert runner.invoke(cli_app, ["agencies", "list"]).exit_code == 0
    assert (tmp_path / "env" / "moksori.db").exists()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data_dir=st.from_regex(r"[a-z]{1,8}(/[a-z0-9]{1,8}){0,2}", fullmatch=True),
    numbers=st.tuples(*[st.integers(0, 10**9)] * 5),
    timeout=st.floats(0, 10**6, allow_nan=False),
    key=st.none() | st.binary(min_size=32, max_size=32).map(bytes.hex),
)
def test_settings_survive_the_trip_to_a_worker_process(
    data_dir: str, numbers: tuple[int, ...], timeout: float, key: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``moksori serve`` hands its settings to the worker processes as environment; they rebuild the same ones."""
    given_settings = Settings(
        data_dir=Path(data_dir),
        max_upload_bytes=numbers[0],
        uploads_per_minute=numbers[1],
        failed_auth_per_minute=numbers[2],
        page_size_max=numbers[3],
        retention_days=numbers[4],
        job_timeout_seconds=timeout,
        pseudonym_key_hex=key,
        models_root=Path(data_dir) / "m",
    )
    for variable in FIELD_OF:  # the examples share one environment
        monkeypatch.delenv(variable, raising=False)
    for variable, value in given_settings.environment().items():
        monkeypatch.setenv(variable, value)
    assert _worker_settings() == given_settings


def _speakers_after_upload(data_dir: Path, monkeypatch: pytest.MonkeyPatch, key: str | None) -> set[str]:
    """Upload one meeting through the API, run the worker's main on it, and read the stored speakers."""
    monkeypatch.setenv("MOKSORI_DATA_DIR", str(data_dir))
    if key is None:
        monkeypatch.delenv("MOKSORI_PSEUDONYM_KEY", raising=False)
    else:
        monkeypatch.setenv("MOKSORI_PSEUDONYM_KEY", key)
    with TestClient(create_app()) as client:
        engine = client.app.state.context.engine  # type: ignore[attr-defined]
        with engine.begin() as connection:
            agency = connection.execute(agencies.insert().values(name="경남테크노파크")).inserted_primary_key[0]
        staff = keys.create_key(engine, "staff", agency, "staff", None)[1]
        response = client.post(
            "/api/v1/uploads",
            headers={"Authorization": f"Bearer {staff}"},
            files={"file": ("minutes.txt", MINUTES.encode())},
            data={"title": "가명 시험", "date": "2024-07-09"},
        )
        assert response.status_code == 202, response.text
    assert main(["--max-jobs", "1", "--poll-seconds", "0"]) == 0
    connection = sqlite3.connect(data_dir / "moksori.db")
    try:
        return {row[0] for row in connection.execute("SELECT speaker FROM units WHERE speaker LIKE '화자-%'")}
    finally:
        connection.close()


def test_settings_pseudonym_key_variable_sets_the_service_pseudonyms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = "11" * 32, "22" * 32
    with_first = _speakers_after_upload(tmp_path / "a", monkeypatch, first)
    assert with_first and with_first == _speakers_after_upload(tmp_path / "b", monkeypatch, first)
    with_second = _speakers_after_upload(tmp_path / "d", monkeypatch, second)
    assert with_second and with_second.isdisjoint(with_first)
    assert pseudonym("이OO", bytes.fromhex(first)) in with_first
    from_file = _speakers_after_upload(tmp_path / "c", monkeypatch, None)  # no variable: the data folder's key file
    assert (tmp_path / "c" / "pseudonym.key").exists()
    assert from_file.isdisjoint(with_first | with_second)
