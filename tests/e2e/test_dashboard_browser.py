"""The dashboard in real headless Chromium against `moksori serve`: upload → job done → overview counts →
correction changes the counts → the review queue is ordered by margin. Screenshots are saved under
test-artifacts/."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from file_samples import make_hwp

pytestmark = pytest.mark.slow


def _units_total(page: Any) -> int:
    return int(page.inner_text("#total-units"))


def _category_count(page: Any, category: str) -> int:
    cell = page.query_selector(f'#top-table tr[data-category="{category}"] td.count')
    return int(cell.inner_text()) if cell else 0


def test_upload_to_findings_and_correction_in_chromium(
    server: tuple[str, str], chromium: Any, artifacts: Path, tmp_path: Path
) -> None:
    base, key = server
    minutes = tmp_path / "간담회.hwpx"
    minutes.write_bytes(make_hwp("hwpx"))
    page = chromium.new_page(viewport={"width": 1280, "height": 1400}, locale="ko-KR")
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
    page.screenshot(path=str(artifacts / "dashboard-overview.png"), full_page=True)
    assert _category_count(page, "regulation") == before + 1

    # the review queue: the units closest to changing a label come first
    page.goto(f"{base}/review")
    margins = [float(text.split()[-1]) for text in page.locator("li.unit .margin").all_inner_texts()]
    assert len(margins) >= 5 and margins == sorted(margins)
    page.screenshot(path=str(artifacts / "dashboard-review.png"), full_page=True)
