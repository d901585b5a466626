"""Letters in the complainant's language: content, the .eml read back, the PDF's text."""

from __future__ import annotations

import email
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.admissibility import load_reference
from plaintes_tui.domain.case_record import Case
from plaintes_tui.domain.cases import Language
from plaintes_tui.domain.contacts import Person, ServiceText
from plaintes_tui.domain.letters import Letter, LetterKind
from plaintes_tui.domain.workflow import Move
from plaintes_tui.letters import LetterRefused, choices_for, draft_letter, produce_letter
from plaintes_tui.settings import AgentSettings, ServiceContact, Settings
from plaintes_tui.store.case_writer import MoveRefused
from plaintes_tui.store.cases import get_case, journal_of, read_case
from plaintes_tui.store.database import Store
from plaintes_tui.store.outbox import letters_of
from plaintes_tui.store.workflow import record_decision
from tests.factories import CALCULATOR, NOW, add_case, decide, do, person, verified_reference

ALICE = Person("Alice Martin", "02 528 60 45", "alice.martin@minsoc.fed.be")
SETTINGS = Settings(agents=AgentSettings(directory={"alice": ALICE}))
TOWNS = {
    "fr": ("5000", "Namur"),
    "nl": ("9000", "Gent"),
    "de": ("4700", "Eupen"),
    "en": ("3000", "Leuven"),
}
# What each language's letters must never carry: another language's names and addresses.
FOREIGN = {
    "fr": ("Klachtendienst", "Kruidtuinlaan", "Hertogsstraat", "federaalombudsman",
           "Ombudsman", "Beschwerdedienst", "Complaints service", "Brussel,"),
    "nl": ("Bruxelles", "Médiateur", "Service des plaintes", "Boulevard du Jardin",
           "Rue Ducale", "mediateurfederal", "Beschwerdedienst", "Brüssel", "Complaints service",
           "Ombudsmann"),
    "de": ("Médiateur", "Service des plaintes", "Klachtendienst", "Kruidtuinlaan",
           "Hertogsstraat", "federaalombudsman", "mediateurfederal", "Complaints service",
           "federale Ombudsman"),
    "en": ("Médiateur", "Service des plaintes", "Klachtendienst", "Beschwerdedienst",
           "Kruidtuinlaan", "Hertogsstraat", "federaalombudsman", "mediateurfederal"),
}  # fmt: skip
OMBUDSMAN = {
    "fr": ("Le Médiateur fédéral", "Rue Ducale 43, 1000 Bruxelles", "0800 99 961",
           "www.mediateurfederal.be"),
    "nl": ("De federale Ombudsman", "Hertogsstraat 43, 1000 Brussel", "0800 99 962",
           "www.federaalombudsman.be"),
    "de": ("Der Föderale Ombudsmann", "Rue Ducale 43", "0800 99 961", "www.federalombudsman.be"),
    "en": ("The Federal Ombudsman", "Rue Ducale 43", "0800 99 961", "www.federalombudsman.be"),
}  # fmt: skip
VERIFIED = verified_reference()
# The complaint in a few words, typed with R in the case's language.
COMPLAINT = {
    "fr": "Pas de réponse à votre demande",
    "nl": "Geen antwoord op uw aanvraag",
    "de": "Keine Antwort auf Ihren Antrag",
    "en": "No answer to your request",
}
PLACE = {"fr": "Bruxelles, ", "nl": "Brussel, ", "de": "Brüssel, ", "en": "Brussels, "}


def case_in(store: Store, language: str, **person_fields: Any) -> dict[str, Any]:
    postal_code, town = TOWNS[language]
    fields: dict[str, Any] = {
        "language": Language(language),
        "street": "Grand-Rue 12",
        "postal_code": postal_code,
        "town": town,
        **person_fields,
    }
    case = add_case(
        store, date(2026, 12, 4), language=Language(language), complainant=person(**fields)
    )
    return get_case(store, case["id"])


