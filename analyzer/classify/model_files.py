"""The files of a saved model, and what can be read from them without loading it (no NumPy, SciPy or skops).

A model folder holds ``model.skops`` (the source of truth), the taxonomy it was trained on and, usually, its export
for inference (:mod:`analyzer.classify.export`): ``inference.json`` and ``inference.npz``. The export is current
when the SHA-256 it records is the skops file's. :func:`model_identity` gives a model's version and taxonomy from
a current export's settings alone, so a process that only splits texts (and leaves tagging to another) never
loads the classifiers.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from analyzer.errors import AnalyzerError
from analyzer.taxonomy import Taxonomy, load_taxonomy

MODEL_FILE = "model.skops"
#: The taxonomy the model was trained on, as a taxonomy file (a model without one was trained on the default).
TAXONOMY_FILE = "taxonomy.yaml"
EXPORT_META, EXPORT_ARRAYS, EXPORT_FORMAT = "inference.json", "inference.npz", 1
LOG = logging.getLogger(__name__)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def model_taxonomy(directory: Path) -> Taxonomy:
    """The taxonomy file saved with a model (the default taxonomy when it has none)."""
    path = Path(directory) / TAXONOMY_FILE
    return load_taxonomy(path if path.is_file() else None)


def current_export(directory: Path) -> tuple[dict[str, Any], Taxonomy] | None:
    """The export settings of the model in *directory* and its taxonomy, or None when there is no export or it
    was not derived from the ``model.skops`` now there (its SHA-256 differs); ``model_invalid`` when the export
    was made for another taxonomy."""
    directory = Path(directory)
    meta_path, arrays_path, model_path = (directory / f for f in (EXPORT_META, EXPORT_ARRAYS, MODEL_FILE))
    if not (meta_path.is_file() and arrays_path.is_file() and model_path.is_file()):
        return None
    meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != EXPORT_FORMAT or meta["source"]["sha256"] != file_sha256(model_path):
        LOG.warning("stale model export in %s: loading %s", directory.name, MODEL_FILE)
        return None
    taxonomy = model_taxonomy(directory)
    if taxonomy.fingerprint != meta["taxonomy_fingerprint"]:
        raise AnalyzerError("model_invalid", f"{TAXONOMY_FILE} is not the taxonomy the model was trained on")
    return meta, taxonomy


def model_identity(directory: Path) -> tuple[str, Taxonomy]:
    """The model version (``name/version``) and taxonomy of the model in *directory*: from its current export's
    settings, else by loading the model."""
    found = current_export(directory)
    if found is not None:
        meta, taxonomy = found
        return f"{meta['name']}/{meta['version']}", taxonomy
    from analyzer.classify.compiled import load_predictor

    predictor = load_predictor(directory)
    return predictor.model_version, predictor.taxonomy
