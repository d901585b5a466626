"""Letters in the complainant's language: content, the .eml read back, the PDF's text."""

from __future__ import annotations

import email
import socket
from datetime import date, datetime
from email import policy
from pathlib import Path

import pytest
from pypdf import PdfReader

from plaintes_tui.domain.admissibility import Outcome as Decision
from plaintes_tui.domain.admissibility import load_reference
from plaintes_tui.domain.cases import Admissibility, Language
from plaintes_tui.domain.letters import LetterKind
from plaintes_tui.letters import draft_letter, produce_letter
from plaintes_tui.settings import Settings, SmtpSettings
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.store.workflow import record_decision
from tests.factories import CALCULATOR, NOW, add_case, new_store, person

SETTINGS = Settings()
EXPECTED = {
    "fr": (
        "Accusé de réception",
        "lundi 4 janvier 2027",
        "ne suspend pas les délais",
        "Médiateur fédéral",
    ),
    "nl": (
        "Ontvangstbevestiging",
        "4 januari 2027",
        "schorst de wettelijke beroepstermijnen",
        "Médiateur fédéral",
    ),
    "de": (
        "Empfangsbestätigung",
        "4. Januar 2027",
        "setzt die gesetzlichen Einspruchsfristen",
        "Médiateur fédéral",
    ),
    "en": (
        "Acknowledgement",
        "4 January 2027",
        "does not suspend the legal time limits",
        "Médiateur fédéral",
    ),
}


@pytest.fixture
def store(isolated: Path) -> Store:
    return new_store(isolated)


def case_in(store: Store, language: str, **person_fields: object) -> dict:
    case = add_case(
        store,
        date(2026, 12, 4),
        language=Language(language),
        complainant=person(
            language=Language(language),
            street="Rue Haute 12",
            postal_code="1000",
            town="Bruxelles",
            **person_fields,
        ),
    )
    return get_case(store, case["id"])


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_every_kind_in_every_language(store: Store, language: str) -> None:
    case = case_in(store, language)
    reference_data = load_reference()
    title, reply_due, no_suspension, ombudsman = EXPECTED[language]
    ack = draft_letter(
        case,
        LetterKind.ACKNOWLEDGEMENT,
        settings=SETTINGS,
        agent="Alice Martin",
        reference_data=reference_data,
    )
    assert ack.subject.startswith(title) and case["reference"] in ack.subject
    assert reply_due in ack.body and case["reference"] in ack.body
    reply = draft_letter(
        case,
        LetterKind.REPLY,
        settings=SETTINGS,
        agent="Alice Martin",
        reference_data=reference_data,
    )
    for needed in (
        no_suspension,
        ombudsman,
        "Rue Ducale 43, 1000 Bruxelles",
        "0800 99 962",
        "www.federaalombudsman.be",
        case["reference"],
        "Alice Martin",
    ):
        assert needed in reply.body, needed
    details = draft_letter(
        case,
        LetterKind.DETAILS_REQUEST,
        settings=SETTINGS,
        agent="A",
        reference_data=reference_data,
    )
    assert case["reference"] in details.body and SETTINGS.service.email in details.body
    record_decision(
        store,
        case["id"],
        case["version"],
        Decision(Admissibility.REDIRECTED_DG_HANDICAP),
        reason="",
        answers=[],
        agent="a",
        now=NOW,
        calculator=CALCULATOR,
    )
    redirected = draft_letter(
        get_case(store, case["id"]),
        LetterKind.OUT_OF_SCOPE,
        settings=SETTINGS,
        agent="A",
        reference_data=reference_data,
    )
    assert reference_data.dg_handicap.in_language(language) in redirected.body


def test_the_eml_and_pdf_are_kept_with_the_case_and_acknowledge_it(
    store: Store, isolated: Path
) -> None:
    case = case_in(store, "fr", first_name="Hélène", last_name="Dubois")
    letter = draft_letter(
        case,
        LetterKind.ACKNOWLEDGEMENT,
        settings=SETTINGS,
        agent="Alice",
        reference_data=load_reference(),
    )
    updated, files = produce_letter(
        store,
        case["id"],
        case["version"],
        LetterKind.ACKNOWLEDGEMENT,
        letter,
        settings=SETTINGS,
        agent="alice",
        now=datetime(2026, 12, 7, 10, 30),
        calculator=CALCULATOR,
        output_folder=isolated / "output",
    )
    eml, pdf = files
    assert eml.parent.name == case["reference"] and eml.suffix == ".eml"
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert case["reference"] in message["Subject"]
    assert message["To"] == "Hélène DUBOIS <helene.dubois@example.be>"
    assert message["From"] == SETTINGS.service.email
    assert message["X-Plaintes-Reference"] == case["reference"]
    assert message.get_content_charset() == "utf-8"
    assert "Accusé de réception" in message["Subject"]
    assert "réponse motivée au plus tard le lundi 4 janvier 2027" in message.get_content()
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert case["reference"] in text and "Hélène DUBOIS" in text and "1000 Bruxelles" in text
    assert "Service des plaintes du SPF Sécurité sociale" in text
    assert updated["acknowledgement_sent"] == "2026-12-07"
    assert updated["acknowledgement_means"] == "email"
    entry = journal_of(store, case["id"])[-1]
    assert entry["action"] == "letter" and str(pdf) in entry["note"]
    assert entry["changes"]["letter"] == [None, "acknowledgement"]


