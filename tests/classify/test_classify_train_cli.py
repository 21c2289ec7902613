"""``moksori train --database-url``: the corrections in the database join the training data and are recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.store import queries
from analyzer.store.engine import make_engine
from analyzer.store.migrate import migrate
from tests.store.rows import DEFAULT_TAXONOMY
from tests.store.stored import analysed

CORPUS_FILE = Path(__file__).resolve().parents[2] / "corpora" / "units" / "f_boundaries.jsonl"


@pytest.mark.slow
def test_train_with_database_corrections_records_the_dataset(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/m.db"
    engine = make_engine(url)
    migrate(engine)
    ids = analysed(engine, ["기술 인력을 구하기가 너무 어렵습니다", "장비 사용료가 비쌉니다"], "a")
    queries.add_correction(engine, ids[0], ["workforce"], "pain_point", "검토자", taxonomy=DEFAULT_TAXONOMY)
    queries.add_correction(engine, ids[1], ["equipment_facilities"], "pain_point", "검토자", taxonomy=DEFAULT_TAXONOMY)
    engine.dispose()
    out = tmp_path / "models" / "t" / "1"

    result = CliRunner().invoke(
        app, ["train", "--corpus", str(CORPUS_FILE), "--out", str(out), "--cv-folds", "0", "--database-url", url]
    )

    assert result.exit_code == 0, result.output
    assert "교정 2건" in result.output
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["dataset"]["corrections"] == 2
    assert metrics["dataset"]["hash"] == metrics["corpus_hash"]
    assert metrics["dataset"]["hash"] in (out / "card.md").read_text(encoding="utf-8")
