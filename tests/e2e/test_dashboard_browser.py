"""The dashboard in real headless Chromium against `moksori serve`: upload → job done → overview counts →
correction changes the counts → the review queue is ordered by margin. Screenshots are saved under
test-artifacts/."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from file_samples import make_hwp

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and os.environ.get("CI") != "true", reason="Debian's chromium is not installed"
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    port = _free_port()
    env = {**os.environ, "MOKSORI_HOME": str(tmp_path / "home")}
    process = subprocess.Popen(
        [sys.executable, "-m", "analyzer.cli", "serve", "--port", str(port), "--data-dir", str(tmp_path / "data")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    key, lines = None, []
    deadline = time.monotonic() + 60
    assert process.stdout is not None
    while key is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        found = re.search(r"(mks_\S+)", line)
        key = found.group(1) if found else None
    assert key, "".join(lines)
    base = f"http://127.0.0.1:{port}"
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield base, key
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()


def _units_total(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.inner_text("#total-units"))


def _category_count(page, category: str) -> int:  # type: ignore[no-untyped-def]
    cell = page.query_selector(f'#top-table tr[data-category="{category}"] td.count')
    return int(cell.inner_text()) if cell else 0


def test_upload_to_findings_and_correction_in_chromium(server: tuple[str, str], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    base, key = server
    minutes = tmp_path / "간담회.hwpx"
    minutes.write_bytes(make_hwp("hwpx"))
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1400}, locale="ko-KR")
        page.goto(f"{base}/login")
        page.fill("#key", key)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")

        # the bundled sample meetings are analysed by the worker first
        for _ in range(60):
            if int(page.inner_text("#total-meetings")) >= 4 and _units_total(page) > 0:
                break
            time.sleep(1)
            page.reload()
        before_units = _units_total(page)

        page.goto(f"{base}/upload")
        page.set_input_files("#file", str(minutes))
        page.fill("input[name=title]", "반도체 장비 기업 간담회")
        page.fill("input[name=agency]", "예시 기관")
        page.click("#upload-form button[type=submit]")
        page.wait_for_selector("#job-done", timeout=90_000)
        page.click("#job-done")
        page.wait_for_selector("li.unit")
        assert "반도체 장비 기업 간담회" in page.inner_text("h1")

        page.goto(f"{base}/")
        assert _units_total(page) > before_units
        before = _category_count(page, "regulation")

        page.goto(page.url.replace(f"{base}/", f"{base}/meetings"))
        page.click("text=반도체 장비 기업 간담회")
        unit = page.query_selector("li.unit:not(:has(.tag:text('규제·제도')))")
        assert unit is not None
        unit.query_selector("summary").click()
        unit.query_selector("input[value=regulation]").check()
        unit.query_selector("input[value=pain_point]").check()
        unit.query_selector("form.correction button").click()
        unit.wait_for_selector("text=저장했습니다")

        page.goto(f"{base}/")
        page.screenshot(path=str(ARTIFACTS / "dashboard-overview.png"), full_page=True)
        assert _category_count(page, "regulation") == before + 1

        # the review queue: the units closest to changing a label come first
        page.goto(f"{base}/review")
        margins = [float(text.split()[-1]) for text in page.locator("li.unit .margin").all_inner_texts()]
        assert len(margins) >= 5 and margins == sorted(margins)
        page.screenshot(path=str(ARTIFACTS / "dashboard-review.png"), full_page=True)
        browser.close()
