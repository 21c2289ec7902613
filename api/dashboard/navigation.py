"""Which dashboard pages a caller may use: the navigation, the landing page of each role, and safe ``next`` paths."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from api.security import Caller


@dataclass(frozen=True)
class Page:
    """A dashboard page: where it is, its Korean label and the scopes its route needs."""

    path: str
    label: str
    scopes: tuple[str, ...]


OVERVIEW = Page("/", "주요 애로·건의", ("findings:read",))
MEETINGS = Page("/meetings", "회의", ("meetings:read",))
UPLOAD = Page("/upload", "파일 올리기", ("upload",))
REVIEW = Page("/review", "검토 필요", ("units:read", "corrections:write"))
ACTIONS = Page("/actions", "조치 현황", ("actions:read",))
ALERTS = Page("/alerts", "알림", ("alerts:read",))
CANDIDATES = Page("/candidates", "새 범주 후보", ("findings:read",))
DOCS = Page("/docs", "API 문서", ())
#: One meeting's page (``/meetings/{id}``): its units need ``units:read`` besides the meeting.
MEETING_SCOPES = ("meetings:read", "units:read")
LOGIN = Page("/login", "로그인", ())

#: The header's links, in order.
NAVIGATION = (OVERVIEW, MEETINGS, UPLOAD, REVIEW, ACTIONS, ALERTS, CANDIDATES, DOCS)
#: Where a role lands after login: the first of these it may use.
LANDING_ORDER = (OVERVIEW, MEETINGS, REVIEW, UPLOAD, DOCS)
ROLE_LABELS = {"staff": "실무자", "leadership": "관리자", "researcher": "연구자", "admin": "시스템 관리자"}
NEXT_MAX_LENGTH = 2000


def may(who: Caller | None, scopes: tuple[str, ...]) -> bool:
    """Whether *who* holds every scope in *scopes*."""
    return who is not None and set(scopes) <= who.scopes


def navigation(who: Caller | None) -> list[Page]:
    """The header links *who* may follow (none without a session)."""
    return [page for page in NAVIGATION if may(who, page.scopes)] if who else []


def landing(who: Caller | None) -> Page:
    """The first page *who* may use; the login page without a session."""
    if who is None:
        return LOGIN
    return next(page for page in LANDING_ORDER if may(who, page.scopes))


def safe_next(value: str | None) -> str | None:
    """*value* when it is a path on this site (one leading ``/``, no scheme, host, backslash or control
    character), else ``None``: the login page never redirects elsewhere."""
    if not value or len(value) > NEXT_MAX_LENGTH or not value.startswith("/") or value.startswith("//"):
        return None
    if "\\" in value or any(ord(char) < 0x21 or ord(char) == 0x7F for char in value):
        return None
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else None


def login_location(wanted: str | None, error: str = "") -> str:
    """The login page (showing *error*, a problem code) that brings the visitor back to *wanted* afterwards."""
    query = [f"error={quote(error, safe='')}"] if error else []
    query += [f"next={quote(wanted, safe='/')}"] if wanted else []
    return f"{LOGIN.path}?{'&'.join(query)}" if query else LOGIN.path
