"""The service's IMAP mailbox, served on this machine's loopback by pymap (started by the test):
messages taken in and moved to the processed folder only once stored."""

from __future__ import annotations

import errno
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from imapclient import IMAPClient

from plaintes_tui import mail as mail_module
from plaintes_tui.domain.access import Actor
from plaintes_tui.mail import MailboxError, import_mailbox
from plaintes_tui.settings import MailSettings, Settings
from plaintes_tui.store.database import Store, StoreError
from plaintes_tui.store.mailbox import inbox
from tests import mail_samples as samples

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))
USER, PASSWORD = "plainte", "secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def imap_port() -> Iterator[int]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from pymap.main import main; main()",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-tls",
            "dict",
            "--demo-user",
            USER,
            "--demo-password",
            PASSWORD,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:  # bounded: the server listens within seconds, or the test fails
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the IMAP server did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def client(port: int) -> IMAPClient:
    connected = IMAPClient("127.0.0.1", port=port, ssl=False, timeout=10)
    connected.login(USER, PASSWORD)
    return connected


def deliver(port: int, messages: list[bytes]) -> None:
    box = client(port)
    for raw in messages:
        box.append("INBOX", raw)
    box.logout()


def count(port: int, folder: str) -> int:
    box = client(port)
    try:
        if not box.folder_exists(folder):
            return 0
        box.select_folder(folder, readonly=True)
        return len(box.search("ALL"))
    finally:
        box.logout()


