"""Saving and loading a Tagger with skops (never pickle or joblib for shipped artefacts); saving also writes the
export analysis loads (:mod:`analyzer.classify.export`)."""

from __future__ import annotations

from pathlib import Path

import skops.io as sio

from analyzer.classify.export import export_tagger
from analyzer.classify.model_files import MODEL_FILE, TAXONOMY_FILE, model_taxonomy
from analyzer.classify.tagger import Tagger
from analyzer.errors import AnalyzerError

__all__ = ["MODEL_FILE", "TAXONOMY_FILE", "load_tagger", "model_taxonomy", "save_tagger"]
#: Modules whose types a model file may contain; anything else is refused before loading.
TRUSTED_PREFIXES = ("sklearn.", "numpy", "scipy.", "analyzer.", "builtins.", "collections.", "re.")


def save_tagger(tagger: Tagger, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILE
    state = {
        "features": tagger.features,
        "categories": tagger.categories,
        "kind": tagger.kind,
        "kind_features": tagger.kind_features,
        "category_features": tagger.category_features,
        "abstention": tagger.abstention,
        "meta": {
            "category_ids": list(tagger.category_ids),
            "kind_ids": list(tagger.kind_ids),
            "taxonomy_name": tagger.taxonomy.name,
            "taxonomy_fingerprint": tagger.taxonomy.fingerprint,
            "name": tagger.name,
            "version": tagger.version,
            "margin": tagger.margin,
            "untrained": list(tagger.untrained),
        },
    }
    taxonomy_tmp = directory / (TAXONOMY_FILE + ".tmp")
    taxonomy_tmp.write_text(tagger.taxonomy.to_yaml(), encoding="utf-8")
    taxonomy_tmp.replace(directory / TAXONOMY_FILE)
    tmp = path.with_suffix(".skops.tmp")
    sio.dump(state, tmp)
    tmp.replace(path)
    export_tagger(tagger, directory)  # the arrays analysis loads (derived from, and checked against, this file)
    return path


def load_tagger(directory: Path) -> Tagger:
    """Load a model directory; types outside the trusted modules are refused (``model_invalid``)."""
    path = Path(directory) / MODEL_FILE
    if not path.is_file():
        raise AnalyzerError("model_not_found", str(Path(directory).name))
    try:
        untrusted = sio.get_untrusted_types(file=path)
        refused = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES)]
        if refused:
            raise AnalyzerError("model_invalid", f"untrusted types: {', '.join(refused[:3])}")
        state = sio.load(path, trusted=untrusted)
    except AnalyzerError:
        raise
    except Exception as exc:
        raise AnalyzerError("model_invalid", type(exc).__name__) from exc
    meta = state["meta"]
    taxonomy = model_taxonomy(directory)
    if taxonomy.fingerprint != meta["taxonomy_fingerprint"]:
        raise AnalyzerError("model_invalid", f"{TAXONOMY_FILE} is not the taxonomy the model was trained on")
    return Tagger(
        features=state["features"],
        categories=state["categories"],
        kind=state["kind"],
        category_ids=tuple(meta["category_ids"]),
        kind_ids=tuple(meta["kind_ids"]),
        taxonomy=taxonomy,
        name=meta["name"],
        version=meta["version"],
        margin=float(meta["margin"]),
        untrained=tuple(meta.get("untrained", ())),
        kind_features=state.get("kind_features"),  # absent from models before 1.1.0
        category_features=state.get("category_features"),
        abstention=state.get("abstention"),
    )
