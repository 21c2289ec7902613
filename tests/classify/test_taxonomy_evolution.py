"""Training on a changed taxonomy: corpus labels and stored corrections are carried over by the declared changes,
a category people started using is learnt from their corrections, and the model records the taxonomy."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from model_fixtures import GOOD, NAME, TinyModels, make_models_root, tiny_models
from taxonomy_fixtures import CARBON_MEETING_A, corrections_database, evolved, evolved_text
from typer.testing import CliRunner

from analyzer.classify import registry
from analyzer.classify.artefact import load_tagger
from analyzer.classify.deploy import deploy, deployments
from analyzer.cli import app

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "units"
CORPUS_FILES = [CORPUS / "f_boundaries.jsonl", CORPUS / "g_boundaries.jsonl", CORPUS / "h_multi_need.jsonl"]
WORKFORCE = "현장 기능 인력이 자꾸 그만둬서 사람을 못 구합니다."
CARBON = "원청에서 제품 탄소 배출량을 산정해 오라고 하는데 방법을 모르겠습니다."


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """The database above, and the taxonomy file of version 2."""
    base = tmp_path_factory.mktemp("evolution")
    taxonomy_file = base / "taxonomy-v2.yaml"
    taxonomy_file.write_text(evolved_text(), encoding="utf-8")
    return {"base": base, "url": corrections_database(base), "taxonomy": taxonomy_file}


def test_cli_exports_corrections_in_a_taxonomy_and_remaps_them(
    workspace: dict[str, Path | str], tmp_path: Path
) -> None:
    url, v2 = corrections_database(tmp_path), str(workspace["taxonomy"])
    runner, out = CliRunner(), tmp_path / "corrections.jsonl"

    exported = runner.invoke(app, ["corrections", "export", "--out", str(out), "--taxonomy", v2, "--database-url", url])

    assert exported.exit_code == 0, exported.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 16 and "0건" in exported.output
    assert sum(row["categories"] == ["carbon_neutral"] for row in rows) == 15
    assert [row["categories"] for row in rows if row["text"].startswith("지원사업")] == [["program_operation"]]
    assert {"author", "corrected_at", "unit_id", "meeting_id", "doc"} <= set(rows[0])
    in_v1 = runner.invoke(app, ["corrections", "export", "--out", str(out), "--database-url", url])  # deployed: v1
    assert in_v1.exit_code == 0 and len(out.read_text(encoding="utf-8").splitlines()) == 1
    assert "뺀 수정 15건" in in_v1.output  # the new category's corrections have no path back to v1

    remapped = runner.invoke(app, ["corrections", "remap", "--taxonomy", v2, "--database-url", url])
    assert remapped.exit_code == 0 and "옮긴 수정 1건" in remapped.output
    again = runner.invoke(app, ["corrections", "remap", "--taxonomy", v2, "--database-url", url])
    assert "옮긴 수정 0건" in again.output


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
