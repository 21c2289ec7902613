"""A pure ASGI middleware that guards request bodies before the app reads them.

Starlette puts no limit on uploaded parts, and FastAPI reads a whole form before any dependency runs (so before
the API key is checked). This middleware therefore:

* refuses with 413 ``payload_too_large`` any body over ``max_bytes``, whether declared (``Content-Length``) or
  streamed (chunked): the app's own answer to a body cut short is replaced by the 413;
* checks the API key from the headers (``Authorization: Bearer``, ``X-API-Key``, cookie ``moksori_key``) before
  a single body byte is read, for uploads and for any other API request whose body is large or of unknown length,
  answering 401 ``unauthorized`` (or 429 when the client has failed too often) with the body left unread.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from analyzer.store.keys import verify
from api.problems import API_CODES, problem
from api.security import COOKIE

#: Bodies up to this size may reach the app before the key is checked (the app checks it anyway).
SMALL_BODY = 64 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """413 for bodies over ``max_bytes``; 401 before the body is read for unauthenticated large API bodies."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        api_prefix: str = "/api/v1",
        upload_path: str = "/api/v1/uploads",
        small_body: int = SMALL_BODY,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.api_prefix = api_prefix
        self.upload_path = upload_path
        self.small_body = small_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(scope, receive, send, 413, "payload_too_large", {"Connection": "close"})
            return
        if self._needs_key_first(scope, declared) and not await self._authenticated(scope, headers):
            await self._unauthenticated(scope, receive, send)
            return
        await self._limited(scope, receive, send)

    def _needs_key_first(self, scope: Scope, declared: str | None) -> bool:
        """Uploads, and API bodies that are large or of unknown length (chunked)."""
        if scope["method"] not in BODY_METHODS or not scope["path"].startswith(self.api_prefix):
            return False
        if scope["path"].rstrip("/") == self.upload_path:
            return True
        return declared is None or not declared.isdigit() or int(declared) > self.small_body

    @staticmethod
    async def _authenticated(scope: Scope, headers: Headers) -> bool:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        bearer = token.strip() if scheme.lower() == "bearer" else ""
        plaintext = bearer or headers.get("x-api-key") or cookie_parser(headers.get("cookie", "")).get(COOKIE)
        if not plaintext:
            return False
        engine = scope["app"].state.context.engine
        return await run_in_threadpool(verify, engine, plaintext, datetime.now(UTC)) is not None

    @staticmethod
    async def _unauthenticated(scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if not scope["app"].state.failed_auth.allow(client[0] if client else "unknown"):
            await _refuse(scope, receive, send, 429, "rate_limited", {"Retry-After": "60", "Connection": "close"})
            return
        extra = {"WWW-Authenticate": "Bearer", "Connection": "close"}
        await _refuse(scope, receive, send, 401, "unauthorized", extra)

    async def _limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app on a receive that stops at ``max_bytes``; past it, the app's answer is dropped for a 413."""
        seen = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the app's answer to a body it never got whole (FastAPI makes it a 400)
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not exceeded:  # BodyTooLarge, or what the app made of it, is answered below
                raise
        if exceeded and not started:
            await _refuse(scope, receive, send, 413, "payload_too_large", {"Connection": "close"})


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, code: str, headers: dict[str, str]) -> None:
    await problem(status, code, API_CODES[code][1], headers)(scope, receive, send)
