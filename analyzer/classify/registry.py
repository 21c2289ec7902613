"""Model versions side by side under ``<models root>/<name>/<version>/`` and which one is deployed.

Two places hold models. The *shipped* models (``models/`` of the source tree, installed as the ``moksori_models``
package) are read-only. An installation's *models root* (``MOKSORI_MODELS_ROOT``, else ``<data dir>/models``) is
where new versions are trained into and where a deployment writes ``deployed.json`` and ``deployments.jsonl``.
Every lookup in a models root falls back to the shipped models for what it does not hold: the shipped
``deployed.json`` is the pointer until a deployment writes one, and shipped versions can be deployed by name.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from analyzer.classify.model_files import MODEL_FILE
from analyzer.errors import AnalyzerError

DEPLOYED_FILE = "deployed.json"
SHIPPED_PACKAGE = "moksori_models"
MODELS_ROOT_ENV = "MOKSORI_MODELS_ROOT"


def shipped_models_root() -> Path:
    """The read-only models that ship with the package (``models/`` in a source checkout)."""
    return Path(str(resources.files(SHIPPED_PACKAGE)))


def default_models_root(data_dir: Path | None = None) -> Path:
    """``MOKSORI_MODELS_ROOT``, else ``<data dir>/models``; the data dir is *data_dir*, ``MOKSORI_DATA_DIR`` or
    ``./data``."""
    from analyzer.settings import Settings

    return Settings.from_env(data_dir=data_dir).effective_models_root


def _layers(root: Path) -> list[Path]:
    """*root*, then the shipped models (once, when *root* is not the shipped folder itself)."""
    shipped = shipped_models_root()
    return [Path(root)] if Path(root).resolve() == shipped.resolve() else [Path(root), shipped]


def pointer(root: Path) -> tuple[str, str] | None:
    """The deployed ``(name, version)``: *root*'s ``deployed.json``, else the shipped one; ``None`` when neither."""
    for layer in _layers(root):
        path = layer / DEPLOYED_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as exc:
            raise AnalyzerError("model_not_found", str(path)) from exc
        if not isinstance(data, dict) or not {"name", "version"} <= data.keys():
            raise AnalyzerError("model_not_found", str(path))
        return str(data["name"]), str(data["version"])
    return None


def version_dir(root: Path, name: str, version: str) -> Path:
    """The directory of ``name/version``: in *root* when it holds that version, else the shipped one."""
    for layer in _layers(root):
        directory = layer / name / version
        if (directory / MODEL_FILE).is_file():
            return directory
    raise AnalyzerError("model_not_found", f"{name}/{version}")


def deployed_dir(root: Path) -> Path:
    """The directory of the deployed model version."""
    deployed = pointer(root)
    if deployed is None:
        raise AnalyzerError("model_not_found", str(Path(root) / DEPLOYED_FILE))
    return version_dir(root, *deployed)


def set_deployed(root: Path, name: str, version: str) -> None:
    """Point *root*'s ``deployed.json`` at a version, atomically (the shipped pointer is never written)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / (DEPLOYED_FILE + ".tmp")
    tmp.write_text(json.dumps({"name": name, "version": version}, indent=2) + "\n", encoding="utf-8")
    tmp.replace(root / DEPLOYED_FILE)


def versions(root: Path) -> list[tuple[str, str]]:
    """Every ``(name, version)`` that has a model file, in *root* or shipped."""
    found = {(p.parent.parent.name, p.parent.name) for layer in _layers(root) for p in layer.glob(f"*/*/{MODEL_FILE}")}
    return sorted(found)
