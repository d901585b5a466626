"""Make the README's screenshots from the app itself: SVG, and PNG when rsvg-convert exists.

Run with `make screenshots`. Uses a throwaway demo store and a frozen date.
"""

from __future__ import annotations

import asyncio
import math
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from plaintes_tui.cli import agent_language
from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import set_language
from plaintes_tui.mail import take_in
from plaintes_tui.mail_sources import Incoming
from plaintes_tui.queue_list import lines_of, write_list
from plaintes_tui.settings import Settings, load_settings
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.demo import generate_demo
from plaintes_tui.store.demo.coordinator import coordinators_year
from plaintes_tui.store.drafts import delete_draft
from plaintes_tui.store.queue import QueueFilter, queue_window
from plaintes_tui.store.workflow import perform
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.case import CaseScreen

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the tests' pilot helpers
from tests import mail_samples as samples  # noqa: E402
from tests.pilot import settle  # noqa: E402

TODAY = date(2026, 11, 28)
NOON = datetime(2026, 11, 28, 12, 0)
# The demo's agents, as `make run` names them (its settings let anyone in; these screens are
# Anne Martin's, an agent).
SETTINGS = Settings(
    agents=replace(load_settings(HERE.parent / "data" / "demo.toml").agents, unlisted="refuse")
)

Steps = Callable[[Pilot[None]], Awaitable[None]]


