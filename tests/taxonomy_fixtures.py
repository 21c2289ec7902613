"""An agency's evolved taxonomy, written as a real taxonomy file: version 2 of the default one with a category
added, one renamed, two merged and one retired, and version 3 that renames the merged one again; and a database of
people's corrections made under versions 1 and 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from analyzer.store import queries
from analyzer.store.engine import make_engine
from analyzer.store.migrate import migrate
from analyzer.taxonomy import Taxonomy, load_taxonomy, parse_taxonomy
from tests.store.rows import DEFAULT_TAXONOMY
from tests.store.stored import analysed

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


#: What people at two carbon-neutrality roundtables said; each was corrected to the new category.
CARBON_MEETING_A = [
    "유럽 고객사에서 제품별 탄소 배출량 자료를 내라고 하는데 저희는 산정할 방법을 모릅니다.",
    "탄소국경조정제도 때문에 내년부터 수출 물량에 비용이 붙는다고 해서 걱정이 큽니다.",
    "RE100 맞추라는 요구가 원청에서 내려오는데 중소기업이 재생에너지를 어디서 사나요.",
    "온실가스 배출량 측정하는 컨설팅 비용이 한 번에 수천만 원이라 엄두가 안 납니다.",
    "열처리로를 전기로로 바꾸면 탄소는 줄지만 전기요금이 감당이 안 됩니다.",
    "탄소 발자국 인증을 받으려면 협력사 데이터까지 모아야 해서 너무 복잡합니다.",
    "저탄소 공정 전환 설비에 대한 보조를 늘려 주셨으면 합니다.",
    "배출권 거래제 대상은 아니지만 납품처에서 감축 실적을 요구합니다.",
]
CARBON_MEETING_B = [
    "태양광 설치하려고 해도 공장 지붕이 임차라서 건물주 동의를 못 받았어요.",
    "탄소중립 관련 지원사업이 어디 있는지 한 곳에서 안내받고 싶습니다.",
    "스코프3 배출량 산정 교육을 지역에서도 열어 주시면 좋겠습니다.",
    "공정 가스를 대체 물질로 바꾸는 실증을 같이 해 볼 수 있으면 합니다.",
    "고객사 탄소 감축 목표 때문에 단가 협상에서 불리해지고 있습니다.",
    "에너지 진단 받고 나서 폐열 회수 설비를 넣었더니 연료비가 줄었습니다.",
    "전과정평가 데이터베이스가 국내 소재에는 없어서 해외 기본값을 씁니다.",
]
REQUESTS = {CARBON_MEETING_A[6], CARBON_MEETING_B[1], CARBON_MEETING_B[2], CARBON_MEETING_B[3]}
KINDS = {
    text: "request" if text in REQUESTS else "positive" if "줄었습니다" in text else "pain_point"
    for text in CARBON_MEETING_A + CARBON_MEETING_B
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


def corrections_database(directory: Path) -> str:
    """A database with corrections under both taxonomies: 15 to the new category, one under the old taxonomy."""
    url = f"sqlite:///{directory}/m.db"
    engine = make_engine(url)
    migrate(engine)
    new_key = evolved().key
    for texts, sha in ((CARBON_MEETING_A, "a"), (CARBON_MEETING_B, "b")):
        for unit_id, text in zip(analysed(engine, texts, sha), texts, strict=True):
            queries.add_correction(engine, unit_id, ["carbon_neutral"], KINDS[text], "검토자", taxonomy=new_key)
    (old,) = analysed(engine, ["지원사업 신청 서류가 너무 많아서 포기했습니다."], "c")
    queries.add_correction(engine, old, ["support_program"], "pain_point", "검토자", taxonomy=DEFAULT_TAXONOMY)
    engine.dispose()
    return url
