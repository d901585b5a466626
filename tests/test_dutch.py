"""A Dutch-speaking agent: every screen in Dutch, no French word of the catalogue on any of
them, the keys of yes and no in Dutch, the palette in Dutch; the language chosen per agent."""

from __future__ import annotations

import json
import re
import string
from datetime import date
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from plaintes_tui.cli import main
from plaintes_tui.i18n import catalogue, interface_language, set_language
from plaintes_tui.settings import AgentSettings, Settings
from plaintes_tui.store.cases import get_case
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.demo import generate_demo
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.commands import QueueCommands
from plaintes_tui.tui.screens.admissibility import AdmissibilityScreen
from tests.factories import CALCULATOR, TODAY
from tests.pilot import settle

# Each screen and dialog, as the keys that reach it from the queue ("yes" is j in Dutch).
WALK = {
    "queue": [],
    "keys panel": ["question_mark"],
    "queue overdue": ["o"],
    "dashboard": ["d"],
    "dashboard, twelve months": ["d", "t"],
    "checklist": ["a", "n"],
    "checklist outcome": ["a", "n", "j"],
    "intake": ["f2"],
    "intake errors": ["f2", "ctrl+s"],
    "inbox": ["e"],
    "quarantine": ["e", "q"],
    "case": ["down", "enter"],
    "note": ["down", "enter", "n"],
    "acknowledgement": ["down", "enter", "r"],
    "pause": ["down", "enter", "p"],
    "reply": ["down", "enter", "R"],
    "ombudsman": ["down", "enter", "m"],
    "letter kinds": ["down", "enter", "l"],
    "letter": ["down", "enter", "l", "enter"],
    "rectify": ["down", "enter", "i"],
    "assign": ["down", "enter", "t"],
    "assign marked": ["space", "down", "space", "A"],
}


@pytest.fixture
def demo(isolated: Path) -> Store:
    store = open_store(isolated / "demo.db", create=True)
    generate_demo(store, cases=300, seed=1, today=TODAY, calculator=CALCULATOR)
    return store


def dutch_app(store: Store, language: str = "nl") -> PlaintesApp:
    """The app as amartin (a supervisor) sees it, in Dutch unless another ``language``."""
    set_language(language)
    settings = Settings(agents=AgentSettings(supervisors=("amartin",)))
    return PlaintesApp(settings, agent="amartin", store=store, today=TODAY)


def screen_text(pilot: Pilot[None]) -> str:
    """Everything on the terminal: the screens of the stack, dialogs over what they cover."""
    texts = []
    for screen in pilot.app.screen_stack:
        strips = screen._compositor.render_strips()
        texts.append("\n".join(strip.text for strip in strips))
    return "\n".join(texts)


def _french_only_fragments() -> list[str]:
    """Pieces of French messages no Dutch message has: long enough not to be a name, a code
    or a word of the demo's complaints (which are the citizens' own words, in French)."""
    french, dutch = catalogue("fr"), catalogue("nl")
    fragments = set()
    for key, text in french.items():
        if key.startswith("textual.") or text == dutch.get(key):
            continue
        for literal, *_ in string.Formatter().parse(text):
            for piece in re.split(r"\s*[\n:;()«»—·,.]\s*", literal or ""):
                piece = piece.strip()
                if len(piece) >= 12 and " " in piece:
                    fragments.add(piece)
    return sorted(fragments)


FRENCH = _french_only_fragments()


def test_the_check_has_french_to_look_for() -> None:
    assert len(FRENCH) > 300
    assert "Aucun dossier ouvert" in FRENCH


@pytest.mark.parametrize("where", list(WALK))
async def test_a_dutch_agent_reads_no_french_message(demo: Store, where: str) -> None:
    app = dutch_app(demo)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        for key in WALK[where]:
            await pilot.press(key)
            await settle(pilot)
        text = screen_text(pilot)
        # A letter being drafted is in the case's language (this one is French), not the
        # agent's: what the agent types into fields is theirs.
        typed = "\n".join(
            [area.text for area in app.screen.query(TextArea)]
            + [field.value for field in app.screen.query(Input)]
        )
        found = [f for f in FRENCH if f in text and f not in typed]
        assert not found, f"French on the Dutch screen {where!r}: {found}"
        assert any(word in text for word in ("Sluiten", "Terug", "Annuleren", "Openen"))


