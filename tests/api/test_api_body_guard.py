"""Request bodies are guarded before the app reads them: the key is checked before an upload body is read (401
with nothing pulled), and a streamed (chunked) body over the limit is 413 like a declared one.

The app is called as ASGI with a body source that counts what was pulled from it (the test client would read a
streamed body whole before the app sees it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import httpx
import pytest
from api_support import Keys
from fastapi import FastAPI
from fastapi.testclient import TestClient

from analyzer.settings import Settings

MAX_UPLOAD = 1000
CHUNK = 64 * 1024


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data", uploads_per_minute=1000, failed_auth_per_minute=1000, max_upload_bytes=MAX_UPLOAD
    )


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: dict[str, object]
    pulled: int = 0
    messages: list[str] = field(default_factory=list)


def call(app: FastAPI, headers: dict[str, str], chunks: Iterator[bytes], path: str = "/api/v1/uploads") -> Answer:
    """POST *chunks* to *app* as ASGI; how many body bytes the app pulled, and what it answered."""
    pulled = 0
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        nonlocal pulled
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    anyio.run(app, scope, receive, send)  # type: ignore[arg-type]
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")  # type: ignore[misc]
    answer_headers = {k.decode(): v.decode() for k, v in start["headers"]}  # type: ignore[attr-defined]
    return Answer(int(start["status"]), answer_headers, json.loads(body or b"{}"), pulled)  # type: ignore[call-overload]


def multipart(data: bytes, name: str = "m.txt") -> tuple[str, bytes]:
    """A real multipart upload body (made by httpx) and its content type."""
    request = httpx.Request("POST", "http://testserver/", files={"file": (name, data)}, data={"title": "시험"})
    return request.headers["content-type"], request.read()


def pieces(body: bytes, size: int = CHUNK) -> Iterator[bytes]:
    return (body[i : i + size] for i in range(0, len(body), size))


def endless(head: bytes = b"") -> Iterator[bytes]:
    """*head*, then ``a`` for ever."""
    yield head
    while True:
        yield b"a" * CHUNK


def endless_upload() -> tuple[str, Iterator[bytes]]:
    """A multipart upload whose file part never ends, and its content type."""
    content_type, body = multipart(b"")
    file_part = body.index(b'filename="m.txt"')
    return content_type, endless(body[: body.index(b"\r\n\r\n", file_part) + 4])


@pytest.mark.parametrize("credential", [{}, {"Authorization": "Bearer mks_nope_nope"}, {"X-API-Key": "mks_x_y"}])
@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_upload_without_a_valid_key_is_401_before_the_body_is_read(
    client: TestClient, api_keys: Keys, credential: dict[str, str], declared: bool
) -> None:
    content_type, body = multipart(b"a" * 900 * 1024)  # under the limit: only the key can refuse it
    headers = {"Content-Type": content_type, **credential}
    if declared:
        headers["Content-Length"] = str(len(body))
    else:
        headers["Transfer-Encoding"] = "chunked"
    answer = call(client.app, headers, pieces(body))  # type: ignore[arg-type]
    assert answer.status == 401 and answer.body["code"] == "unauthorized"
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.pulled == 0


@pytest.mark.parametrize("how", ["bearer", "x-api-key", "cookie"])
def test_upload_with_a_valid_key_in_any_form_passes_the_guard(client: TestClient, api_keys: Keys, how: str) -> None:
    content_type, body = multipart("사회자: 시작합니다".encode(), name=f"{how}.txt")
    credential = {
        "bearer": {"Authorization": f"Bearer {api_keys.staff}"},
        "x-api-key": {"X-API-Key": api_keys.staff},
        "cookie": {"Cookie": f"moksori_key={api_keys.staff}"},
    }[how]
    headers = {"Content-Type": content_type, "Content-Length": str(len(body)), **credential}
    answer = call(client.app, headers, pieces(body))  # type: ignore[arg-type]
    assert answer.status == 202, answer.body
    assert answer.pulled == len(body)


def test_other_large_api_bodies_need_a_key_before_they_are_read(client: TestClient) -> None:
    headers = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    answer = call(client.app, headers, pieces(b"{}" * 100_000), path="/api/v1/keys")  # type: ignore[arg-type]
    assert answer.status == 401 and answer.pulled == 0


def test_chunked_body_over_the_limit_is_413(client: TestClient, api_keys: Keys) -> None:
    limit = client.app.user_middleware[0].kwargs["max_bytes"]  # type: ignore[attr-defined]
    content_type, chunks = endless_upload()
    headers = {
        "Content-Type": content_type,
        "Transfer-Encoding": "chunked",
        "Authorization": f"Bearer {api_keys.admin}",
    }
    answer = call(client.app, headers, chunks)  # type: ignore[arg-type]
    assert answer.status == 413, answer.body
    assert answer.body["code"] == "payload_too_large" and answer.body["detail"]
    assert limit < answer.pulled <= limit + CHUNK  # reading stopped at the limit


def test_chunked_body_under_the_limit_is_read_whole(client: TestClient, api_keys: Keys) -> None:
    content_type, body = multipart("사회자: 시작합니다".encode())
    headers = {
        "Content-Type": content_type,
        "Transfer-Encoding": "chunked",
        "Authorization": f"Bearer {api_keys.staff}",
    }
    answer = call(client.app, headers, pieces(body, 7))  # type: ignore[arg-type]
    assert answer.status == 202 and answer.pulled == len(body)
