"""The first visit in real headless Chromium, from a new browser context with no cookie: `/` → login → overview →
meetings → a meeting → review → logout → `/` is the login page again; a staff key lands on a page it may use and
every link it is shown opens; an unknown address is the Korean 404 page. Screenshots go under test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow
VIEWPORT = {"width": 1280, "height": 900}


def _new_page(chromium: Any) -> tuple[Any, list[tuple[int, str]]]:
    """A page of a fresh context (no cookie, Korean locale) and the (status, path) of every document it loads."""
    context = chromium.new_context(viewport=VIEWPORT, locale="ko-KR")
    assert context.cookies() == []
    page = context.new_page()
    documents: list[tuple[int, str]] = []

    def record(response: Any) -> None:
        if response.request.resource_type == "document":
            documents.append((response.status, re.sub(r"^https?://[^/]+", "", response.url)))

    page.on("response", record)
    return page, documents


def _log_in(page: Any, key: str) -> None:
    assert page.inner_text("h1") == "목소리 로그인"
    page.fill("#key", key)
    with page.expect_navigation():
        page.click("button[type=submit]")


def _nav_links(page: Any) -> list[str]:
    return [str(link.get_attribute("href")) for link in page.query_selector_all("header nav a")]


def _staff_key(requests: Any, base: str, admin: str) -> str:
    """A new staff key of the sample agency, made through the API with the admin key."""
    created = requests.post(
        f"{base}/api/v1/keys",
        headers={"Authorization": f"Bearer {admin}"},
        data={"role": "staff", "agency": "예시 기관"},
    )
    assert created.status == 201, created.text()
    return str(created.json()["key"])


def test_first_visit_walk_from_a_new_context(server: tuple[str, str], chromium: Any, artifacts: Path) -> None:
    base, key = server
    page, documents = _new_page(chromium)
    page.goto(f"{base}/")
    assert page.url == f"{base}/login?next=/"
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(artifacts / "first-visit-login.png"), full_page=True)
    _log_in(page, key)
    assert page.url == f"{base}/" and page.inner_text("h1") == "주요 애로·건의"
    assert _nav_links(page) == ["/", "/meetings", "/upload", "/review", "/actions", "/alerts", "/candidates", "/docs"]

    page.click("header nav a[href='/meetings']")
    page.wait_for_url(f"{base}/meetings")
    assert page.inner_text("h1").startswith("회의 (")
    page.click("table.data tbody a")
    page.wait_for_url(re.compile(r".*/meetings/\d+$"))
    page.click("header nav a[href='/review']")
    page.wait_for_url(f"{base}/review")
    page.click("form.logout button")
    page.wait_for_url(f"{base}/login")
    assert page.context.cookies() == []

    page.goto(f"{base}/")
    assert page.url == f"{base}/login?next=/"
    assert {status for status, _ in documents} == {200, 303}, documents
    shown = [re.sub(r"/meetings/\d+$", "/meetings/N", path) for status, path in documents if status == 200]
    assert shown == ["/login?next=/", "/", "/meetings", "/meetings/N", "/review", "/login", "/login?next=/"]


def test_first_visit_staff_lands_on_a_page_it_may_use(server: tuple[str, str], chromium: Any, artifacts: Path) -> None:
    base, admin = server
    page, _ = _new_page(chromium)
    staff = _staff_key(page.context.request, base, admin)
    page.goto(f"{base}/")
    _log_in(page, staff)
    assert page.url == f"{base}/meetings" and page.inner_text("h1").startswith("회의 (")
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(artifacts / "first-visit-staff-landing.png"), full_page=True)
    links = _nav_links(page)
    assert "/" not in links and {"/meetings", "/upload", "/review"} <= set(links)
    for link in [*links, str(page.get_attribute("table.data tbody a", "href"))]:
        response = page.goto(f"{base}{link}")
        assert response.status == 200, link
        assert "권한이 없습니다" not in page.content()

    # a deep link asked for before login is where the login brings the visitor
    deep, _ = _new_page(chromium)
    deep.goto(f"{base}/review")
    assert deep.url == f"{base}/login?next=/review"
    _log_in(deep, staff)
    assert deep.url == f"{base}/review"


def test_first_visit_unknown_address_is_the_korean_404(server: tuple[str, str], chromium: Any, artifacts: Path) -> None:
    base, _ = server
    page, _ = _new_page(chromium)
    response = page.goto(f"{base}/nonexistent")
    assert response.status == 404
    assert page.inner_text("h1") == "페이지를 찾을 수 없습니다"
    assert page.get_attribute("#go-home", "href") == "/login"
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(artifacts / "first-visit-404.png"), full_page=True)
