"""Deleting a meeting from its page in real headless Chromium: a confirmation, then the meeting, its units and its
original are gone, and the audit log says who did it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import logged_in

pytestmark = pytest.mark.slow


def test_meeting_page_deletes_the_meeting_after_confirmation(
    server: tuple[str, str], chromium: Any, artifacts: Path
) -> None:
    base, key = server
    context, page = logged_in(chromium, base, key)
    page.goto(f"{base}/meetings")
    link = page.query_selector("main table a[href^='/meetings/']")
    assert link is not None
    path = str(link.get_attribute("href"))
    meeting_id = int(re.sub(r"\D", "", path))
    page.goto(f"{base}{path}")
    page.screenshot(path=str(artifacts / "meeting-delete-button.png"), full_page=False)

    page.once("dialog", lambda dialog: dialog.dismiss())  # cancelled: nothing happens
    page.click("form.delete-meeting button")
    assert page.url == f"{base}{path}"
    dialogs: list[str] = []

    def accept(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    with page.expect_navigation():
        page.click("form.delete-meeting button")
    assert page.url == f"{base}/meetings" and "되돌릴 수 없습니다" in dialogs[0]
    api = context.request
    headers = {"Authorization": f"Bearer {key}"}
    assert api.get(f"{base}/api/v1/meetings/{meeting_id}", headers=headers).status == 404
    units = api.get(f"{base}/api/v1/units?meeting_id={meeting_id}", headers=headers).json()
    assert units["total"] == 0
    audit = api.get(f"{base}/api/v1/audit", headers=headers).json()["items"]
    assert audit[0]["action"] == "delete_meeting" and audit[0]["target"] == f"meeting:{meeting_id}"
    context.close()
