"""Sending letters by e-mail, once, after the commit: a local mail server that accepts,
refuses, drops the connection or does not answer."""

from __future__ import annotations

import socket
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.letters import LetterKind
from plaintes_tui.domain.workflow import Move
from plaintes_tui.letters import Produced, draft_letter, produce_letter, send_letter
from plaintes_tui.settings import AgentSettings, Settings, SmtpSettings
from plaintes_tui.store.case_writer import MoveRefused
from plaintes_tui.store.cases import StaleCaseError, get_case, journal_of, read_case
from plaintes_tui.store.database import Store
from plaintes_tui.store.outbox import Send, letters_of
from tests.factories import CALCULATOR, NOW, add_case, do
from tests.mailserver import MailServer
from tests.test_letters import ALICE, case_in

AT = datetime(2026, 12, 7, 10, 0)


def resend(
    store: Store, produced: Produced, settings: Settings, login: str
) -> tuple[Send, str | None]:
    """The produced letter's e-mail sent again by ``login`` (from the case file)."""
    return send_letter(store, produced.letter_id, settings=settings, actor=Actor(login), now=AT)


def settings_for(port: int, timeout: int = 30) -> Settings:
    return Settings(
        agents=AgentSettings(directory={"alice": ALICE}),
        smtp=SmtpSettings(host="127.0.0.1", port=port, timeout=timeout),
    )


def produce(store: Store, case: dict[str, Any], settings: Settings, **options: Any) -> Any:
    from plaintes_tui.domain.admissibility import load_reference

    letter = draft_letter(
        store,
        read_case(store, case["id"]),
        LetterKind.ACKNOWLEDGEMENT,
        settings=settings,
        agent="alice",
        reference_data=load_reference(),
    ).letter
    return produce_letter(
        store,
        case["id"],
        options.pop("version", case["version"]),
        LetterKind.ACKNOWLEDGEMENT,
        letter,
        settings=settings,
        actor=Actor("alice"),
        now=AT,
        calculator=CALCULATOR,
        output_folder=store.path.parent / "out",
        **options,
    )


def actions(store: Store, case_id: int) -> list[str]:
    return [entry.action for entry in journal_of(store, case_id)]


def test_one_e_mail_per_letter_and_never_twice(store: Store, mail: tuple[MailServer, int]) -> None:
    server, port = mail
    settings = settings_for(port)
    case = case_in(store, "fr")
    produced = produce(store, case, settings)
    assert produced.send == "sent"
    [message] = server.received
    assert case["reference"] in message["Subject"]
    assert message["To"].endswith("<helene.dubois@example.be>")
    assert actions(store, case["id"])[-2:] == ["letter", "letter_sent"]
    # Again, from the case file or from a second agent: nothing leaves a second time.
    assert send_letter(
        store, produced.letter_id, settings=settings, actor=Actor("bob"), now=AT
    ) == (
        "sent",
        None,
    )
    assert len(server.received) == 1
    [row] = letters_of(store, case["id"])
    assert row["send"] == "sent" and row["attempts"] == 1
    # The send result did not change the case: a colleague's open form is not made stale.
    assert get_case(store, case["id"])["version"] == produced.case.version


def test_a_refusal_is_recorded_and_a_retry_sends_once(
    store: Store, mail: tuple[MailServer, int]
) -> None:
    server, port = mail
    settings = settings_for(port)
    server.refusing = True
    case = case_in(store, "nl")
    produced = produce(store, case, settings)
    assert produced.send == "failed" and "550" in (produced.error or "")
    assert server.received == []
    updated = get_case(store, case["id"])  # the letter is recorded, the case consistent
    assert updated["acknowledgement_sent"] == "2026-12-07"
    failed = journal_of(store, case["id"])[-1]
    assert failed.action == "letter_send_failed" and "550" in failed.note
    server.refusing = False
    assert resend(store, produced, settings, "alice")[0] == "sent"
    assert resend(store, produced, settings, "alice")[0] == "sent"
    assert len(server.received) == 1
    assert actions(store, case["id"])[-3:] == ["letter", "letter_send_failed", "letter_sent"]


