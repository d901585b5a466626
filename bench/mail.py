"""`plaintes mail import` of 10,000 messages from a Maildir, beside parsing them alone with the
standard library (goal: at most 1.5×)."""

from __future__ import annotations

import email
import mailbox
import time
from datetime import datetime
from datetime import time as clock
from email import policy
from email.message import EmailMessage

from bench.harness import heading, row
from bench.stores import TODAY, scratch
from plaintes_tui.domain.access import Actor
from plaintes_tui.mail import take_in
from plaintes_tui.mail_sources import read_paths
from plaintes_tui.settings import Settings
from plaintes_tui.store.database import open_store

MESSAGES = 10_000
NOW = datetime.combine(TODAY, clock(10, 0))


def _message(n: int) -> bytes:
    message = EmailMessage()
    message["From"] = f"Citoyen {n} <citoyen{n}@example.be>"
    message["To"] = "plainte@minsoc.fed.be"
    message["Subject"] = f"Plainte n°{n} : délai dépassé"
    message["Date"] = "Fri, 27 Nov 2026 10:00:00 +0100"
    message["Message-ID"] = f"<bench-{n}@example.be>"
    message["Received"] = "from mx by mail.minsoc.fed.be; Fri, 27 Nov 2026 10:00:05 +0100"
    body = "Bonjour,\n" + "J'attends une réponse à ma demande depuis des semaines.\n" * 8
    if n % 3 == 1:
        message.set_content(f"<html><body><p>{body}</p></body></html>", subtype="html")
    else:
        message.set_content(body)
    if n % 3 == 2:
        message.add_attachment(
            b"%PDF-1.4 " + b"x" * 20_000,
            maintype="application",
            subtype="pdf",
            filename="formulaire de plainte.pdf",
        )
    return message.as_bytes()


def main() -> None:
    heading(f"E-mail intake: {MESSAGES:,} messages from a Maildir")
    folder = scratch("Maildir")
    box = mailbox.Maildir(folder, create=True)
    for n in range(MESSAGES):
        box.add(_message(n))

    start = time.perf_counter()
    for key in box.iterkeys():
        parsed = email.message_from_bytes(box.get_bytes(key), policy=policy.default)
        body = parsed.get_body(preferencelist=("plain", "html"))
        if isinstance(body, EmailMessage):
            body.get_content()
    baseline = time.perf_counter() - start
    row("reading and parsing each message, standard library (baseline)", baseline)

    store = open_store(scratch("mail.db"), create=True)
    settings = Settings(output=scratch("mail-output"))
    start = time.perf_counter()
    done = take_in(store, read_paths([folder]), settings=settings, actor=Actor("bench"), now=NOW)
    row(
        f"plaintes mail import ({done.new:,} new, files written)",
        time.perf_counter() - start,
        baseline,
        limit=1.5,
    )
    start = time.perf_counter()
    again = take_in(store, read_paths([folder]), settings=settings, actor=Actor("bench"), now=NOW)
    row(f"the same again ({again.duplicates:,} duplicates)", time.perf_counter() - start, baseline)
    store.close()
