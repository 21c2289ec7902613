"""The research extra (matplotlib, statsmodels, cleanlab) stays optional: the runtime never imports it, and the
research modules say in Korean how to install it when it is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RUNTIME_IMPORTS = """
import importlib, pkgutil, sys
import analyzer, api
skipped = ("analyzer.research", "analyzer.store.migrations")
for package in (analyzer, api):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not module.name.startswith(skipped) and not module.name.endswith(".__main__"):
            importlib.import_module(module.name)
print(sorted({name.partition(".")[0] for name in sys.modules} & {"matplotlib", "statsmodels", "cleanlab"}))
"""


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_research_extra_is_never_imported_by_the_runtime_modules() -> None:
    result = _python(RUNTIME_IMPORTS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("missing", "code"),
    [
        ("matplotlib", "import analyzer.research.plots"),
        ("statsmodels", "from analyzer.research.agreement import fleiss_kappa_of_kind; fleiss_kappa_of_kind([['a']])"),
        (
            "cleanlab",
            "import numpy, pandas; from analyzer.research.agreement import suspected_label_issues; "
            "suspected_label_issues(pandas.DataFrame({'categories': [['x']]}), numpy.ones((1, 1)), ['x'])",
        ),
    ],
)
def test_research_extra_missing_package_names_the_install_command_in_korean(missing: str, code: str) -> None:
    result = _python(f"import sys; sys.modules[{missing!r}] = None; {code}")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError:") and missing in last
    assert "pip install 'moksori[research]'" in last and "설치되어 있지 않습니다" in last
