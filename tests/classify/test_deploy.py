"""Deploying a model version: two tiny real models in a tmp models root, compared on the same held-out units."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from model_fixtures import BAD, GOOD, NAME, SAME, TinyModels, make_models_root, tiny_models
from typer.testing import CliRunner

from analyzer.classify import registry
from analyzer.classify.artefact import save_tagger
from analyzer.classify.deploy import DEPLOYMENTS_FILE, DeployRefused, compare, deploy, deployments
from analyzer.errors import CATALOGUE, AnalyzerError


@pytest.fixture(scope="module")
def models(nlp) -> TinyModels:  # type: ignore[no-untyped-def]
    return tiny_models(nlp)


@pytest.fixture()
def root(tmp_path: Path, models: TinyModels) -> Path:
    return make_models_root(tmp_path / "models", models)


def _pointer(root: Path) -> dict[str, str]:
    return json.loads((root / registry.DEPLOYED_FILE).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_compare_scores_both_models_on_the_same_units(root: Path, models: TinyModels) -> None:
    result = compare(root / NAME / BAD, root / NAME / GOOD, models.frame)
    assert result["n"] == len(models.frame)
    candidate, current, delta = result["candidate"], result["current"], result["delta"]
    assert (candidate["model_version"], current["model_version"]) == (f"{NAME}/{BAD}", f"{NAME}/{GOOD}")
    assert set(candidate["per_label"]) == set(current["per_label"]) == set(models.good.category_ids)
    for key in ("micro_f1", "macro_f1", "kind_accuracy"):
        assert delta[key] == pytest.approx(candidate[key] - current[key], abs=1e-4)
    label = models.good.category_ids[0]
    assert delta["per_label"][label] == pytest.approx(
        candidate["per_label"][label] - current["per_label"][label], abs=1e-4
    )
    assert delta["micro_f1"] < -0.01  # the few-document model really is worse


def test_deploy_refuses_a_worse_model(root: Path, models: TinyModels) -> None:
    with pytest.raises(DeployRefused) as refused:
        deploy(root, NAME, BAD, models.frame)
    assert refused.value.code == "deploy_refused"
    assert refused.value.message.startswith(CATALOGUE["deploy_refused"])
    assert "범주 micro F1" in refused.value.message
    assert refused.value.comparison["delta"]["micro_f1"] < -0.01
    assert _pointer(root) == {"name": NAME, "version": GOOD}
    assert not (root / DEPLOYMENTS_FILE).exists()


def test_a_large_enough_tolerance_accepts_the_worse_model(root: Path, models: TinyModels) -> None:
    result = deploy(root, NAME, BAD, models.frame, tolerance=1.0)
    assert result["deployed"] == f"{NAME}/{BAD}" and not result["forced"]
    assert _pointer(root) == {"name": NAME, "version": BAD}


def test_force_deploys_a_worse_model_and_records_it(root: Path, models: TinyModels) -> None:
    result = deploy(root, NAME, BAD, models.frame, force=True)
    assert result["forced"] and "micro_f1" in result["regressions"]
    assert _pointer(root) == {"name": NAME, "version": BAD}
    assert registry.deployed_dir(root) == root / NAME / BAD
    [line] = deployments(root)
    assert (line["from"], line["to"], line["forced"]) == (f"{NAME}/{GOOD}", f"{NAME}/{BAD}", True)
    assert line["delta"]["micro_f1"] == result["comparison"]["delta"]["micro_f1"] < 0
    assert {"time", "n", "tolerance"} <= set(line)


def test_an_equal_model_is_deployed_and_every_deployment_is_logged(root: Path, models: TinyModels) -> None:
    result = deploy(root, NAME, SAME, models.frame)
    assert result["comparison"]["delta"]["micro_f1"] == 0 and result["comparison"]["delta"]["kind_accuracy"] == 0
    assert _pointer(root) == {"name": NAME, "version": SAME}
    deploy(root, NAME, GOOD, models.frame)
    lines = deployments(root)
    assert [(line["from"], line["to"], line["forced"]) for line in lines] == [
        (f"{NAME}/{GOOD}", f"{NAME}/{SAME}", False),
        (f"{NAME}/{SAME}", f"{NAME}/{GOOD}", False),
    ]
    assert len((root / DEPLOYMENTS_FILE).read_text(encoding="utf-8").splitlines()) == 2


def test_deploy_refuses_unknown_versions_and_unsafe_names(root: Path, models: TinyModels) -> None:
    for name, version in ((NAME, "9.9.9"), ("..", GOOD), (NAME, "../2.0.0"), ("a/b", GOOD)):
        with pytest.raises(AnalyzerError) as error:
            deploy(root, name, version, models.frame)
        assert error.value.code == "model_not_found"
    assert _pointer(root) == {"name": NAME, "version": GOOD}


def test_deploy_refuses_a_taxonomy_with_no_declared_path_even_forced(root: Path, models: TinyModels) -> None:
    unrelated = replace(models.good.taxonomy, name="other-agency")
    save_tagger(replace(models.good, version="3.0.0", taxonomy=unrelated), root / NAME / "3.0.0")
    with pytest.raises(AnalyzerError) as error:
        deploy(root, NAME, "3.0.0", models.frame, force=True)
    assert error.value.code == "taxonomy_unmapped"
    assert _pointer(root) == {"name": NAME, "version": GOOD}


def test_registry_lists_the_versions_side_by_side(root: Path) -> None:
    assert registry.versions(root) == [(NAME, GOOD), (NAME, SAME), (NAME, BAD)]


def test_cli_models_list_and_deploy(root: Path, models: TinyModels, monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer import cli
    from analyzer.classify import deploy as deploy_module

    monkeypatch.setattr(deploy_module, "evaluation_frame", lambda *args, **kwargs: models.frame)
    monkeypatch.setattr("analyzer.nlp.build_nlp", lambda *args, **kwargs: None)
    runner = CliRunner()
    listed = runner.invoke(cli.app, ["models", "list", "--models-root", str(root)])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].startswith(f"* {NAME}/{GOOD}") and "0.7400" in lines[0] and "배포됨" in lines[0]
    assert "moksori-default@1" in lines[0]
    assert any(line.startswith(f"  {NAME}/{BAD}") and "0.6500" in line for line in lines)

    refused = runner.invoke(cli.app, ["models", "deploy", BAD, "--models-root", str(root)])
    assert refused.exit_code == 2
    assert f"오류[deploy_refused]: {CATALOGUE['deploy_refused']}" in refused.output
    assert "범주 micro F1" in refused.output and _pointer(root)["version"] == GOOD

    forced = runner.invoke(cli.app, ["models", "deploy", BAD, "--force", "--models-root", str(root)])
    assert forced.exit_code == 0, forced.output
    assert f"배포했습니다: {NAME}/{GOOD} → {NAME}/{BAD}" in forced.output and "--force" in forced.output
    assert _pointer(root)["version"] == BAD

    missing = runner.invoke(cli.app, ["models", "deploy", "9.9.9", "--models-root", str(root)])
    assert missing.exit_code == 2 and "오류[model_not_found]" in missing.output
