"""The intake form as a message of the inbox gives it: an e-mail (its sender, subject and
text), or a scanned letter (what the OCR found, the fields it was less sure of marked for the
agent to check, see ``domain/letter_reading.py``)."""

from __future__ import annotations

import re
from typing import Any

from plaintes_tui.domain.cases import Channel
from plaintes_tui.domain.intake import language_of_text
from plaintes_tui.domain.letter_reading import CHECK_BELOW
from plaintes_tui.domain.mail import split_name
from plaintes_tui.domain.validation import display_niss, display_phone
from plaintes_tui.i18n import short_date, tr
from plaintes_tui.printable import one_line
from plaintes_tui.store.database import Store
from plaintes_tui.store.mailbox import StoredMail, waiting_scans

# The form's fields a letter's reading fills, by the reading's name.
FILLED = (  # in the form's order
    "last_name", "first_name", "street", "postal_code", "town", "phone", "email", "niss",
    "subject",
)  # fmt: skip


def mail_values(
    mail: StoredMail, defaults: dict[str, str]
) -> tuple[str, dict[str, str], list[str]]:
    """The form's title, its values, and the fields to check."""
    if mail.scan is not None:
        values, doubtful = scan_values(mail, defaults)
        return tr("scan.intake_title", day=short_date(mail.received)), values, doubtful
    title = tr("inbox.from_mail", sender=one_line(mail.sender_email), day=short_date(mail.received))
    return title, email_values(mail, defaults), []


def email_values(mail: StoredMail, defaults: dict[str, str]) -> dict[str, str]:
    """The sender, the subject, the message as the description, the channel (the online form
    when its PDF is attached), the day the message reached the service as the date of
    receipt, and the language the citizen wrote in when it shows."""
    last, first = split_name(mail.sender_name)
    subject = re.sub(r"^\s*((re|tr|fw|fwd|aw|wg)\s*:\s*)+", "", mail.subject, flags=re.I)
    written_in = language_of_text(f"{mail.subject}\n{mail.body}")
    return {
        **defaults,
        "language": written_in or defaults["language"],
        "last_name": last,
        "first_name": first,
        "email": mail.sender_email,
        "channel": (Channel.WEB_FORM if mail.web_form else Channel.EMAIL).value,
        "received": short_date(mail.received),
        "subject": subject,
        "description": mail.body,
    }


def scan_values(mail: StoredMail, defaults: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The form's values from a scan (a letter, received the day it was scanned, in the
    language it was written in), and the fields to check (read with less confidence)."""
    reading: dict[str, Any] = mail.scan or {}
    values = {**defaults, "channel": Channel.LETTER.value, "received": short_date(mail.received)}
    for name in FILLED:
        if reading.get(name):
            values[name] = str(reading[name])
    if reading.get("phone"):
        values["phone"] = display_phone(str(reading["phone"]))
    if reading.get("niss"):
        values["niss"] = display_niss(str(reading["niss"]))
    if reading.get("country") and reading["country"] != "BE":
        values["country"] = str(reading["country"])
    if reading.get("language") in ("fr", "nl", "de"):
        values["language"] = str(reading["language"])
    values["description"] = str(reading.get("text") or mail.body)
    values.setdefault("subject", "")  # none read: the agent types it
    confidence: dict[str, float] = reading.get("confidence", {})
    doubtful = [name for name in FILLED if name in values and confidence.get(name, 1) < CHECK_BELOW]
    return values, doubtful


def first_to_check(values: dict[str, str], doubtful: list[str]) -> str:
    """Where the cursor starts on a scanned letter's form: the first field read with less
    confidence; when everything was read well, the list of subjects (the one thing no letter
    says), so that a letter read whole takes a digit and ctrl+s."""
    for name in FILLED:
        if name in doubtful:
            return name
    return "last_name" if not values.get("last_name") else "category"


def next_in_tray(store: Store, saved: StoredMail) -> tuple[StoredMail | None, int]:
    """The scanned letter that follows ``saved`` in the inbox's order (the first one when it
    was the last), and how many wait in all: the mailroom works through the pile without
    going back to the inbox."""
    pile = [mail for mail in waiting_scans(store) if mail.id != saved.id]
    if not pile:
        return None, 0
    after = (saved.received, saved.id)
    following = next((m for m in pile if (m.received, m.id) > after), pile[0])
    return following, len(pile)
