"""What the browser tests share: `moksori serve` on a free port (with its first admin key) and headless Chromium
(Debian's, driven by Playwright). Screenshots go under test-artifacts/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api_support import first_run_key

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The base address of a fresh `moksori serve` and the admin key it printed."""
    port = _free_port()
    env = {**os.environ, "MOKSORI_HOME": str(tmp_path / "home")}
    process = subprocess.Popen(
        [sys.executable, "-m", "analyzer.cli", "serve", "--port", str(port), "--data-dir", str(tmp_path / "data")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 60
    key = first_run_key(process, deadline)
    base = f"http://127.0.0.1:{port}"
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield base, key
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture()
def artifacts() -> Path:
    """Where screenshots go (test-artifacts/ at the project root)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture()
def chromium() -> Iterator[Any]:
    """Headless Chromium (a Playwright ``Browser``); each test opens its own contexts, so no cookie is shared."""
    if not Path(CHROMIUM).exists() and os.environ.get("CI") != "true":
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def logged_in(chromium: Any, base: str, key: str) -> tuple[Any, Any]:
    """A new browser context (Korean locale, 1280×900) and its page, logged in with *key* through the login form."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#key", key)
    with page.expect_navigation():
        page.click("button[type=submit]")
    return context, page
