"""Sending a file on to the institution competent for it: recorded always; by e-mail with the
citizen's file when the reference data has the address; by post as a note to print."""

from __future__ import annotations

import email
from dataclasses import replace
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.admissibility import ChecklistError, ReferenceData, parse_reference
from plaintes_tui.domain.cases import Language
from plaintes_tui.forwarding import forward_file
from plaintes_tui.letters import LetterRefused
from plaintes_tui.mail import take_in
from plaintes_tui.mail_sources import Incoming
from plaintes_tui.settings import AgentSettings, Settings, SmtpSettings
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.store.outbox import letters_of
from plaintes_tui.store.workflow import record_decision
from tests.factories import CALCULATOR, add_case, person, verified_reference
from tests.mail_samples import plain
from tests.mailserver import MailServer
from tests.test_letters import ALICE, _outcome

ONEM = "plaintes@onem.be"
SETTINGS = Settings(agents=AgentSettings(directory={"alice": ALICE}))
TODAY = datetime(2026, 12, 7, 10, 0)
FIRST_LINE = {
    "fr": "Transmission d'une plainte relevant de votre compétence",
    "nl": "Doorsturen van een klacht waarvoor u bevoegd bent",
    "de": "Weiterleitung einer Beschwerde in Ihrer Zuständigkeit",
    "en": "Forwarding of a complaint within your competence",
}


def reference(email_address: str | None = ONEM) -> ReferenceData:
    """The checked reference data, the unemployment office's complaints service with an
    e-mail address."""
    checked: ReferenceData = verified_reference()
    others = list(checked.other_institutions)
    others[1] = replace(others[1], email=email_address)
    return replace(checked, other_institutions=tuple(others))


def to_onem(data: ReferenceData, language: str = "fr") -> str:
    return data.other_institutions[1].in_language(language)


def sent_on(store: Store, language: str = "fr", data: ReferenceData | None = None) -> Any:
    """A complaint about the unemployment office, decided as another institution's."""
    data = data or reference()
    case = add_case(
        store,
        date(2026, 12, 4),
        language=Language(language),
        complainant=person(
            language=Language(language),
            niss="85073003328",
            street="Rue Haute 5",
            postal_code="1000",
            town="Bruxelles",
        ),
        subject="Allocations de chômage",
        description="Mon dossier ONEM n'avance pas [red]depuis trois mois[/red].",
    )
    record_decision(
        store,
        case["id"],
        case["version"],
        _outcome("other_institution"),
        reason=to_onem(data),
        answers=[],
        actor=Actor("alice"),
        now=datetime(2026, 12, 4, 11, 0),
        calculator=CALCULATOR,
    )
    return get_case(store, case["id"])


def forward(store: Store, case: Any, data: ReferenceData | None = None, **params: Any) -> Any:
    data = data or reference()
    settings = params.pop("settings", SETTINGS)
    current = get_case(store, case["id"])
    return forward_file(
        store,
        case["id"],
        current["version"],
        {"to": to_onem(data), "means": "email", "date": TODAY.date(), "notes": "", **params},
        settings=settings,
        actor=Actor("alice"),
        now=TODAY,
        calculator=CALCULATOR,
        reference=data,
    )


def read_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def with_her_message(case: Any, store: Store) -> Any:
    """The case, once the complainant has sent an e-mail about it (attached to it)."""
    raw = plain(
        sender="Hélène Dubois <helene.dubois@example.be>",  # the complainant: attached
        subject=f"Re: {case['reference']}",
        body="Voici la lettre de l'ONEM que j'ai reçue.",
        date="Mon, 07 Dec 2026 09:00:00 +0100",
    )
    take_in(
        store,
        [Incoming("test", raw)],
        settings=SETTINGS,
        actor=Actor("cron"),
        now=datetime(2026, 12, 7, 9, 30, tzinfo=ZoneInfo("Europe/Brussels")),
    )
    return case


def test_a_file_forwarded_by_e_mail_carries_the_complaint_and_the_citizens_messages(
    store: Store, isolated: Path
) -> None:
    case = with_her_message(sent_on(store), store)
    forwarded = forward(store, case)
    pdf, eml = forwarded.files
    message = read_eml(eml)
    assert message["To"] == ONEM
    assert case["reference"] in message["Subject"]
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert FIRST_LINE["fr"] not in text  # the first line is the subject
    assert "n'avance pas [red]depuis trois mois[/red]." in text  # as typed, never markup
    assert "NISS 85.07.30-033.28" in text
    assert "Rue Haute 5" in text and "1000 Bruxelles" in text
    assert "Le message reçu du plaignant est joint." in text
    [attached] = [part for part in message.iter_attachments()]
    assert attached.get_content_type() == "message/rfc822"
    assert attached.get_filename() == "message-1.eml"
    [original] = attached.iter_parts()
    assert isinstance(original, EmailMessage)
    assert original["From"] == "Hélène Dubois <helene.dubois@example.be>"
    inner = original.get_body(("plain",))
    assert inner is not None and "Voici la lettre de l'ONEM" in inner.get_content()
    assert "Allocations de chômage" in "".join(p.extract_text() for p in PdfReader(pdf).pages)
    [row] = letters_of(store, case["id"])
    assert (row["kind"], row["recipient"], row["send"]) == ("forwarding", ONEM, "held")
    entry = journal_of(store, case["id"])[-1]
    assert entry.action == "forwarded"
    assert entry.changes["forwarded_to"] == [None, to_onem(reference())]
    assert entry.changes["forwarded_by"] == [None, "email"]
    assert str(eml) in entry.note
    assert forwarded.notice is None


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_transmission_is_written_in_the_files_language(store: Store, language: str) -> None:
    case = sent_on(store, language)
    _, eml = forward(store, case).files
    message = read_eml(eml)
    assert message["Subject"].startswith(FIRST_LINE[language])
    body = message.get_body(("plain",))
    assert body is not None
    assert "{{" not in body.get_content() and "[[" not in body.get_content()