async def test_the_queue_speaks_dutch(demo: Store) -> None:
    app = dutch_app(demo)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        text = screen_text(pilot)
        assert "Lijst van de vervaldagen" in text
        assert "Ontv.bev." in text and "Gemot. antwoord" in text  # the short headers
        assert "Open " in text and "Te laat" in text
        assert "Klager" in text and "Medewerker" in text


async def test_yes_is_j_in_the_checklist_and_o_means_nothing(demo: Store) -> None:
    app = dutch_app(demo)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AdmissibilityScreen)
        assert "j: ja    n: nee" in screen_text(pilot)
        await pilot.press("o")  # oui is no answer in Dutch
        await settle(pilot)
        assert screen.walk.answers == []
        await pilot.press("n", "n", "j")  # ja: the DG Persons with disabilities
        await settle(pilot)
        assert screen.walk.answers == [
            ("contested_decision", 1),
            ("dispute", 1),
            ("dg_handicap", 0),
        ]
        await pilot.press("enter")
        await settle(pilot)
        case = get_case(demo, screen.case_id)
        assert case["admissibility"] == "redirected_dg_handicap"
        assert "Beslissing opgeslagen" in screen_text(pilot) or screen.recorded is not None


async def test_the_confirm_dialog_answers_j_and_n(demo: Store) -> None:
    app = dutch_app(demo)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"Peeters")
        await pilot.press("escape")  # leaving a typed form asks first
        await settle(pilot)
        assert "Ja (j)" in screen_text(pilot) and "Nee (n)" in screen_text(pilot)
        await pilot.press("n")  # nee: the form stays
        await settle(pilot)
        assert app.screen.query_one("#f-last_name").value == "Peeters"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("j")  # ja: the typing is dropped
        await settle(pilot)
        assert "Lijst van de vervaldagen" in screen_text(pilot)


async def test_the_palette_lists_each_command_once_in_dutch(demo: Store) -> None:
    app = dutch_app(demo)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        provider = QueueCommands(app.screen_stack[-2], None)
        names = [name for name, _ in provider._actions()]
        assert len(names) == len(set(names))
        assert "Zoeken" in names and "Dashboard" in names
        text = screen_text(pilot)
        assert "Een opdracht zoeken" in text
        assert "Toetsen" in text and "Thema" in text
        for english in ("Search for commands", "Maximize", "Screenshot", "Copy selected text"):
            assert english not in text


@pytest.mark.parametrize(
    ("directory_language", "option", "expected"),
    [("nl", None, "nl"), ("", None, "fr"), ("nl", "fr", "fr"), ("", "nl", "nl")],
)
def test_the_language_is_the_agents_unless_chosen_for_the_run(
    isolated: Path,
    capsys: pytest.CaptureFixture[str],
    directory_language: str,
    option: str | None,
    expected: str,
) -> None:
    config = isolated / "plaintes.toml"
    config.write_text(
        'language = "fr"\nstore = "plaintes.db"\n[agents]\nagent_option = true\n'
        "[agents.directory]\n"
        f'bart = {{ name = "Bart Janssens", language = "{directory_language}" }}\n',
        encoding="utf-8",
    )
    assert main(["--config", str(config), "init"]) == 0
    capsys.readouterr()
    args = ["--config", str(config), "--agent", "bart"]
    if option:
        args += ["--language", option]
    assert main([*args, "queue"]) == 0
    out = capsys.readouterr().out
    assert interface_language() == expected
    assert ("Geen open dossiers" if expected == "nl" else "Aucun dossier") in out


