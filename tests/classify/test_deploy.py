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

#: The version the shipped ``deployed.json`` names (1.0.0 stays shipped beside it).
SHIPPED = json.loads((registry.shipped_models_root() / registry.DEPLOYED_FILE).read_text(encoding="utf-8"))["version"]


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


def test_registry_lists_the_versions_side_by_side_with_the_shipped_ones(root: Path) -> None:
    shipped = registry.versions(registry.shipped_models_root())
    assert (NAME, "1.0.0") in shipped
    assert registry.versions(root) == sorted({(NAME, GOOD), (NAME, SAME), (NAME, BAD), *shipped})


def test_registry_an_empty_models_root_falls_back_to_the_shipped_deployment(tmp_path: Path) -> None:
    shipped = registry.shipped_models_root()
    empty = tmp_path / "data" / "models"
    assert registry.pointer(empty) == registry.pointer(shipped) == (NAME, SHIPPED)
    assert registry.deployed_dir(empty) == shipped / NAME / SHIPPED
    assert (registry.deployed_dir(empty) / "model.skops").is_file()
    assert not empty.exists()  # reading never creates the models root


def test_registry_a_version_held_by_the_models_root_shadows_nothing_else(root: Path) -> None:
    assert registry.version_dir(root, NAME, GOOD) == root / NAME / GOOD
    assert registry.version_dir(root, NAME, "1.0.0") == registry.shipped_models_root() / NAME / "1.0.0"
    with pytest.raises(AnalyzerError) as error:
        registry.version_dir(root, NAME, "9.9.9")
    assert error.value.code == "model_not_found"


def test_registry_default_models_root_is_the_data_dir_unless_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(registry.MODELS_ROOT_ENV, raising=False)
    monkeypatch.delenv("MOKSORI_DATA_DIR", raising=False)
    assert registry.default_models_root() == Path("data") / "models"
    assert registry.default_models_root(tmp_path) == tmp_path / "models"
    monkeypatch.setenv("MOKSORI_DATA_DIR", str(tmp_path / "d"))
    assert registry.default_models_root() == tmp_path / "d" / "models"
    monkeypatch.setenv(registry.MODELS_ROOT_ENV, str(tmp_path / "m"))
    assert registry.default_models_root(tmp_path) == tmp_path / "m"


def test_deploy_into_an_empty_models_root_never_writes_the_shipped_models(tmp_path: Path, models: TinyModels) -> None:
    shipped = registry.shipped_models_root()
    before = {path: path.read_bytes() for path in shipped.glob("*.json")}
    root = tmp_path / "data" / "models"
    save_tagger(models.good, root / NAME / GOOD)
    result = deploy(root, NAME, GOOD, models.frame, force=True)
    assert result["previous"] == f"{NAME}/{SHIPPED}"  # the shipped pointer was the deployed one
    assert _pointer(root) == {"name": NAME, "version": GOOD}
    assert registry.deployed_dir(root) == root / NAME / GOOD
    deploy(root, NAME, "1.0.0", models.frame, force=True)  # a shipped version deploys by name
    assert registry.deployed_dir(root) == shipped / NAME / "1.0.0"
    assert [line["to"] for line in deployments(root)] == [f"{NAME}/{GOOD}", f"{NAME}/1.0.0"]
    assert {path: path.read_bytes() for path in shipped.glob("*.json")} == before
    assert not (shipped / DEPLOYMENTS_FILE).exists()


def test_cli_models_list_and_deploy(root: Path, models: TinyModels, monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer import cli
    from analyzer.classify import deploy as deploy_module

    monkeypatch.setattr(deploy_module, "evaluation_frame", lambda *args, **kwargs: models.frame)
    monkeypatch.setattr("analyzer.nlp.build_nlp", lambda *args, **kwargs: None)
    runner = CliRunner()
    listed = runner.invoke(cli.app, ["models", "list", "--models-root", str(root)])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    [deployed] = [line for line in lines if line.startswith("*")]
    assert deployed.startswith(f"* {NAME}/{GOOD}") and "0.7400" in deployed and "배포됨" in deployed
    assert "moksori-default@1" in deployed
    assert any(line.startswith(f"  {NAME}/1.0.0") for line in lines)  # the shipped version is listed too
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


def test_cli_models_commands_use_the_data_dirs_models_root(
    tmp_path: Path, models: TinyModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analyzer import cli
    from analyzer.classify import deploy as deploy_module

    monkeypatch.setattr(deploy_module, "evaluation_frame", lambda *args, **kwargs: models.frame)
    monkeypatch.setattr("analyzer.nlp.build_nlp", lambda *args, **kwargs: None)
    monkeypatch.delenv(registry.MODELS_ROOT_ENV, raising=False)
    monkeypatch.setenv("MOKSORI_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    listed = runner.invoke(cli.app, ["models", "list"])
    assert listed.exit_code == 0, listed.output
    [deployed] = [line for line in listed.output.splitlines() if line.startswith("*")]
    shipped_dir = registry.deployed_dir(registry.shipped_models_root())
    shipped = json.loads((shipped_dir / "metrics.json").read_text(encoding="utf-8"))
    assert (
        deployed.startswith(f"* {NAME}/{SHIPPED}")
        and f"{shipped['held_out']['categories']['micro_f1']:.4f}" in deployed
    )

    root = tmp_path / "data" / "models"
    save_tagger(models.good, root / NAME / GOOD)
    forced = runner.invoke(cli.app, ["models", "deploy", GOOD, "--force"])
    assert forced.exit_code == 0, forced.output
    assert f"배포했습니다: {NAME}/{SHIPPED} → {NAME}/{GOOD}" in forced.output
    assert _pointer(root) == {"name": NAME, "version": GOOD}
    assert registry.pointer(registry.shipped_models_root()) == (NAME, SHIPPED)
