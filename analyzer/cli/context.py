"""What every command needs from its surroundings: the pseudonym key, the model, the database, refusals."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NoReturn

import typer

from analyzer.errors import AnalyzerError


def home() -> Path:
    """``MOKSORI_HOME``, where the pseudonym key file lives."""
    return Path(os.environ.get("MOKSORI_HOME", Path.home() / ".config" / "moksori"))


def pseudonym_key() -> bytes:
    """``MOKSORI_PSEUDONYM_KEY`` (hex), else the key file under :func:`home` (created once)."""
    from analyzer.secrets import load_or_create_key

    env = os.environ.get("MOKSORI_PSEUDONYM_KEY")
    return bytes.fromhex(env) if env else load_or_create_key(home() / "pseudonym.key")


def models_root(root: Path | None) -> Path:
    """*root*, else the registry's default models root."""
    from analyzer.classify.registry import default_models_root

    return root or default_models_root()


def model_dir(model: Path | None) -> Path:
    """*model*, else the deployed model's directory."""
    from analyzer.classify.registry import deployed_dir

    return model or deployed_dir(models_root(None))


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


def settings(data_dir: Path | None, database_url: str | None) -> Any:
    """The service settings with the command's ``--data-dir`` and ``--database-url``."""
    from api.settings import Settings

    return Settings.from_env(data_dir=data_dir, database_url=database_url)


def engine(data_dir: Path | None, database_url: str | None) -> Any:
    """A migrated engine on the configured database (the data directory is created if missing)."""
    from analyzer.store.engine import make_engine
    from analyzer.store.migrate import migrate

    configured = settings(data_dir, database_url)
    configured.data_dir.mkdir(parents=True, exist_ok=True)
    made = make_engine(configured.effective_database_url)
    migrate(made)
    return made
