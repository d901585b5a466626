"""From `plaintes` typed to the queue drawn, beside a minimal Textual app started the same way.

Both run in a new Python process, headless, and exit right after their first screen is drawn:
the figure is the whole wall time an agent waits, interpreter start and imports included.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench.harness import heading, row
from bench.stores import demo_store, scratch

REPEAT = 9
LIMIT = 1.5

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header, Static


class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)


Minimal().run(headless=True, size=(150, 40))
"""

# The real command line; the app exits once the queue has drawn its first rows.
PLAINTES = """
import sys
from plaintes_tui import cli
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.queue import QueueScreen

install, run = QueueScreen._install, PlaintesApp.run


def installed(self, *args):
    install(self, *args)
    self.call_after_refresh(self.app.exit)


QueueScreen._install = installed
PlaintesApp.run = lambda self, **kw: run(self, headless=True, size=(150, 40))
raise SystemExit(cli.main(["--config", sys.argv[2], "--db", sys.argv[1]]))
"""


def _wall(code: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    heading(f"start-up: the command to the first drawn screen (best of {REPEAT})")
    path: Path = demo_store(2_000)[0]
    settings = scratch("startup.toml")  # whoever runs the bench comes in as an agent
    settings.write_text('[agents]\nunlisted = "agent"\n', encoding="utf-8")
    baseline = ours = float("inf")
    for _ in range(REPEAT):  # taken in turns, so that both meet the same machine
        baseline = min(baseline, _wall(MINIMAL))
        ours = min(ours, _wall(PLAINTES, str(path), str(settings)))
    row("minimal Textual app (header, text, footer)", baseline)
    row("plaintes: the queue of a 2,000-case store", ours, baseline, LIMIT)
