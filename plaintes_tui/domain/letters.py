"""Letters to the complainant, in their language: rendered from Jinja2 templates, then written
as an e-mail (``.eml``) and as a printable A4 PDF with the address placed for a window envelope.

Templates ``resources/letters/KIND.LANG.txt`` (first line the subject, then ``---``, then the
body) may be overridden by files of the same name in the overrides folder's ``letters/``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plaintes_tui.domain.case_record import Case
from plaintes_tui.domain.cases import Admissibility, Status
from plaintes_tui.printable import one_line

if TYPE_CHECKING:
    from email.message import EmailMessage

    from jinja2 import Environment

LANGUAGES = ("fr", "nl", "de", "en")
# What the agent must still write, marked one way in every template: [[à compléter : …]].
PLACEHOLDER = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"


class LetterKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    REPLY = "reply"
    DETAILS_REQUEST = "details_request"
    OUT_OF_SCOPE = "out_of_scope"  # the answer saying where to go (see admissibility)


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str

    def placeholders(self) -> list[str]:
        """What is still to be completed: producing the letter is refused while any is left."""
        return [
            " ".join(match.group(1).split())
            for match in PLACEHOLDER.finditer(f"{self.subject}\n{self.body}")
        ]


# How the shipped reference data marks a text nobody has verified yet, in each language: a
# letter still carrying one is not sent to a citizen.
EXAMPLE_MARKERS = ("(exemple)", "(voorbeeld)", "(Beispiel)", "(example)")


def examples_left(text: str) -> list[str]:
    """The lines of ``text`` still marked as an unverified example."""
    return [
        line.strip()
        for line in text.splitlines()
        if any(marker in line for marker in EXAMPLE_MARKERS)
    ]


@dataclass(frozen=True)
class KindChoice:
    """A letter kind as the letter dialog offers it for one case."""

    kind: LetterKind
    why_not: str | None = None  # the catalogue key saying why it makes no sense now
    again: bool = False  # sent before: producing it makes a new copy


def letter_choices(case: Case, produced: Collection[str]) -> list[KindChoice]:
    """Every kind, each either available (maybe again) or with the reason it is not."""
    decided = case.admissibility
    out_of_scope = decided is not None and not decided.has_reply_clock
    incomplete = case.contact_incomplete or case.status is Status.INCOMPLETE
    why: dict[LetterKind, str | None] = {
        LetterKind.ACKNOWLEDGEMENT: "letters.why_ack_out_of_scope" if out_of_scope else None,
        LetterKind.REPLY: (
            "workflow.check_admissibility_first"
            if decided is None
            else "workflow.no_reply_out_of_scope"
            if decided is not Admissibility.ADMISSIBLE
            else "letters.why_reply_record_first"
            if not case.outcome
            else None
        ),
        LetterKind.DETAILS_REQUEST: None if incomplete else "letters.why_details_complete",
        LetterKind.OUT_OF_SCOPE: None if out_of_scope else "letters.why_not_out_of_scope",
    }
    person = case.complainant
    postable = bool(person.street and person.postal_code and person.town)
    if case.unreachable:  # nobody to write to
        why = dict.fromkeys(why, "letters.why_unreachable")
    elif not person.email and not postable:  # no e-mail, and the post could not deliver it
        why = dict.fromkeys(why, "letters.why_no_address")
    if case.status is Status.CLOSED:
        why = dict.fromkeys(why, "workflow.closed")
    return [
        KindChoice(
            kind,
            reason,
            again=kind.value in produced
            or (kind is LetterKind.ACKNOWLEDGEMENT and case.acknowledgement_sent is not None),
        )
        for kind, reason in why.items()
    ]


def first_upper(text: str) -> str:
    """``le Médiateur fédéral`` at the start of a line: ``Le Médiateur fédéral``."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """``Service des plaintes du SPF`` inside a sentence: ``service des plaintes du SPF``; an
    acronym (``SPF …``) is left as it is."""
    if text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


def _environment(data_folder: Path) -> Environment:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

    environment = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(data_folder / "letters")),
                PackageLoader("plaintes_tui", "resources/letters"),
            ]
        ),
        undefined=StrictUndefined,
        autoescape=False,  # plain text, never HTML
        keep_trailing_newline=False,
    )
    environment.filters["first_upper"] = first_upper
    environment.filters["lower_first"] = lower_first
    return environment


def render_letter(
    kind: LetterKind | str, language: str, values: dict[str, Any], data_folder: Path
) -> Letter:
    """The letter ``kind`` in ``language`` (French when the language has no template); a kind
    given as a string is a template not sent to the complainant (``forwarding``)."""
    language = language if language in LANGUAGES else "fr"
    name = kind.value if isinstance(kind, LetterKind) else kind
    template = _environment(data_folder).get_template(f"{name}.{language}.txt")
    text = template.render(**values)
    subject, _, body = text.partition("\n---\n")
    return Letter(subject.strip(), body.strip() + "\n")


def write_eml(
    path: Path,
    letter: Letter,
    *,
    sender: tuple[str, str],
    recipient: tuple[str, str],
    reference: str,
    now: datetime,
    attachments: Sequence[tuple[str, Path]] = (),
    message_id: str | None = None,
) -> Path:
    """A standard e-mail file: UTF-8, one recipient (``recipient`` is the display name and the
    address: whatever the name holds, it stays one name), the case reference in the subject;
    ``attachments`` (name shown, file) joined as they are (an ``.eml`` as the message it
    holds)."""
    from email.headerregistry import Address  # the e-mail modules load with the first letter
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, make_msgid

    message = EmailMessage(policy=SMTP)
    sender_name, sender_address = sender
    message["From"] = Address(display_name=one_line(sender_name), addr_spec=sender_address)
    name, address = recipient
    message["To"] = Address(display_name=one_line(name), addr_spec=address)
    subject = one_line(letter.subject)
    message["Subject"] = subject if reference in subject else f"{subject} [{reference}]"
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id or make_msgid(
        domain=sender_address.partition("@")[2] or None
    )
    message["X-Plaintes-Reference"] = reference
    message.set_content(letter.body, charset="utf-8")
    for name, attached in attachments:
        _attach(message, name, attached)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(message.as_bytes())
    return path


def _attach(message: EmailMessage, name: str, path: Path) -> None:
    import mimetypes
    from email import message_from_bytes
    from email.policy import default

    data = path.read_bytes()
    if path.suffix == ".eml":
        message.add_attachment(message_from_bytes(data, policy=default), filename=name)
        return
    kind, _ = mimetypes.guess_type(name)
    maintype, _, subtype = (kind or "application/octet-stream").partition("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)


def write_pdf(
    path: Path, letter: Letter, *, letterhead: list[str], address: list[str], place_date: str
) -> Path:
    """An A4 letter: the service's letterhead top left, the complainant's address where a
    window envelope (DL, window on the right) shows it, then the date, subject and body. The
    font is embedded: every French, Dutch and German letter, dash and quote prints."""
    from fpdf import FPDF  # only when a letter is printed

    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font("Letter", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("Letter", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    # Every line wraps within its width (a long name, a street with its floor): a cell would
    # print it past the page's edge, where the post and the reader never see it.
    pdf.set_font("Letter", "B", 10.5)
    for line in letterhead[:1]:
        pdf.multi_cell(0, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Letter", "", 8.5)
    for line in letterhead[1:]:
        pdf.multi_cell(0, 4.5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Letter", "", 10.5)
    pdf.set_xy(110, 50)  # the window of a DL envelope, right-hand side
    for line in address:
        pdf.set_x(110)
        pdf.multi_cell(80, 5.5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(20, max(95, pdf.get_y() + 5))  # below the window, or the address it wrapped
    pdf.cell(0, 6, place_date, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Letter", "B", 10.5)
    pdf.multi_cell(0, 6, letter.subject, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Letter", "", 10.5)
    pdf.multi_cell(0, 5.5, letter.body, new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


class SendFailed(Exception):
    """The mail server did not take the e-mail; the message is its reason."""


def send_eml(
    path: Path,
    *,
    host: str,
    port: int,
    starttls: bool = False,
    username: str = "",
    password: str = "",
    timeout: float = 30,
) -> None:
    """Send a written ``.eml`` through the service's SMTP server; :class:`SendFailed` with the
    server's reason when it refuses, drops the connection or does not answer."""
    import email
    import smtplib
    from email.policy import SMTP

    message = email.message_from_bytes(path.read_bytes(), policy=SMTP)
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as server:
            if starttls:
                server.starttls()
            if username:
                server.login(username, password)
            server.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        reasons = "; ".join(
            f"{address}: {code} {reply.decode(errors='replace')}"
            for address, (code, reply) in error.recipients.items()
        )
        raise SendFailed(reasons) from error
    except smtplib.SMTPResponseException as error:
        reply = error.smtp_error
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        raise SendFailed(f"{error.smtp_code} {text}") from error
    except (smtplib.SMTPException, OSError) as error:  # dropped, timed out, unreachable
        raise SendFailed(str(error) or type(error).__name__) from error
