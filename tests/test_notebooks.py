"""The three analysis notebooks run top to bottom on a document-grouped slice of the corpus (no CV)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_train.ipynb", "02_evaluate.ipynb", "03_error_analysis.ipynb"]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_on_a_slice(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("MOKSORI_NOTEBOOK_SLICE", "0.15")
    monkeypatch.setenv("MOKSORI_NOTEBOOK_OUT", str(tmp_path / "out"))  # nothing is written into the repository
    monkeypatch.delenv("MOKSORI_DATABASE_URL", raising=False)
    monkeypatch.setenv("PYTHONWARNINGS", "ignore")  # the kernel's own start-up notices are not under test
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "outputs stored"
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    if name == "01_train.ipynb":
        assert (tmp_path / "out" / "candidate" / "model.skops").is_file()
    assert os.environ["MOKSORI_NOTEBOOK_SLICE"] == "0.15"