def test_a_report_in_dutch(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = isolated / "demo.db"
    generate_demo(
        open_store(db, create=True), cases=200, seed=2, today=TODAY, calculator=CALCULATOR
    )
    assert main(["--db", str(db), "--language", "nl", "report", "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "Klachten — jaarverslag 2026 — Klachtendienst" in out  # the service named in Dutch
    assert "Ontvangen klachten" in out and "Termijnen" in out
    assert main(["--db", str(db), "--language", "nl", "report", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["received_total"] > 0  # the keys stay English


@pytest.mark.parametrize(
    ("language", "line"),
    [
        (
            "nl",
            "Gaat het om een administratief of gerechtelijk geschil met de administratie? → nee",
        ),
        ("fr", "S'agit-il d'un litige administratif ou judiciaire avec l'administration ? → non"),
    ],
)
async def test_the_journal_reads_in_the_readers_language(
    demo: Store, language: str, line: str
) -> None:
    """The checklist's answers are journaled as codes: each reader sees them in their own
    language, whoever answered."""
    from plaintes_tui.domain.access import Actor
    from plaintes_tui.domain.admissibility import Outcome
    from plaintes_tui.domain.cases import Admissibility
    from plaintes_tui.store.workflow import record_decision
    from plaintes_tui.tui.screens.case import CaseScreen
    from tests.factories import NOW

    case_id, version = demo.connection.execute(
        "SELECT id, version FROM cases WHERE admissibility IS NULL AND next_due IS NOT NULL "
        "ORDER BY id LIMIT 1"
    ).fetchone()
    record_decision(
        demo,
        case_id,
        version,
        Outcome(Admissibility.REDIRECTED_DG_HANDICAP),
        reason="",
        answers=[("contested_decision", "no"), ("dispute", "no"), ("dg_handicap", "yes")],
        actor=Actor("bjanssens"),
        now=NOW,
        calculator=CALCULATOR,
    )
    app = dutch_app(demo, language)
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        app.push_screen(CaseScreen(case_id))
        await settle(pilot)
        assert line in screen_text(pilot)


async def test_a_late_pause_reads_in_the_readers_language(demo: Store) -> None:
    """A supervisor paused a reply clock already late: the journal keeps the fact, and each
    reader reads it in their language."""
    from plaintes_tui.domain.workflow import Move
    from plaintes_tui.tui.screens.case import CaseScreen
    from tests.factories import do

    (case_id,) = demo.connection.execute(
        "SELECT id FROM cases WHERE status = 'in_progress' AND reply_sent IS NULL "
        "AND reply_due < '2026-11-20' ORDER BY id LIMIT 1"
    ).fetchone()
    do(demo, case_id, Move.PAUSE, supervisor=True, date=date(2026, 11, 20), reason="Attente")
    app = dutch_app(demo)
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        app.push_screen(CaseScreen(case_id))
        await settle(pilot)
        text = screen_text(pilot)
        assert "Attente — opschorting van een al verstreken" in text  # the line wraps after


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Bonjour, j'ai envoyé mon dossier il y a deux mois et je n'ai reçu aucune réponse.", "fr"),
        ("Geachte, ik heb mijn aanvraag ingediend maar ik heb nog geen antwoord gekregen.", "nl"),
        (
            "Sehr geehrte Damen und Herren, ich habe meine Unterlagen geschickt und keine Antwort.",
            "de",
        ),
        ("Hello, I sent my file two months ago and I have not had any answer.", "en"),
        ("Plainte : toujours pas de réponse", None),  # too short to say: the agent decides
    ],
)
def test_an_emails_language_is_read_from_its_words(text: str, language: str | None) -> None:
    """An e-mail taken into the form starts in the language it is written in, whatever the
    agent's: a Dutch-speaking agent answers a French e-mail in French."""
    from plaintes_tui.domain.intake import language_of_text

    assert language_of_text(text) == language


# The screens with a key bar (the dialogs cover it; the keys panel squeezes it).
WITH_KEY_BAR = [
    where
    for where in WALK
    if where
    not in ("keys panel", "note", "acknowledgement", "pause", "reply", "ombudsman", "rectify")
]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["fr", "nl"])
async def test_nothing_is_cut_from_the_key_bar_at_80_columns(demo: Store, language: str) -> None:
    """Over SSH at 80×24, the key bar shows each of its keys whole, the last one included
    (F2, a new complaint, from anywhere)."""
    from plaintes_tui.i18n import tr

    cut = {}
    for where in WITH_KEY_BAR:
        app = dutch_app(demo, language)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for key in WALK[where]:
                await pilot.press(key)
                await settle(pilot)
            bar = app.screen._compositor.render_strips()[-1].text.rstrip()
            if not bar.endswith(f"f2 {tr('queue_keys.new')}"):
                cut[where] = bar
    assert not cut
