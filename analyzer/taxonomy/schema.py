"""The taxonomy file: categories and statement kinds, with the changes that led to this version."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from analyzer.errors import AnalyzerError
from analyzer.taxonomy.changes import ID, Change, chain_mapping, parse_changes

DEFAULT_KINDS = ("pain_point", "request", "positive", "neutral")


@dataclass(frozen=True, slots=True)
class Label:
    """One category or kind: a stable id, a Korean label and a description."""

    id: str
    label: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Categories (multi-label) and kinds (exactly one per unit)."""

    name: str
    version: int
    categories: tuple[Label, ...]
    kinds: tuple[Label, ...]
    changes: tuple[Change, ...] = ()

    @property
    def key(self) -> str:
        """``name@version``: what stored taggings and corrections record, so that they are never mixed."""
        return f"{self.name}@{self.version}"

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(label.id for label in self.categories)

    @property
    def kind_ids(self) -> tuple[str, ...]:
        return tuple(label.id for label in self.kinds)

    def label_of(self, label_id: str) -> str:
        for label in (*self.categories, *self.kinds):
            if label.id == label_id:
                return label.label
        raise KeyError(label_id)

    @property
    def fingerprint(self) -> str:
        """Hash of the ids a model depends on (labels and descriptions may be reworded freely)."""
        payload = json.dumps([self.name, self.category_ids, self.kind_ids], ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "version": self.version,
            "key": self.key,
            "fingerprint": self.fingerprint,
            "categories": [vars_of(label) for label in self.categories],
            "kinds": [vars_of(label) for label in self.kinds],
            "changes": [change.as_dict() for change in self.changes],
        }

    def to_yaml(self) -> str:
        """The taxonomy as a file :func:`parse_taxonomy` reads back to an equal taxonomy."""
        body = {k: v for k, v in self.as_dict().items() if k not in {"key", "fingerprint"} and v != []}
        return yaml.safe_dump(body, allow_unicode=True, sort_keys=False)

    def mapping_from(self, key: str, old_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Where each category of the taxonomy *key* (``name@version``) lands in this one, by the declared changes.

        ``taxonomy_unmapped`` when the changes do not start from *key*.
        """
        return chain_mapping(self.changes, key, self.key, old_ids, self.category_ids)

    def remap(self, categories: Iterable[str], key: str) -> list[str]:
        """*categories* labelled under taxonomy *key*, as this taxonomy's ids (in this taxonomy's order)."""
        return self.remap_rows([categories], key)[0]

    def remap_rows(self, rows: Iterable[Iterable[str]], key: str) -> list[list[str]]:
        """:meth:`remap` of every row, with the mapping worked out once for all of them."""
        rows = [list(row) for row in rows]
        mapping = self.mapping_from(key, {old for row in rows for old in row})
        landed = [{new for old in row for new in mapping[old]} for row in rows]
        return [[c for c in self.category_ids if c in found] for found in landed]


def vars_of(label: Label) -> dict[str, str]:
    return {"id": label.id, "label": label.label, "description": label.description}


def _labels(raw: object, section: str) -> tuple[Label, ...]:
    if not isinstance(raw, list) or not raw:
        raise AnalyzerError("taxonomy_invalid", f"'{section}' must be a non-empty list")
    labels = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item.get("label"):
            raise AnalyzerError("taxonomy_invalid", f"every entry of '{section}' needs an id and a label")
        if not ID.match(item["id"]):
            raise AnalyzerError("taxonomy_invalid", f"id {item['id']!r} must be snake_case ASCII")
        labels.append(Label(item["id"], str(item["label"]), str(item.get("description", ""))))
    ids = [label.id for label in labels]
    if len(set(ids)) != len(ids):
        raise AnalyzerError("taxonomy_invalid", f"duplicate ids in '{section}'")
    return tuple(labels)


def parse_taxonomy(text: str) -> Taxonomy:
    """Parse taxonomy YAML; anything malformed raises ``taxonomy_invalid``."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AnalyzerError("taxonomy_invalid", "YAML syntax error") from exc
    if not isinstance(raw, dict):
        raise AnalyzerError("taxonomy_invalid", "top level must be a mapping")
    name, version = raw.get("name"), raw.get("version")
    if not isinstance(name, str) or not name or not isinstance(version, int):
        raise AnalyzerError("taxonomy_invalid", "'name' (text) and 'version' (integer) are required")
    categories = _labels(raw.get("categories"), "categories")
    kinds = _labels(raw.get("kinds"), "kinds")
    if {label.id for label in categories} & {label.id for label in kinds}:
        raise AnalyzerError("taxonomy_invalid", "a kind id repeats a category id")
    if "@" in name or not name.strip() == name:
        raise AnalyzerError("taxonomy_invalid", "'name' may not contain '@' or surrounding spaces")
    changes = parse_changes(raw.get("changes"), f"{name}@{version}", (label.id for label in categories))
    return Taxonomy(name=name, version=version, categories=categories, kinds=kinds, changes=changes)


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """Load a taxonomy file, or the default one shipped with the package."""
    if path is None:
        text = resources.files("analyzer").joinpath("data/taxonomy.yaml").read_text(encoding="utf-8")
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise AnalyzerError("taxonomy_invalid", f"cannot read {Path(path).name}") from exc
    return parse_taxonomy(text)
