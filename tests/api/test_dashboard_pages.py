"""Dashboard pages for every visitor: no session → the login page and back, every role lands on a page it may use,
the header links only pages the role may use, and errors outside /api/v1 are Korean HTML pages (403, 404, 500 with
an error id in the log) while under /api/v1 they stay problem details."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
from api_support import Keys, auth
from fastapi.testclient import TestClient
from httpx import Response
from hypothesis import given
from hypothesis import strategies as st

from analyzer.settings import Settings
from api.app import create_app
from api.dashboard.navigation import safe_next

PAGES = ["/", "/meetings", "/meetings/3", "/review", "/upload", "/meetings?kind=survey&x=1", "/actions", "/actions/1"]
PAGES += ["/alerts", "/candidates"]
LANDING = {"admin": "/", "leadership": "/", "researcher": "/", "staff": "/meetings"}
NAVIGATION = {
    "admin": ["/", "/meetings", "/upload", "/review", "/actions", "/alerts", "/candidates", "/docs"],
    "staff": ["/meetings", "/upload", "/review", "/actions", "/alerts", "/docs"],
    "leadership": ["/", "/meetings", "/actions", "/alerts", "/candidates", "/docs"],
    "researcher": ["/", "/meetings", "/candidates", "/docs"],
}
OFF_SITE = [
    "//evil.example/",
    "https://evil.example/",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\r\nSet-Cookie: x=1",
    " /meetings",
    "javascript:alert(1)",
    "evil.example",
    "",
]
ERROR_ID = re.compile(r'id="error-id">([0-9a-f]{8})<')


def _login(client: TestClient, key: str, next_path: str = "") -> str:
    response = client.post("/login", data={"key": key, "next": next_path}, follow_redirects=False)
    assert response.status_code == 303
    return str(response.headers["location"])


def _nav_links(html: str) -> list[str]:
    nav = re.search(r"<nav>(.*?)</nav>", html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []


def _is_korean_page(response: Response) -> bool:
    return response.headers["content-type"].startswith("text/html") and '<html lang="ko">' in response.text


@pytest.fixture()
def meeting_id(client: TestClient, api_keys: Keys) -> int:
    response = client.post(
        "/api/v1/uploads",
        headers=auth(api_keys.staff),
        files={"file": ("m.txt", "사회자: 시작합니다\n○ 김OO 대표: 장비 예약이 어렵습니다.".encode())},
        data={"title": "첫 방문 시험"},
    )
    assert response.status_code == 202, response.text
    return int(response.json()["meeting_id"])


@pytest.mark.parametrize("path", PAGES)
def test_dashboard_page_without_session_redirects_to_login(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=" + quote(path, safe="/")
    login = client.get(response.headers["location"])
    assert login.status_code == 200 and _is_korean_page(login) and "API 키" in login.text
    assert f'name="next" value="{path.replace("&", "&amp;")}"' in login.text


@pytest.mark.parametrize("path", PAGES[1:])
def test_dashboard_login_returns_to_the_page_asked_for(client: TestClient, api_keys: Keys, path: str) -> None:
    assert _login(client, api_keys.admin, path) == path
    assert client.cookies.get("moksori_key") == api_keys.admin


@pytest.mark.parametrize("next_path", OFF_SITE)
def test_dashboard_login_never_redirects_off_site(client: TestClient, api_keys: Keys, next_path: str) -> None:
    assert _login(client, api_keys.admin, next_path) == "/"
    assert 'name="next"' not in client.get("/login", params={"next": next_path}).text


@given(st.text(alphabet="/\\:.@?#%e\t\n\r x", max_size=12))
def test_dashboard_safe_next_stays_on_this_site(value: str) -> None:
    kept = safe_next(value)
    if kept is not None:
        base = "http://moksori.test/meetings/3"
        assert urlsplit(urljoin(base, kept)).netloc == "moksori.test"
        # what a browser makes of it: tabs and newlines dropped, a backslash read as a slash
        browser = re.sub(r"[\t\n\r]", "", kept).replace("\\", "/")
        assert browser.startswith("/") and not browser.startswith("//")


@given(st.from_regex(r"\A/[a-z0-9가-힣_-]+(/[0-9]+)?(\?[a-z]+=[0-9a-z]+)?\Z"))
def test_dashboard_safe_next_keeps_local_paths(value: str) -> None:
    assert safe_next(value) == value


@pytest.mark.parametrize("role", sorted(LANDING))
def test_dashboard_every_role_lands_on_a_page_it_may_use(client: TestClient, api_keys: Keys, role: str) -> None:
    landed = _login(client, getattr(api_keys, role), "/")
    assert landed == LANDING[role]
    page = client.get(landed, follow_redirects=False)
    assert page.status_code == 200 and _is_korean_page(page)
    home = client.get("/", follow_redirects=False)  # the brand link: a page the role may use, never a 403
    assert home.status_code == 200 if landed == "/" else home.headers["location"] == landed


@pytest.mark.parametrize("role", sorted(NAVIGATION))
def test_dashboard_navigation_links_only_usable_pages(
    client: TestClient, api_keys: Keys, meeting_id: int, role: str
) -> None:
    landed = _login(client, getattr(api_keys, role))
    links = _nav_links(client.get(landed).text)
    assert links == NAVIGATION[role]
    meeting_links = re.findall(r'href="(/meetings/\d+)"', client.get("/meetings").text)
    assert (f"/meetings/{meeting_id}" in meeting_links) == (role != "leadership")
    for link in links + meeting_links:
        assert client.get(link, follow_redirects=False).status_code == 200, (role, link)


def test_dashboard_forbidden_page_is_korean_html_with_a_usable_link(
    client: TestClient, api_keys: Keys, meeting_id: int
) -> None:
    for role, path in [("researcher", "/upload"), ("leadership", f"/meetings/{meeting_id}"), ("leadership", "/review")]:
        client.cookies.clear()
        _login(client, getattr(api_keys, role))
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 403 and _is_korean_page(response), (role, path)
        assert "권한이 없습니다" in response.text
        home = re.search(r'id="go-home" href="([^"]+)"', response.text)
        assert home and client.get(home.group(1), follow_redirects=False).status_code == 200
        assert _nav_links(response.text) == NAVIGATION[role]


def test_dashboard_other_agency_meeting_is_korean_404(client: TestClient, api_keys: Keys, meeting_id: int) -> None:
    _login(client, api_keys.other_staff)
    response = client.get(f"/meetings/{meeting_id}")
    assert response.status_code == 404 and _is_korean_page(response) and "페이지를 찾을 수 없습니다" in response.text


@pytest.mark.parametrize("path", ["/nonexistent", "/meetings/3/extra", "/static/none.css", "/api", "/api/v2/x"])
def test_dashboard_unknown_page_is_korean_html_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and _is_korean_page(response)
    assert "페이지를 찾을 수 없습니다" in response.text and "Not Found" not in response.text
    assert 'href="/login"' in response.text  # no session: the way in


def test_dashboard_errors_under_api_stay_problem_details(client: TestClient, api_keys: Keys) -> None:
    missing = client.get("/api/v1/nonexistent")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "not_found"
    assert client.get("/api/v1/findings").json()["code"] == "unauthorized"
    forbidden = client.get("/api/v1/findings", headers=auth(api_keys.staff))
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"


def _boom() -> None:
    raise RuntimeError("boom-secret-detail")


def test_dashboard_unexpected_error_is_korean_500_with_logged_id(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings)
    app.add_api_route("/boom", _boom)
    app.add_api_route("/api/v1/boom", _boom)
    caplog.set_level(logging.ERROR, logger="moksori.errors")
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom")
        api = client.get("/api/v1/boom")
    assert page.status_code == 500 and _is_korean_page(page) and "예상하지 못한 오류" in page.text
    found = ERROR_ID.search(page.text)
    assert found
    assert api.status_code == 500 and api.headers["content-type"] == "application/problem+json"
    assert api.json()["code"] == "internal_error"
    api_id = re.search(r"오류 번호 ([0-9a-f]{8})", api.json()["detail"])
    assert api_id
    for error_id in (found.group(1), api_id.group(1)):
        record = next(r for r in caplog.records if error_id in r.getMessage())
        assert record.exc_info and "boom-secret-detail" in str(record.exc_info[1])
    for body in (page.text, api.text):
        assert "Traceback" not in body and "boom-secret-detail" not in body and "Internal Server Error" not in body


def test_dashboard_first_visits_do_not_count_as_failed_logins(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", failed_auth_per_minute=2)
    with TestClient(create_app(settings)) as client:
        for _ in range(5):
            assert client.get("/", follow_redirects=False).status_code == 303
        refused = _login(client, "mks_wrong")
        assert refused.startswith("/login?error=unauthorized")
        assert "API 키가 없거나 올바르지 않습니다" in client.get(refused).text


def test_dashboard_logout_ends_the_session(client: TestClient, api_keys: Keys) -> None:
    _login(client, api_keys.admin)
    assert client.get("/", follow_redirects=False).status_code == 200
    response = client.post("/logout", follow_redirects=False)
    assert response.headers["location"] == "/login"
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=/"