def test_the_mail_server_takes_it_once_committed(
    store: Store, mail: tuple[MailServer, int]
) -> None:
    server, port = mail
    settings = replace(SETTINGS, smtp=SmtpSettings(host="127.0.0.1", port=port))
    case = sent_on(store)
    forwarded = forward(store, case, settings=settings)
    assert forwarded.send == "sent"
    [message] = server.received
    assert message["To"] == ONEM
    assert [e.action for e in journal_of(store, case["id"])][-2:] == ["forwarded", "letter_sent"]


def test_without_an_address_the_forwarding_is_recorded_and_the_agent_told(store: Store) -> None:
    data = reference(email_address=None)
    case = sent_on(store, data=data)
    forwarded = forward(store, case, data)
    assert forwarded.files == ()
    assert forwarded.notice is not None and "pas d'adresse e-mail" in forwarded.notice
    assert letters_of(store, case["id"]) == []
    assert journal_of(store, case["id"])[-1].changes["forwarded_by"] == [None, "email"]


def test_an_address_typed_by_the_agent_is_used(store: Store) -> None:
    data = reference(email_address=None)
    case = sent_on(store, data=data)
    forwarded = forward(store, case, data, to="Klachten@RVA.be")
    assert read_eml(forwarded.files[1])["To"] == "Klachten@rva.be"


def test_a_postal_address_of_many_lines_is_printed_whole(store: Store) -> None:
    case = sent_on(store)
    to = (
        "SPF Finances, Administration générale de la Fiscalité, Centre de contact, "
        "Boulevard du Roi Albert II 33, boîte 1, 1030 Bruxelles"
    )
    [pdf] = forward(store, case, to=to, means="letter").files
    text = " ".join("".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "boîte 1 1030 Bruxelles" in text


def test_nothing_leaves_for_an_example_entry(store: Store, isolated: Path) -> None:
    shipped = reference()
    marked = shipped.other_institutions[1]
    example = replace(marked, text={**marked.text, "fr": f"{marked.text['fr']} (exemple)"})
    data = replace(shipped, other_institutions=(shipped.other_institutions[0], example))
    case = sent_on(store, data=data)
    with pytest.raises(LetterRefused, match="adresse d'exemple"):
        forward(store, case, data)
    assert get_case(store, case["id"])["version"] == case["version"]
    assert not list(isolated.rglob("*forwarding*"))


@pytest.mark.parametrize(
    ("means", "day", "files"),
    [("letter", TODAY.date(), 1), ("internal", TODAY.date(), 0), ("email", date(2026, 12, 5), 0)],
)
def test_what_is_written_depends_on_how_and_when_it_left(
    store: Store, means: str, day: date, files: int
) -> None:
    """By post today, a note to print with the file; internal mail, or a day in the past (it
    left otherwise), only the record."""
    case = sent_on(store)
    forwarded = forward(store, case, means=means, date=day)
    assert len(forwarded.files) == files
    assert all(path.suffix == ".pdf" for path in forwarded.files)
    assert journal_of(store, case["id"])[-1].changes["forwarded_on"] == [None, day.isoformat()]


def test_a_note_by_post_does_not_claim_the_messages_go_with_it(store: Store) -> None:
    """On paper nothing is attached: the note says the citizen also wrote, and that the
    messages are sent on request."""
    case = with_her_message(sent_on(store), store)
    [pdf] = forward(store, case, means="letter").files
    text = " ".join("".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "est joint" not in text and "sont joints" not in text
    assert "aussi écrit par e-mail (1 message(s))" in text


def test_a_reference_address_that_is_not_one_is_refused_at_start() -> None:
    with pytest.raises(ChecklistError, match="adresse e-mail non valable « pas une adresse »"):
        parse_reference(
            {
                "appeal_procedures": [{"fr": "Recours"}],
                "forward_services": [{"fr": "Centre", "email": "pas une adresse"}],
                "dg_handicap": {"fr": "DG HAN"},
            },
            "reference.toml",
        )
