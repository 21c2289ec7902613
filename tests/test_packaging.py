"""The built wheel holds everything an installed ``moksori`` needs offline: the shipped model, templates, assets."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODEL_FILES = ("model.skops", "taxonomy.yaml", "card.md", "metrics.json", "inference.json", "inference.npz")
#: Left out of the copy the wheel is built from (a stale build/ would put deleted modules into the wheel): top-level
#: folders, then names anywhere.
NOT_SOURCE_TOP = {"build", "dist", "data", "test-artifacts", ".git", ".hypothesis", ".venv", "venv"}
NOT_SOURCE = ("*.egg-info", ".*cache", "__pycache__")


def _not_source(directory: str, names: list[str]) -> set[str]:
    top = Path(directory) == ROOT
    return {n for n in names if (top and n in NOT_SOURCE_TOP) or any(fnmatch(n, p) for p in NOT_SOURCE)}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source, out = tmp_path_factory.mktemp("source") / "moksori", tmp_path_factory.mktemp("wheel")
    shutil.copytree(ROOT, source, ignore=_not_source)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q", "-w", str(out)]
    result = subprocess.run([*command, str(source)], capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr
    [built] = out.glob("moksori-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _source(pattern: str) -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in ROOT.glob(pattern) if "__pycache__" not in path.parts)


@pytest.mark.slow
def test_packaging_wheel_ships_the_deployed_model_and_its_pointer(wheel_names: set[str]) -> None:
    pointer = json.loads((ROOT / "models" / "deployed.json").read_text(encoding="utf-8"))
    assert "moksori_models/__init__.py" in wheel_names
    assert "moksori_models/deployed.json" in wheel_names
    for name in MODEL_FILES:
        assert f"moksori_models/{pointer['name']}/{pointer['version']}/{name}" in wheel_names


@pytest.mark.slow
def test_packaging_wheel_ships_the_corpus_a_deployment_is_scored_on(wheel_names: set[str]) -> None:
    units = [name.replace("corpora/", "moksori_corpus/", 1) for name in _source("corpora/units/*.jsonl")]
    assert units and [name for name in units if name not in wheel_names] == []


@pytest.mark.slow
def test_packaging_wheel_ships_every_package_template_asset_and_sample(wheel_names: set[str]) -> None:
    expected = [
        *_source("analyzer/**/__init__.py"),
        *_source("api/**/__init__.py"),
        *_source("analyzer/store/migrations/versions/*.py"),
        *_source("api/dashboard/templates/*"),
        *_source("api/dashboard/static/*"),
        *_source("analyzer/data/fonts/*"),
        *_source("analyzer/data/samples/*"),
        *_source("analyzer/data/*.yaml"),
    ]
    assert "analyzer/data/fonts/NanumGothic.ttf" in expected and len(expected) > 30
    assert [name for name in expected if name not in wheel_names] == []


@pytest.mark.slow
def test_packaging_wheel_has_the_command_and_no_tests_or_corpora(wheel: Path, wheel_names: set[str]) -> None:
    [entry_points] = [name for name in wheel_names if name.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as archive:
        assert "moksori = analyzer.cli:app" in archive.read(entry_points).decode()
    assert not [name for name in wheel_names if name.startswith(("tests/", "corpora/", "notebooks/", "benchmarks/"))]
