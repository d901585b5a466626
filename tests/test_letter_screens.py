"""Letters from the case file: every kind listed with its reason, the text read and edited,
what is left to write refused, the e-mail's fate shown and sent again with a key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Label, OptionList, TextArea

from plaintes_tui.domain.workflow import Move
from plaintes_tui.settings import AgentSettings, Settings, SmtpSettings
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.store.outbox import letters_of
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.dialogs.confirm import ConfirmDialog
from plaintes_tui.tui.dialogs.letter import LetterDialog
from plaintes_tui.tui.dialogs.letter_kind import LetterKindDialog
from tests.factories import TODAY, add_admissible_case, do, new_store
from tests.mailserver import MailServer
from tests.pilot import burst, open_case, settle
from tests.screen_text import rendered
from tests.test_letters import ALICE


@pytest.fixture
def store(isolated: Path) -> Store:
    store = new_store(isolated)
    add_admissible_case(store, date(2026, 11, 20))
    return store


def app_for(store: Store, port: int | None = None) -> PlaintesApp:
    settings = Settings(
        agents=AgentSettings(directory={"alice": ALICE}),
        smtp=SmtpSettings(host="127.0.0.1", port=port) if port else SmtpSettings(),
    )
    return PlaintesApp(settings, agent="alice", store=store, today=TODAY)


def dialog_text(app: PlaintesApp) -> str:
    """The dialog's labels as they read on screen."""
    shown = (rendered(label) for label in app.screen.query(Label) if label.display)
    return " ".join(" ".join(shown).split())


def kinds_listed(app: PlaintesApp) -> str:
    return " ".join(rendered(app.screen.query_one(OptionList)).split())


async def test_a_letter_is_chosen_read_edited_and_produced(store: Store, isolated: Path) -> None:
    app = app_for(store)
    async with app.run_test(size=(140, 50)) as pilot:
        await open_case(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LetterKindDialog)
        listed = kinds_listed(app)
        assert "enregistrez d'abord la réponse avec R" in listed  # the reply, not yet
        assert "les coordonnées sont complètes" in listed
        await pilot.press("enter")  # the acknowledgement, highlighted first
        await settle(pilot)
        assert isinstance(app.screen, LetterDialog)
        text = dialog_text(app)
        assert "aucun serveur d'envoi configuré" in text  # said before it is produced
        body = app.screen.query_one("#letter-body", TextArea)
        assert "Alice Martin" in body.text and "P-2026-00001" in body.text
        await pilot.press("ctrl+end", *"PS", "ctrl+s")
        await settle(pilot)
        case = get_case(store, "P-2026-00001")
        assert case["acknowledgement_sent"] is not None
        folder = isolated / "data" / "output" / "P-2026-00001"
        eml = next(folder.glob("*-acknowledgement-*.eml"))
        assert "PS" in eml.read_text(encoding="utf-8")
        entry = journal_of(store, case["id"])[-1]
        assert entry.changes["letter"] == [None, "acknowledgement"]
        letters = " ".join(rendered(app.screen.query_one("#case-letters")).split())
        assert "accusé de réception" in letters and "e-mail non envoyé" in letters
        # Recorded: the acknowledgement stays in the list, as a new copy.
        await pilot.press("l")
        await settle(pilot)
        assert "accusé de réception — déjà envoyé : un nouvel exemplaire" in kinds_listed(app)


async def test_l_and_enter_in_one_go_open_the_first_letter(store: Store) -> None:
    """``l enter`` sent at once (tmux, SSH): the enter waits for the list of letters, read
    meanwhile, and picks the first — as when typed slowly; the case file ignores nothing."""
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        burst(pilot, "l", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LetterDialog)
        assert "P-2026-00001" in app.screen.query_one("#letter-body", TextArea).text
        assert not any("Frappe ignorée" in n.message for n in app._notifications)


async def test_what_is_left_to_write_keeps_the_dialog_open(store: Store, isolated: Path) -> None:
    do(
        store,
        1,
        Move.REPLY,
        date=date(2026, 11, 27),
        outcome="founded",
        complaint="Pas de réponse",
        summary="Dossier relu.",
    )
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("down", "enter")  # the reasoned reply
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LetterDialog)
        body = dialog.query_one("#letter-body", TextArea)
        assert body.cursor_location[0] == body.text.split("\n").index(
            next(line for line in body.text.split("\n") if "[[" in line)
        )  # the cursor waits where there is something to write
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "à compléter avant de produire : à compléter : la solution" in dialog_text(app)
        assert letters_of(store, 1) == []
        assert not (isolated / "data" / "output").exists()
        await pilot.press(*"Dossier rectifié", "escape")  # the edited letter is not lost…
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # …unless the agent says so
        await settle(pilot)
        assert app.screen is dialog and "Dossier rectifié" in body.text
        await pilot.press("escape", "o")
        await settle(pilot)
        assert not isinstance(app.screen, (LetterDialog, ConfirmDialog))


async def test_a_refused_e_mail_is_shown_and_sent_again_with_a_key(
    store: Store, mail: tuple[MailServer, int]
) -> None:
    server, port = mail
    server.refusing = True
    app = app_for(store, port)
    async with app.run_test(size=(140, 50)) as pilot:
        await open_case(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("E-mail NON envoyé" in n.message for n in app._notifications)
        letters = " ".join(rendered(app.screen.query_one("#case-letters")).split())
        assert "✗ e-mail NON envoyé" in letters and "550" in letters
        assert "e : envoyer les e-mails qui ne sont pas partis" in letters
        server.refusing = False
        await pilot.press("e")
        await settle(pilot)
        assert len(server.received) == 1
        letters = " ".join(rendered(app.screen.query_one("#case-letters")).split())
        assert "e-mail envoyé (helene.dubois@example.be)" in letters
        await pilot.press("e")
        await settle(pilot)
        assert len(server.received) == 1
        assert any("Aucun e-mail en attente" in n.message for n in app._notifications)