def ready_for(store: Store, kind: LetterKind, language: str) -> dict[str, Any]:
    """A case on which ``kind`` makes sense, as the agent would have brought it there."""
    case = case_in(store, language)
    if kind is LetterKind.REPLY:
        decide(store, case["id"], "admissible")
        do(
            store,
            case["id"],
            Move.REPLY,
            date=date(2026, 12, 10),
            outcome="unfounded",
            network_category="service_quality",
            complaint=COMPLAINT[language],
            summary="Relecture du dossier — « délais » respectés.",
            improvement_action="",
        )
    elif kind is LetterKind.DETAILS_REQUEST:
        decide(store, case["id"], "incomplete")
    elif kind is LetterKind.OUT_OF_SCOPE:
        other = VERIFIED.other_institutions[0]
        record_decision(
            store,
            case["id"],
            case["version"],
            _outcome("other_institution"),
            reason=other.in_language("fr"),
            answers=[],
            actor=Actor("alice"),
            now=NOW,
            calculator=CALCULATOR,
        )
    return get_case(store, case["id"])


def _outcome(admissibility: str) -> Any:
    from plaintes_tui.domain.admissibility import Outcome
    from plaintes_tui.domain.cases import Admissibility

    return Outcome(Admissibility(admissibility))


def draft(store: Store, case: dict[str, Any], kind: LetterKind, **settings: Any) -> Any:
    return draft_letter(
        store,
        read_case(store, case["id"]),
        kind,
        settings=settings.get("settings", SETTINGS),
        agent=settings.get("agent", "alice"),
        reference_data=settings.get("reference_data", VERIFIED),
    )


def produce(
    store: Store, case: dict[str, Any] | Case, kind: LetterKind, letter: Letter, **options: Any
) -> Any:
    read = case if isinstance(case, Case) else read_case(store, case["id"])
    return produce_letter(
        store,
        read.id,
        options.pop("version", read.version),
        kind,
        letter,
        settings=options.pop("settings", SETTINGS),
        actor=Actor("alice"),
        now=options.pop("now", datetime(2026, 12, 11, 10, 30)),
        calculator=CALCULATOR,
        **options,
    )


