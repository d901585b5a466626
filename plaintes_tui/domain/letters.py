"""Letters to the complainant, in their language: rendered from Jinja2 templates, then written
as an e-mail (``.eml``) and as a printable A4 PDF with the address placed for a window envelope.

Templates ``resources/letters/KIND.LANG.txt`` (first line the subject, then ``---``, then the
body) may be overridden by files of the same name in the overrides folder's ``letters/``.
"""

from __future__ import annotations

import email
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

LANGUAGES = ("fr", "nl", "de", "en")
OUTCOME_WORDS = {
    "fr": {
        "founded": "fondée",
        "partly_founded": "partiellement fondée",
        "unfounded": "non fondée",
        "no_assessment": "sans appréciation",
    },
    "nl": {
        "founded": "gegrond",
        "partly_founded": "gedeeltelijk gegrond",
        "unfounded": "ongegrond",
        "no_assessment": "zonder oordeel",
    },
    "de": {
        "founded": "begründet",
        "partly_founded": "teilweise begründet",
        "unfounded": "unbegründet",
        "no_assessment": "ohne Beurteilung",
    },
    "en": {
        "founded": "founded",
        "partly_founded": "partly founded",
        "unfounded": "unfounded",
        "no_assessment": "without assessment",
    },
}


class LetterKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    REPLY = "reply"
    DETAILS_REQUEST = "details_request"
    OUT_OF_SCOPE = "out_of_scope"  # the answer saying where to go (see admissibility)


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def _environment(data_folder: Path) -> Environment:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

    return Environment(
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


def render_letter(
    kind: LetterKind, language: str, values: dict[str, Any], data_folder: Path
) -> Letter:
    """The letter ``kind`` in ``language`` (French when the language has no template)."""
    language = language if language in LANGUAGES else "fr"
    template = _environment(data_folder).get_template(f"{kind.value}.{language}.txt")
    text = template.render(**values)
    subject, _, body = text.partition("\n---\n")
    return Letter(subject.strip(), body.strip() + "\n")


def write_eml(
    path: Path, letter: Letter, *, sender: str, recipient: str, reference: str, now: datetime
) -> Path:
    """A standard e-mail file: UTF-8, the case reference in the subject and a header."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = recipient
    subject = letter.subject if reference in letter.subject else f"{letter.subject} [{reference}]"
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender.partition("@")[2] or None)
    message["X-Plaintes-Reference"] = reference
    message.set_content(letter.body, charset="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(message.as_bytes())
    return path


_LATIN1 = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "—": "-",
        "–": "-",
        "…": "...",
        "€": "EUR",
        "\u202f": " ",
    }
)


def _latin1(text: str) -> str:
    """The PDF's built-in fonts know Latin-1: the few other characters are spelt out."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def write_pdf(
    path: Path, letter: Letter, *, letterhead: list[str], address: list[str], place_date: str
) -> Path:
    """An A4 letter: the service's letterhead top left, the complainant's address where a
    window envelope (DL, window on the right) shows it, then the date, subject and body."""
    from fpdf import FPDF  # only when a letter is printed

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    for line in letterhead[:1]:
        pdf.cell(0, 5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in letterhead[1:]:
        pdf.cell(0, 4.5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.set_xy(110, 50)  # the window of a DL envelope, right-hand side
    for line in address:
        pdf.set_x(110)
        pdf.cell(80, 5.5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(20, 95)
    pdf.cell(0, 6, _latin1(place_date), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 6, _latin1(letter.subject), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 5.5, _latin1(letter.body), new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def send_eml(
    path: Path,
    *,
    host: str,
    port: int,
    starttls: bool = False,
    username: str = "",
    password: str = "",
) -> None:
    """Send a written ``.eml`` through the service's SMTP server."""
    import smtplib

    message = email.message_from_bytes(path.read_bytes(), policy=SMTP)
    with smtplib.SMTP(host, port, timeout=30) as server:
        if starttls:
            server.starttls()
        if username:
            server.login(username, password)
        server.send_message(message)
