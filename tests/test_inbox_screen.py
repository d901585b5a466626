"""The inbox on screen: e-mails into cases with nothing typed twice, set aside with a reason,
the quarantine, and an e-mail received on a case that waits for the complainant."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, RadioButton, Static, TextArea

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.workflow import Move
from plaintes_tui.mail import take_in
from plaintes_tui.mail_sources import read_paths
from plaintes_tui.settings import Settings
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.store.drafts import load_draft
from plaintes_tui.store.mailbox import StoredMail, dismiss, inbox
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.dialogs.confirm import ConfirmDialog
from plaintes_tui.tui.dialogs.form import FormDialog
from plaintes_tui.tui.screens.case import CaseScreen
from plaintes_tui.tui.screens.inbox import InboxScreen
from plaintes_tui.tui.screens.intake import IntakeScreen
from tests import mail_samples as samples
from tests.factories import TODAY, add_case, add_scan, do
from tests.pilot import burst, settle
from tests.screen_text import rendered

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def receive(store: Store, isolated: Path, *messages: bytes) -> None:
    folder = isolated / "incoming"
    folder.mkdir(exist_ok=True)
    for n, raw in enumerate(messages):
        (folder / f"{n:03d}.eml").write_bytes(raw)
    settings = Settings(output=isolated / "output")
    take_in(store, read_paths([folder]), settings=settings, actor=Actor("cron"), now=NOW)


def app_for(store: Store, isolated: Path, agent: str = "alice") -> PlaintesApp:
    settings = Settings(output=isolated / "output")
    return PlaintesApp(settings, agent=agent, store=store, today=TODAY)


def shown_preview(app: PlaintesApp) -> str:
    """The inbox's preview as it stands on screen (what does not fit is not there), on one
    line."""
    return " ".join(rendered(app.screen.query_one("#inbox-preview")).split())


async def inbox_opened(pilot: Pilot[None]) -> None:
    """The app started, then its inbox (``e`` from the queue)."""
    await settle(pilot)
    assert isinstance(pilot.app, PlaintesApp)
    pilot.app.open_inbox()
    await settle(pilot)


async def set_aside_opened(pilot: Pilot[None]) -> None:
    """The inbox, then the dialog setting its first message aside (``d``)."""
    await inbox_opened(pilot)
    await pilot.press("d")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FormDialog)


def field(app: PlaintesApp, name: str) -> str:
    return app.screen.query_one(f"#f-{name}", Input).value


async def test_an_email_becomes_a_case_with_nothing_typed_again(
    store: Store, isolated: Path
) -> None:
    receive(store, isolated, samples.plain(), samples.with_attachments())
    app = app_for(store, isolated)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        assert "✉ 2 message(s) (e)" in rendered(app.screen.query_one("#queue-counts"))
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        listing = rendered(app.screen.query_one("#inbox-list"))
        assert listing.index("Jürgen Müller") < listing.index("Hélène Dubois")  # oldest first
        preview = rendered(app.screen.query_one("#inbox-preview"))
        assert "Beschwerdeformular ausgefüllt.pdf" in preview
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert (field(app, "last_name"), field(app, "first_name")) == ("Müller", "Jürgen")
        assert field(app, "email") == "j.mueller@example.be"
        assert field(app, "received") == "25/11/2026"  # the day it reached the service
        assert field(app, "subject") == "Beschwerde über die Bearbeitung"
        assert app.screen.query_one("#channel-web_form", RadioButton).value  # its form is attached
        assert app.screen.query_one("#language-de", RadioButton).value  # written in German
        assert "Beschwerdeformular" in app.screen.query_one("#f-description", TextArea).text
        await pilot.press("ctrl+s")
        await settle(pilot)
        if isinstance(app.screen, ConfirmDialog):  # check its admissibility now? not now
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert "Jürgen" not in rendered(app.screen.query_one("#inbox-list"))
    case = get_case(store, "P-2026-00001")
    assert (case["channel"], case["received"]) == ("web_form", "2026-11-25")
    assert journal_of(store, case["id"])[0].changes["mail"] == [None, 2]
    assert [m.sender_email for m in inbox(store)] == ["helene.dubois@example.be"]


async def test_leaving_a_message_s_form_asks_only_once_something_was_changed(
    store: Store, isolated: Path
) -> None:
    """A form filled in from a message loses nothing when left as the message gave it (the
    message stays in the inbox): no question. Changed, the question says what is lost."""
    receive(store, isolated, samples.plain())
    app = app_for(store, isolated)
    async with app.run_test(size=(140, 45)) as pilot:
        await inbox_opened(pilot)
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        await pilot.press("enter", "end", *"e", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = " ".join(rendered(app.screen.query_one(Label)).split())  # as shown, wrapped
        assert "corrections" in question and "reste dans le courrier reçu" in question
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        # a change kept as a draft, then undone: the form is the message's again, and the
        # draft, which held nothing else, goes with it
        await pilot.press("enter", "end", *"e")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        app.screen._keep_draft()  # what the draft timer does a few hundred ms after a key
        await settle(pilot)
        assert load_draft(store, "alice") is not None
        await pilot.press("backspace", "escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
    assert len(inbox(store)) == 1
    assert load_draft(store, "alice") is None


async def test_a_message_a_colleague_handled_is_not_logged_twice(
    store: Store, isolated: Path
) -> None:
    receive(store, isolated, samples.plain())
    app = app_for(store, isolated)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        app.open_inbox()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        (mail,) = inbox(store)
        dismiss(store, mail.id, "spam", "", actor=Actor("bob"), now=NOW)  # meanwhile
        app.screen.query_one("#f-phone", Input).value = "0477 12 34 56"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)  # refused; nothing typed is lost
        assert field(app, "phone") == "0477 12 34 56"
        assert any("déjà été traité par bob" in n.message for n in app._notifications)
    assert store.connection.execute("SELECT count(*) FROM cases").fetchone()[0] == 0


async def test_a_message_is_set_aside_with_a_reason_and_the_quarantine_shows_why(
    store: Store, isolated: Path
) -> None:
    receive(store, isolated, samples.plain(), samples.no_sender())
    app = app_for(store, isolated)
    async with app.run_test(size=(100, 30)) as pilot:
        await set_aside_opened(pilot)
        await pilot.press("down", "space", "ctrl+s")  # spam
        await settle(pilot)
        preview = rendered(app.screen.query_one("#inbox-preview"))
        assert "Aucun e-mail ni lettre scannée en attente." in preview
        await pilot.press("q")
        await settle(pilot)
        assert "pas d'expéditeur (From)" in rendered(app.screen.query_one("#inbox-list"))
        await pilot.press("d", "enter")  # a quarantined message is neither set aside nor taken
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
    row = store.connection.execute(
        "SELECT state, reason, handled_by FROM mail_messages WHERE sender_email != ''"
    ).fetchone()
    assert row == ("dismissed", "spam", "alice")


async def test_two_messages_set_aside_with_keys_sent_in_one_go(
    store: Store, isolated: Path
) -> None:
    """``d`` (set aside), the reason, ``ctrl+s``, then ``d`` again at once: the second ``d``
    waits for the list without the first message, and sets the other one aside."""
    receive(store, isolated, samples.plain(), samples.with_attachments())
    app = app_for(store, isolated)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_inbox()
        await settle(pilot)
        burst(pilot, "d")
        await settle(pilot)
        burst(pilot, "down", "space", "ctrl+s", "d")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        burst(pilot, "down", "space", "ctrl+s")
        await settle(pilot)
    states = store.connection.execute("SELECT state FROM mail_messages").fetchall()
    assert states == [("dismissed",), ("dismissed",)]


async def test_an_answer_on_a_waiting_case_is_shown_with_what_resumes_it(
    store: Store, isolated: Path
) -> None:
    case = add_case(store, date(2026, 11, 2))
    from tests.factories import decide

    decide(store, case["id"], "admissible")
    do(store, case["id"], Move.PAUSE, date=date(2026, 11, 20), reason="attend une copie")
    receive(
        store,
        isolated,
        samples.reply_to(f"<1.{case['reference']}@minsoc.fed.be>"),
        samples.out_of_office(case["reference"]),
    )
    app = app_for(store, isolated)
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        app.push_screen(CaseScreen(case["id"]))
        await settle(pilot)
        panel = " ".join(rendered(app.screen.query_one("#case-mail")).split())
        assert "Re: Votre plainte" in panel and "(réponse automatique)" in panel
        assert "Le plaignant a écrit le 27/11/2026 : p reprend le délai de réponse." in panel
        journal = rendered(app.screen.query_one("#case-journal"))
        assert "e-mail reçu" in journal
    assert get_case(store, case["id"])["status"] == "paused"  # nothing resumed by itself


async def test_a_reference_quoted_by_a_stranger_waits_for_an_agent_to_attach_it(
    store: Store, isolated: Path
) -> None:
    """The complainant's own address (whatever its capitals) attaches a reply to their case;
    anyone else quoting the reference (a typo, a stranger) leaves it in the inbox, where it
    says which case it cites and `a` attaches it once read."""
    from tests.factories import person

    case = add_case(store, date(2026, 11, 2), complainant=person(email="helene.dubois@example.be"))
    reference = case["reference"]
    receive(
        store,
        isolated,
        samples.plain(
            sender="Helene <HELENE.DUBOIS@example.be>",
            subject=f"Re: {reference}",
            message_id="<hers@example.be>",
        ),
        samples.plain(
            sender="Marc Inconnu <marc@example.be>",
            subject=f"Ma plainte {reference}",
            message_id="<stranger@example.be>",
        ),
    )
    attached = [e.action for e in journal_of(store, case["id"])].count("mail_received")
    assert attached == 1  # hers only
    [waiting] = inbox(store)
    assert waiting.sender_email == "marc@example.be"
    app = app_for(store, isolated)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_inbox()
        await settle(pilot)
        preview = rendered(app.screen.query_one("#inbox-preview"))
        assert f"Cite le dossier {reference}" in " ".join(preview.split())
        await pilot.press("a")
        await settle(pilot)
        assert inbox(store) == []
    actions = [e.action for e in journal_of(store, case["id"])]
    assert actions.count("mail_received") == 2


async def test_an_out_of_office_is_marked_and_never_taken_as_a_complaint(
    store: Store, isolated: Path
) -> None:
    """An automatic answer answering nothing the program knows waits in the inbox, marked as
    such: enter does not open the intake form, the key bar does not offer it, `d` sets it
    aside."""
    receive(store, isolated, samples.out_of_office("P-2026-99999"))
    [waiting] = inbox(store)
    assert waiting.auto_reply
    app = app_for(store, isolated)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_inbox()
        await settle(pilot)
        screen = app.screen
        assert "réponse auto." in rendered(screen.query_one("#inbox-list"))
        assert "ce n'est pas une plainte" in " ".join(
            rendered(screen.query_one("#inbox-preview")).split()
        )
        offered = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert "take" not in offered and "dismiss_mail" in offered
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)


async def test_a_scanned_letter_becomes_a_case_with_what_the_ocr_read_and_doubts_marked(
    store: Store, isolated: Path
) -> None:
    """A letter the scanner read waits in the inbox beside the e-mails; opened, the form is a
    letter received the day it was scanned, in its language, with the sender's block, phone
    and NISS filled in, and the field the OCR was unsure of marked for the agent."""
    reading = {
        "last_name": "Janssens", "first_name": "Pieter", "street": "Kerkstraat 45 bus 2",
        "postal_code": "9000", "town": "Gent", "phone": "+3292234567", "niss": "85073003328",
        "language": "nl", "subject": "klacht over mijn dossier",
        "text": "Sinds augustus wacht ik op een antwoord.",
        "confidence": {"last_name": 0.96, "street": 0.62, "town": 0.95},
    }  # fmt: skip
    add_scan(store, isolated, reading, datetime(2026, 11, 26, 9, 0, tzinfo=NOW.tzinfo), "scan:abc")
    app = app_for(store, isolated)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert "lettre scannée" in rendered(app.screen.query_one("#inbox-list"))
        preview = rendered(app.screen.query_one("#inbox-preview"))
        assert "Pieter Janssens — Kerkstraat 45 bus 2 — 9000 — Gent" in preview
        assert "PDF interrogeable" in preview and "lettre.pdf" in preview
        assert "1 PJ" not in rendered(app.screen.query_one("#inbox-list"))  # its own PDF
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert "lettre scannée le 26/11/2026" in str(app.screen.title)
        assert (field(app, "last_name"), field(app, "street")) == (
            "Janssens",
            "Kerkstraat 45 bus 2",
        )
        assert (field(app, "postal_code"), field(app, "town")) == ("9000", "Gent")
        assert field(app, "phone") == "09 223 45 67"
        assert field(app, "niss") == "85.07.30-033.28"
        assert field(app, "received") == "26/11/2026"  # the day it was scanned
        assert app.screen.query_one("#channel-letter", RadioButton).value
        assert app.screen.query_one("#language-nl", RadioButton).value
        assert app.screen.focused is app.screen.query_one("#f-street")  # the doubt first
        assert "à vérifier" in rendered(app.screen.query_one("#e-street"))
        assert "à vérifier" not in rendered(app.screen.query_one("#e-town"))
        assert "Sinds augustus" in app.screen.query_one("#f-description", TextArea).text


def test_a_letter_whose_subject_was_not_read_leaves_the_subject_to_the_agent() -> None:
    """The inbox names such a letter "Lettre scannée (sans objet lu)"; the form does not take
    that for the complaint's subject."""
    from dataclasses import replace as replaced

    from plaintes_tui.tui.screens.intake_from_mail import scan_values

    mail = StoredMail(
        id=1, state="inbox", received=date(2026, 11, 26), arrived_at="2026-11-26T09:00:00",
        date_trusted=True, sender_name="Pieter Janssens", sender_email="",
        subject="Lettre scannée (sans objet lu)", body="Sinds augustus wacht ik.",
        attachments=[], web_form=False, auto_reply=False, folder="", case_id=None, reason="",
        note="", scan={"last_name": "Janssens", "text": "Sinds augustus wacht ik."},
    )  # fmt: skip
    values, _ = scan_values(mail, {"language": "fr"})
    assert values["subject"] == ""
    values, _ = scan_values(replaced(mail, scan={"subject": "klacht"}), {"language": "fr"})
    assert values["subject"] == "klacht"