async def queue(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def overdue(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("o")
    await settle(pilot)


async def case(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)


async def intake(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("f2")
    await pilot.pause()
    await pilot.press(*"Dubois", "enter", *"Marie", "enter", *"0477 84 86 64", "enter")
    await pilot.press(*"marie@", "enter")
    await settle(pilot)


async def admissibility(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("a", "n", "o")  # a contested decision: pick its appeal route
    await settle(pilot)


async def letter(pilot: Pilot[None]) -> None:
    """A Dutch reasoned reply to a founded complaint: the remedy is left to write."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, PlaintesApp)
    case_id, version = app.store.connection.execute(
        "SELECT id, version FROM cases WHERE status = 'in_progress' AND language = 'nl' "
        "ORDER BY id LIMIT 1"
    ).fetchone()
    perform(
        app.store,
        case_id,
        version,
        Move.REPLY,
        {
            "date": TODAY,
            "outcome": "founded",
            "network_category": "file_handling",
            "summary": "Uw dossier bleef drie weken liggen na de verhuizing van de afdeling.",
            "improvement_action": "Opvolging van openstaande dossiers bij elke verhuizing.",
        },
        actor=Actor("amartin"),
        now=NOON,  # a fixed moment: the screenshot is the same at every run
        calculator=app.calculator,
    )
    app.push_screen(CaseScreen(case_id))
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)


async def rectify(pilot: Pilot[None]) -> None:
    """Correcting a complainant's record from the case file: a NISS with a wrong check digit."""
    await case(pilot)
    await pilot.press("i")
    await settle(pilot)
    pilot.app.screen.query_one("#form-niss", Input).value = "85.07.30-033.29"
    await pilot.press("ctrl+s")
    await settle(pilot)


async def inbox(pilot: Pilot[None]) -> None:
    """The e-mails waiting: three citizens wrote, one with the online form attached."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, PlaintesApp)
    take_in(
        app.store,
        [
            Incoming(str(n), raw)
            for n, raw in enumerate([samples.plain(), samples.with_attachments(), samples.latin1()])
        ],
        settings=replace(SETTINGS, output=app.store.path.parent / "output"),
        actor=Actor("cron"),
        now=app.now(),
    )
    await pilot.press("e", "down")
    await settle(pilot)


async def dashboard(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)


async def improvements(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)


async def ombudsman(pilot: Pilot[None]) -> None:
    """The case whose Ombudsman's file went furthest: two requests, answered, a conclusion."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, PlaintesApp)
    (case_id,) = app.store.connection.execute(
        "SELECT case_id FROM ombudsman_requests GROUP BY case_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    app.push_screen(CaseScreen(case_id))
    await settle(pilot)
    app.screen.query_one("#case-ombudsman").scroll_visible(top=True, animate=False)
    await settle(pilot)


async def scan(pilot: Pilot[None]) -> None:
    """A Dutch letter the mailroom scanned, read by Tesseract, opened from the inbox: the form
    as the OCR read it, the letter as read beside it (the tests' letter, drawn at 300 dpi and
    skewed by 2°)."""
    from plaintes_tui.scan_import import import_scans
    from tests.scan_corpus import LETTERS, draw, skewed, write

    await settle(pilot)
    app = pilot.app
    assert isinstance(app, PlaintesApp)
    scanner = app.store.path.parent / "scanner"
    scanner.mkdir(exist_ok=True)
    scanned = write(skewed(draw(LETTERS[1])), scanner / "brief.png")
    os.utime(scanned, (NOON.timestamp(), NOON.timestamp()))  # scanned on the frozen day
    settings = replace(SETTINGS, output=app.store.path.parent / "output")
    import_scans(app.store, [scanner], settings=settings, actor=Actor("cron"), now=app.now())
    await pilot.press("e", "end", "enter")
    await settle(pilot)


async def shoot(
    store: Store, name: str, size: tuple[int, int], steps: Steps, agent: str = "amartin"
) -> Path:
    """The screen after ``steps``, as ``agent`` sees it, in their language."""
    set_language(agent_language(SETTINGS, agent))
    app = PlaintesApp(SETTINGS, agent=agent, store=store, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    delete_draft(store, agent)  # each screenshot starts from a clean session
    set_language("fr")
    return HERE / f"{name}.svg"


async def make_all(store: Store) -> list[Path]:
    return [
        await shoot(store, "queue", (150, 40), queue),
        await shoot(store, "queue-overdue-80x24", (80, 24), overdue),
        await shoot(store, "case", (120, 40), case),
        await shoot(store, "intake", (130, 42), intake),
        await shoot(store, "admissibility", (120, 36), admissibility),
        await shoot(store, "letter", (120, 40), letter),
        await shoot(store, "dashboard", (130, 60), dashboard),
        await shoot(store, "rectify", (100, 44), rectify),
        await shoot(store, "inbox", (110, 30), inbox),
        await shoot(store, "improvements", (120, 24), improvements),
        await shoot(store, "ombudsman", (110, 30), ombudsman),
        await shoot(store, "scan", (160, 45), scan),
        # Bart Janssens reads his screens in Dutch (the demo's agent directory says so).
        await shoot(store, "queue-nl", (150, 40), queue, agent="bjanssens"),
        await shoot(store, "intake-nl", (130, 42), intake, agent="bjanssens"),
    ]


def to_png(svg: Path) -> None:
    """The PNG beside ``svg``, with rsvg-convert, or else a headless Chromium."""
    png = svg.with_suffix(".png")
    converter = shutil.which("rsvg-convert")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if converter:
        subprocess.run([converter, str(svg), "-o", str(png)], check=True)
    elif browser:
        box = svg.read_text(encoding="utf-8").split('viewBox="', 1)[1].split('"', 1)[0]
        width, height = (math.ceil(float(n)) for n in box.split()[2:])
        size = f"{width},{height}"
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--window-size={size}", f"--screenshot={png}", svg.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip


def overdue_list(store: Store, folder: Path) -> None:
    """The overdue list as `plaintes queue --overdue --format pdf` writes it, its first page
    as a PNG (with pdftoppm, when the machine has it)."""
    calculator = DeadlineCalculator()
    rows = queue_window(store, QueueFilter(overdue_only=True), TODAY, 0, 10**9)
    directory = SETTINGS.agents.directory
    lines = lines_of(
        rows, calculator, TODAY, lambda login: getattr(directory.get(login), "name", login)
    )
    pdf = write_list(
        lines,
        folder / "overdue.pdf",
        today=TODAY,
        flt=QueueFilter(overdue_only=True),
        name_of=lambda login: getattr(directory.get(login), "name", login),
        service=SETTINGS.service.in_language("fr")[0].name,
    )
    converter = shutil.which("pdftoppm")
    if converter:
        target = HERE / "overdue-list"
        subprocess.run(
            [
                converter,
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(target),
            ],
            check=True,
        )
        print(f"wrote {target.with_suffix('.png').relative_to(HERE.parent)}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "demo.db", create=True)
        generate_demo(store, cases=2000, seed=1, today=TODAY, calculator=DeadlineCalculator())
        coordinators_year(store, TODAY, DeadlineCalculator())
        overdue_list(store, Path(folder))
        for svg in asyncio.run(make_all(store)):
            to_png(svg)
            print(f"wrote {svg.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
