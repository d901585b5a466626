"""Taking the service's e-mail in: from the IMAP mailbox, a Maildir, an mbox file, a folder of
``.eml`` files or one file, into the store — each message once, nothing lost.

Each message is parsed (domain/mail.py), its ``.eml`` and attachments written under the
letters' root (``OUTPUT/mail/…``), and recorded (store/mailbox.py): in the inbox, attached to
the case it answers, or in quarantine with its reason. Messages are stored in batches, one
transaction each; an IMAP message is moved to the processed folder only once its batch is
committed, so a failure leaves the mailbox as it was for what was not stored.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.mail import ORIGINAL, ParsedMail, Rejected, key_of, parse_mail
from plaintes_tui.domain.workflow import Move
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.mail_sources import Incoming
from plaintes_tui.settings import MailSettings, Settings
from plaintes_tui.store.case_writer import check_actor
from plaintes_tui.store.database import Store
from plaintes_tui.store.mailbox import (
    case_answered,
    case_for,
    is_known,
    record_mail,
    record_quarantine,
)

if TYPE_CHECKING:
    from imapclient import IMAPClient

BATCH = 100
MAIL_FOLDER = "mail"


@dataclass
class Imported:
    """What an import did (or, dry, would do)."""

    read: int = 0
    new: int = 0
    duplicates: int = 0
    attached_to_cases: int = 0
    quarantined: int = 0
    lines: list[tuple[str, str, str]] = field(default_factory=list)  # (outcome, source, what)

    def count(self, outcome: str) -> None:
        """One more message (or scan) with this outcome."""
        if outcome == "duplicate":
            self.duplicates += 1
        elif outcome == "quarantined":
            self.quarantined += 1
        elif outcome == "attached":
            self.attached_to_cases += 1
        else:
            self.new += 1

    def as_json(self) -> dict[str, int]:
        return {
            "read": self.read,
            "new": self.new,
            "duplicates": self.duplicates,
            "attached_to_cases": self.attached_to_cases,
            "quarantined": self.quarantined,
        }


class MailboxError(UserError):
    """The mailbox could not be read; nothing it still holds was lost."""


# -- taking messages in -----------------------------------------------------------------------


def _folder_for(output: Path, key: str, quarantine: bool) -> Path:
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return output / MAIL_FOLDER / ("quarantine" if quarantine else "messages") / digest


def _write_files(target: Path, raw: bytes, mail: ParsedMail | None) -> Path:
    """The message's files in a new temporary folder beside ``target``."""
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    temporary.mkdir(parents=True)
    (temporary / ORIGINAL).write_bytes(raw)
    for attachment in mail.attachments if mail else ():
        (temporary / attachment.name).write_bytes(attachment.data)
    return temporary


def put_in_place(temporary: Path, target: Path) -> None:
    """A folder written whole under a temporary name, given its final one."""
    if target.exists():  # left by a run that stopped before its commit
        shutil.rmtree(target)
    temporary.rename(target)


@dataclass
class _Pending:
    incoming: Incoming
    mail: ParsedMail | None
    rejected: Rejected | None
    key: str
    case: tuple[int, str] | None = None
    temporary: Path | None = None
    target: Path | None = None


def _sorted_out(
    store: Store, incoming: Incoming, settings: Settings, now: datetime, key: str
) -> _Pending:
    limit = settings.mail.max_message_mb * 1024 * 1024
    try:
        mail = parse_mail(incoming.raw, zone=settings.zone, now=now, max_bytes=limit)
    except Rejected as rejected:
        return _Pending(incoming, None, rejected, key)
    except RecursionError:  # a structure deep enough to exhaust the parser itself
        return _Pending(incoming, None, Rejected("mail.too_nested"), key)
    case = case_answered(store, mail.answers) or case_for(store, mail.references, mail.sender_email)
    return _Pending(incoming, mail, None, key, case)


def take_in(
    store: Store,
    messages: Iterable[Incoming],
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    dry_run: bool = False,
    stored: Callable[[list[Incoming]], None] | None = None,
) -> Imported:
    """Import ``messages``; ``stored`` is told each batch once it is committed (an IMAP
    mailbox then moves them). A message already in the store is a duplicate. A read-only
    login may only try (``dry_run``)."""
    if not dry_run:
        check_actor(actor, Move.MAIL_RECEIVED)
    agent = actor.login
    result = Imported()
    batch: list[Incoming] = []
    for incoming in messages:
        batch.append(incoming)
        if len(batch) == BATCH:
            _take_batch(store, batch, result, settings, agent, now, dry_run, stored)
            batch = []
    if batch:
        _take_batch(store, batch, result, settings, agent, now, dry_run, stored)
    return result


