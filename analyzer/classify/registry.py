"""Model versions side by side under ``models/<name>/<version>/`` and which one is deployed."""

from __future__ import annotations

import json
from pathlib import Path

from analyzer.errors import AnalyzerError

DEPLOYED_FILE = "deployed.json"


def default_models_root() -> Path:
    """The ``models/`` folder of the source tree, which holds the shipped model."""
    return Path(__file__).resolve().parents[2] / "models"


def deployed_dir(root: Path) -> Path:
    """The directory of the deployed model version."""
    try:
        pointer = json.loads((root / DEPLOYED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AnalyzerError("model_not_found", str(root / DEPLOYED_FILE)) from exc
    directory = root / pointer["name"] / pointer["version"]
    if not directory.is_dir():
        raise AnalyzerError("model_not_found", f"{pointer['name']}/{pointer['version']}")
    return directory


def set_deployed(root: Path, name: str, version: str) -> None:
    """Point ``deployed.json`` at a version, atomically."""
    tmp = root / (DEPLOYED_FILE + ".tmp")
    tmp.write_text(json.dumps({"name": name, "version": version}, indent=2) + "\n", encoding="utf-8")
    tmp.replace(root / DEPLOYED_FILE)


def versions(root: Path) -> list[tuple[str, str]]:
    """Every ``(name, version)`` that has a model file."""
    return sorted((p.parent.parent.name, p.parent.name) for p in root.glob("*/*/model.skops"))
