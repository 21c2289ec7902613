"""Sending alerts to ``MOKSORI_WEBHOOK_URL``: one JSON POST per alert, signed, retried, each alert sent once.

The body is the alert as JSON (UTF-8); with ``MOKSORI_WEBHOOK_SECRET`` set, the header ``X-Moksori-Signature:
sha256=<hex>`` carries the HMAC-SHA256 of the exact body bytes under that secret, so the receiver can check that
the alert came from this service. A 2xx answer marks the alert delivered; anything else (an error status, a refused
or timed-out connection) is tried again up to :data:`ATTEMPTS` times with a growing pause, then left for the next
round. Alerts hold category labels, counts, key phrases and masked action titles: nothing raw.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any

from analyzer.services.context import Context
from analyzer.store import alerts as store

ATTEMPTS = 3
PAUSE_SECONDS = 0.5
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Moksori-Signature"
#: How long one process holds an alert's delivery: longer than every attempt with its pauses.
CLAIM_SECONDS = ATTEMPTS * TIMEOUT_SECONDS + ATTEMPTS * (ATTEMPTS + 1) / 2 * PAUSE_SECONDS + 30
log = logging.getLogger("moksori.alerts")


def payload(alert: dict[str, Any]) -> bytes:
    """The JSON body of one alert."""
    body = {
        "id": alert["id"],
        "agency_id": alert["agency_id"],
        "kind": alert["kind"],
        "key": alert["key"],
        "title": alert["title"],
        "detail": alert["detail"],
        "created_at": alert["created_at"].isoformat(),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def signature(body: bytes, secret: str) -> str:
    """The header value for *body*: ``sha256=`` and the hex HMAC-SHA256 under *secret*."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def post(url: str, body: bytes, secret: str | None, pause: float = PAUSE_SECONDS) -> bool:
    """POST *body* to *url*, up to :data:`ATTEMPTS` times; whether an attempt got a 2xx answer."""
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "moksori-alerts"}
    if secret:
        headers[SIGNATURE_HEADER] = signature(body, secret)
    for attempt in range(1, ATTEMPTS + 1):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                if 200 <= answer.status < 300:
                    return True
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            log.warning("webhook attempt %s failed: %s", attempt, type(exc).__name__)
        if attempt < ATTEMPTS:
            time.sleep(pause * attempt)
    return False


def deliver(context: Context, pause: float = PAUSE_SECONDS) -> int:
    """Send every undelivered alert to the webhook (none when no URL is set); how many were delivered."""
    url = context.settings.webhook_url
    if not url:
        return 0
    secret = context.settings.webhook_secret.get_secret_value() if context.settings.webhook_secret else None
    delivered = 0
    for alert in store.undelivered(context.engine):
        if not store.claim_delivery(context.engine, alert["id"], CLAIM_SECONDS):
            continue  # another process (a second web worker scanning too) is sending it, or has sent it
        if post(url, payload(alert), secret, pause):
            store.mark_delivered(context.engine, alert["id"])
            delivered += 1
        else:  # the receiver is down: the rest wait for the next scan too
            store.release_delivery(context.engine, alert["id"])
            log.warning("webhook: alert %s not delivered; tried again at the next scan", alert["id"])
            break
    return delivered
