"""Text from outside never acts on a terminal: escape sequences and control characters are
removed at the door — e-mail import, the store's callers, the settings — so that they reach
neither the store nor a letter nor a list."""

from __future__ import annotations

import re
from datetime import date
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest

from plaintes_tui.cli import main
from plaintes_tui.domain.workflow import Move
from plaintes_tui.printable import clean
from plaintes_tui.settings import settings_from_mapping
from plaintes_tui.store.database import Store
from tests.factories import add_case, do, person

CORPUS = [
    "\x1b]0;pwned\x07",  # retitles the terminal
    "\x1b]8;;http://evil.example\x1b\\lien\x1b]8;;\x1b\\",  # a hyperlink
    "\x1b[31mrouge\x1b[0m",  # colours
    "\x9b2J",  # clears the screen (one-byte introducer)
    "\x1b[2J\x1b[H",
    "\u202eevil",  # shows the line backwards
    "nul\x00byte",
    "bell\x07",
    "back\x08space",
    "carriage\rreturn",
]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = " ".join(CORPUS)


@pytest.mark.parametrize("text", CORPUS)
def test_the_one_function_leaves_no_control(text: str) -> None:
    assert not CONTROL.search(clean(text))
    assert not CONTROL.search(clean(text, lines=True).replace("\n", "").replace("\t", ""))
    assert clean("ligne 1\r\nligne 2\tfin", lines=True) == "ligne 1\nligne 2\tfin"
    assert clean("[red]Dubois[/red] & Cie") == "[red]Dubois[/red] & Cie"  # markup is data


def _text_columns(store: Store) -> str:
    """Every text stored about cases, persons, the journal and e-mails, joined."""
    rows = store.connection.execute(
        "SELECT c.subject || c.description || p.last_name || p.first_name || "
        "coalesce(p.street, '') || coalesce(p.town, '') FROM cases c "
        "JOIN complainants p ON p.id = c.complainant_id "
        "UNION ALL SELECT note FROM journal "
        "UNION ALL SELECT sender_name || sender_email || subject || body FROM mail_messages"
    ).fetchall()
    return "".join(str(text) for (text,) in rows)


def test_hostile_text_through_the_store_api_is_stored_clean(store: Store) -> None:
    case = add_case(
        store,
        date(2026, 11, 20),
        complainant=person(last_name=f"Dubois{CORPUS[0]}", first_name=CORPUS[5]),
        subject=f"Sujet {CORPUS[2]}",
        description=f"ligne 1\n{HOSTILE}\nligne 3",
    )
    do(store, case["id"], Move.NOTE, text=f"Appel {CORPUS[1]}")
    stored = _text_columns(store)
    assert not CONTROL.search(stored.replace("\n", ""))
    assert "Dubois" in stored and "ligne 1\n" in stored and "lien" in stored


def test_a_hostile_e_mail_is_imported_clean(store: Store, isolated: Path) -> None:
    message = isolated / "hostile.eml"
    message.write_bytes(
        b'From: "Dubois \x1b]0;pwned\x07 Helene" <helene@example.be>\r\n'
        b"Subject: Plainte \x1b[31mrouge\x1b[0m \x9b2J\r\n"
        b"Message-ID: <hostile@example.be>\r\n"
        b"Date: Fri, 27 Nov 2026 10:00:00 +0100\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Bonjour \x1b]0;titre\x07 je me plains.\r\nMerci\r\n"
    )
    assert main(["--db", str(store.path), "mail", "import", str(message)]) == 0
    (name, subject, body) = store.connection.execute(
        "SELECT sender_name, subject, body FROM mail_messages"
    ).fetchone()
    assert name == "Dubois Helene" and subject.startswith("Plainte rouge")
    assert not CONTROL.search(subject)  # the lone \x9b byte of a header: a replacement mark
    assert body.startswith("Bonjour  je me plains.") and not CONTROL.search(body.replace("\n", ""))


def test_agent_names_from_the_settings_are_clean(isolated: Path) -> None:
    settings = settings_from_mapping(
        {"agents": {"directory": {"marie": {"name": f"Marie{CORPUS[0]} Leroy"}}}},
        isolated / "plaintes.toml",
    )
    assert settings.agents.directory["marie"].name == "Marie Leroy"


def test_no_control_reaches_a_letter_or_a_list(
    store: Store, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = add_case(
        store,
        date(2026, 11, 20),
        complainant=person(last_name=f"Dubois{CORPUS[0]}", street="Rue X 1", town="Namur"),
        subject=f"Sujet {CORPUS[2]}",
        description=HOSTILE,
    )
    db = ["--db", str(store.path)]
    assert main([*db, "queue", "--format", "csv"]) == 0
    listed = capsys.readouterr().out
    assert "DUBOIS" in listed and not CONTROL.search(listed.replace("\n", "").replace("\r", ""))
    assert main([*db, "letter", case["reference"], "acknowledgement"]) == 0
    capsys.readouterr()
    (eml,) = (isolated / "data" / "output").rglob("*.eml")
    parsed = BytesParser(policy=default).parsebytes(eml.read_bytes())
    body = parsed.get_body(("plain",))
    assert body is not None
    text = f"{parsed['To']} {parsed['Subject']} {body.get_content()}"
    assert "DUBOIS" in text and not CONTROL.search(text.replace("\n", "").replace("\r", ""))