def test_a_long_e_mail_subject_becomes_the_complaints_subject_whole() -> None:
    from plaintes_tui.tui.screens.intake_from_mail import email_values

    subject = "Dossier " + "toujours sans réponse après trois rappels, " * 6
    mail = StoredMail(
        id=1, state="inbox", received=date(2026, 11, 26), arrived_at="2026-11-26T09:00:00",
        date_trusted=True, sender_name="An Peeters", sender_email="an@example.be",
        subject=f"RE: {subject}", body="Bonjour,", attachments=[], web_form=False,
        auto_reply=False, folder="", case_id=None, reason="", note="",
    )  # fmt: skip
    assert len(subject) > 200
    assert email_values(mail, {"language": "fr"})["subject"] == subject


async def test_keys_typed_with_the_one_that_opens_the_inbox_act_on_its_list(
    store: Store, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """e, end and enter typed in one go (tmux, SSH) open the inbox, go to its last message
    once the list is read — however slow the read — and open the form from it, as typed
    slowly."""
    import threading

    import plaintes_tui.tui.screens.inbox as inbox_screen

    receive(store, isolated, samples.plain(), samples.with_attachments())
    store_read = threading.Event()

    def slow_inbox(store: Store) -> list[StoredMail]:
        store_read.wait(timeout=5)  # the keys arrive before the list is read
        return inbox(store)

    monkeypatch.setattr(inbox_screen, "inbox", slow_inbox)
    app = app_for(store, isolated)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        burst(pilot, "e", "end", "enter")
        for _ in range(5):
            await pilot.pause()
        store_read.set()
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert (field(app, "last_name"), field(app, "first_name")) == ("Dubois", "Hélène")


async def test_the_key_bar_offers_attach_only_on_a_message_that_cites_a_case(
    store: Store, isolated: Path
) -> None:
    """The key bar follows the message highlighted: `a` (attach) on the one citing a case,
    gone on the next one, back when the agent goes up again."""
    from plaintes_tui.tui.widgets.footer import KeyBar

    reference = add_case(store, date(2026, 11, 2))["reference"]
    citing = samples.plain(
        sender="Marc <marc@example.be>", subject=f"Ma plainte {reference}", message_id="<m@x.be>"
    )
    receive(store, isolated, citing, samples.plain(message_id="<other@x.be>"))
    app = app_for(store, isolated)

    def bar() -> set[str]:
        return {key.key for key in app.screen.query_one(KeyBar).keys}

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_inbox()
        await settle(pilot)
        seen = []
        for key in ("down", "up", None):
            cites = "Cite le dossier" in rendered(app.screen.query_one("#inbox-preview"))
            seen.append((cites, "a" in bar()))
            if key is not None:
                await pilot.press(key)
                await settle(pilot)
    assert all(cites == offered for cites, offered in seen)
    assert {cites for cites, _ in seen} == {True, False}  # both messages were highlighted


async def test_a_long_message_says_how_much_more_and_v_reads_it_whole(
    store: Store, isolated: Path
) -> None:
    from plaintes_tui.tui.widgets.scan_panel import ScanDialog

    body = "\n".join(f"Ligne {n} de ma plainte." for n in range(1, 11))
    receive(store, isolated, samples.plain(body=body))
    app = app_for(store, isolated)
    async with app.run_test(size=(80, 24)) as pilot:
        await inbox_opened(pilot)
        preview = shown_preview(app)
        assert "Ligne 6 de ma plainte." in preview and "Ligne 7" not in preview
        assert "… et 4 ligne(s) de plus : « v » pour lire le message entier." in preview
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ScanDialog)
        whole = rendered(app.screen.query_one(Static))
        assert "Ligne 10 de ma plainte." in whole and "helene.dubois@example.be" in whole
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)