def read_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def pdf_text(path: Path) -> str:
    """The PDF's words, lines joined (the PDF wraps where the page ends)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
@pytest.mark.parametrize("kind", list(LetterKind))
def test_each_letter_in_each_language_carries_that_language_only(
    store: Store, isolated: Path, kind: LetterKind, language: str
) -> None:
    case = ready_for(store, kind, language)
    made = draft(store, case, kind)
    assert made.letter.placeholders() == []
    produced = produce(store, case, kind, made.letter, output_folder=isolated / "out")
    pdf, eml = produced.files
    message = read_eml(eml)
    body = message.get_content()
    text = pdf_text(pdf)
    for where in (body, text, str(message["From"]), str(message["Subject"])):
        for foreign in FOREIGN[language]:
            assert foreign not in where, (foreign, where)
    for where in (body, text):
        assert case["reference"] in where
        assert "Alice Martin" in where and "02 528 60 45" in where
    assert PLACE[language] in text  # the date line's place, in the letter's language
    assert case["reference"] in message["Subject"]
    # Every answer that closes a door, and the acknowledgement (if no reply comes by the due
    # date), say the citizen may turn to the Federal Ombudsman, with its contact data.
    if kind is not LetterKind.DETAILS_REQUEST:
        for item in OMBUDSMAN[language]:
            assert item in " ".join(body.split()) and item in text, item
    if kind is LetterKind.REPLY:
        assert "Relecture du dossier — « délais » respectés." in body
    # The PDF prints the typographic characters it is given, not a stand-in.
    assert "—" in text


def test_the_reply_is_built_from_what_the_agent_recorded(store: Store) -> None:
    case = ready_for(store, LetterKind.REPLY, "fr")
    body = draft(store, case, LetterKind.REPLY).letter.body
    assert "Ce que nous avons examiné et constaté : Relecture du dossier" in body
    assert "votre plainte n'est pas fondée" in body
    assert "vous nous avez adressé" not in body.lower()  # the date is the date of receipt
    assert "Nous avons reçu votre plainte le vendredi 4 décembre 2026" in body


@pytest.mark.parametrize(
    ("outcome", "sentence"),
    [
        ("no_assessment", "Nous ne sommes pas en mesure de nous prononcer sur le bien-fondé"),
        ("founded", "Nous vous présentons nos excuses"),
        ("partly_founded", "partiellement fondée"),
    ],
)
def test_an_outcome_reads_as_a_sentence_and_what_is_left_to_write_blocks_it(
    store: Store, isolated: Path, outcome: str, sentence: str
) -> None:
    case = case_in(store, "fr")
    decide(store, case["id"], "admissible")
    case = do(
        store,
        case["id"],
        Move.REPLY,
        date=date(2026, 12, 10),
        outcome=outcome,
        complaint="Délai",
        summary="Vu.",
    )
    letter = draft(store, case, LetterKind.REPLY).letter
    assert sentence in letter.body
    assert "sans appréciation" not in letter.body
    [left] = letter.placeholders()
    assert left.startswith("à compléter")
    with pytest.raises(LetterRefused, match="à compléter avant de produire"):
        produce(store, case, LetterKind.REPLY, letter, output_folder=isolated / "out")
    assert not (isolated / "out").exists()
    assert letters_of(store, case["id"]) == []
    completed = Letter(letter.subject, letter.body.replace(f"[[{left}]]", "le dossier est perdu"))
    produced = produce(store, case, LetterKind.REPLY, completed, output_folder=isolated / "out")
    assert "le dossier est perdu" in read_eml(produced.files[1]).get_content()


def test_every_kind_is_offered_with_the_reason_when_it_makes_no_sense(
    store: Store, isolated: Path
) -> None:
    case = case_in(store, "fr")
    choices = {c.kind: c for c in choices_for(store, read_case(store, case["id"]))}
    assert set(choices) == set(LetterKind)
    assert choices[LetterKind.ACKNOWLEDGEMENT].why_not is None
    assert choices[LetterKind.REPLY].why_not == "workflow.check_admissibility_first"
    assert choices[LetterKind.DETAILS_REQUEST].why_not == "letters.why_details_complete"
    assert choices[LetterKind.OUT_OF_SCOPE].why_not == "letters.why_not_out_of_scope"
    case = do(store, case["id"], Move.ACKNOWLEDGE, date=date(2026, 12, 7), means="phone")
    ack = next(
        c
        for c in choices_for(store, read_case(store, case["id"]))
        if c.kind is LetterKind.ACKNOWLEDGEMENT
    )
    assert ack.why_not is None and ack.again  # recorded with r: still there, as a new copy
    letter = draft(store, case, LetterKind.DETAILS_REQUEST).letter
    with pytest.raises(LetterRefused, match="coordonnées sont complètes"):
        produce(store, case, LetterKind.DETAILS_REQUEST, letter, output_folder=isolated / "o")


def test_a_letter_can_be_produced_again(store: Store, isolated: Path) -> None:
    case = case_in(store, "fr")
    letter = draft(store, case, LetterKind.ACKNOWLEDGEMENT).letter
    first = produce(store, case, LetterKind.ACKNOWLEDGEMENT, letter, output_folder=isolated)
    second = produce(store, first.case, LetterKind.ACKNOWLEDGEMENT, letter, output_folder=isolated)
    assert set(first.files).isdisjoint(second.files)
    assert all(path.exists() for path in (*first.files, *second.files))
    assert [row["kind"] for row in letters_of(store, case["id"])] == ["acknowledgement"] * 2
    actions = [entry.action for entry in journal_of(store, case["id"])]
    assert actions.count("letter") == 2


def test_the_letter_names_a_person_and_falls_back_to_the_service_with_a_notice(
    store: Store,
) -> None:
    case = case_in(store, "nl")
    made = draft(store, case, LetterKind.ACKNOWLEDGEMENT, agent="jdupont")
    assert "jdupont" not in made.letter.body
    assert "Voor vragen: Klachtendienst van de FOD Sociale Zekerheid, tel. 02 528 60 31" in (
        made.letter.body
    )
    assert any("« jdupont » n'est pas dans l'annuaire" in n for n in made.notices)


def test_a_value_missing_in_the_letters_language_is_borrowed_and_said(store: Store) -> None:
    texts = dict(ServiceContact().texts)
    texts["de"] = ServiceText(name="Beschwerdedienst des FÖD", address="", place="Brüssel")
    settings = Settings(service=ServiceContact(texts=texts), agents=SETTINGS.agents)
    made = draft(store, case_in(store, "de"), LetterKind.DETAILS_REQUEST, settings=settings)
    [notice] = [n for n in made.notices if "address" in n]
    assert "allemand" in notice and "français" in notice


def test_without_an_e_mail_address_only_the_pdf_is_made_and_the_dialog_says_so(
    store: Store, isolated: Path
) -> None:
    case = case_in(store, "fr", email=None)
    made = draft(store, case, LetterKind.ACKNOWLEDGEMENT)
    assert any("PDF seulement" in notice for notice in made.notices)
    produced = produce(store, case, LetterKind.ACKNOWLEDGEMENT, made.letter, output_folder=isolated)
    [pdf] = produced.files
    assert pdf.suffix == ".pdf" and produced.send == "none"
    assert produced.case.acknowledgement_means == "letter"


@pytest.mark.parametrize(
    "first_name",
    [
        "x <someone@example.org>, y",
        "Anne\r\nBcc: victim@example.org",
        "[bold] Anne",
        'Anne "the boss", Marie',
    ],
)
def test_a_crafted_name_stays_one_recipient(store: Store, isolated: Path, first_name: str) -> None:
    case = case_in(store, "fr", first_name=first_name)
    letter = draft(store, case, LetterKind.ACKNOWLEDGEMENT).letter
    produced = produce(store, case, LetterKind.ACKNOWLEDGEMENT, letter, output_folder=isolated)
    raw = produced.files[1].read_bytes()
    message = read_eml(produced.files[1])
    [recipient] = message["To"].addresses
    assert recipient.addr_spec == "helene.dubois@example.be"
    assert message["Bcc"] is None and b"\nBcc:" not in raw
    assert "victim" not in recipient.addr_spec and "someone" not in recipient.addr_spec
    assert message["Message-ID"] and message["Date"]


def test_a_refused_move_removes_the_files_it_began(store: Store, isolated: Path) -> None:
    """The version matches, but the write itself is refused (a closed case here): nothing of
    the letter is left behind."""
    case = ready_for(store, LetterKind.OUT_OF_SCOPE, "fr")
    letter = draft(store, case, LetterKind.OUT_OF_SCOPE).letter
    done = produce(store, case, LetterKind.OUT_OF_SCOPE, letter, output_folder=isolated / "out")
    assert done.case.status == "closed"
    before = sorted((isolated / "out").rglob("*"))
    with pytest.raises(LetterRefused):
        produce(store, done.case, LetterKind.OUT_OF_SCOPE, letter, output_folder=isolated / "out")
    assert sorted((isolated / "out").rglob("*")) == before


def test_the_service_can_override_a_template(store: Store, isolated: Path) -> None:
    (isolated / "data" / "letters").mkdir(parents=True)
    (isolated / "data" / "letters" / "acknowledgement.fr.txt").write_text(
        "Objet {{ reference }}\n---\nCorps personnalisé {{ reference }}\n", encoding="utf-8"
    )
    case = case_in(store, "fr")
    letter = draft_letter(
        store,
        read_case(store, case["id"]),
        LetterKind.ACKNOWLEDGEMENT,
        settings=SETTINGS,
        agent="alice",
        reference_data=load_reference(),
        data_folder=isolated / "data",
    ).letter
    assert letter.body == f"Corps personnalisé {case['reference']}\n"


def test_the_request_for_missing_details_counts_as_the_acknowledgement(
    store: Store, isolated: Path
) -> None:
    """It confirms receipt (it gives the reference): the acknowledgement clock of an
    incomplete case can be met."""
    case = case_in(store, "fr", email=None, phone=None)
    letter = draft(store, case, LetterKind.DETAILS_REQUEST).letter
    produced = produce(
        store,
        case,
        LetterKind.DETAILS_REQUEST,
        letter,
        now=datetime(2026, 12, 7, 9, 0),
        output_folder=isolated / "output",
    )
    assert produced.case.acknowledgement_sent == date(2026, 12, 7)
    assert produced.case.acknowledgement_means == "details_request"
    entry = journal_of(store, case["id"])[-1]
    assert entry.action == "letter" and str(produced.files[0]) in entry.note
    assert entry.changes["letter"] == [None, "details_request"]


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("fr", "Bruxelles, le 1er février 2027"),
        ("nl", "Brussel, 1 februari 2027"),
        ("de", "Brüssel, den 1. Februar 2027"),
        ("en", "Brussels, 1 February 2027"),
    ],
)
def test_the_date_line_is_written_as_each_language_writes_it(
    store: Store, isolated: Path, language: str, line: str
) -> None:
    case = case_in(store, language)
    letter = draft(store, case, LetterKind.ACKNOWLEDGEMENT).letter
    produced = produce(
        store,
        case,
        LetterKind.ACKNOWLEDGEMENT,
        letter,
        now=datetime(2027, 2, 1, 9, 0),
        output_folder=isolated,
    )
    text = PdfReader(produced.files[0]).pages[0].extract_text()
    assert line in " ".join(text.split())


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr", "S'adresser au médiateur ne suspend pas les délais de recours."),
        ("nl", "Een klacht bij de ombudsman schorst de beroepstermijnen niet."),
        ("de", "Die Anrufung der Ombudsstelle setzt die Rechtsmittelfristen nicht aus."),
        ("en", "Turning to the ombudsman does not suspend the time limits for an appeal."),
    ],
)
def test_an_answer_naming_an_appeal_says_the_ombudsman_does_not_suspend_it(
    store: Store, language: str, sentence: str
) -> None:
    case = case_in(store, language)
    contested = decide(store, case["id"], "contested_decision")
    assert sentence in draft(store, contested, LetterKind.OUT_OF_SCOPE).letter.body
    other = ready_for(store, LetterKind.OUT_OF_SCOPE, language)  # another institution
    body = draft(store, other, LetterKind.OUT_OF_SCOPE).letter.body
    assert sentence not in body and OMBUDSMAN[language][2] in body


def test_a_decision_is_no_reply_until_its_letter_leaves(store: Store, isolated: Path) -> None:
    case = case_in(store, "fr")
    decide(store, case["id"], "admissible")
    decided = do(
        store,
        case["id"],
        Move.REPLY,
        outcome="unfounded",
        complaint="Délai de réponse",
        summary="Relecture du dossier.",
        at=datetime(2026, 12, 10, 9, 0),
    )
    assert decided["reply_sent"] is None and decided["status"] == "in_progress"
    assert decided["outcome"] == "unfounded"  # the letter is written from it
    with pytest.raises(MoveRefused, match="après la réponse motivée"):
        do(store, case["id"], Move.CLOSE)
    letter = draft(store, decided, LetterKind.REPLY).letter
    produced = produce(store, decided, LetterKind.REPLY, letter, output_folder=isolated)
    left = date(2026, 12, 11)  # the day ``produce`` writes it
    assert produced.case.reply_sent == left
    assert produced.case.status.value == "replied"
    # Sent before any acknowledgement, the reply confirms receipt as well.
    assert produced.case.acknowledgement_sent == left
    assert produced.case.acknowledgement_means == "reply"
    later = datetime(2026, 12, 14, 9, 0)
    again = produce(
        store, produced.case, LetterKind.REPLY, letter, output_folder=isolated, now=later
    )
    assert again.case.reply_sent == left  # a second copy does not move the day it left


def test_a_letter_still_carrying_an_example_text_is_not_sent(store: Store, isolated: Path) -> None:
    """The reference data shipped with the program are examples: until the service has put
    its own, the answer routing a citizen to one is refused, and the agent told before."""
    case = case_in(store, "fr")
    shipped = load_reference().other_institutions[0]
    decided = record_decision(
        store,
        case["id"],
        case["version"],
        _outcome("other_institution"),
        reason=shipped.in_language("fr"),
        answers=[],
        actor=Actor("alice"),
        now=NOW,
        calculator=CALCULATOR,
    )
    made = draft(store, decided, LetterKind.OUT_OF_SCOPE, reference_data=load_reference())
    assert any("exemple livré avec le programme" in notice for notice in made.notices)
    with pytest.raises(LetterRefused, match="encore un exemple non vérifié"):
        produce(store, decided, LetterKind.OUT_OF_SCOPE, made.letter, output_folder=isolated)
    assert letters_of(store, case["id"]) == [] and not any(isolated.rglob("*.pdf"))
    edited = Letter(made.letter.subject, made.letter.body.replace(" (exemple)", ""))
    produced = produce(store, decided, LetterKind.OUT_OF_SCOPE, edited, output_folder=isolated)
    assert produced.case.status.value == "closed"  # corrected in the letter by the agent


def test_no_letter_is_posted_to_an_address_the_post_cannot_deliver(
    store: Store, isolated: Path
) -> None:
    case = case_in(store, "nl", email=None, street=None)  # "Jan PEETERS / 9000 Gent"
    choices = choices_for(store, read_case(store, case["id"]))
    assert {c.why_not for c in choices} == {"letters.why_no_address"}
    letter = draft(store, case, LetterKind.ACKNOWLEDGEMENT).letter
    with pytest.raises(LetterRefused, match="adresse postale complète"):
        produce(store, case, LetterKind.ACKNOWLEDGEMENT, letter, output_folder=isolated)
    assert letters_of(store, case["id"]) == []
    # With an e-mail address, the letter leaves by e-mail.
    emailed = case_in(store, "nl", street=None)
    assert all(
        c.why_not is None
        for c in choices_for(store, read_case(store, emailed["id"]))
        if c.kind is LetterKind.ACKNOWLEDGEMENT
    )


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        (
            "fr",
            "nous vous invitons à vous adresser à",
            "Nous l'avons transmise le lundi 7 décembre 2026",
        ),
        ("nl", "gelieve u te wenden tot", "Wij hebben ze op maandag 7 december 2026 doorgestuurd"),
        (
            "de",
            "bitte wenden Sie sich an",
            "Wir haben sie am Montag, 7. Dezember 2026 an deren Beschwerdedienst",
        ),
        ("en", "please contact", "We forwarded it on Monday, 7 December 2026 to"),
    ],
)
def test_the_answer_says_the_file_was_forwarded_only_once_it_was(
    store: Store, language: str, before: str, after: str
) -> None:
    case = ready_for(store, LetterKind.OUT_OF_SCOPE, language)  # another institution
    body = draft(store, case, LetterKind.OUT_OF_SCOPE).letter.body
    assert before in body and "transmis" not in body and "doorgestuurd" not in body
    with pytest.raises(MoveRefused, match="précède la réception"):
        do(store, case["id"], Move.FORWARD, to="SFP", means="email", date=date(2026, 12, 1))
    forwarded = do(
        store,
        case["id"],
        Move.FORWARD,
        to=VERIFIED.other_institutions[0].in_language("fr"),
        means="email",
        date=date(2026, 12, 7),
    )
    entry = journal_of(store, forwarded["id"])[-1]
    assert entry.action == "forwarded"
    assert entry.changes["forwarded_by"] == [None, "email"]
    assert entry.changes["forwarded_on"] == [None, "2026-12-07"]
    assert after in draft(store, forwarded, LetterKind.OUT_OF_SCOPE).letter.body


def test_only_a_file_sent_elsewhere_is_forwarded(store: Store) -> None:
    case = case_in(store, "fr")
    with pytest.raises(MoveRefused, match="vérifiez d'abord la recevabilité"):
        do(store, case["id"], Move.FORWARD, to="X", means="email", date=date(2026, 12, 7))
    decide(store, case["id"], "admissible")
    with pytest.raises(MoveRefused, match="seul un dossier orienté ailleurs"):
        do(store, case["id"], Move.FORWARD, to="X", means="email", date=date(2026, 12, 7))


def test_a_reply_is_written_in_the_cases_language_only(store: Store) -> None:
    """The complaint as the intake logged it is in the agent's words (French here): the
    letter takes the few words typed with R in the case's language, or asks for them."""
    case = add_case(
        store,
        date(2026, 12, 4),
        language=Language.NL,
        complainant=person(
            language=Language.NL, street="Veldstraat 3", postal_code="9000", town="Gent"
        ),
        subject="Pas de réponse",
    )
    decide(store, case["id"], "admissible")
    decided = do(
        store,
        case["id"],
        Move.REPLY,
        outcome="unfounded",
        summary="Dossier nagelezen.",
        at=datetime(2026, 12, 10, 9, 0),
    )
    letter = draft(store, decided, LetterKind.REPLY).letter
    assert "Pas de réponse" not in letter.body
    assert letter.placeholders() == ["aan te vullen: uw klacht in enkele woorden"]
    again = do(
        store,
        case["id"],
        Move.REPLY,
        outcome="unfounded",
        summary="Dossier nagelezen.",
        complaint="Geen antwoord op uw aanvraag",
        at=datetime(2026, 12, 10, 9, 5),
    )
    letter = draft(store, again, LetterKind.REPLY).letter
    assert "Uw klacht: Geen antwoord op uw aanvraag" in letter.body
    assert letter.placeholders() == []


def acknowledged_by_email(store: Store, folder: Path) -> tuple[dict[str, Any], str]:
    """A French case whose acknowledgement was produced as an e-mail in ``folder``: the case,
    and the Message-ID the e-mail carries (which the citizen's answer names)."""
    case = case_in(store, "fr", email="helene.dubois@example.be")
    made = produce(
        store,
        case,
        LetterKind.ACKNOWLEDGEMENT,
        draft(store, case, LetterKind.ACKNOWLEDGEMENT).letter,
        output_folder=folder,
    )
    eml = next(path for path in made.files if path.suffix == ".eml")
    sent = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    return case, str(sent["Message-ID"])