def settings_for(isolated: Path, port: int, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("PLAINTES_MAIL_PASSWORD", PASSWORD)
    mail = MailSettings(
        host="127.0.0.1", port=port, tls="none", user=USER, password_env="PLAINTES_MAIL_PASSWORD"
    )
    return Settings(output=isolated / "output", mail=mail)


def test_the_mailbox_is_imported_and_each_stored_message_moved(
    store: Store, isolated: Path, imap_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(isolated, imap_port, monkeypatch)
    deliver(imap_port, [samples.plain(), samples.html_only(), samples.no_sender()])

    dry = import_mailbox(store, settings=settings, actor=Actor("cron"), now=NOW, dry_run=True)
    assert dry.as_json()["new"] == 2 and count(imap_port, "INBOX") == 3
    done = import_mailbox(store, settings=settings, actor=Actor("cron"), now=NOW)

    assert done.as_json() == {
        "read": 3,
        "new": 2,
        "duplicates": 0,
        "attached_to_cases": 0,
        "quarantined": 1,
    }
    assert count(imap_port, "INBOX") == 0 and count(imap_port, "Traitees") == 3
    assert {m.sender_email for m in inbox(store)} == {
        "helene.dubois@example.be",
        "jan.peeters@example.be",
    }


def test_a_failure_leaves_what_was_not_stored_in_the_mailbox(
    store: Store, isolated: Path, imap_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(isolated, imap_port, monkeypatch)
    deliver(
        imap_port,
        [samples.plain(message_id=f"<n{n}@example.be>", subject=f"n°{n}") for n in range(5)],
    )
    monkeypatch.setattr(mail_module, "BATCH", 2)
    from plaintes_tui.store.mailbox import record_mail as real

    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:  # the second batch: the disk is full
            raise StoreError("disque plein")
        return real(*args, **kwargs)

    monkeypatch.setattr(mail_module, "record_mail", failing)
    with pytest.raises(StoreError):
        import_mailbox(store, settings=settings, actor=Actor("cron"), now=NOW)
    assert len(inbox(store)) == 2
    assert count(imap_port, "INBOX") == 3 and count(imap_port, "Traitees") == 2
    assert not list((isolated / "output").rglob("*.part"))

    monkeypatch.setattr(mail_module, "record_mail", real)
    again = import_mailbox(store, settings=settings, actor=Actor("cron"), now=NOW)
    assert (again.new, again.duplicates) == (3, 0)
    assert count(imap_port, "INBOX") == 0 and len(inbox(store)) == 5


def test_an_unreachable_or_refusing_mailbox_is_one_sentence(
    store: Store, isolated: Path, imap_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(isolated, imap_port, monkeypatch)
    missing = replace(settings, mail=replace(settings.mail, password_env="NO_SUCH_VARIABLE"))
    with pytest.raises(MailboxError, match="Aucun mot de passe pour la boîte aux lettres"):
        import_mailbox(store, settings=missing, actor=Actor("cron"), now=NOW)
    monkeypatch.setenv("WRONG_PASSWORD", "not-the-password")
    wrong = replace(settings, mail=replace(settings.mail, password_env="WRONG_PASSWORD"))
    with pytest.raises(MailboxError, match="refuse la connexion"):
        import_mailbox(store, settings=wrong, actor=Actor("cron"), now=NOW)
    closed = replace(settings, mail=replace(settings.mail, port=free_port()))
    with pytest.raises(MailboxError, match="ne répond pas"):
        import_mailbox(store, settings=closed, actor=Actor("cron"), now=NOW)


def test_a_full_disk_is_said_as_such_not_as_the_mailbox(
    store: Store, isolated: Path, imap_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(isolated, imap_port, monkeypatch)
    deliver(imap_port, [samples.plain(message_id="<full@example.be>")])

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device", str(isolated / "output"))

    monkeypatch.setattr(mail_module, "_write_files", full)
    with pytest.raises(MailboxError, match="Impossible d'écrire les messages dans"):
        import_mailbox(store, settings=settings, actor=Actor("cron"), now=NOW)
    assert count(imap_port, "INBOX") == 1  # nothing lost: still in the mailbox


def test_answers_to_the_programs_letter_reach_its_case_through_the_mailbox(
    store: Store, isolated: Path, imap_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The letter's Message-ID, stored when it was produced, ties the citizen's answer (from
    another address) and their out-of-office (marked as such) to the case, read from the
    service's real mailbox: neither is offered as a new complaint."""
    from plaintes_tui.store.cases import journal_of
    from tests.test_letters import acknowledged_by_email

    case, message_id = acknowledged_by_email(store, isolated / "letters")
    answer = samples.plain(
        sender="H. Dubois <h.dubois@autre-fournisseur.be>",
        subject="Re: votre courrier",
        message_id="<answer-1@autre-fournisseur.be>",
        headers={"In-Reply-To": message_id, "References": message_id},
    )
    away = samples.plain(
        sender="Helene <helene.dubois@example.be>",
        subject="Réponse automatique : votre courrier",
        message_id="<away-1@example.be>",
        headers={"In-Reply-To": message_id, "Auto-Submitted": "auto-replied"},
    )
    deliver(imap_port, [answer, away])
    settings = settings_for(isolated, imap_port, monkeypatch)
    done = import_mailbox(store, settings=settings, actor=Actor("cron"), now=NOW)
    assert (done.new, done.attached_to_cases) == (0, 2)
    assert inbox(store) == [] and count(imap_port, "Traitees") == 2
    received = [e for e in journal_of(store, case["id"]) if e.action == "mail_received"]
    assert [bool(e.changes.get("auto_reply")) for e in received] == [False, True]


async def test_r_in_the_inbox_reads_the_mailbox_with_the_password_file(
    store: Store, isolated: Path, imap_port: int
) -> None:
    """An agent's session has no mail password in its environment (sudo clears it): `r` reads
    the mailbox with the service account's password file and lists what came in."""
    from textual.widgets import OptionList

    from plaintes_tui.tui.app import PlaintesApp
    from plaintes_tui.tui.screens.inbox import InboxScreen
    from tests.factories import TODAY
    from tests.pilot import settle

    secret = isolated / "mail-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    secret.chmod(0o600)
    mail = MailSettings(
        host="127.0.0.1", port=imap_port, tls="none", user=USER, password_file=secret
    )
    settings = Settings(output=isolated / "output", mail=mail)
    deliver(imap_port, [samples.plain()])
    app = PlaintesApp(settings, agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_inbox()
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen) and inbox(store) == []
        await pilot.press("r")
        await settle(pilot)
        assert [m.sender_email for m in inbox(store)] == ["helene.dubois@example.be"]
        listed = app.screen.query_one("#inbox-list", OptionList)
        assert "Plainte : aucune réponse" in str(listed.get_option_at_index(0).prompt)
    assert count(imap_port, "INBOX") == 0
