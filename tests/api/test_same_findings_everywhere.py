"""The same question gives the same numbers through every door: `moksori demo`, the findings API and the
dashboard's overview, over the bundled samples analysed by the same model (the API and the page also under an industry
filter, which reads that industry's own summary rows)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from api_support import Keys, auth, run_jobs
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from analyzer.classify.registry import deployed_dir, shipped_models_root
from analyzer.cli import app as cli
from analyzer.services.samples import SAMPLE_META, load_samples

PSEUDONYM_KEY = b"test-pseudonym-key"  # the analyzer_instance fixture's, so every door masks alike
DEMO_ROW = re.compile(r"^  (?P<label>.+?): (?P<units>\d+)건 · 점수 (?P<score>\d+\.\d\d)  예\) ", re.MULTILINE)
PAGE_ROW = re.compile(
    r'<tr data-category="[^"]+"><td><a href="#cat-[^"]+">(?P<label>[^<]+)</a></td>.*?'
    r'<td class="num count">(?P<units>\d+)</td>.*?<td class="num">(?P<score>\d+\.\d\d)</td></tr>',
    re.DOTALL,
)


def _demo_top(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, int, str]]:
    monkeypatch.setenv("MOKSORI_PSEUDONYM_KEY", PSEUDONYM_KEY.hex())
    monkeypatch.setenv("MOKSORI_DATA_DIR", str(tmp_path / "demo-data"))
    monkeypatch.delenv("MOKSORI_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["demo", "--model", str(deployed_dir(shipped_models_root()))])
    assert result.exit_code == 0, result.output
    assert f"완료 {len(SAMPLE_META)}" in result.output
    assert not (tmp_path / "demo-data").exists()  # the demo leaves the data folder alone
    return [(m["label"], int(m["units"]), m["score"]) for m in DEMO_ROW.finditer(result.output)]


def test_demo_api_and_dashboard_give_the_same_top_categories(
    client: TestClient, api_keys: Keys, analyzer_instance, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    demo = _demo_top(monkeypatch, tmp_path)
    assert len(demo) == 8

    context = client.app.state.context  # type: ignore[attr-defined]
    assert load_samples(context) == len(SAMPLE_META)
    run_jobs(client, analyzer_instance)

    found = client.get("/api/v1/findings", headers=auth(api_keys.admin))
    assert found.status_code == 200, found.text
    api = [(row["label"], int(row["units"]), f"{row['score']:.2f}") for row in found.json()["top"][:8]]

    login = client.post("/login", data={"key": api_keys.admin}, follow_redirects=False)
    assert login.status_code == 303
    page = client.get("/")
    assert page.status_code == 200
    table = page.text[page.text.index('id="top-table"') :]
    dashboard = [(html.unescape(m["label"]), int(m["units"]), m["score"]) for m in PAGE_ROW.finditer(table)][:8]

    assert demo == api == dashboard

    industry = found.json()["options"]["industry"][0]  # the survey's answers carry their company's industry
    one = client.get("/api/v1/findings", params={"industry": industry}, headers=auth(api_keys.admin))
    assert one.status_code == 200, one.text
    assert 0 < one.json()["totals"]["units"] < found.json()["totals"]["units"]
    api = [(row["label"], int(row["units"]), f"{row['score']:.2f}") for row in one.json()["top"][:8]]
    page = client.get("/", params={"industry": industry})
    assert page.status_code == 200
    table = page.text[page.text.index('id="top-table"') :]
    shown = [(html.unescape(m["label"]), int(m["units"]), m["score"]) for m in PAGE_ROW.finditer(table)][:8]
    assert api and api == shown
