"""E-mail intake: messages of every shape into the inbox, replies into their case, bad ones
into quarantine — each once, none lost, the import never stopped by one message."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.mail import Rejected, parse_mail, split_name
from plaintes_tui.mail import take_in
from plaintes_tui.mail_sources import delivery_order, read_paths
from plaintes_tui.settings import MailSettings, Settings
from plaintes_tui.store.cases import journal_of
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.mailbox import inbox, messages_of, quarantined
from plaintes_tui.store.queue import waiting_count
from tests import mail_samples as samples
from tests.factories import add_case

ZONE = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=ZONE)


@pytest.fixture
def settings(isolated: Path) -> Settings:
    return Settings(output=isolated / "output")


def parse(raw: bytes, max_bytes: int = 10_000_000):  # type: ignore[no-untyped-def]
    return parse_mail(raw, zone=ZONE, now=NOW, max_bytes=max_bytes)


def test_each_shape_of_message_reads_as_the_citizen_wrote_it() -> None:
    plain = parse(samples.plain(headers={"Received": samples.RECEIVED}))
    assert (plain.sender_name, plain.sender_email) == ("Hélène Dubois", "helene.dubois@example.be")
    assert plain.subject == "Plainte : aucune réponse" and "trois mois" in plain.body
    # the service's server received it Friday 23:30 UTC: Saturday 28 in Brussels
    assert plain.arrived.date() == date(2026, 11, 28) and plain.date_trusted
    html = parse(samples.html_only())
    assert "Mijn dossier is zoek." in html.body and "<b>" not in html.body
    german = parse(samples.with_attachments())
    assert german.sender_name == "Jürgen Müller"
    assert german.subject == "Beschwerde über die Bearbeitung"
    assert [a.name for a in german.attachments] == ["Beschwerdeformular ausgefüllt.pdf", "scan.png"]
    assert german.web_form  # the complaint form is attached
    dutch = parse(samples.dutch_encoded())
    assert dutch.sender_name == "Geert Dewaële"
    assert dutch.subject == "Klacht over het uitblijven van een antwoord – dringend"
    assert "Reëel onaanvaardbaar." in dutch.body
    latin = parse(samples.latin1())
    assert latin.sender_name == "François Léonard" and latin.subject == "Délai dépassé"
    assert "Je n'ai reçu aucune réponse à ma lettre." in latin.body
    future = parse(samples.plain(date="Mon, 01 Nov 2027 10:00:00 +0100"))
    assert not future.date_trusted and future.arrived.date() == NOW.date()
    assert parse(samples.out_of_office("P-2026-00001")).auto_reply
    assert parse(samples.reply_to("<x.P-2026-00007@minsoc.fed.be>")).references == ("P-2026-00007",)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "mail.empty"),
        (b"\x00\x01\x02 not an e-mail at all", "mail.no_sender"),
        (samples.no_sender(), "mail.no_sender"),
        (samples.unknown_charset(), "mail.charset"),
        (samples.traversal(), "mail.bad_file_name"),
        (samples.huge(3_000_000), "mail.too_large"),
        (samples.mime_bomb(), "mail.too_nested"),
    ],
    ids=["empty", "binary", "no-sender", "charset", "traversal", "huge", "mime-bomb"],
)
def test_a_bad_message_is_refused_with_its_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(Rejected) as rejected:
        parse(raw, max_bytes=2_000_000)
    assert rejected.value.key == reason


def test_names_are_split_as_agents_type_them() -> None:
    assert split_name("PEETERS Jan") == ("Peeters", "Jan")
    assert split_name("Jan Peeters") == ("Peeters", "Jan")
    assert split_name("Jan De Smet") == ("De Smet", "Jan")
    assert split_name("Anne van den Broeck") == ("van den Broeck", "Anne")
    assert split_name("Marie Le Clercq") == ("Le Clercq", "Marie")
    assert split_name("Jean-Pierre Du Bois") == ("Du Bois", "Jean-Pierre")
    assert split_name("Van den Broeck, Lieve") == ("Van den Broeck", "Lieve")
    assert split_name("") == ("", "")


def test_a_maildir_is_read_in_the_order_its_messages_arrived() -> None:
    """Its keys name the second, then the microsecond and the count of each delivery: read
    as numbers, not as text (the microseconds are not padded)."""
    keys = [
        "1764500001.M2P7Q3.host:2,S",
        "1764500000.M100000P7Q2.host",
        "1764500000.M99999P7Q1.host",
        "odd-name",
    ]
    assert sorted(keys, key=delivery_order) == [
        "odd-name",
        "1764500000.M99999P7Q1.host",
        "1764500000.M100000P7Q2.host",
        "1764500001.M2P7Q3.host:2,S",
    ]


def test_an_import_sorts_every_message_and_stops_for_none(
    store: Store, settings: Settings, isolated: Path
) -> None:
    case = add_case(store, date(2026, 11, 2))
    reference = case["reference"]
    folder = samples.maildir(
        isolated / "Maildir",
        [
            samples.plain(),
            samples.html_only(),
            samples.with_attachments(),
            samples.latin1(),
            samples.reply_to(f"<1.2.{reference}@minsoc.fed.be>"),
            samples.out_of_office(reference),
            samples.plain(
                subject=f"Complément à ma plainte {reference.lower()}",
                message_id="<complement@example.be>",
            ),
            samples.no_sender(),
            samples.unknown_charset(),
            samples.traversal(),
            samples.mime_bomb(),
            samples.huge(2_000_000),
            b"",
        ],
    )
    small = replace(settings, mail=MailSettings(max_message_mb=1))

    done = take_in(store, read_paths([folder]), settings=small, actor=Actor("marie"), now=NOW)

    assert done.as_json() == {
        "read": 13,
        "new": 4,
        "duplicates": 0,
        "attached_to_cases": 3,
        "quarantined": 6,
    }
    waiting = inbox(store)
    assert [m.sender_email for m in waiting] == [
        "f.leonard@example.be",
        "j.mueller@example.be",
        "jan.peeters@example.be",
        "helene.dubois@example.be",
    ]  # oldest first: their clocks run from their receipt
    german = waiting[1]
    stored = Path(german.folder)
    assert sorted(p.name for p in stored.iterdir()) == [
        "Beschwerdeformular ausgefüllt.pdf",
        "message.eml",
        "scan.png",
    ]
    kept = (stored / "message.eml").read_bytes()  # the message as received, byte for byte
    assert kept.startswith(b"From: =?utf-8?q?J=C3=BCrgen") and b"<attach-1@example.be>" in kept
    attached = messages_of(store, case["id"])
    assert sorted((m.subject[:12], m.auto_reply) for m in attached) == [
        ("Complément à", False),
        ("Re: Votre pl", False),
        ("Réponse auto", True),
    ]
    journal = journal_of(store, case["id"])
    assert [e.action for e in journal][-3:] == ["mail_received"] * 3
    assert journal[-2].changes["auto_reply"] == [None, True]
    reasons = sorted(m.reason for m in quarantined(store))
    assert reasons == sorted(
        [
            "mail.no_sender",
            "mail.charset",
            "mail.bad_file_name",
            "mail.too_nested",
            "mail.too_large",
            "mail.empty",
        ]
    )
    assert all((Path(m.folder) / "message.eml").is_file() for m in quarantined(store))
    assert waiting_count(store) == (4, 6)
    assert not list((isolated / "output").rglob("*.part"))

    again = take_in(store, read_paths([folder]), settings=small, actor=Actor("marie"), now=NOW)
    assert again.as_json()["duplicates"] == 13 and again.as_json()["read"] == 13


def test_a_dry_run_writes_nothing(store: Store, settings: Settings, isolated: Path) -> None:
    file = isolated / "one.eml"
    file.write_bytes(samples.plain())
    done = take_in(
        store, read_paths([file]), settings=settings, actor=Actor("m"), now=NOW, dry_run=True
    )
    assert done.as_json()["new"] == 1
    assert inbox(store) == [] and not (isolated / "output").exists()


def test_a_message_without_message_id_is_known_by_its_bytes(
    store: Store, settings: Settings, isolated: Path
) -> None:
    raw = samples.plain(message_id=None)
    mbox = isolated / "mbox"
    mbox.write_bytes(b"From someone Fri Nov 27 10:00:00 2026\n" + raw.replace(b"\r\n", b"\n"))
    first = take_in(store, read_paths([mbox]), settings=settings, actor=Actor("m"), now=NOW)
    second = take_in(store, read_paths([mbox]), settings=settings, actor=Actor("m"), now=NOW)
    assert (first.new, second.duplicates) == (1, 1)


def test_two_imports_at_once_take_each_message_once(
    store: Store, settings: Settings, isolated: Path
) -> None:
    folder = samples.maildir(
        isolated / "Maildir",
        [samples.plain(message_id=f"<m{n}@example.be>", subject=f"n°{n}") for n in range(60)],
    )
    results = []

    def run() -> None:
        own = open_store(store.path)
        try:
            results.append(
                take_in(own, read_paths([folder]), settings=settings, actor=Actor("a"), now=NOW)
            )
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(r.new for r in results) == 60
    assert sum(r.duplicates for r in results) == 60
    assert len(inbox(store)) == 60
    assert len(list((isolated / "output" / "mail" / "messages").iterdir())) == 60


def test_the_command_prints_counts_and_refuses_a_missing_path(
    store: Store, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from plaintes_tui.cli import main

    store.close()
    (isolated / "one.eml").write_bytes(samples.plain())
    (isolated / "plaintes.toml").write_text('[agents]\nunlisted = "mailroom"\n', encoding="utf-8")

    def mail_import(*args: str) -> int:
        return main(["--config", "plaintes.toml", "--db", "plaintes.db", "mail", "import", *args])

    assert mail_import("--dry-run", "one.eml") == 0
    assert "À blanc" in capsys.readouterr().out
    assert mail_import("--json", "one.eml") == 0
    assert json.loads(capsys.readouterr().out)["new"] == 1
    assert mail_import("nowhere") == 2
    assert "nowhere n'existe pas" in capsys.readouterr().err
    assert mail_import() == 2
    assert "Aucune boîte aux lettres" in capsys.readouterr().err


def test_the_demo_store_has_e_mails_and_scanned_letters_waiting(isolated: Path) -> None:
    from plaintes_tui.cli import main
    from plaintes_tui.store.mailbox import waiting_scans

    assert main(["--db", "demo.db", "demo", "--cases", "300", "--today", "2026-11-28"]) == 0
    store = open_store(isolated / "demo.db")
    try:
        assert waiting_count(store) == (7, 1)
        scans = waiting_scans(store)  # read by the scan reader, with a PDF of the page
        assert [(m.sender_name, m.scan and m.scan["town"]) for m in scans] == [
            ("Jean-Pierre Lemaire", "Liège"),
            ("Marleen Claes", "Hasselt"),
        ]
        assert scans[1].scan and scans[1].scan["confidence"]["street"] < 0.8  # to check
        assert all((Path(m.folder) / "lettre.pdf").read_bytes()[:4] == b"%PDF" for m in scans)
        assert [m.sender_name for m in inbox(store)][:3] == [
            "Sophie Lambert",
            "Pieter Claes",
            "Anna Schmitz",
        ]
        assert [m.sender_name for m in inbox(store) if m.auto_reply] == ["Luc Peeters"]
        attached = store.connection.execute(
            "SELECT cases.status FROM mail_messages JOIN cases ON cases.id = case_id"
        ).fetchall()
        assert len(attached) == 1
    finally:
        store.close()


def test_a_body_too_long_to_keep_says_where_it_was_cut_and_where_the_rest_is() -> None:
    from plaintes_tui.domain.mail import MAX_BODY_CHARS, ORIGINAL

    words = "Mon dossier traîne depuis des mois. " * (MAX_BODY_CHARS // 36 + 100)
    body = parse(samples.plain(body=words)).body
    assert body.startswith(words[:MAX_BODY_CHARS])
    more = len(words.strip()) - MAX_BODY_CHARS
    assert body.endswith(f"[Texte coupé ici : {more} caractères de plus dans le message d'origine "
                         f"({ORIGINAL}), gardé avec ses pièces jointes.]")  # fmt: skip


def test_an_html_body_reads_as_plain_text_with_its_accents() -> None:
    """Entities decoded (one NL, one FR), list items on their lines, and no Markdown marks:
    the description is what the citizen wrote, as they wrote it."""
    from plaintes_tui.domain.html_text import html_to_text

    text = html_to_text(
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>Dit is &eacute;&eacute;n klacht, <b>dringend</b>.</p>"
        "<p>Pas de r&#233;ponse &agrave; ma demande&nbsp;:</p>"
        "<ol><li>premier envoi</li><li>rappel</li></ol>"
        '<p>1. voir <a href="https://example.be/x">le site</a><br>Merci</p>'
        "<script>alert(1)</script></body></html>"
    )
    assert text == (
        "Dit is één klacht, dringend.\n\n"
        "Pas de réponse à ma demande :\n\n"
        "1. premier envoi\n2. rappel\n\n"
        "1. voir le site\nMerci"
    )


def test_an_answer_to_the_programs_letter_goes_to_its_case_from_any_address(
    store: Store, isolated: Path
) -> None:
    """The letter's Message-ID is stored with it: the citizen's answer (In-Reply-To), even
    from another address than the one on record, is attached to that case."""

    from plaintes_tui.mail import take_in
    from plaintes_tui.mail_sources import Incoming
    from plaintes_tui.settings import Settings
    from plaintes_tui.store.cases import journal_of
    from plaintes_tui.store.mailbox import inbox
    from tests.test_letters import acknowledged_by_email

    case, message_id = acknowledged_by_email(store, isolated / "out")
    stored = store.connection.execute("SELECT message_id FROM letters").fetchone()
    assert stored == (message_id,)
    answer = samples.plain(
        sender="H. Dubois <h.dubois@autre-fournisseur.be>",
        subject="Re: votre courrier",
        message_id="<answer-1@autre-fournisseur.be>",
        headers={"In-Reply-To": message_id},
    )
    take_in(
        store,
        [Incoming("test", answer)],
        settings=Settings(output=isolated / "output"),
        actor=Actor("cron"),
        now=datetime(2026, 12, 12, 10, 0, tzinfo=ZoneInfo("Europe/Brussels")),
    )
    assert inbox(store) == []
    assert [e.action for e in journal_of(store, case["id"])][-1] == "mail_received"


def test_an_mbox_splits_on_its_separators_only_and_folders_hold_mbox_files(
    isolated: Path,
) -> None:
    """A body line starting "From " is text (not a new message with no sender); a folder
    given to the import reads its .mbox files as well as its .eml files."""
    mbox = (
        b"From helene@example.be Fri Nov 27 10:00:00 2026\n"
        b"From: Helene <helene@example.be>\nSubject: Un\nMessage-ID: <m1@example.be>\n\n"
        b"Bonjour,\nFrom the start I asked for an answer.\n>From escaped too.\n\n"
        b"From jan@example.be Sat Nov 28 09:30:00 2026\n"
        b"From: Jan <jan@example.be>\nSubject: Twee\nMessage-ID: <m2@example.be>\n\nHallo\n"
    )
    folder = isolated / "export"
    folder.mkdir()
    (folder / "archive.mbox").write_bytes(mbox)
    (folder / "one.eml").write_bytes(samples.plain())
    read = list(read_paths([folder]))
    assert len(read) == 3
    first = parse_mail(
        read[0].raw,
        zone=ZoneInfo("Europe/Brussels"),
        now=datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Brussels")),
        max_bytes=10**6,
    )
    assert "From the start I asked for an answer." in first.body
    assert "From escaped too." in first.body and ">From" not in first.body
    assert [
        parse_mail(
            m.raw,
            zone=ZoneInfo("Europe/Brussels"),
            now=datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Brussels")),
            max_bytes=10**6,
        ).sender_email
        for m in read
    ] == ["helene@example.be", "jan@example.be", "helene.dubois@example.be"]


def test_a_header_is_parsed_once_and_keeps_what_the_standard_policy_gives() -> None:
    """The import's policy hands back the header it parsed the first time (the standard
    parser asks for Content-Type a dozen times a message): the same object, with its
    parameters, address lists and dates as ``policy.default`` has them."""
    import email
    from email.headerregistry import AddressHeader, ContentTypeHeader
    from email.message import EmailMessage

    from plaintes_tui.domain.mail import HEADERS_PARSED_ONCE

    message = email.message_from_bytes(samples.with_attachments(), policy=HEADERS_PARSED_ONCE)
    assert isinstance(message, EmailMessage)
    first, again = message.get("Content-Type"), message.get("Content-Type")
    assert first is again
    assert isinstance(first, ContentTypeHeader) and first.content_type.startswith("multipart/")
    sender = message.get("From")
    assert isinstance(sender, AddressHeader) and sender.addresses[0].addr_spec
    assert message.get_body(preferencelist=("plain",)) is not None
