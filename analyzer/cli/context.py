"""What every command needs from its surroundings: the pseudonym key, the model, the database, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from analyzer.errors import AnalyzerError

if TYPE_CHECKING:
    from analyzer.settings import Settings


def settings(data_dir: Path | None = None, database_url: str | None = None, **flags: object) -> Settings:
    """The environment's settings, overridden by the command's flags (``None``: the flag was not given; the
    settings are imported here, so that a command starts Kiwi before it pays for pydantic)."""
    from analyzer.settings import Settings

    return Settings.from_env(data_dir=data_dir, database_url=database_url, **flags)


def pseudonym_key() -> bytes:
    """``MOKSORI_PSEUDONYM_KEY`` (hex), else the key file under ``MOKSORI_HOME`` (created once)."""
    return settings().pseudonym_key("cli")


def models_root(root: Path | None) -> Path:
    """*root* (``--models-root``), else ``MOKSORI_MODELS_ROOT``, else ``<data dir>/models``."""
    return settings(models_root=root).effective_models_root


def model_dir(model: Path | None) -> Path:
    """*model*, else the deployed model's directory (``model_not_found`` when the pointer is bad)."""
    from analyzer.services.deployed import DeployedWatcher

    return model or DeployedWatcher(models_root(None)).directory()


def refusal_text(error: AnalyzerError, subject: str = "") -> str:
    """``오류[code]: subject: message``, the one plain form of a refusal."""
    where = f"{subject}: " if subject else ""
    return f"오류[{error.code}]: {where}{error.message}"


def fail(error: AnalyzerError, as_json: bool = False) -> NoReturn:
    """Print *error* (Korean text, or ``{"code", "message"}`` with ``--json``) and exit with status 2."""
    if as_json:
        typer.echo(json.dumps(error.as_dict(), ensure_ascii=False))
    else:
        typer.echo(refusal_text(error), err=True)
    raise typer.Exit(code=2)


def engine(data_dir: Path | None, database_url: str | None) -> Any:
    """A migrated engine on the configured database (the data directory is created if missing)."""
    from analyzer.store.engine import make_engine
    from analyzer.store.migrate import migrate

    configured = settings(data_dir, database_url)
    configured.data_dir.mkdir(parents=True, exist_ok=True)
    made = make_engine(configured.effective_database_url)
    migrate(made)
    return made