def test_an_out_of_scope_answer_sent_closes_the_case(store: Store, isolated: Path) -> None:
    case = case_in(store, "nl", email=None)
    decided = record_decision(
        store,
        case["id"],
        case["version"],
        Decision(Admissibility.DISPUTE),
        reason="",
        answers=[],
        agent="a",
        now=NOW,
        calculator=CALCULATOR,
    )
    letter = draft_letter(
        decided,
        LetterKind.OUT_OF_SCOPE,
        settings=SETTINGS,
        agent="A",
        reference_data=load_reference(),
    )
    assert "geschil" in letter.body
    updated, _ = produce_letter(
        store,
        case["id"],
        decided["version"],
        LetterKind.OUT_OF_SCOPE,
        letter,
        settings=SETTINGS,
        agent="a",
        now=NOW,
        calculator=CALCULATOR,
        output_folder=isolated / "output",
    )
    assert updated["status"] == "closed" and updated["acknowledgement_means"] == "letter"


def test_the_service_can_override_a_template(store: Store, isolated: Path) -> None:
    (isolated / "data" / "letters").mkdir(parents=True)
    (isolated / "data" / "letters" / "acknowledgement.fr.txt").write_text(
        "Objet {{ reference }}\n---\nCorps personnalisé {{ reference }}\n", encoding="utf-8"
    )
    case = case_in(store, "fr")
    letter = draft_letter(
        case,
        LetterKind.ACKNOWLEDGEMENT,
        settings=SETTINGS,
        agent="A",
        reference_data=load_reference(),
        data_folder=isolated / "data",
    )
    assert letter.body == f"Corps personnalisé {case['reference']}\n"


def test_with_an_smtp_server_the_e_mail_is_sent(store: Store, isolated: Path) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[email.message.Message] = []

    class Keep(Message):
        def handle_message(self, message: email.message.Message) -> None:
            received.append(message)

    with socket.socket() as probe:  # a free port on this machine's loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = Settings(smtp=SmtpSettings(host="127.0.0.1", port=port))
        case = case_in(store, "de")
        letter = draft_letter(
            case,
            LetterKind.ACKNOWLEDGEMENT,
            settings=settings,
            agent="A",
            reference_data=load_reference(),
        )
        produce_letter(
            store,
            case["id"],
            case["version"],
            LetterKind.ACKNOWLEDGEMENT,
            letter,
            settings=settings,
            agent="a",
            now=NOW,
            calculator=CALCULATOR,
            output_folder=isolated / "out",
        )
    finally:
        controller.stop()
    [message] = received
    assert case["reference"] in message["Subject"]
    assert message["To"].endswith("<helene.dubois@example.be>")
    assert "e-mail envoyé à helene.dubois@example.be" in journal_of(store, case["id"])[-1]["note"]


def test_the_request_for_missing_details_counts_as_the_acknowledgement(
    store: Store, isolated: Path
) -> None:
    """It confirms receipt (it gives the reference): the acknowledgement clock of an
    incomplete case can be met."""
    case = case_in(store, "fr", email=None, phone=None)
    letter = draft_letter(
        case,
        LetterKind.DETAILS_REQUEST,
        settings=SETTINGS,
        agent="Alice",
        reference_data=load_reference(),
    )
    updated, _ = produce_letter(
        store,
        case["id"],
        case["version"],
        LetterKind.DETAILS_REQUEST,
        letter,
        settings=SETTINGS,
        agent="alice",
        now=datetime(2026, 12, 7, 9, 0),
        calculator=CALCULATOR,
        output_folder=isolated / "output",
    )
    assert updated["acknowledgement_sent"] == "2026-12-07"
    assert updated["acknowledgement_means"] == "details_request"