def _server_that(behaviour: str) -> tuple[socket.socket, threading.Thread]:
    """A mail server that hangs up at once ("drop") or never says a word ("silent")."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []

    def serve() -> None:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        if behaviour == "drop":
            connection.close()
        else:
            held.append(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener, thread


@pytest.mark.parametrize("behaviour", ["drop", "silent"])
def test_a_dropped_or_silent_server_leaves_the_letter_not_sent(
    store: Store, behaviour: str
) -> None:
    listener, thread = _server_that(behaviour)
    try:
        settings = settings_for(listener.getsockname()[1], timeout=1)
        case = case_in(store, "de")
        produced = produce(store, case, settings)
    finally:
        listener.close()
        thread.join(timeout=5)
    assert produced.send == "failed" and produced.error
    [row] = letters_of(store, case["id"])
    assert row["send"] == "failed" and row["error"] == produced.error
    assert actions(store, case["id"])[-2:] == ["letter", "letter_send_failed"]


def test_a_stale_case_writes_and_sends_nothing(store: Store, mail: tuple[MailServer, int]) -> None:
    server, port = mail
    case = case_in(store, "fr")
    do(store, case["id"], Move.NOTE, by="bob", text="un collègue")
    with pytest.raises(StaleCaseError):
        produce(store, case, settings_for(port))
    assert server.received == []
    out = store.path.parent / "out"
    assert not out.exists() or not any(out.rglob("*"))  # not even a file begun
    assert "letter" not in actions(store, case["id"])
    assert letters_of(store, case["id"]) == []


def test_without_send_the_e_mail_is_held_until_asked(
    store: Store, mail: tuple[MailServer, int]
) -> None:
    server, port = mail
    settings = settings_for(port)
    case = case_in(store, "fr")
    produced = produce(store, case, settings, send=False)
    assert produced.send == "held" and server.received == []
    assert resend(store, produced, settings, "alice")[0] == "sent"
    assert len(server.received) == 1


def test_a_read_only_login_sends_no_held_e_mail(store: Store, mail: tuple[MailServer, int]) -> None:
    """The store's door, not only the case file's key, refuses who may only read."""
    server, port = mail
    settings = settings_for(port)
    case = case_in(store, "fr")
    produced = produce(store, case, settings, send=False)
    reader = Actor("visitor", read_only=True)
    with pytest.raises(MoveRefused, match="lecture seule"):
        send_letter(store, produced.letter_id, settings=settings, actor=reader, now=AT)
    assert server.received == []
    assert letters_of(store, case["id"])[0]["send"] == "held"
    assert actions(store, case["id"])[-1] == "letter"


def test_two_senders_at_once_send_one_e_mail(store: Store, mail: tuple[MailServer, int]) -> None:
    server, port = mail
    settings = settings_for(port)
    case = add_case(store, NOW.date())
    produced = produce(store, get_case(store, case["id"]), settings, send=False)
    results: list[object] = []
    barrier = threading.Barrier(4)

    def one() -> None:
        barrier.wait(timeout=10)
        results.append(resend(store, produced, settings, "x"))

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 4
    assert len(server.received) == 1


def test_two_agents_producing_one_letter_in_one_second_keep_the_winners_files(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same case, same version, same second: each writes under a name of its own (the loser's
    cleanup cannot take the winner's file); one letter is recorded, and its PDF and .eml are
    there whole; the other agent is told the case changed, and leaves nothing behind."""
    import plaintes_tui.letters

    case = case_in(store, "fr")
    outcomes: list[object] = []
    written: list[Path] = []
    from plaintes_tui.domain.letters import write_pdf

    both_begun = threading.Barrier(2, timeout=60)  # neither saves before both have begun

    def recorded(path: Path, *args: Any, **kwargs: Any) -> Any:
        written.append(path)
        both_begun.wait()
        return write_pdf(path, *args, **kwargs)

    monkeypatch.setattr(plaintes_tui.letters, "write_pdf", recorded)

    def one() -> None:
        try:
            outcomes.append(produce(store, case, Settings(), send=False))
        except StaleCaseError as stale:
            outcomes.append(stale)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(type(o).__name__ for o in outcomes) == ["Produced", "StaleCaseError"]
    assert len(set(written)) == 2  # two files begun, never one shared
    (letter,) = letters_of(store, case["id"])
    assert Path(letter["pdf"]).read_bytes().startswith(b"%PDF")
    assert Path(letter["eml"]).stat().st_size > 0
    out = store.path.parent / "out"
    assert not list(out.rglob("*.part"))
    assert sorted(p.suffix for p in out.rglob("*.*")) == [".eml", ".pdf"]
