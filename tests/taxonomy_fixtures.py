"""An agency's evolved taxonomy, written as a real taxonomy file: version 2 of the default one with a category
added, one renamed, two merged and one retired, and version 3 that renames the merged one again."""

from __future__ import annotations

from typing import Any

import yaml

from analyzer.taxonomy import Taxonomy, load_taxonomy, parse_taxonomy

STEP_1_TO_2: dict[str, Any] = {
    "from": "moksori-default@1",
    "add": ["carbon_neutral"],
    "rename": {"support_program": "program_operation"},
    "merge": {"network_transition": ["collaboration", "industry_transition"]},
    "retire": ["regulation"],
}
STEP_2_TO_3: dict[str, Any] = {"from": "moksori-default@2", "rename": {"network_transition": "ecosystem"}}
NEW_LABELS = {
    "carbon_neutral": ("탄소중립 대응", "탄소 배출 규제 대응, 공정 전환, 탄소 발자국 산정, RE100 요구"),
    "program_operation": ("지원사업 운영", "지원사업의 자격·선정, 서류, 기간, 후속 지원, 정보 부족"),
    "network_transition": ("협력·신산업 전환", "산학연·공급망 협력과 신산업으로의 전환"),
    "ecosystem": ("산업 생태계", "산학연·공급망 협력과 신산업으로의 전환"),
}


def _file(version: int, changes: list[dict[str, Any]], renames: dict[str, str], drop: set[str]) -> str:
    raw = load_taxonomy().as_dict()
    categories = []
    for item in raw["categories"]:  # type: ignore[union-attr]
        if item["id"] in drop:
            continue
        new = renames.get(item["id"], item["id"])
        label, description = NEW_LABELS.get(new, (item["label"], item["description"]))
        categories.append({"id": new, "label": label, "description": description})
    label, description = NEW_LABELS["carbon_neutral"]
    categories.append({"id": "carbon_neutral", "label": label, "description": description})
    body = {"name": "moksori-default", "version": version, "categories": categories, "kinds": raw["kinds"]}
    return yaml.safe_dump({**body, "changes": changes}, allow_unicode=True, sort_keys=False)


def evolved_text(version: int = 2) -> str:
    """The file text of version 2 (or 3) of the default taxonomy."""
    merged = "network_transition" if version == 2 else "ecosystem"
    renames = {"support_program": "program_operation", "collaboration": merged}
    drop = {"regulation", "industry_transition"}
    changes = [STEP_1_TO_2] if version == 2 else [STEP_1_TO_2, STEP_2_TO_3]
    return _file(version, changes, renames, drop)


def evolved(version: int = 2) -> Taxonomy:
    return parse_taxonomy(evolved_text(version))