def _take_batch(
    store: Store,
    batch: list[Incoming],
    result: Imported,
    settings: Settings,
    agent: str,
    now: datetime,
    dry_run: bool,
    stored: Callable[[list[Incoming]], None] | None,
) -> None:
    pending = []
    for incoming in batch:
        result.read += 1
        key = key_of(incoming.raw)
        if is_known(store, key):  # imported before: not even parsed again
            result.duplicates += 1
            result.lines.append(("duplicate", incoming.source, key))
            continue
        pending.append(_sorted_out(store, incoming, settings, now, key))
    if dry_run:
        for item in pending:
            _count(result, _outcome(item), item)
        return
    if not pending:  # all known: nothing to write, but the mailbox may move them now
        if stored is not None:
            stored(batch)
        return
    try:
        for item in pending:
            item.target = _folder_for(settings.output, item.key, item.mail is None)
            item.temporary = _write_files(item.target, item.incoming.raw, item.mail)
        with store.write() as connection:
            outcomes = []
            for item in pending:
                assert item.target is not None and item.temporary is not None
                if item.mail is None:
                    assert item.rejected is not None
                    recorded = record_quarantine(
                        connection,
                        key=item.key,
                        reason=item.rejected.key,
                        folder=str(item.target),
                        source=item.incoming.source,
                        agent=agent,
                        now=now,
                    )
                else:
                    recorded = record_mail(
                        connection,
                        item.mail,
                        folder=str(item.target),
                        source=item.incoming.source,
                        case_id=item.case[0] if item.case else None,
                        agent=agent,
                        now=now,
                    )
                if recorded is None:  # another import took it meanwhile
                    outcomes.append("duplicate")
                    continue
                put_in_place(item.temporary, item.target)
                item.temporary = None
                outcomes.append(_outcome(item))
    finally:
        for item in pending:
            if item.temporary is not None:
                shutil.rmtree(item.temporary, ignore_errors=True)
    for item, outcome in zip(pending, outcomes, strict=True):
        _count(result, outcome, item)
    if stored is not None:
        stored(batch)


def _outcome(item: _Pending) -> str:
    if item.mail is None:
        return "quarantined"
    return "attached" if item.case else "new"


def _count(result: Imported, outcome: str, item: _Pending) -> None:
    result.count(outcome)
    if item.mail is not None:
        what = f"{item.mail.sender_email} — {item.mail.subject}"
        if item.case:
            what += f" → {item.case[1]}"
    else:
        assert item.rejected is not None
        what = tr(item.rejected.key) + (
            f" ({item.rejected.detail})" if item.rejected.detail else ""
        )
    result.lines.append((outcome, item.incoming.source, what))


# -- the IMAP mailbox -------------------------------------------------------------------------


def import_mailbox(
    store: Store, *, settings: Settings, actor: Actor, now: datetime, dry_run: bool = False
) -> Imported:
    """Import the configured mailbox's messages, moving each stored one to the processed
    folder (a dry run only reads). A failure of the server is one sentence; what was not
    stored stays in the mailbox."""
    if not dry_run:  # refused before the server is asked anything
        check_actor(actor, Move.MAIL_RECEIVED)
    config = settings.mail
    if not config.enabled:
        raise MailboxError(tr("mail.no_mailbox", settings=settings.source or "—"))
    from imapclient.exceptions import IMAPClientError

    try:
        client = _connect(config)
        try:
            client.select_folder(config.folder, readonly=dry_run)
            uids = sorted(client.search("UNDELETED"))

            def messages() -> Iterator[Incoming]:
                for start in range(0, len(uids), BATCH):
                    chunk = uids[start : start + BATCH]
                    fetched = client.fetch(chunk, ["BODY.PEEK[]"])
                    for uid in chunk:
                        raw = fetched.get(uid, {}).get(b"BODY[]", b"")
                        yield Incoming(f"imap:{config.folder}/{uid}", bytes(raw), uid)

            def move(batch: list[Incoming]) -> None:
                moved = [m.uid for m in batch if m.uid is not None]
                if client.has_capability("MOVE"):
                    client.move(moved, config.processed_folder)
                else:
                    client.copy(moved, config.processed_folder)
                    client.delete_messages(moved)
                    client.expunge(moved)

            if not dry_run and not client.folder_exists(config.processed_folder):
                client.create_folder(config.processed_folder)
            return take_in(
                store,
                messages(),
                settings=settings,
                actor=actor,
                now=now,
                dry_run=dry_run,
                stored=None if dry_run else move,
            )
        finally:
            with contextlib.suppress(OSError, IMAPClientError):
                client.logout()
    except OSError as error:
        if error.filename is not None or error.errno in _LOCAL_ERRORS:  # here, not the server
            where = error.filename or settings.output
            raise MailboxError(
                tr("mail.cannot_write", path=where, error=error.strerror or error)
            ) from None
        raise MailboxError(
            tr("mail.unreachable", host=config.host, port=config.port, error=error)
        ) from None
    except IMAPClientError as error:
        raise MailboxError(
            tr("mail.unreachable", host=config.host, port=config.port, error=error)
        ) from None


