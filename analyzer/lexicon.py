"""The curated category lexicon (terms and synonyms per category, cues per kind), used as features."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from analyzer.errors import AnalyzerError


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Terms per label id; categories and kinds share one mapping (their ids never collide)."""

    terms: dict[str, tuple[str, ...]]

    def for_labels(self, label_ids: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        """Terms of the given labels, in that order; a label without terms gets none."""
        return {label: self.terms.get(label, ()) for label in label_ids}


def load_lexicon(path: Path | str | None = None) -> Lexicon:
    """Load a lexicon YAML (``categories:`` and ``kinds:`` mappings of id → terms)."""
    if path is None:
        text = resources.files("analyzer").joinpath("data/lexicon.yaml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict):
        raise AnalyzerError("taxonomy_invalid", "lexicon must be a mapping")
    terms: dict[str, tuple[str, ...]] = {}
    for section in ("categories", "kinds"):
        for label, entries in (raw.get(section) or {}).items():
            terms[str(label)] = tuple(dict.fromkeys(str(entry) for entry in entries or ()))
    return Lexicon(terms)
