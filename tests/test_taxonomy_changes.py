"""Declared taxonomy changes: parsing, refusal of inconsistent steps, and mapping categories across versions."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from taxonomy_fixtures import evolved, evolved_text

from analyzer.errors import AnalyzerError
from analyzer.taxonomy import load_taxonomy, parse_taxonomy

V1 = load_taxonomy()


def test_an_evolved_taxonomy_records_its_steps_and_reads_back_equal() -> None:
    v2 = evolved()
    assert v2.key == "moksori-default@2" and v2.fingerprint != V1.fingerprint
    (step,) = v2.changes
    assert step.source == "moksori-default@1"
    assert step.add == ("carbon_neutral",) and step.retire == ("regulation",)
    assert parse_taxonomy(v2.to_yaml()) == v2
    assert v2.as_dict()["changes"][0]["merge"] == {"network_transition": ["collaboration", "industry_transition"]}


def test_each_kind_of_change_maps_as_declared() -> None:
    mapping = evolved().mapping_from(V1.key, V1.category_ids)
    assert mapping["support_program"] == ("program_operation",)  # renamed
    assert mapping["collaboration"] == mapping["industry_transition"] == ("network_transition",)  # merged
    assert mapping["regulation"] == ()  # retired
    assert mapping["workforce"] == ("workforce",)  # unchanged
    assert "carbon_neutral" not in {new for ids in mapping.values() for new in ids}  # added: nothing maps to it


def test_steps_compose_from_any_earlier_version() -> None:
    v3 = evolved(3)
    assert v3.remap(["collaboration", "regulation", "support_program"], V1.key) == ["program_operation", "ecosystem"]
    assert v3.remap(["network_transition", "carbon_neutral"], "moksori-default@2") == ["ecosystem", "carbon_neutral"]
    assert v3.remap(["ecosystem"], v3.key) == ["ecosystem"]


def test_a_taxonomy_with_no_declared_path_is_unmapped() -> None:
    with pytest.raises(AnalyzerError) as caught:
        evolved().remap(["workforce"], "gyeongbuk-tp@1")
    assert caught.value.code == "taxonomy_unmapped"
    with pytest.raises(AnalyzerError):
        V1.remap(["workforce"], evolved().key)  # changes only lead forward


def _with_changes(changes: object) -> str:
    raw = yaml.safe_load(evolved_text())
    raw["changes"] = changes
    return yaml.safe_dump(raw, allow_unicode=True)


STEP = {"from": "moksori-default@1", "add": ["carbon_neutral"], "retire": ["regulation"]}


@pytest.mark.parametrize(
    "changes",
    [
        "not a list",
        [{"add": ["carbon_neutral"]}],  # no 'from'
        [{**STEP, "from": "moksori-default"}],  # not name@version
        [{**STEP, "split": {"a": ["b"]}}],  # unknown operation
        [{**STEP, "rename": {"support_program": "nowhere"}}],  # target does not exist
        [{**STEP, "retire": ["workforce"]}],  # retires a category that still exists
        [{**STEP, "rename": {"regulation": "program_operation"}}],  # renamed and retired
        [{**STEP, "add": ["Carbon"]}],  # not snake_case
        [STEP, STEP],  # the same 'from' twice
        [{**STEP, "from": "moksori-default@2"}],  # a step from this very taxonomy
    ],
)
def test_inconsistent_changes_are_refused(changes: object) -> None:
    with pytest.raises(AnalyzerError) as caught:
        parse_taxonomy(_with_changes(changes))
    assert caught.value.code == "taxonomy_invalid"


@given(st.lists(st.sampled_from(V1.category_ids), unique=True))
def test_remapping_a_set_is_the_union_of_its_members(categories: list[str]) -> None:
    v3 = evolved(3)
    together = v3.remap(categories, V1.key)
    one_by_one = {new for category in categories for new in v3.remap([category], V1.key)}
    assert set(together) == one_by_one and set(together) <= set(v3.category_ids)
    assert together == [c for c in v3.category_ids if c in one_by_one]
