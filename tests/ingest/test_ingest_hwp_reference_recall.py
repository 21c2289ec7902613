"""Every real document through the sandboxed ingestion; HWPX word recall against the section XML read directly."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from analyzer.errors import CATALOGUE, AnalyzerError
from analyzer.ingest import ingest

ROOT = Path(__file__).resolve().parents[2]
REAL_DOCUMENTS = ROOT / "tests" / "real_documents"
DOCUMENTS = sorted(path for path in REAL_DOCUMENTS.iterdir() if path.suffix.lower() in (".hwp", ".hwpx"))
HWPX = [path for path in DOCUMENTS if path.suffix.lower() == ".hwpx"]
#: The naive reference reads a drop cap (the enlarged first letter) as a paragraph of its own, splitting the word.
DROP_CAP = {"testFile_error_20230809_test.hwpx": {"발", "광다이오드"}}

pytestmark = pytest.mark.slow


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reference_recall", ROOT / "benchmarks" / "reference_recall.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def benchmark() -> ModuleType:
    return _benchmark()


@pytest.mark.parametrize("path", DOCUMENTS, ids=[path.name for path in DOCUMENTS])
def test_real_document_sandboxed_gives_text_or_a_catalogue_code(path: Path) -> None:
    try:
        document = ingest(path.name, path.read_bytes())
    except AnalyzerError as error:
        assert error.code in CATALOGUE
        assert error.code in {"no_text", "corrupt_file", "password_protected"}
        return
    assert document.text.strip()


@pytest.mark.parametrize("path", HWPX, ids=[path.name for path in HWPX])
def test_real_hwpx_ingestion_recall_against_section_xml(path: Path, benchmark: ModuleType) -> None:
    data = path.read_bytes()
    reference = benchmark.words(benchmark.hwpx_reference(data))
    try:
        ours = benchmark.words(benchmark.ingest_text(path.name, data))
    except AnalyzerError as error:
        assert error.code == "no_text" and not reference, f"{error.code} but the reference has {len(reference)} words"
        return
    missing = reference - ours
    if path.name in DROP_CAP:
        assert set(missing) <= DROP_CAP[path.name]
        return
    assert benchmark.recall(reference, ours) >= 0.90, sorted(missing)


def test_reference_recall_tokens_ignore_placeholders_and_punctuation(benchmark: ModuleType) -> None:
    assert benchmark.words("[이름] 대표: 장비가(특히 3D 프린터) 부족함. 화자-0A1B2C") == benchmark.words(
        "대표 장비가 특히 3D 프린터 부족함"
    )
    assert benchmark.recall(benchmark.words("가 가 나"), benchmark.words("가 나 다")) == pytest.approx(2 / 3)
