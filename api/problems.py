"""One error shape for the whole API: RFC 9457 problem details with a stable ``code`` and a Korean ``detail``."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from analyzer.errors import AnalyzerError

MEDIA_TYPE = "application/problem+json"
API_PREFIX = "/api/v1"

API_CODES: dict[str, tuple[int, str]] = {
    "unauthorized": (401, "API 키가 없거나 올바르지 않습니다."),
    "forbidden": (403, "이 작업을 할 권한이 없습니다."),
    "not_found": (404, "요청한 항목을 찾을 수 없습니다."),
    "payload_too_large": (413, "요청 본문이 허용 크기를 넘었습니다."),
    "rate_limited": (429, "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."),
    "invalid_request": (422, "요청 형식이 올바르지 않습니다."),
    "bad_request": (400, "요청을 해석할 수 없습니다."),
    "deploy_refused": (409, "새 모델이 현재 모델보다 나빠 배포를 거부했습니다."),
    "method_not_allowed": (405, "허용되지 않는 요청 방식입니다."),
    "internal_error": (500, "예상하지 못한 오류가 났습니다. 문제가 계속되면 오류 번호를 관리자에게 알려 주세요."),
    "invalid_date": (422, "날짜가 올바르지 않습니다. 실제 있는 날짜를 YYYY-MM-DD 형식으로 입력해 주세요."),
}


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    code: str


class ApiProblem(Exception):
    """An API error with a code of :data:`API_CODES`."""

    def __init__(self, code: str, detail: str = "", headers: dict[str, str] | None = None) -> None:
        self.code = code
        self.status, message = API_CODES[code]
        self.detail = f"{message} ({detail})" if detail else message
        self.headers = headers
        super().__init__(code)


def problem(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = Problem(type=f"/errors/{code}", title=code, status=status, detail=detail, code=code)
    return JSONResponse(body.model_dump(), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def is_api(request: Request) -> bool:
    """Whether *request* is for the API (problem details) rather than a dashboard page (HTML)."""
    path = request.url.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def record_unexpected(request: Request, error: BaseException) -> str:
    """Log an unexpected error with its traceback under a new error id (8 hex digits) and return the id: the
    answer shows the id, never the traceback."""
    error_id = secrets.token_hex(4)
    logging.getLogger("moksori.errors").error(
        "unexpected error %s on %s %s", error_id, request.method, request.url.path, exc_info=error
    )
    return error_id


def status_of(error: AnalyzerError) -> int:
    """The HTTP status of a library error: its class's (see :mod:`analyzer.errors`)."""
    return error.status


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route: the listed statuses, plus 400 and 422 (malformed requests), documented
    as problem details."""
    return {
        code: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": "문제 상세 (RFC 9457)"}
        for code in sorted({*codes, 400, 422})
    }


def allowed_methods(request: Request) -> str:
    """Every method some route accepts on this path (Starlette's own 405 names only the first match's)."""
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({"type": "http", "path": request.url.path, "method": "_"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem details."""

    @app.exception_handler(ApiProblem)
    async def _api(_: Request, error: ApiProblem) -> JSONResponse:
        return problem(error.status, error.code, error.detail, error.headers)

    @app.exception_handler(AnalyzerError)
    async def _analyzer(_: Request, error: AnalyzerError) -> JSONResponse:
        return problem(status_of(error), error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        where = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in error.errors()[:3])
        return problem(422, "invalid_request", f"{API_CODES['invalid_request'][1]} ({where})")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            error.status_code, "invalid_request"
        )
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return problem(error.status_code, code, API_CODES[code][1], headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        error_id = record_unexpected(request, error)
        return problem(500, "internal_error", f"{API_CODES['internal_error'][1]} (오류 번호 {error_id})")
