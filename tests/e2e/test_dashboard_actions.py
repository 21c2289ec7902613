"""Closing the loop in real headless Chromium: a request of a sample meeting becomes an action on the meeting page
and goes received → reviewing → accepted → done on its page, with its history; 조치 현황 and 알림 show it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import logged_in

pytestmark = pytest.mark.slow
STEPS = [
    ("reviewing", "담당 부서가 검토 중입니다."),
    ("accepted", "예약 창구를 늘리기로 했습니다."),
    ("done", "조치를 마쳤습니다."),
]


def test_a_request_goes_from_received_to_done_in_the_dashboard(
    server: tuple[str, str], chromium: Any, artifacts: Path
) -> None:
    base, key = server
    context, page = logged_in(chromium, base, key)
    api, headers = context.request, {"Authorization": f"Bearer {key}"}
    deadline = time.monotonic() + 180  # the worker analyses the sample meetings after start-up
    while api.get(f"{base}/api/v1/units?kind=request&limit=1", headers=headers).json()["total"] == 0:
        assert time.monotonic() < deadline, "the sample meetings were not analysed in time"
        time.sleep(1)
    page.goto(f"{base}/meetings")
    page.click("main table a:has-text('구미')")
    request = page.locator("li.unit.kind-request").first
    text = request.locator("p.text").inner_text()
    request.locator("input.pick-unit").check()
    page.fill("#action-create input[name=title]", "장비 예약 건의 회신")
    page.fill("#action-create input[name=department]", "기업지원과")
    page.fill("#action-create input[name=due_date]", "2099-12-31")
    page.click("#action-create button[type=submit]")
    page.wait_for_selector("#action-made")
    page.screenshot(path=str(artifacts / "action-made.png"), full_page=False)
    page.click("#action-made")
    page.wait_for_selector("#history")
    assert page.inner_text("#action-status") == "접수"

    for status, answer in STEPS:
        page.select_option("form.action-update select[name=status]", status)
        page.fill("form.action-update textarea[name=answer]", answer)
        with page.expect_navigation():
            page.click("form.action-update button[type=submit]")
    rows = [
        [cell.inner_text() for cell in row.query_selector_all("td")]
        for row in page.query_selector_all("#history tbody tr")
    ]
    assert [row[2] for row in rows] == ["접수", "검토 중", "수용", "조치 완료"]
    assert [row[3] for row in rows[1:]] == [answer for _, answer in STEPS]
    assert page.inner_text("#action-status") == "조치 완료"
    page.screenshot(path=str(artifacts / "action-history.png"), full_page=True)

    action_id = int(page.url.rsplit("/", 1)[1])
    history = api.get(f"{base}/api/v1/actions/{action_id}/history", headers=headers).json()
    assert [h["status"] for h in history] == ["received", "reviewing", "accepted", "done"]
    unit_id = api.get(f"{base}/api/v1/actions/{action_id}", headers=headers).json()["unit_ids"][0]
    unit = api.get(f"{base}/api/v1/units?kind=request&limit=200", headers=headers).json()["items"]
    assert next(u for u in unit if u["unit_id"] == unit_id)["text"] == text

    page.goto(f"{base}/actions")
    assert page.inner_text("#actions tbody tr td.status") == "조치 완료"
    assert "100%" in page.inner_text("#action-summary")
    page.screenshot(path=str(artifacts / "actions-status.png"), full_page=True)
    page.goto(f"{base}/")
    assert "100%" in page.inner_text("#overview-actions")  # the overview's 처리 현황, as /api/v1/findings has it
    assert api.get(f"{base}/api/v1/findings", headers=headers).json()["actions"]["answer_rate"] == 1.0
    page.screenshot(path=str(artifacts / "overview-actions.png"))
    page.goto(f"{base}/alerts")
    with page.expect_navigation():
        page.click("form.alert-scan button")
    assert page.locator("#alerts").is_visible()
    context.close()
