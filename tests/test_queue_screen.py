"""The queue screen as an agent sees it: order, colours, filters, search, live updates."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.command import Hit
from textual.widgets import Input

from plaintes_tui.domain.cases import Channel
from plaintes_tui.domain.workflow import Move
from plaintes_tui.settings import AgentSettings, Settings
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.commands import QueueCommands
from plaintes_tui.tui.screens.case import CaseScreen
from plaintes_tui.tui.screens.queue import QueueScreen
from plaintes_tui.tui.widgets.footer import KeyBar
from plaintes_tui.tui.widgets.queue_table import QueueTable
from tests.factories import add_case, decide, do, new_store, person
from tests.pilot import settle
from tests.screen_text import rendered

TODAY = date(2026, 11, 27)  # a Friday


@pytest.fixture
def store(isolated: Path) -> Store:
    store = new_store(isolated)
    # Acknowledgements due (Mon-Fri, 11/11 and 15/11 off): Aerts 2 Dec, Peeters 18 Nov,
    # Müller 27 Nov, Lejeune 30 Nov.
    add_case(store, date(2026, 11, 25), complainant=person(last_name="Aerts"))
    add_case(store, date(2026, 11, 10), complainant=person(last_name="Peeters"))
    add_case(
        store,
        date(2026, 11, 20),
        channel=Channel.LETTER,
        complainant=person(last_name="Müller", first_name="Jürgen", phone=None, email=None),
    )
    add_case(store, date(2026, 11, 23), complainant=person(last_name="Lejeune"))
    return store


def make_app(store: Store, agent: str = "alice", **agents: object) -> PlaintesApp:
    settings = Settings(agents=AgentSettings(**agents))  # type: ignore[arg-type]
    return PlaintesApp(settings, agent=agent, store=store, today=TODAY)


def table(app: PlaintesApp) -> QueueTable:
    return app.screen.query_one(QueueTable)


def lines(app: PlaintesApp) -> list[str]:
    widget = table(app)
    return [widget.render_line(y).text for y in range(1, widget.count + 1)]


def names(app: PlaintesApp) -> list[str]:
    return [row.complainant.split()[0] for row in table(app).visible_rows()]


def static_text(app: PlaintesApp, selector: str) -> str:
    return rendered(app.screen.query_one(selector))


async def test_most_urgent_first_with_bands_in_colour_and_words(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        assert names(app) == ["PEETERS", "MÜLLER", "LEJEUNE", "AERTS"]
        text = lines(app)
        assert "✗ 18/11/26 +9 j" in text[0]
        assert "! 27/11/26 auj." in text[1]
        assert "! 30/11/26 J-3" in text[2]
        assert "· 02/12/26 J-5" in text[3]
        widget = table(app)
        for y, band in ((1, "overdue"), (2, "due-soon"), (4, "on-track")):
            strip = widget.render_line(y)
            [segment] = [s for s in strip if s.text.startswith(("✗", "!", "·"))][:1]
            assert segment.style is not None
            assert segment.style.color == widget._style(band).color
        assert "Ouverts 4" in static_text(app, "#queue-counts")
        assert "En retard 1 (AR 1, rép. 0)" in static_text(app, "#queue-counts")
        assert "Dus aujourd'hui 1" in static_text(app, "#queue-counts")


async def test_colours_differ_between_bands_in_light_and_dark_themes(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            widget = table(app)
            colours = {widget._style(b).color for b in ("overdue", "due-soon", "on-track")}
            assert len(colours) == 3


async def test_overdue_filter_and_the_filter_line(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        assert "Tous les dossiers ouverts" in static_text(app, "#queue-filter")
        await pilot.press("o")
        await settle(pilot)
        assert names(app) == ["PEETERS"]
        assert "en retard" in static_text(app, "#queue-filter")
        await pilot.press("o")
        await settle(pilot)
        assert len(names(app)) == 4


async def test_mine_channel_status_agent_and_unchecked_filters(store: Store) -> None:
    do(store, "P-2026-00002", Move.ASSIGN, supervisor=True, by="sup", agent="alice")
    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert names(app) == ["PEETERS"]
        assert "mes dossiers (alice)" in static_text(app, "#queue-filter")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c")  # the first channel: phone
        await settle(pilot)
        assert names(app) == ["PEETERS", "LEJEUNE", "AERTS"]
        await pilot.press("c")  # letter
        await settle(pilot)
        assert names(app) == ["MÜLLER"]
        assert "canal : courrier" in static_text(app, "#queue-filter")
        await pilot.press("escape", "s")  # the first status: received (not checked)
        await settle(pilot)
        assert len(names(app)) == 4
        await pilot.press("escape", "g")  # the first agent with open cases
        await settle(pilot)
        assert names(app) == ["PEETERS"]
        assert "mes dossiers (alice)" in static_text(app, "#queue-filter")
        await pilot.press("g")  # after the agents: the cases assigned to nobody
        await settle(pilot)
        assert "non attribués" in static_text(app, "#queue-filter")
        assert len(names(app)) == 3 and "PEETERS" not in names(app)
        await pilot.press("g")  # and round again: every case
        await settle(pilot)
        assert len(names(app)) == 4
        await pilot.press("escape", "u")
        await settle(pilot)
        assert "recevabilité à vérifier" in static_text(app, "#queue-filter")
        assert len(names(app)) == 4


async def test_search_as_you_type(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"muller")
        await pilot.pause(0.3)  # let the debounce fire; the assertion does not depend on time
        await settle(pilot)
        assert names(app) == ["MÜLLER"]
        assert "recherche : « muller »" in static_text(app, "#queue-filter")
        await pilot.press("enter")  # back to the table, filter kept
        assert app.focused is table(app)
        await pilot.press("escape")
        await settle(pilot)
        assert len(names(app)) == 4


async def test_sort_can_be_changed_and_reversed(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert names(app) == ["PEETERS", "MÜLLER", "LEJEUNE", "AERTS"]  # by date of receipt
        assert "date de réception" in static_text(app, "#queue-filter")
        await pilot.press("R")
        await settle(pilot)
        assert names(app) == ["AERTS", "LEJEUNE", "MÜLLER", "PEETERS"]


async def test_enter_opens_the_case_and_escape_comes_back(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        body = " ".join(rendered(w) for w in app.screen.query("Static"))
        assert "P-2026-00003" in body and "MÜLLER Jürgen" in body
        assert "coordonnées incomplètes" in body
        assert "enregistrée" in body  # the journal
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


async def test_live_update_from_another_connection_keeps_the_cursor(
    store: Store, isolated: Path
) -> None:
    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        assert table(app).current is not None
        assert table(app).current.complainant.startswith("LEJEUNE")  # type: ignore[union-attr]
        other = open_store(isolated / "plaintes.db")
        add_case(other, date(2026, 11, 5), agent="bob", complainant=person(last_name="Claes"))
        other.close()
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        screen._poll()  # what the one-second timer does
        await settle(pilot)
        assert names(app)[0] == "CLAES"
        assert table(app).current.complainant.startswith("LEJEUNE")  # type: ignore[union-attr]
        assert table(app).cursor == 3


async def test_empty_store(isolated: Path) -> None:
    app = make_app(new_store(isolated))
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert "Aucun dossier ouvert." in table(app).render_line(2).text
        assert "Ouverts 0" in static_text(app, "#queue-counts")


async def test_a_small_terminal_keeps_what_matters(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = table(app).render_line(1).text
        assert len(first) <= 80
        assert "P-2026-00002" in first and "PEETERS" in first and "+9 j" in first


async def test_user_text_shows_literally(isolated: Path) -> None:
    store = new_store(isolated)
    add_case(
        store,
        date(2026, 11, 25),
        complainant=person(last_name="[bold red]Evil[/]", first_name="Red 🙂 שלום"),
    )
    # As a store written before text was cleaned at the door may hold it: shown, never acting.
    store.connection.execute("UPDATE complainants SET first_name = '\x1b[31m' || first_name")
    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        text = table(app).render_line(1).text
        assert "[BOLD RED]EVIL[/]" in text
        assert "␛[31mRed 🙂 שלום" in text
        assert "\x1b" not in text
        assert table(app).render_line(1).cell_length == table(app).render_line(0).cell_length


async def test_supervisor_assigns_marked_cases_in_one_action(store: Store) -> None:
    """The agent is picked from the directory's active agents, with their workload; typing
    filters the list (accents and case aside), enter takes the first match."""
    from plaintes_tui.domain.contacts import Person

    directory = {
        "bob": Person("Bob Lemaître"),
        "bea": Person("Béatrice Simon", active=False),  # left the service
        "courrier1": Person("Marc Lenoir", role="mailroom"),
        "alice": Person("Alice Martin"),
    }
    app = make_app(store, agent="sup", supervisors=("sup",), directory=directory)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")  # marks Peeters and Müller
        assert "2 marqué(s)" in static_text(app, "#queue-filter")
        await pilot.press("A")
        await settle(pilot)
        offered = [agent.login for agent in app.screen.agents]  # type: ignore[attr-defined]
        assert offered == ["alice", "bob"]  # neither who left nor the mailroom
        (expected,) = store.connection.execute(
            "SELECT count(*) FROM cases WHERE assigned_to IS NULL AND next_due IS NOT NULL"
        ).fetchone()
        assert expected > 0
        await pilot.press("escape")  # the workload shown is the store's: bob has none yet
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        bob = next(a for a in app.screen.agents if a.login == "bob")  # type: ignore[attr-defined]
        assert (bob.open, bob.overdue) == (0, 0)
        await pilot.press(*"lemai", "enter")
        await settle(pilot)
        for reference in ("P-2026-00002", "P-2026-00003"):
            case = get_case(store, reference)
            assert case["assigned_to"] == "bob"
            assert journal_of(store, case["id"])[-1].agent == "sup"
        assert get_case(store, "P-2026-00004")["assigned_to"] is None


async def test_an_agent_is_told_why_assigning_is_not_offered(store: Store) -> None:
    app = make_app(store, agent="alice", supervisors=("sup",))
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "A")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert any("réservée aux superviseurs" in n.message for n in app._notifications)
        assert get_case(store, "P-2026-00002")["assigned_to"] is None


async def test_palette_opens_a_case_by_reference(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        provider = QueueCommands(app.screen)
        hits = [hit async for hit in provider.search("p-2026-3")]
        assert isinstance(hits[0], Hit)
        assert str(hits[0].match_display) == "Ouvrir le dossier P-2026-00003"
        discovered = [str(hit.prompt) async for hit in provider.discover()]
        assert "En retard" in discovered and "Attribuer les dossiers marqués" in discovered
        app.call_later(hits[0].command)  # as the palette does
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)


async def test_the_agents_own_view_at_start(store: Store) -> None:
    do(store, "P-2026-00002", Move.ASSIGN, supervisor=True, by="sup", agent="alice")
    app = make_app(store, agent="alice", start_view="mine")
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        assert names(app) == ["PEETERS"]


async def test_the_list_shown_is_a_key_away_as_pdf_and_csv(store: Store, isolated: Path) -> None:
    import csv

    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o", "P")  # the overdue cases, printed
        await settle(pilot)
        assert any("Liste des 1 dossier(s) affichés" in n.message for n in app._notifications)
    (pdf,) = (isolated / "data" / "output" / "lists").glob("*.pdf")
    (table,) = (isolated / "data" / "output" / "lists").glob("*.csv")
    rows = list(csv.reader(table.read_text(encoding="utf-8").splitlines()))
    assert [row[3] for row in rows[1:]] == ["PEETERS Hélène"] and pdf.stat().st_size > 1000


async def test_a_saved_view_printed_says_what_it_holds(store: Store, isolated: Path) -> None:
    """The PDF's subtitle is the filter line's words: "due today", not "every open case"."""
    from pypdf import PdfReader

    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v", "P")  # the first saved view: due today
        await settle(pilot)
        assert "dus aujourd'hui" in static_text(app, "#queue-filter")
        assert any("Liste des 1 dossier(s) affichés" in n.message for n in app._notifications)
    (pdf,) = (isolated / "data" / "output" / "lists").glob("*.pdf")
    text = PdfReader(pdf).pages[0].extract_text()
    assert "dus aujourd'hui" in text and "Tous les dossiers ouverts" not in text


async def test_the_saved_views_due_today_unassigned_long_paused_and_old(
    store: Store,
) -> None:
    from plaintes_tui.domain.workflow import Move
    from tests.factories import decide, do

    old = add_case(store, date(2026, 8, 3), complainant=person(last_name="Oudman"))
    decide(store, old["id"], "admissible")
    do(  # recorded the day it began: the clock was not late then
        store,
        old["id"],
        Move.PAUSE,
        date=date(2026, 8, 20),
        reason="attend un document",
        at=datetime(2026, 8, 20, 10),
    )
    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert "dus aujourd'hui" in static_text(app, "#queue-filter")
        assert names(app) == ["MÜLLER"]  # its acknowledgement falls due today
        await pilot.press("v")
        await settle(pilot)
        assert "non attribués" in static_text(app, "#queue-filter") and len(names(app)) == 5
        await pilot.press("v")
        await settle(pilot)
        assert "suspendus depuis plus de 30 jours" in static_text(app, "#queue-filter")
        assert names(app) == ["OUDMAN"]
        await pilot.press("v")
        await settle(pilot)
        assert "ouverts depuis plus de 60 jours" in static_text(app, "#queue-filter")
        assert names(app) == ["OUDMAN"]
        await pilot.press("v")  # round again: every open case
        await settle(pilot)
        assert len(names(app)) == 5


async def test_nothing_is_cut_at_80_columns_and_every_key_is_listed(store: Store) -> None:
    from plaintes_tui.domain.workflow import Move
    from plaintes_tui.tui.widgets.queue_table import layout
    from tests.factories import decide, do

    # A six-digit reference, and a reply date moved by a pause, already late.
    store.connection.execute(
        "INSERT INTO reference_counters (year, last_number) VALUES (2025, 123455)"
    )
    big = add_case(store, date(2025, 12, 1), complainant=person(last_name="Groot"))
    decide(store, big["id"], "admissible")
    do(store, big["id"], Move.ACKNOWLEDGE, date=date(2025, 12, 3), means="email")
    do(
        store,
        big["id"],
        Move.PAUSE,
        date=date(2025, 12, 10),
        reason="attente",
        at=datetime(2025, 12, 10, 10),  # recorded the day it began
    )
    do(store, big["id"], Move.RESUME, date=date(2025, 12, 20))
    add_case(store, date(2025, 12, 2), complainant=person(last_name="Neuf"))  # not acknowledged
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = rendered(table(app)).splitlines()
        assert "AR ✗ " in next(row for row in lines if "NEUF" in row)
        line = next(row for row in lines if "GROOT" in row)
        assert "P-2025-123456" in line
        # The clock that runs (the reply, its letter due): extended, late, whole.
        assert re.search(r"Rép\. ✗ \d\d/\d\d/\d\d\* \+\d+ j", line)
        assert "Agent" in lines[0] and "Échéance en cours" in lines[0]  # whole headers
        bar = app.screen.query_one(KeyBar)
        assert {"Nouvelle", "Touches"} <= {placed.key.description for placed in bar.placed}
        assert max(placed.end for placed in bar.placed) <= 80  # no key cut
        assert "f2 Nouvelle" in rendered(bar)
        await pilot.press("question_mark")
        await settle(pilot)
        assert app.screen.query("HelpPanel")  # the keys panel lists every active binding
        listed = {b.binding.description for b in app.screen.active_bindings.values()}
        for label in ("Tout marquer", "Imprimer la liste", "Vue suivante", "Courrier reçu"):
            assert label in listed
        await pilot.press("question_mark")
        await settle(pilot)
        assert not app.screen.query("HelpPanel")
    assert sum(size + 1 for _, size in layout(80)) <= 80


async def test_the_cursor_follows_the_case_the_agent_is_on_when_a_reload_lands(
    store: Store,
) -> None:
    """A colleague's save re-sorted the list while the agent moved down a row: the rows read
    for the old cursor's case must not put the cursor back on it (nor on whatever case took
    its row) — enter acts on the case the agent sees under the cursor."""
    app = make_app(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        first = table(app).current
        assert first is not None
        read = screen._read(screen.view, first, 0, True)  # the poll read, for the old cursor
        await pilot.press("down", "down")  # meanwhile, the agent moves on
        await settle(pilot)
        moved_to = table(app).current
        assert moved_to is not None and moved_to.id != first.id
        screen._install(*read, keep=first)  # the old read lands
        await settle(pilot)
        now_on = table(app).current
        assert now_on is not None and now_on.id == moved_to.id


async def test_a_case_before_the_ombudsman_is_flagged(store: Store) -> None:
    from plaintes_tui.domain.workflow import Move
    from tests.factories import decide, do

    referred = add_case(store, date(2026, 11, 2), complainant=person(last_name="Mediation"))
    decide(store, referred["id"], "admissible")
    do(store, referred["id"], Move.OMBUDSMAN, date=date(2026, 11, 30), reference="OF-123")
    add_case(store, date(2026, 11, 3), complainant=person(last_name="Ordinaire"))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = rendered(table(app)).splitlines()
        assert "⚖" in next(line for line in shown if "MEDIATION" in line)
        assert "⚖" not in next(line for line in shown if "ORDINAIRE" in line)
        assert "⚖ Médiateur" in static_text(app, "#queue-legend")


async def test_palette_never_guesses_a_year_and_searches_what_it_does_not_know(
    store: Store,
) -> None:
    """12730 is no reference (year 1273): the palette offers to search for it, in French,
    instead of opening case 0 or saying "No matches found"; on the case file, no command."""
    app = make_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        provider = QueueCommands(app.screen)
        shown = [str(hit.prompt) async for hit in provider.search("12730")]
        assert shown == ["Chercher « 12730 » dans les dossiers"]
        shown = [str(hit.prompt) async for hit in provider.search("2026-0")]
        assert "Ouvrir le dossier" not in " ".join(shown)  # no case number 0
        [hit] = [hit async for hit in provider.search("Peeters")]
        app.call_later(hit.command)
        await settle(pilot)
        assert app.screen.query_one("#queue-search", Input).value == "Peeters"
        assert names(app) == ["PEETERS"]
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        provider = QueueCommands(app.screen)
        shown = [str(hit.prompt) async for hit in provider.search("zzz")]
        assert shown == ["Aucune commande ne s'appelle « zzz » : échap pour revenir"]


async def test_a_search_says_which_closed_cases_it_also_finds(store: Store) -> None:
    """A citizen calls about last year's complaint: the queue lists open cases only, so the
    search names the closed ones it found too, with their references to open them."""
    old = add_case(store, date(2026, 3, 2), complainant=person(last_name="Verhaegen"))
    decide(store, old["id"], "dispute")  # routed out of scope: answered, no clock left
    do(store, old["id"], Move.ANSWER_OUT_OF_SCOPE, date=date(2026, 3, 5))
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"verhaegen", "enter")
        await settle(pilot)
        line = rendered(app.screen.query_one("#queue-filter"))
        assert "1 dossier(s) clôturé(s)" in line and old["reference"] in line
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"zzzz", "enter")
        await settle(pilot)
        assert "clôturé" not in rendered(app.screen.query_one("#queue-filter"))
