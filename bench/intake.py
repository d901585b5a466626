"""Typing a phone call into the intake form on an empty store and on a million cases.

Driven by Textual's Pilot: each keystroke is timed from the key being posted to every widget of
the screen having handled it (lookups and drafts run in workers and are not waited for, as an
agent does not wait for them); the ratios compare the same call typed into both stores.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from bench.harness import heading, median, percentile, row
from bench.stores import TODAY, demo_store, scratch
from plaintes_tui.settings import Settings
from plaintes_tui.store.database import open_store
from plaintes_tui.tui.app import PlaintesApp

DESCRIPTION = (
    "J'ai envoyé un courrier le 3 octobre pour signaler un changement d'adresse et je n'ai "
    "reçu aucune réponse. J'ai appelé deux fois : la première fois on m'a dit que le dossier "
    "était en cours, la seconde fois personne ne le retrouvait. Entre-temps, mes courriers "
    "partent toujours à l'ancienne adresse et j'ai reçu un rappel de paiement que je n'ai "
    "jamais vu. Je voudrais que mon adresse soit corrigée et une explication."
)
CALL = [
    ("Dubois", "enter"),
    ("Hélène", "enter"),
    ("0477 84 86 64", "enter"),
    ("helene.dubois@example.be", "enter"),
    ("Rue Haute 12", "enter"),
    ("1000", "enter"),
    ("Bruxelles", "enter"),
]
SUBJECT = "Changement d'adresse non traité"
RUNS = 3


def keys_for(text: str) -> list[str]:
    return [{" ": "space"}.get(ch, ch) for ch in text]


async def type_a_call(path: Path) -> tuple[list[float], float]:
    store = open_store(path, create=True)
    app = PlaintesApp(Settings(), agent="bench", store=store, today=TODAY)
    timings: list[float] = []

    async def press(pilot: Pilot[None], key: str) -> None:
        """Post the key as the terminal driver does and wait until every widget of the screen
        has handled what it caused (Pilot.press would add its idle-detection sleeps)."""
        char = " " if key == "space" else key if len(key) == 1 else None
        start = time.perf_counter()
        pilot.app.post_message(events.Key(key, char))
        await pilot._wait_for_screen()
        timings.append(time.perf_counter() - start)

    async with app.run_test(size=(130, 42)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("f2")
        await pilot.pause()
        for text, after in CALL:
            for key in keys_for(text):
                await press(pilot, key)
            await press(pilot, after)
        screen = app.screen
        screen.query_one("#f-subject").focus()
        for key in keys_for(SUBJECT):
            await press(pilot, key)
        await press(pilot, "tab")
        for key in keys_for(DESCRIPTION):
            await press(pilot, key)
        result = screen.query_one("#intake-result", Static)
        start = time.perf_counter()
        pilot.app.post_message(events.Key("ctrl+s", None))
        while "P-" not in str(result.render()):  # until the agent reads the reference
            await asyncio.sleep(0.001)
        saved = time.perf_counter() - start
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("n")  # "check admissibility now?" — later
    store.close()
    return timings, saved


def measure(path: Path) -> tuple[float, float, float, int]:
    keys: list[float] = []
    saves: list[float] = []
    for _ in range(RUNS):
        timings, saved = asyncio.run(type_a_call(path))
        keys.extend(timings)
        saves.append(saved)
    return median(keys), percentile(keys, 99), min(saves), len(keys) // RUNS


def main() -> None:
    empty = scratch("empty.db")
    open_store(empty, create=True).close()
    big, _ = demo_store(1_000_000)
    heading("Intake: a phone call typed key by key (Pilot, 130x42, 3 calls each)")
    small_median, small_p99, small_save, count = measure(empty)
    big_median, big_p99, big_save, _ = measure(big)
    print(f"  ({count} keystrokes a call, {len(DESCRIPTION)}-character description)")
    row("keystroke, median, empty store (baseline)", small_median)
    row("keystroke, median, 1,000,000 cases", big_median, small_median, limit=1.5)
    row("keystroke, 99th percentile, empty store (baseline)", small_p99)
    row("keystroke, 99th percentile, 1,000,000 cases", big_p99, small_p99, limit=1.5)
    row("save, empty store (baseline)", small_save)
    row("save, 1,000,000 cases", big_save, small_save, limit=1.5)
