"""The three analysis notebooks run top to bottom on a document-grouped slice of the corpus (no CV)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_train.ipynb", "02_evaluate.ipynb", "03_error_analysis.ipynb"]


def _run(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Execute a notebook on the 15% slice; returns the text of its outputs."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("MOKSORI_NOTEBOOK_SLICE", "0.15")
    monkeypatch.setenv("MOKSORI_NOTEBOOK_OUT", str(tmp_path / "out"))  # nothing is written into the repository
    monkeypatch.setenv("PYTHONWARNINGS", "ignore")  # the kernel's own start-up notices are not under test
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "outputs stored"
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert os.environ["MOKSORI_NOTEBOOK_SLICE"] == "0.15"
    return "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_on_a_slice(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOKSORI_DATABASE_URL", raising=False)
    monkeypatch.delenv("MOKSORI_TAXONOMY", raising=False)
    _run(name, tmp_path, monkeypatch)
    if name == "01_train.ipynb":
        assert (tmp_path / "out" / "candidate" / "model.skops").is_file()


@pytest.mark.slow
def test_train_notebook_learns_from_stored_corrections_on_a_changed_taxonomy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taxonomy_fixtures import corrections_database, evolved, evolved_text

    from analyzer.classify.artefact import load_tagger

    url = corrections_database(tmp_path)
    (tmp_path / "taxonomy.yaml").write_text(evolved_text(), encoding="utf-8")
    monkeypatch.setenv("MOKSORI_DATABASE_URL", url)
    monkeypatch.setenv("MOKSORI_TAXONOMY", str(tmp_path / "taxonomy.yaml"))

    text = _run("01_train.ipynb", tmp_path, monkeypatch)

    assert "taxonomy=moksori-default@2" in text and "16 corrections" in text
    candidate = load_tagger(tmp_path / "out" / "candidate")
    assert candidate.taxonomy == evolved() and candidate.untrained == ()  # the new category was learnt
    assert "program_operation" in text and "regulation" not in text.split("taxonomy=")[1]
