"""Taxonomy files: the default ships with the package, agencies bring their own, malformed ones are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.errors import AnalyzerError
from analyzer.taxonomy import load_taxonomy, parse_taxonomy

SHARED_TAXONOMY = Path(__file__).resolve().parents[2] / "shared" / "taxonomy.md"


def test_default_taxonomy_has_the_documented_ids() -> None:
    taxonomy = load_taxonomy()
    assert len(taxonomy.category_ids) == 11
    assert taxonomy.kind_ids == ("pain_point", "request", "positive", "neutral")
    assert taxonomy.label_of("export_channels") == "수출·판로 개척"
    if SHARED_TAXONOMY.exists():
        text = SHARED_TAXONOMY.read_text(encoding="utf-8")
        assert all(f"| {label_id} |" in text for label_id in taxonomy.category_ids)


def test_agency_taxonomy_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: city-x\nversion: 2\ncategories:\n  - {id: roads, label: 도로, description: 산단 도로}\n"
        "kinds:\n  - {id: pain_point, label: 애로}\n  - {id: request, label: 건의}\n",
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(path)
    assert taxonomy.category_ids == ("roads",) and taxonomy.version == 2
    assert taxonomy.fingerprint != load_taxonomy().fingerprint


@pytest.mark.parametrize(
    "text",
    [
        "name: [unclosed",
        "- just a list",
        "version: 1\ncategories: []\nkinds: []",
        "name: x\nversion: one\ncategories: [{id: a, label: 가}]\nkinds: [{id: k, label: 나}]",
        "name: x\nversion: 1\ncategories: []\nkinds: [{id: k, label: 나}]",
        "name: x\nversion: 1\ncategories: [{id: Bad-Id, label: 가}]\nkinds: [{id: k, label: 나}]",
        "name: x\nversion: 1\ncategories: [{id: a, label: 가}, {id: a, label: 다}]\nkinds: [{id: k, label: 나}]",
        "name: x\nversion: 1\ncategories: [{id: a}]\nkinds: [{id: k, label: 나}]",
        "name: x\nversion: 1\ncategories: [{id: a, label: 가}]\nkinds: [{id: a, label: 나}]",
    ],
)
def test_malformed_taxonomy_is_refused(text: str) -> None:
    with pytest.raises(AnalyzerError) as caught:
        parse_taxonomy(text)
    assert caught.value.code == "taxonomy_invalid"
    assert caught.value.message.startswith("분류 체계")


def test_unreadable_taxonomy_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AnalyzerError):
        load_taxonomy(tmp_path / "missing.yaml")
