"""Deploying a model version: score it against the deployed one on the same held-out units, refuse a worse one.

Both models are scored on ONE evaluation frame (the corpus test split, see :func:`evaluation_frame`), so the
deltas compare like with like. When the candidate was trained on a changed taxonomy, the frame's labels and the
current model's predictions are carried over to the candidate's taxonomy by its declared changes, so both are
scored on the candidate's categories. A deployment moves the models root's ``deployed.json`` atomically and appends
a line to ``deployments.jsonl`` next to it; the shipped models are only read (see :mod:`analyzer.classify.registry`).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.language import Language

from analyzer.classify import registry
from analyzer.classify.artefact import load_tagger
from analyzer.classify.evaluate import in_taxonomy, score
from analyzer.classify.tagger import Tagger
from analyzer.corpus import relabelled
from analyzer.errors import AnalyzerError, Conflict
from analyzer.taxonomy import Taxonomy, load_taxonomy

DEPLOYMENTS_FILE = "deployments.jsonl"
DEFAULT_TOLERANCE = 0.01
#: Model names and versions are single path segments (no ``..``, no separators).
SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: Metrics a candidate may not lose more than the tolerance on.
GUARDED = ("micro_f1", "kind_accuracy")
_EPSILON = 1e-9


class DeployRefused(Conflict):
    """``deploy_refused`` that also carries the comparison behind the decision."""

    def __init__(self, detail: str, comparison: dict[str, Any]) -> None:
        super().__init__("deploy_refused", detail)
        self.comparison = comparison


def default_corpus() -> Path:
    """The shipped corpus (``corpora/units`` in a source checkout, the ``moksori_corpus`` package when installed)."""
    return Path(str(resources.files("moksori_corpus"))) / "units"


def evaluation_frame(nlp: Language, taxonomy: Taxonomy | None = None, corpus: list[Path] | None = None) -> pd.DataFrame:
    """The shared evaluation set: the corpus test split (document-grouped), with ``morphs``, labelled under
    *taxonomy* (the default taxonomy, which the shipped corpus uses)."""
    from analyzer.classify.train import with_morphs
    from analyzer.corpus import load_corpus

    frame = load_corpus(corpus or [default_corpus()], taxonomy or load_taxonomy())
    test = frame[frame["split"] == "test"].reset_index(drop=True)
    return with_morphs(test, nlp)


def _scores(tagger: Tagger, frame: pd.DataFrame, target: Taxonomy) -> dict[str, Any]:
    frame = frame.reset_index(drop=True)
    predicted = in_taxonomy(tagger.predict(frame).reset_index(drop=True), tagger.taxonomy, target)
    result = score(frame, predicted, target.category_ids)
    return {
        "model_version": tagger.model_version,
        "micro_f1": result["categories"]["micro_f1"],
        "macro_f1": result["categories"]["macro_f1"],
        "kind_accuracy": result["kind"]["accuracy"],
        "per_label": {label: m["f1"] for label, m in result["categories"]["per_label"].items()},
    }


def _delta(candidate: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: round(candidate[k] - current[k], 4) for k in ("micro_f1", "macro_f1", "kind_accuracy")},
        "per_label": {
            label: round(f1 - current["per_label"].get(label, 0.0), 4) for label, f1 in candidate["per_label"].items()
        },
    }


def compare_taggers(
    candidate: Tagger, current: Tagger, frame: pd.DataFrame, labels: Taxonomy | None = None
) -> dict[str, Any]:
    """Scores of both taggers on the same frame and the deltas (candidate minus current).

    *frame* is labelled under *labels* (default: the default taxonomy). Labels and the current model's predictions
    are carried over to the candidate's taxonomy; ``taxonomy_unmapped`` when its changes do not lead from them.
    """
    if frame.empty:
        raise AnalyzerError("corpus_invalid", "empty evaluation set")
    target = candidate.taxonomy
    truth = relabelled(frame, target, labels or load_taxonomy())
    scored_candidate, scored_current = _scores(candidate, truth, target), _scores(current, truth, target)
    return {
        "taxonomy": target.key,
        "n": len(frame),
        "documents": int(frame["doc"].nunique()) if "doc" in frame else None,
        "candidate": scored_candidate,
        "current": scored_current,
        "delta": _delta(scored_candidate, scored_current),
    }


def compare(candidate_dir: Path, current_dir: Path, frame: pd.DataFrame) -> dict[str, Any]:
    """Score the model of *candidate_dir* and of *current_dir* on the same evaluation *frame*.

    Per-label F1, category micro/macro F1 and kind accuracy of both, and ``delta`` = candidate − current.
    """
    return compare_taggers(load_tagger(Path(candidate_dir)), load_tagger(Path(current_dir)), frame)


def regressions(comparison: dict[str, Any], tolerance: float) -> list[str]:
    """The guarded metrics on which the candidate is worse than the current model by more than *tolerance*."""
    return [k for k in GUARDED if comparison["delta"][k] < -tolerance - _EPSILON]


def _candidate_dir(root: Path, name: str, version: str) -> Path:
    if not (SEGMENT.match(name) and SEGMENT.match(version)) or ".." in name or ".." in version:
        raise AnalyzerError("model_not_found", f"{name}/{version}")
    return registry.version_dir(root, name, version)


def _current(root: Path) -> tuple[tuple[str, str], Path] | None:
    """The deployed ``(name, version)`` and directory (the shipped pointer until a deployment), or ``None``."""
    deployed = registry.pointer(root)
    if deployed is None:
        return None
    return deployed, registry.version_dir(root, *deployed)


_LABELS = {"micro_f1": "범주 micro F1", "kind_accuracy": "유형 정확도"}


def deploy(
    root: Path,
    name: str,
    version: str,
    frame: pd.DataFrame,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    force: bool = False,
    labels: Taxonomy | None = None,
) -> dict[str, Any]:
    """Deploy ``root/name/version`` if it is not worse than the deployed model by more than *tolerance*.

    *frame* is labelled under *labels* (default: the default taxonomy). A candidate on a changed taxonomy is scored
    on its own categories (see :func:`compare_taggers`). Raises ``model_not_found`` (no such version),
    ``taxonomy_unmapped`` (the candidate's taxonomy declares no path from the current one or from the labels) and
    :class:`DeployRefused` (``deploy_refused``) when category micro F1 or kind accuracy drops by more than
    *tolerance*, unless *force*. On success ``deployed.json`` points at the version and a line is appended to
    ``deployments.jsonl``; stored corrections are carried over separately (``store.corrections.remap_corrections``).
    """
    root = Path(root)
    candidate = load_tagger(_candidate_dir(root, name, version))
    current = _current(root)
    comparison: dict[str, Any] | None = None
    worse: list[str] = []
    previous = None
    if current is not None:
        (current_name, current_version), current_dir = current
        previous = f"{current_name}/{current_version}"
        comparison = compare_taggers(candidate, load_tagger(current_dir), frame, labels)
        worse = regressions(comparison, tolerance)
        if worse and not force:
            detail = ", ".join(
                f"{_LABELS[k]} {comparison['current'][k]:.4f} → {comparison['candidate'][k]:.4f}" for k in worse
            )
            raise DeployRefused(f"{detail}; 허용 차이 {tolerance:.4f}", comparison)
    registry.set_deployed(root, name, version)
    record = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "from": previous,
        "to": f"{name}/{version}",
        "taxonomy": candidate.taxonomy.key,
        "n": comparison["n"] if comparison else 0,
        "delta": {k: v for k, v in comparison["delta"].items() if k != "per_label"} if comparison else None,
        "regressions": worse,
        "tolerance": tolerance,
        "forced": bool(force),
    }
    with (root / DEPLOYMENTS_FILE).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {
        "deployed": f"{name}/{version}",
        "previous": previous,
        "forced": bool(force),
        "regressions": worse,
        "comparison": comparison,
    }


def deployments(root: Path) -> list[dict[str, Any]]:
    """Every recorded deployment, oldest first."""
    path = Path(root) / DEPLOYMENTS_FILE
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
