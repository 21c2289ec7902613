"""The one reader of the deployed-model pointer: one error for every bad pointer, re-read on its interval."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analyzer.classify import registry
from analyzer.errors import AnalyzerError
from analyzer.services.deployed import DeployedWatcher


def _shipped() -> tuple[str, str]:
    found = registry.pointer(registry.shipped_models_root())
    assert found is not None
    return found


def _root_with_a_copy(tmp_path: Path, version: str) -> Path:
    """A models root holding a copy of the shipped deployed version under *version*."""
    name, shipped = _shipped()
    root = tmp_path / "models"
    shutil.copytree(registry.shipped_models_root() / name / shipped, root / name / version)
    return root


def test_watcher_falls_back_to_the_shipped_pointer(tmp_path: Path) -> None:
    name, version = _shipped()
    deployed = DeployedWatcher(tmp_path / "empty").current()
    assert deployed.model_version == f"{name}/{version}"
    assert deployed.directory == registry.shipped_models_root() / name / version
    assert deployed.taxonomy.category_ids


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        json.dumps({"name": "moksori-ko"}),
        json.dumps({"name": "moksori-ko", "version": "no-such-version"}),
        json.dumps({"name": "../../etc", "version": "passwd"}),
    ],
    ids=["broken", "not-an-object", "no-version", "unknown-version", "outside"],
)
def test_watcher_refuses_every_bad_pointer_with_model_not_found(tmp_path: Path, content: str) -> None:
    root = tmp_path / "models"
    root.mkdir()
    (root / registry.DEPLOYED_FILE).write_text(content, encoding="utf-8")
    watcher = DeployedWatcher(root)
    with pytest.raises(AnalyzerError) as error:
        watcher.current()
    assert error.value.code == "model_not_found"
    with pytest.raises(AnalyzerError) as again:
        watcher.directory()
    assert again.value.code == "model_not_found"


def test_watcher_rereads_the_pointer_only_after_its_interval(tmp_path: Path) -> None:
    root = _root_with_a_copy(tmp_path, "9.9.9")
    name, shipped = _shipped()
    now = [0.0]
    watcher = DeployedWatcher(root, interval=3.0, clock=lambda: now[0])
    assert watcher.current().model_version == f"{name}/{shipped}"
    registry.set_deployed(root, name, "9.9.9")
    now[0] = 2.9
    assert watcher.current().model_version == f"{name}/{shipped}"  # within the interval: the last answer
    now[0] = 3.1
    moved = watcher.current()
    assert moved.model_version == f"{name}/9.9.9" and moved.directory == root / name / "9.9.9"


def test_watcher_with_no_interval_follows_every_deployment_at_once(tmp_path: Path) -> None:
    root = _root_with_a_copy(tmp_path, "9.9.9")
    name, shipped = _shipped()
    watcher = DeployedWatcher(root)
    first = watcher.current()
    registry.set_deployed(root, name, "9.9.9")
    second = watcher.current()
    assert (first.model_version, second.model_version) == (f"{name}/{shipped}", f"{name}/9.9.9")
    registry.set_deployed(root, name, shipped)
    assert watcher.current().taxonomy is first.taxonomy  # each version's taxonomy is read once