# Errors of this machine's disk, not of the mailbox: full, read-only, refused, over quota.
_LOCAL_ERRORS = frozenset({errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT})


def _connect(config: MailSettings) -> IMAPClient:
    import ssl

    from imapclient import IMAPClient

    context = ssl.create_default_context()
    client = IMAPClient(
        config.host,
        port=config.port,
        ssl=config.tls == "ssl",
        ssl_context=context if config.tls == "ssl" else None,
        timeout=config.timeout,
    )
    if config.tls == "starttls":
        client.starttls(context)
    password = config.password()
    if not password:  # said as it is, not as the server's AUTHENTICATIONFAILED
        client.logout()
        raise MailboxError(tr("mail.no_password", user=config.user))
    client.login(config.user, password)
    return client


# -- the demo's mailbox -----------------------------------------------------------------------

_DEMO_MAIL = (
    # (display name, address, subject, body, days before today, attachment name or "")
    (
        "Sophie Lambert",
        "sophie.lambert@example.be",
        "Plainte : toujours pas de réponse",
        "Bonjour,\nJ'ai envoyé mon dossier il y a deux mois et je n'ai reçu aucune réponse, "
        "malgré trois appels.\nSophie Lambert\nRue de la Station 12, 5000 Namur",
        3,
        "",
    ),
    (
        "Pieter Claes",
        "pieter.claes@example.be",
        "Klacht via het webformulier",
        "Geachte,\nIn bijlage vindt u mijn ingevuld klachtenformulier.\nMet vriendelijke groet,\n"
        "Pieter Claes",
        2,
        "klachtenformulier.pdf",
    ),
    (
        "Anna Schmitz",
        "anna.schmitz@example.be",
        "Beschwerde über die Bearbeitung",
        "Sehr geehrte Damen und Herren,\nmein Antrag wurde zweimal verloren.\nAnna Schmitz",
        1,
        "",
    ),
    (
        "Newsletter",
        "news@example.com",
        "Découvrez nos offres de fin d'année",
        "Profitez de -50 % sur tout le catalogue !",
        1,
        "",
    ),
)


def demo_messages(
    today_noon: datetime, reference: str | None, replier: tuple[str, str] | None = None
) -> list[Incoming]:
    """A few e-mails for the demo's inbox: three complaints (one with the online form
    attached), an advertisement to set aside, a reply to ``reference``, an out-of-office and a
    broken message for the quarantine."""
    from email.message import EmailMessage
    from email.utils import format_datetime

    built: list[bytes] = []
    for n, (name, address, subject, body, days, attached) in enumerate(_DEMO_MAIL):
        message = EmailMessage()
        message["From"] = f"{name} <{address}>"
        message["To"] = "plainte@example.be"
        message["Subject"] = subject
        message["Date"] = format_datetime(today_noon - timedelta(days=days, hours=n))
        message["Message-ID"] = f"<demo-{n}@example.be>"
        message.set_content(body)
        if attached:
            message.add_attachment(
                b"%PDF-1.4 demo", maintype="application", subtype="pdf", filename=attached
            )
        built.append(message.as_bytes())
    if reference:  # from its complainant (``replier``: name, address), so it is attached
        reply = EmailMessage()
        name, address = replier or ("Marc Dupont", "marc.dupont@example.be")
        reply["From"] = f"{name} <{address}>"
        reply["Subject"] = f"Re: Votre plainte {reference}"
        reply["Date"] = format_datetime(today_noon - timedelta(hours=3))
        reply["Message-ID"] = "<demo-reply@example.be>"
        reply.set_content("Voici la copie de la décision que vous m'avez demandée.")
        built.append(reply.as_bytes())
    away = EmailMessage()  # an out-of-office: marked, never offered as a complaint
    away["From"] = "Luc Peeters <luc.peeters@example.be>"
    away["Subject"] = "Réponse automatique : absent jusqu'au 14 décembre"
    away["Date"] = format_datetime(today_noon - timedelta(hours=2))
    away["Message-ID"] = "<demo-away@example.be>"
    away["Auto-Submitted"] = "auto-replied"
    away.set_content("Je suis absent du bureau jusqu'au 14 décembre inclus.")
    built.append(away.as_bytes())
    built.append(b"Subject: (sans expediteur)\r\n\r\n?")
    return [Incoming(f"demo:{n}", raw) for n, raw in enumerate(built)]
