"""Training on a changed taxonomy: corpus labels and stored corrections are carried over by the declared changes,
a category people started using is learnt from their corrections, and the model records the taxonomy."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from model_fixtures import GOOD, NAME, TinyModels, make_models_root, tiny_models
from taxonomy_fixtures import evolved, evolved_text
from test_classify_dataset import analysed
from typer.testing import CliRunner

from analyzer.classify import registry
from analyzer.classify.artefact import load_tagger
from analyzer.classify.deploy import deploy, deployments
from analyzer.cli import app
from analyzer.store import queries
from analyzer.store.engine import make_engine
from analyzer.store.migrate import migrate
from tests.store.rows import DEFAULT_TAXONOMY

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "units"
CORPUS_FILES = [CORPUS / "f_boundaries.jsonl", CORPUS / "g_boundaries.jsonl", CORPUS / "h_multi_need.jsonl"]
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
WORKFORCE = "현장 기능 인력이 자꾸 그만둬서 사람을 못 구합니다."
CARBON = "원청에서 제품 탄소 배출량을 산정해 오라고 하는데 방법을 모르겠습니다."


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """A database with corrections under both taxonomies, and the taxonomy file of version 2."""
    base = tmp_path_factory.mktemp("evolution")
    url = f"sqlite:///{base}/m.db"
    engine = make_engine(url)
    migrate(engine)
    new_key = evolved().key
    for texts, sha in ((CARBON_MEETING_A, "a"), (CARBON_MEETING_B, "b")):
        for unit_id, text in zip(analysed(engine, texts, sha), texts, strict=True):
            queries.add_correction(engine, unit_id, ["carbon_neutral"], KINDS[text], "검토자", taxonomy=new_key)
    (old,) = analysed(engine, ["지원사업 신청 서류가 너무 많아서 포기했습니다."], "c")
    queries.add_correction(engine, old, ["support_program"], "pain_point", "검토자", taxonomy=DEFAULT_TAXONOMY)
    engine.dispose()
    taxonomy_file = base / "taxonomy-v2.yaml"
    taxonomy_file.write_text(evolved_text(), encoding="utf-8")
    return {"base": base, "url": url, "taxonomy": taxonomy_file}


def _train(workspace: dict[str, Path | str], out: Path, *extra: str) -> str:
    corpus = [arg for path in CORPUS_FILES for arg in ("--corpus", str(path))]
    args = ["train", *corpus, "--taxonomy", str(workspace["taxonomy"]), "--out", str(out), "--cv-folds", "0", *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def with_corrections(workspace: dict[str, Path | str]) -> tuple[Path, str]:
    out = Path(workspace["base"]) / "models" / NAME / "3.0.0"
    return out, _train(workspace, out, "--database-url", str(workspace["url"]))


@pytest.mark.slow
def test_the_model_records_the_changed_taxonomy(with_corrections: tuple[Path, str]) -> None:
    out, output = with_corrections
    v2 = evolved()
    assert "moksori-default@2" in output and "교정 16건" in output
    tagger = load_tagger(out)
    assert tagger.category_ids == v2.category_ids and tagger.taxonomy == v2 and tagger.untrained == ()
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["taxonomy"]["version"] == 2
    assert metrics["taxonomy"]["changes"][0]["retire"] == ["regulation"]
    assert metrics["dataset"]["corrections"] == 16 and metrics["dataset"]["unmapped_corrections"] == 0
    assert set(metrics["held_out"]["categories"]["per_label"]) == set(v2.category_ids)
    assert "Changed from `moksori-default@1`" in (out / "card.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_new_category_is_learnt_from_peoples_corrections(with_corrections: tuple[Path, str], nlp) -> None:  # type: ignore[no-untyped-def]
    from analyzer.classify.train import with_morphs

    tagger = load_tagger(with_corrections[0])
    tags = tagger.predict(with_morphs(pd.DataFrame({"text": [CARBON, WORKFORCE]}), nlp))
    carbon, workforce = (row["carbon_neutral"] for row in tags["probabilities"])
    assert carbon > workforce
    assert "carbon_neutral" not in tags["categories"].iloc[1]


@pytest.mark.slow
def test_without_examples_a_new_category_is_listed_untrained_and_never_predicted(
    workspace: dict[str, Path | str],
    nlp,  # type: ignore[no-untyped-def]
) -> None:
    from analyzer.classify.train import with_morphs

    out = Path(workspace["base"]) / "no-db"
    output = _train(workspace, out)
    tagger = load_tagger(out)
    assert tagger.untrained == ("carbon_neutral",) and "carbon_neutral" in output
    assert "`carbon_neutral`" in (out / "card.md").read_text(encoding="utf-8")
    tags = tagger.predict(with_morphs(pd.DataFrame({"text": [CARBON, *CARBON_MEETING_A]}), nlp))
    assert not any("carbon_neutral" in row for row in tags["categories"])


@pytest.mark.slow
def test_deploying_scores_both_models_on_the_new_categories(
    with_corrections: tuple[Path, str],
    tmp_path: Path,
    nlp,  # type: ignore[no-untyped-def]
) -> None:
    import shutil

    models: TinyModels = tiny_models(nlp)
    root = make_models_root(tmp_path / "models", models)
    shutil.copytree(with_corrections[0], root / NAME / "3.0.0")

    result = deploy(root, NAME, "3.0.0", models.frame, tolerance=1.0)

    comparison = result["comparison"]
    assert comparison["taxonomy"] == "moksori-default@2"
    assert set(comparison["current"]["per_label"]) == set(evolved().category_ids)
    assert comparison["current"]["per_label"]["carbon_neutral"] == 0.0  # the old model cannot predict it
    assert comparison["current"]["model_version"] == f"{NAME}/{GOOD}"
    assert registry.deployed_dir(root) == root / NAME / "3.0.0"
    assert deployments(root)[-1]["taxonomy"] == "moksori-default@2"
