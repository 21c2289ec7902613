"""The code stays ruff-clean, type-checks (mypy on the packages) and declares every third-party import (deptry)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.slow
def test_mypy_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def _deptry(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deptry", "--no-ansi", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_deptry_package_dependencies_are_declared_used_and_not_dev_only() -> None:
    """analyzer/ and api/: no missing (DEP001), unused (DEP002), transitive (DEP003) or dev-only (DEP004) import."""
    result = _deptry("analyzer", "api")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deptry_tests_benchmarks_and_notebooks_import_only_declared_packages() -> None:
    """tests/, benchmarks/ and notebooks/ (with the packages): every import is declared (DEP001, DEP003); the dev
    and research extras count here."""
    result = _deptry(
        "analyzer", "api", "tests", "benchmarks", "notebooks", "--exclude", "venv", "--ignore", "DEP002,DEP004"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_are_kept() -> None:
    """The import-linter contracts of pyproject.toml: the library never imports the service, the pipeline stages
    are layers, the store does not import the classifier, research packages stay behind their extra."""
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


MAX_MODULE_LINES = 300


def test_no_module_of_the_packages_exceeds_300_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for package in ("analyzer", "api")
        for path in sorted((ROOT / package).rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
