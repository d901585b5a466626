"""E-mails as citizens and mail servers write them, built by the tests (no file from outside)."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

RECEIVED = "from mx.example.be by mail.minsoc.fed.be; Fri, 27 Nov 2026 23:30:00 +0000"


def plain(
    *,
    sender: str = "Hélène Dubois <helene.dubois@example.be>",
    subject: str = "Plainte : aucune réponse",
    body: str = "Bonjour,\nJ'attends une réponse depuis trois mois.\nHélène Dubois",
    message_id: str | None = "<plain-1@example.be>",
    charset: str = "utf-8",
    date: str = "Fri, 27 Nov 2026 10:00:00 +0100",
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "plainte@minsoc.fed.be"
    message["Subject"] = subject
    message["Date"] = date
    if message_id:
        message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body, charset=charset)
    return message.as_bytes(policy=SMTP)


def html_only() -> bytes:
    message = EmailMessage()
    message["From"] = "Jan Peeters <jan.peeters@example.be>"
    message["Subject"] = "Klacht over mijn dossier"
    message["Date"] = "Thu, 26 Nov 2026 09:00:00 +0100"
    message["Message-ID"] = "<html-1@example.be>"
    message.set_content(
        "<html><body><p>Geachte,</p><p>Mijn dossier is <b>zoek</b>.</p></body></html>",
        subtype="html",
    )
    return message.as_bytes(policy=SMTP)


def with_attachments() -> bytes:
    message = EmailMessage()
    message["From"] = "=?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <j.mueller@example.be>"
    message["Subject"] = "=?iso-8859-1?q?Beschwerde_=FCber_die_Bearbeitung?="
    message["Date"] = "Wed, 25 Nov 2026 14:00:00 +0100"
    message["Message-ID"] = "<attach-1@example.be>"
    message.set_content("Sehr geehrte Damen und Herren,\nanbei das Beschwerdeformular.")
    message.add_attachment(
        b"%PDF-1.4 form",
        maintype="application",
        subtype="pdf",
        filename="Beschwerdeformular ausgefüllt.pdf",
    )
    message.add_attachment(b"\x89PNG scan", maintype="image", subtype="png", filename="scan.png")
    return message.as_bytes(policy=SMTP)


def dutch_encoded() -> bytes:
    """Name and subject in RFC 2047 base64, as Outlook writes them."""
    return (
        b"From: =?utf-8?b?R2VlcnQgRGV3YcOrbGU=?= <geert.dewaele@example.be>\r\n"
        b"Subject: =?utf-8?b?S2xhY2h0IG92ZXIgaGV0IHVpdGJsaWp2ZW4gdmFu"
        b"IGVlbiBhbnR3b29yZCDigJMgZHJpbmdlbmQ=?=\r\n"
        b"Date: Thu, 26 Nov 2026 16:00:00 +0100\r\n"
        b"Message-ID: <nl-1@example.be>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Ik wacht al twee maanden op een antwoord op mijn vraag. Re=C3=ABel onaanvaardbaar.\r\n"
    )


def latin1() -> bytes:
    return (
        b"From: =?iso-8859-1?q?Fran=E7ois_L=E9onard?= <f.leonard@example.be>\r\n"
        b"Subject: =?iso-8859-1?q?D=E9lai_d=E9pass=E9?=\r\n"
        b"Date: Tue, 24 Nov 2026 08:00:00 +0100\r\n"
        b"Message-ID: <latin1-1@example.be>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"Je n'ai re\xe7u aucune r\xe9ponse \xe0 ma lettre.\r\n"
    )


def reply_to(message_id: str, reference: str = "") -> bytes:
    subject = f"Re: Votre plainte {reference}".strip()
    return plain(
        subject=subject if reference else "Re: Votre plainte",
        body="Voici les coordonnées demandées : 0477 84 86 64.",
        message_id="<reply-1@example.be>",
        headers={"In-Reply-To": message_id, "References": message_id},
    )


def out_of_office(reference: str) -> bytes:
    return plain(
        subject=f"Réponse automatique : Votre plainte {reference}",
        body="Je suis absente jusqu'au 7 décembre.",
        message_id="<ooo-1@example.be>",
        headers={"Auto-Submitted": "auto-replied"},
    )


def mime_bomb(depth: int = 60) -> bytes:
    inner = b"Content-Type: text/plain\r\n\r\nboom\r\n"
    for level in range(depth):
        boundary = f"b{level}".encode()
        inner = (
            b"Content-Type: multipart/mixed; boundary="
            + boundary
            + b"\r\n\r\n--"
            + boundary
            + b"\r\n"
            + inner
            + b"\r\n--"
            + boundary
            + b"--\r\n"
        )
    return b"From: bomb@example.be\r\nSubject: bomb\r\nMIME-Version: 1.0\r\n" + inner


def unknown_charset() -> bytes:
    return (
        b"From: x@example.be\r\nSubject: charset\r\nMessage-ID: <cs@example.be>\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nabc\r\n"
    )


def no_sender() -> bytes:
    return b"Subject: who?\r\nMessage-ID: <nosender@example.be>\r\n\r\nnobody wrote this\r\n"


def traversal() -> bytes:
    message = EmailMessage()
    message["From"] = "a@example.be"
    message["Subject"] = "pièce"
    message["Message-ID"] = "<trav@example.be>"
    message.set_content("see attached")
    message.add_attachment(
        b"x", maintype="application", subtype="octet-stream", filename="../../etc/passwd"
    )
    return message.as_bytes(policy=SMTP)


def huge(size: int) -> bytes:
    message = EmailMessage()
    message["From"] = "big@example.be"
    message["Subject"] = "gros fichier"
    message["Message-ID"] = "<huge@example.be>"
    message.set_content("see attached")
    message.add_attachment(
        b"0" * size, maintype="application", subtype="octet-stream", filename="big.bin"
    )
    return message.as_bytes(policy=SMTP)


def maildir(folder: Path, messages: list[bytes]) -> Path:
    box = mailbox.Maildir(folder, create=True)
    for raw in messages:
        box.add(raw)
    return folder
