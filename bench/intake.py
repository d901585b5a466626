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
from plaintes_tui.tui.dialogs.confirm import ConfirmDialog

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


async def type_a_call(path: Path) -> tuple[list[float], float, bool]:
    """The call typed key by key as an agent types it (to the subject's list with pagedown,
    a digit for the subject, tab to the description): each key's time, the save's, and
    whether the case was saved exactly as typed."""
    store = open_store(path, create=True)
    app = PlaintesApp(Settings(), agent="bench", store=store, today=TODAY)
    timings: list[float] = []

    async def press(pilot: Pilot[None], key: str) -> None:
        """Post the key as the terminal driver does and wait until the app has applied it
        (keys are applied one at a time, in order) and every widget of the screen has
        handled what it caused (Pilot.press would add its idle-detection sleeps)."""
        char = " " if key == "space" else key if len(key) == 1 else None
        start = time.perf_counter()
        pilot.app.post_message(events.Key(key, char))
        while app.keys_pending:
            if time.perf_counter() - start > 10:  # bounded: a key never applied is reported
                raise RuntimeError(f"the key {key!r} was not applied within 10 s")
            await asyncio.sleep(0)
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
        for key in ("pagedown", "1", *keys_for(SUBJECT), "tab", *keys_for(DESCRIPTION)):
            await press(pilot, key)
        result = app.screen.query_one("#intake-result", Static)
        start = time.perf_counter()
        pilot.app.post_message(events.Key("ctrl+s", None))
        deadline = start + 60  # bounded: a save that never ends is reported, not waited for
        while "P-" not in str(result.render()):  # until the agent reads the reference
            if isinstance(app.screen, ConfirmDialog):  # the caller is known (a run before,
                app.screen.dismiss(True)  # or a namesake among a million): a new record
            if time.perf_counter() > deadline:
                raise RuntimeError("the call was not saved within 60 s")
            await asyncio.sleep(0.001)
        saved = time.perf_counter() - start
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("n")  # "check admissibility now?" — later
    last = store.connection.execute(
        "SELECT p.last_name, p.town, c.subject, c.description FROM cases AS c "
        "JOIN complainants AS p ON p.id = c.complainant_id ORDER BY c.id DESC LIMIT 1"
    ).fetchone()
    store.close()
    as_typed = tuple(last or ()) == ("Dubois", "Bruxelles", SUBJECT, DESCRIPTION)
    return timings, saved, as_typed


def measure(path: Path) -> tuple[float, float, float, int, bool]:
    keys: list[float] = []
    saves: list[float] = []
    as_typed = True
    for _ in range(RUNS):
        timings, saved, right = asyncio.run(type_a_call(path))
        keys.extend(timings)
        saves.append(saved)
        as_typed = as_typed and right
    return median(keys), percentile(keys, 99), min(saves), len(keys) // RUNS, as_typed


def main() -> None:
    empty = scratch("empty.db")
    open_store(empty, create=True).close()
    big, _ = demo_store(1_000_000)
    heading("Intake: a phone call typed key by key (Pilot, 130x42, 3 calls each)")
    small_median, small_p99, small_save, count, small_right = measure(empty)
    big_median, big_p99, big_save, _, big_right = measure(big)
    saved = "each call saved as typed" if small_right and big_right else "NOT SAVED AS TYPED"
    print(f"  ({count} keystrokes a call, {len(DESCRIPTION)}-character description; {saved})")
    row("keystroke, median, empty store (baseline)", small_median)
    row("keystroke, median, 1,000,000 cases", big_median, small_median, limit=1.5)
    row("keystroke, 99th percentile, empty store (baseline)", small_p99)
    row("keystroke, 99th percentile, 1,000,000 cases", big_p99, small_p99, limit=1.5)
    print(f"  goal for the p99 at 1,000,000 cases, 33 ms (two frames at 60 Hz): "
          f"{'ok' if big_p99 <= 0.033 else 'OVER LIMIT'}")  # fmt: skip
    row("save, empty store (baseline)", small_save)
    row("save, 1,000,000 cases", big_save, small_save, limit=1.5)
