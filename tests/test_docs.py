"""The README documents every error code and every command."""

from __future__ import annotations

from pathlib import Path

from analyzer.cli import app
from analyzer.errors import CATALOGUE

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_error_code_is_documented() -> None:
    for code, message in CATALOGUE.items():
        assert f"| `{code}` | {message} |" in README


def test_every_command_is_documented() -> None:
    for command in app.registered_commands:
        assert f"moksori {command.name or command.callback.__name__}" in README  # type: ignore[union-attr]
    for group in app.registered_groups:  # sub-apps (keys, agencies, models, corrections): each of their commands
        assert group.typer_instance is not None and group.typer_instance.registered_commands
        for command in group.typer_instance.registered_commands:
            assert f"moksori {group.name} {command.name}" in README, (group.name, command.name)


def test_every_service_setting_is_documented() -> None:
    from analyzer.settings import Settings

    for name in Settings.model_fields:
        assert f"`{Settings.variable(name)}`" in README, name


def test_every_api_problem_code_is_documented() -> None:
    from api.problems import API_CODES

    for code, (status, detail) in API_CODES.items():
        assert f"| `{code}` | {status} | {detail} |" in README
