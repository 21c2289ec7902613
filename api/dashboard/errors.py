"""Errors outside /api/v1 are Korean HTML pages (login redirect, 403 with a usable link, 404, 500 with an error id);
under /api/v1 they stay the problem details of :mod:`api.problems`."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import SecurityScopes
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from analyzer.errors import AnalyzerError
from api.dashboard.navigation import landing, login_location
from api.dashboard.rendering import render
from api.problems import API_CODES, ApiProblem, is_api, record_unexpected, status_of
from api.security import COOKIE, Caller, caller

Handler = Callable[[Request, Any], Response | Awaitable[Response]]
TITLES = {403: "이 페이지를 볼 권한이 없습니다", 404: "페이지를 찾을 수 없습니다", 500: "예상하지 못한 오류가 났습니다"}
MESSAGES = {
    403: "지금 로그인한 역할로는 이 페이지를 쓸 수 없습니다. 아래 링크의 페이지는 쓸 수 있습니다.",
    404: "주소가 잘못되었거나 없는 페이지입니다. 주소를 확인하거나 아래 링크로 이동하세요.",
    500: "잠시 뒤 다시 시도해 주세요. 문제가 계속되면 아래 오류 번호를 관리자에게 알려 주세요.",
}
FALLBACK_500 = (
    '<!doctype html><html lang="ko"><meta charset="utf-8"><title>오류 · 목소리</title>'
    '<h1>예상하지 못한 오류가 났습니다</h1><p>오류 번호: <code>{}</code></p><p><a href="/">첫 화면으로</a></p></html>'
)


class PageRedirect(Exception):
    """Raised by page dependencies; answered with a 303 to ``location``."""

    def __init__(self, location: str) -> None:
        self.location = location
        super().__init__(location)


class LoginRequired(PageRedirect):
    """No valid session: to the login page, and back to the page asked for afterwards."""

    def __init__(self, request: Request) -> None:
        query = request.url.query
        super().__init__(login_location(f"{request.url.path}?{query}" if query else request.url.path))


def visitor(request: Request) -> Caller | None:
    """Who is looking at an error page: the caller a page dependency found, else the session cookie's, if valid."""
    found: Caller | None = getattr(request.state, "who", None)
    cookie = request.cookies.get(COOKIE)
    if found is not None or not cookie:
        return found
    try:
        return caller(SecurityScopes([]), request, request.app.state.context.engine, None, None, cookie)
    except ApiProblem:
        return None


def error_page(
    request: Request, status: int, who: Caller | None, error_id: str = "", headers: dict[str, str] | None = None
) -> Response:
    """The Korean HTML page of an error *status*, with a link to a page *who* may use."""
    default = next((text for code_status, text in API_CODES.values() if code_status == status), MESSAGES[404])
    context = {
        "status": status,
        "title": TITLES.get(status, "요청을 처리할 수 없습니다"),
        "message": MESSAGES.get(status, default),
        "home": landing(who),
        "error_id": error_id,
    }
    response = render(request, "error.html", who, status_code=status, **context)
    response.headers.update(headers or {})
    return response


def _known_error(request: Request, error: Exception) -> Response:
    if isinstance(error, ApiProblem):
        return error_page(request, error.status, visitor(request), headers=error.headers)
    if isinstance(error, AnalyzerError):
        return error_page(request, status_of(error), visitor(request))
    if isinstance(error, StarletteHTTPException):
        return error_page(request, error.status_code, visitor(request), headers=dict(error.headers or {}))
    return error_page(request, 422, visitor(request))


def _unexpected_error(request: Request, error: Exception) -> Response:
    error_id = record_unexpected(request, error)
    try:
        return error_page(request, 500, getattr(request.state, "who", None), error_id)
    except Exception:
        return HTMLResponse(FALLBACK_500.format(error_id), status_code=500)


def _pages_or(api_handler: Handler, page_handler: Callable[[Request, Exception], Response]) -> Handler:
    async def handler(request: Request, error: Exception) -> Response:
        if not is_api(request):
            return await run_in_threadpool(page_handler, request, error)
        answer = api_handler(request, error)
        return await answer if inspect.isawaitable(answer) else answer

    return handler


async def _redirect(_: Request, redirect: PageRedirect) -> Response:
    return RedirectResponse(redirect.location, status_code=303)


def install(app: FastAPI) -> None:
    """Answer errors of dashboard pages with HTML; call after :func:`api.problems.install`, whose handlers stay
    in charge of every path under /api/v1."""
    app.add_exception_handler(PageRedirect, _redirect)  # type: ignore[arg-type]
    for kind in (ApiProblem, AnalyzerError, RequestValidationError, StarletteHTTPException):
        app.add_exception_handler(kind, _pages_or(app.exception_handlers[kind], _known_error))
    app.add_exception_handler(Exception, _pages_or(app.exception_handlers[Exception], _unexpected_error))
