"""Alerts fire once (a rising category at p < 0.01, a new candidate issue, an overdue action), can be acknowledged,
and reach a local webhook: signed, retried after a failure, each alert delivered exactly once."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from analyzer.errors import AnalyzerError
from analyzer.nlp import docs_of
from analyzer.nlp.keyphrases import noun_phrases
from analyzer.services import actions, alerts
from analyzer.services.context import Context
from analyzer.services.webhook import SIGNATURE_HEADER
from analyzer.settings import Settings
from analyzer.store.agencies import agency_id, create_agency
from analyzer.store.tables import units
from tests.store.stored import analysed

SECRET = "webhook-test-secret"
CARBON = [f"탄소 배출량 {word} 부담이 큽니다." for word in ("산정", "보고", "측정", "검증", "교육", "관리")]


class Receiver:
    """A local HTTP server that answers 500 to the first *fail_first* POSTs and records every body."""

    def __init__(self, fail_first: int) -> None:
        self.bodies: list[tuple[bytes, str]] = []
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.bodies.append((body, self.headers.get(SIGNATURE_HEADER, "")))
                failing = len(receiver.bodies) <= receiver.fail_first
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver(fail_first=1)
    yield made
    made.close()


@pytest.fixture
def context(tmp_path: Path, receiver: Receiver) -> Iterator[Context]:
    settings = Settings(data_dir=tmp_path / "data", webhook_url=receiver.url, webhook_secret=SECRET)
    with Context.open(settings) as opened:
        create_agency(opened.engine, "한국산업기술진흥원")
        create_agency(opened.engine, "경남테크노파크")
        yield opened


def _world(context: Context, nlp: Any) -> int:
    version = context.deployed().model_version
    own = agency_id(context.engine, "한국산업기술진흥원")
    analysed(context.engine, ["인력이 부족합니다."], "a", date="2024-04-10", model_version=version)
    rising = [f"숙련 인력 {n}명이 부족합니다." for n in range(12)]
    analysed(context.engine, rising, "b", categories=[["workforce"]] * 12, date="2024-05-10", model_version=version)
    carbon = analysed(context.engine, CARBON, "c", categories=[[]] * 6, date="2024-04-11", model_version=version)
    with context.engine.begin() as conn:
        for unit_id, doc in zip(carbon, docs_of(nlp, CARBON), strict=True):
            conn.execute(update(units).where(units.c.id == unit_id).values(keyphrases=noun_phrases(doc)))
    actions.create_action(context, own, carbon[:1], "탄소 배출 회신", "환경과", "2024-06-01", "staff")
    return own


def test_alerts_fire_once_reach_the_webhook_and_can_be_acknowledged(
    context: Context, receiver: Receiver, nlp: Any
) -> None:
    own = _world(context, nlp)
    first = alerts.scan(context)
    assert first == {"stored": 3, "delivered": 3}
    rows, total = alerts.list_alerts(context, own)
    assert total == 3 and {row["kind"] for row in rows} == {"rising", "candidate", "overdue"}
    rising = next(row for row in rows if row["kind"] == "rising")
    assert rising["detail"]["category"] == "workforce" and rising["detail"]["p_value"] < 0.01
    assert alerts.scan(context) == {"stored": 0, "delivered": 0}  # stored once, sent once
    assert alerts.list_alerts(context, own)[1] == 3

    assert len(receiver.bodies) == 4  # the first POST failed (500) and was tried again
    assert receiver.bodies[0][0] == receiver.bodies[1][0]
    delivered = [json.loads(body) for body, _ in receiver.bodies[1:]]
    assert sorted(d["kind"] for d in delivered) == ["candidate", "overdue", "rising"]
    for body, header in receiver.bodies:
        assert header == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()

    other = agency_id(context.engine, "경남테크노파크")
    assert alerts.list_alerts(context, other)[1] == 0
    with pytest.raises(AnalyzerError) as caught:
        alerts.acknowledge(context, other, rising["id"], "other")
    assert caught.value.code == "alert_not_found"
    done = alerts.acknowledge(context, own, rising["id"], "lead")
    assert done["acknowledged_by"] == "lead" and done["acknowledged_at"] is not None
    assert alerts.acknowledge(context, own, rising["id"], "later")["acknowledged_by"] == "lead"
    assert alerts.list_alerts(context, own, open_only=True)[1] == 2


def test_an_unreachable_webhook_keeps_alerts_for_the_next_scan(tmp_path: Path, nlp: Any) -> None:
    down = Receiver(fail_first=100)
    settings = Settings(data_dir=tmp_path / "data", webhook_url=down.url)
    try:
        with Context.open(settings) as context:
            create_agency(context.engine, "한국산업기술진흥원")
            create_agency(context.engine, "경남테크노파크")
            _world(context, nlp)
            from analyzer.services import webhook

            assert alerts.found_alerts(context, agency_id(context.engine, "한국산업기술진흥원"))
            stored = alerts.scan(context)["stored"]
            assert stored == 3 and len(down.bodies) == webhook.ATTEMPTS  # one alert tried, then the round stops
            assert all(header == "" for _, header in down.bodies)  # no secret, no signature
            down.fail_first = 0
            assert alerts.scan(context) == {"stored": 0, "delivered": 3}
    finally:
        down.close()


def test_scans_running_at_once_send_each_alert_once(tmp_path: Path, nlp: Any) -> None:
    """Two web processes scan at the same moment (both read the same undelivered alerts); a claim per alert lets
    one of them send it. The receiver is slow, so without the claim both would post every alert."""
    slow = Receiver(fail_first=0)
    handler = slow.server.RequestHandlerClass
    original = handler.do_POST  # type: ignore[attr-defined]

    def slow_post(self: Any) -> None:
        time.sleep(0.3)
        original(self)

    handler.do_POST = slow_post  # type: ignore[attr-defined]
    settings = Settings(data_dir=tmp_path / "data", webhook_url=slow.url, webhook_secret=SECRET)
    try:
        with Context.open(settings) as context:
            create_agency(context.engine, "한국산업기술진흥원")
            _world(context, nlp)
            results: list[dict[str, int]] = []
            threads = [threading.Thread(target=lambda: results.append(alerts.scan(context))) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sum(result["delivered"] for result in results) == 3
            assert len(slow.bodies) == 3
            assert sorted(json.loads(body)["kind"] for body, _ in slow.bodies) == ["candidate", "overdue", "rising"]
    finally:
        slow.close()
