"""`plaintes serve` in a real headless browser: the agent the proxy names opens the queue,
F2 opens the form, and a typed complaint is saved in the store as theirs.

The page draws the terminal on a canvas; the test reads what the app sends it (the bytes
arriving on the page's websocket) as the browser receives them.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.factories import add_case, new_store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
KEY = "proxy-key-for-the-test"
# `plaintes serve` runs as the service account: here, the account running the tests.
SETTINGS = """
[agents]
service_account = "{account}"

[agents.directory.marie]
name = "Marie Leroy"

[serve]
user_header = "X-Remote-User"
proxy_key_file = "{key}"
"""
# Keeps what the app sends to the page, as text, for the test to read.
RECORD_SCREEN = """
window.__screen = "";
const NativeSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeSocket(...args);
  const decoder = new TextDecoder();
  socket.addEventListener("message", (event) => {
    if (event.data instanceof ArrayBuffer) window.__screen += decoder.decode(event.data);
    else if (typeof event.data === "string") window.__screen += event.data;
  });
  return socket;
};
window.WebSocket.prototype = NativeSocket.prototype;
"""
WAIT_MS = 60_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(isolated: Path) -> Iterator[tuple[str, Path]]:
    (isolated / "data").mkdir()
    config = isolated / "data" / "plaintes.toml"
    key = isolated / "data" / "proxy.key"
    key.write_text(KEY + "\n", encoding="utf-8")
    key.chmod(0o600)
    account = pwd.getpwuid(os.getuid()).pw_name
    config.write_text(SETTINGS.format(account=account, key=key), encoding="utf-8")
    store = new_store(isolated / "data")
    add_case(store, date(2026, 11, 20))
    store.close()
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "plaintes_tui",
            "--config",
            str(config),
            "serve",
            "--port",
            str(port),
        ],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=isolated,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(300):  # at most 30 s for the server to listen
            if process.poll() is not None:
                pytest.fail(f"plaintes serve ended: {process.stderr.read().decode()}")  # type: ignore[union-attr]
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield url, isolated / "data" / "plaintes.db"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def wait_for_screen(page: Page, text: str) -> None:
    try:
        page.wait_for_function(
            "(text) => window.__screen.includes(text)", arg=text, timeout=WAIT_MS
        )
    except Exception:
        received = page.evaluate("() => window.__screen")
        pytest.fail(f"never shown: {text!r}; the page received: {received[-3000:]!r}")


def test_a_request_past_the_proxy_is_refused(server: tuple[str, Path]) -> None:
    url, _ = server
    request = urllib.request.Request(url, headers={"X-Remote-User": "marie"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403


def test_a_key_with_a_character_outside_ascii_is_refused_not_a_server_error(
    server: tuple[str, Path],
) -> None:
    url, _ = server
    headers = {"X-Remote-User": "marie", "X-Plaintes-Proxy-Key": "clé"}
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30)
    assert refused.value.code == 403


def test_a_login_the_directory_refuses_is_told_why_in_the_page(server: tuple[str, Path]) -> None:
    url, _ = server
    headers = {"X-Remote-User": "<b>paul</b>", "X-Plaintes-Proxy-Key": KEY}
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30)
    page = refused.value.read().decode()
    assert refused.value.code == 403
    assert "n&#x27;est pas dans l&#x27;annuaire des agents" in page
    assert "&lt;b&gt;paul&lt;/b&gt;" in page and "<b>paul" not in page  # data, never markup


def test_the_page_asks_nothing_of_another_server(server: tuple[str, Path]) -> None:
    """The font comes from this server: no agent's browser asks Google for it."""
    url, _ = server
    headers = {"X-Remote-User": "marie", "X-Plaintes-Proxy-Key": KEY}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as page:
        text = page.read().decode()
    assert "googleapis" not in text and "RobotoMono-VariableFont_wght.ttf" in text
    assert not [
        u for u in re.findall(r'(?:src|href)="(https?://[^"]+)"', text) if "127.0.0.1" not in u
    ]


@pytest.mark.slow
def test_the_queue_in_a_browser_then_a_complaint_typed_and_saved(
    server: tuple[str, Path],
) -> None:
    url, db = server
    assert Path(CHROMIUM).exists(), "Chromium is needed: apt-get install chromium (see .ci/run)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            context = browser.new_context(
                viewport={"width": 1400, "height": 900},
                extra_http_headers={"X-Remote-User": "marie", "X-Plaintes-Proxy-Key": KEY},
            )
            context.route("https://fonts.googleapis.com/**", lambda route: route.abort())
            page = context.new_page()
            page.add_init_script(RECORD_SCREEN)
            page.goto(url)
            wait_for_screen(page, "File des échéances")
            wait_for_screen(page, "marie")  # the agent the proxy named, in the title bar
            wait_for_screen(page, "DUBOIS")
            page.click(".textual-terminal")
            page.keyboard.press("F2")
            wait_for_screen(page, "Nouvelle plainte")
            for text, key in (
                ("Lambert", "Enter"),
                ("Marie", "Enter"),
                ("0478 12 34 56", "PageDown"),  # nobody known: no question of a second record
                ("1", None),
                ("Pas de réponse depuis septembre", "Enter"),
                ("Mon courrier du 3 septembre est resté sans réponse.", "Control+s"),
            ):
                page.keyboard.type(text, delay=5)
                if key == "Control+s":  # from now on, only what the save shows
                    page.evaluate("() => { window.__screen = ''; }")
                if key:
                    page.keyboard.press(key)
            wait_for_screen(page, "enregistr")  # « Plainte P-2026-… enregistrée »
        finally:
            browser.close()
    from plaintes_tui.store.database import open_store

    with open_store(db) as store:
        saved = store.connection.execute(
            "SELECT subject, logged_by FROM cases ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert saved == ("Pas de réponse depuis septembre", "marie")