async def test_on_a_short_terminal_the_preview_shows_what_to_know_and_fewer_lines(
    store: Store, isolated: Path
) -> None:
    """A stranger's answer citing a case, with an attachment and eleven lines, at 80×24: the
    warning that it cites the case, the attachment and the count of lines left out are all
    on screen; the message gives up lines for them, not the other way round."""
    from email.message import EmailMessage
    from email.policy import SMTP

    case = add_case(store, date(2026, 11, 20))
    message = EmailMessage()
    message["From"] = "Inconnu <autre.adresse@example.be>"
    message["Subject"] = f"Re: votre dossier {case['reference']}"
    message["Date"] = "Fri, 27 Nov 2026 10:00:00 +0100"
    message.set_content("\n".join(f"Ligne {n} de ma réponse." for n in range(1, 12)))
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="a.pdf")
    receive(store, isolated, message.as_bytes(policy=SMTP))
    app = app_for(store, isolated)
    async with app.run_test(size=(80, 24)) as pilot:
        await inbox_opened(pilot)
        shown = shown_preview(app)
        assert f"Cite le dossier {case['reference']}" in shown
        assert "« a » pour le rattacher à ce dossier." in shown
        assert "Pièces jointes : a.pdf" in shown
        assert "Ligne 1 de ma réponse." in shown and "Ligne 4" not in shown
        assert "… et 8 ligne(s) de plus : « v » pour lire le message entier." in shown
