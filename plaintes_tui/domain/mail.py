"""An e-mail as the service receives it: who wrote, when it reached the service, what it says,
what it carries, and which case it answers — or why it cannot be taken in (quarantine).

Pure Python over the standard library's parser (``policy.default``); HTML-only messages are
turned into plain text (``html_text``). Reasons are catalogue keys.
"""

from __future__ import annotations

import email
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.policy import EmailPolicy
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from plaintes_tui.domain.cases import REFERENCE_PATTERN
from plaintes_tui.domain.html_text import html_to_text
from plaintes_tui.i18n import tr
from plaintes_tui.printable import clean

MAX_DEPTH = 8  # multipart inside multipart…: deeper is a MIME bomb, not a citizen's e-mail
MAX_PARTS = 200
MAX_BODY_CHARS = 100_000
# The name the message itself is kept under, beside its attachments: no attachment takes it.
ORIGINAL = "message.eml"
# A date of receipt further from the import than this is not trusted (a wrong clock, a forged
# header): the message is dated the day it was imported, and the inbox says so.
TRUSTED_PAST = timedelta(days=366)
TRUSTED_FUTURE = timedelta(days=1)
# The online form's PDF, attached by the web site or by the citizen.
_WEB_FORM = re.compile(
    r"formulaire.*plainte|plainte.*formulaire|klacht.*formulier|beschwerde.*formular|"
    r"complaint.*form",
    re.IGNORECASE,
)
_AUTO_SUBJECT = re.compile(
    r"^\s*(out of office|automatic reply|auto:|autoreply|r[ée]ponse automatique|absence|"
    r"absent|afwezig|automatisch antwoord|abwesenheit|automatische antwort)",
    re.IGNORECASE,
)
_FILE_NAME_OK = re.compile(r"[^\w .()+,-]", re.UNICODE)


class Rejected(Exception):
    """A message that cannot be taken in; ``key`` says why (a catalogue key)."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(key)
        self.key, self.detail = key, detail


@dataclass(frozen=True)
class Attachment:
    name: str  # safe as a file name: no folder, no control character
    content_type: str
    data: bytes


@dataclass(frozen=True)
class ParsedMail:
    key: str  # the Message-ID, or a hash of the message when it has none
    sender_name: str
    sender_email: str
    subject: str
    body: str
    arrived: datetime  # when it reached the service's server, in the service's zone
    date_trusted: bool
    attachments: tuple[Attachment, ...]
    references: tuple[str, ...]  # case references named in the subject or the thread headers
    auto_reply: bool
    web_form: bool
    answers: tuple[str, ...] = ()  # the Message-IDs it answers (In-Reply-To, References)


class _OnceParsedHeaders(EmailPolicy):
    """``policy.default``, each header value parsed once: the standard parser asks a part for
    its Content-Type a dozen times while it reads a message, and ``policy.default`` parses
    the header again at each asking (most of an import's time). Parsed headers are
    immutable, so the same one is handed back."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        if hasattr(value, "name"):  # already a parsed header
            return value
        return _parsed_header(self, name, value)


@lru_cache(maxsize=4096)
def _parsed_header(reader: EmailPolicy, name: str, value: str) -> str:
    parsed: str = EmailPolicy.header_fetch_parse(reader, name, value)
    return parsed


HEADERS_PARSED_ONCE = _OnceParsedHeaders()


def message_key(raw: bytes, message_id: str | None) -> str:
    """What makes a message the same message twice: its Message-ID, else its bytes."""
    if message_id and message_id.strip():
        return message_id.strip()
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def key_of(raw: bytes) -> str:
    """The key of a message read from its headers alone: cheap (a message imported before is
    known without parsing it again), and found even for one that does not parse."""
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        message_id = headers.get("Message-ID")
    except Exception:
        message_id = None
    return message_key(raw, str(message_id) if message_id else None)


def _depth_and_parts(message: Message) -> tuple[int, int]:
    deepest, parts = 0, 0
    stack: list[tuple[Message, int]] = [(message, 1)]
    while stack:
        part, depth = stack.pop()
        parts += 1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH or parts > MAX_PARTS:
            break
        payload = part.get_payload()
        if part.is_multipart() and isinstance(payload, list):
            stack.extend((child, depth + 1) for child in payload if isinstance(child, Message))
    return deepest, parts


def safe_file_name(name: str) -> str:
    """A name that stays one file in one folder; empty when nothing of it is left."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if ch.isprintable())
    name = _FILE_NAME_OK.sub("_", name).strip(" .")
    return name[:100]


def _unsafe(name: str) -> bool:
    return (
        "/" in name
        or "\\" in name
        or ".." in name
        or name.startswith(".")
        or any(not ch.isprintable() for ch in name)
    )


def _moment(header: str | None, zone: ZoneInfo, now: datetime) -> datetime | None:
    if not header:
        return None
    try:
        moment = parsedate_to_datetime(header.rsplit(";", 1)[-1].strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    moment = moment.astimezone(zone)
    return moment if now - TRUSTED_PAST <= moment <= now + TRUSTED_FUTURE else None


def arrival(message: Message, zone: ZoneInfo, now: datetime) -> tuple[datetime, bool]:
    """When the message reached the service: the topmost ``Received`` trace (added by the
    service's own server), else ``Date``; else the import's time, not trusted."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone)
    received = message.get_all("Received") or []
    for candidate in (received[0] if received else None, message.get("Date")):
        moment = _moment(str(candidate) if candidate else None, zone, now)
        if moment is not None:
            return moment, True
    return now.astimezone(zone), False


def references_in(text: str) -> tuple[str, ...]:
    """The case references ``text`` names, each once, in order."""
    return tuple(dict.fromkeys(REFERENCE_PATTERN.findall(text.upper())))


def _text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except LookupError as error:  # a charset Python does not know
        raise Rejected("mail.charset", str(error)) from None
    except (UnicodeError, ValueError, AssertionError) as error:
        raise Rejected("mail.malformed", str(error)) from None
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    if part.get_content_subtype() == "html":
        content = html_to_text(str(content))
    text = str(content).replace("\r\n", "\n").strip()
    if len(text) > MAX_BODY_CHARS:  # kept whole in the original: said where it was cut
        said = tr("mail.body_cut", more=len(text) - MAX_BODY_CHARS, original=ORIGINAL)
        text = f"{text[:MAX_BODY_CHARS]}\n\n{said}"
    return text


def _leaves(part: EmailMessage, body: object) -> Iterator[EmailMessage]:
    """The attachments of ``part``, however deep its multiparts nest: every leaf but the body
    and the text alternatives to it; an attached message whole, as one."""
    if part is body:
        return
    if part.get_content_maintype() == "message":
        yield part
        return
    if part.is_multipart():
        for sub in part.iter_parts():
            if isinstance(sub, EmailMessage):
                yield from _leaves(sub, body)
        return
    named = part.get_content_disposition() == "attachment" or part.get_filename()
    if named or part.get_content_maintype() != "text":
        yield part


def _bytes_of(part: EmailMessage) -> bytes:
    """An attachment's content: decoded, or an attached message kept whole."""
    try:
        if part.get_content_maintype() == "message":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                return inner[0].as_bytes() or part.as_bytes()
            return part.as_bytes()
        decoded = part.get_payload(decode=True)
        return decoded if isinstance(decoded, bytes) else b""
    except (ValueError, AssertionError) as error:
        raise Rejected("mail.malformed", str(error)) from None


def _free_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``… (before its suffix) when already taken."""
    stem, dot, suffix = name.rpartition(".")
    counter = 2
    while name in taken:
        name = f"{stem}-{counter}.{suffix}" if dot else f"{suffix}-{counter}"
        counter += 1
    return name


def _attachments(
    message: EmailMessage, max_bytes: int, body: object = None
) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    taken: set[str] = {ORIGINAL}
    top = [p for p in message.iter_parts() if isinstance(p, EmailMessage)]
    for part in (leaf for sub in top for leaf in _leaves(sub, body)):
        if not isinstance(part, EmailMessage):  # pragma: no cover - policy.default gives these
            continue
        raw_name = part.get_filename() or ""
        if raw_name and _unsafe(raw_name):
            raise Rejected("mail.bad_file_name", raw_name)
        data = _bytes_of(part)
        if len(data) > max_bytes:
            raise Rejected("mail.too_large", f"{raw_name} ({len(data)} B)")
        name = _free_name(safe_file_name(raw_name) or f"piece-{len(found) + 1}", taken)
        taken.add(name)
        found.append(Attachment(name, part.get_content_type(), data))
    return tuple(found)


def _auto_reply(message: Message, subject: str) -> bool:
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto not in ("", "no")
        or any(message.get(h) for h in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"))
        or precedence in ("auto_reply", "bulk", "junk")
        or bool(_AUTO_SUBJECT.match(subject))
    )


def parse_mail(raw: bytes, *, zone: ZoneInfo, now: datetime, max_bytes: int) -> ParsedMail:
    """The message, or :class:`Rejected` saying why it goes to quarantine."""
    if not raw.strip():
        raise Rejected("mail.empty")
    if len(raw) > max_bytes:
        raise Rejected("mail.too_large", f"{len(raw)} B")
    try:
        message = email.message_from_bytes(raw, policy=HEADERS_PARSED_ONCE)
    except Exception as error:
        raise Rejected("mail.malformed", str(error)) from None
    assert isinstance(message, EmailMessage)
    depth, parts = _depth_and_parts(message)
    if depth > MAX_DEPTH or parts > MAX_PARTS:
        raise Rejected("mail.too_nested", f"{depth} / {parts}")
    try:
        senders = getaddresses([str(value) for value in message.get_all("From") or []])
        subject = " ".join(str(message.get("Subject", "")).split())
        thread = " ".join(str(message.get(h, "")) for h in ("In-Reply-To", "References"))
    except Exception as error:
        raise Rejected("mail.malformed", str(error)) from None
    sender_name, sender_email = next(((n, a) for n, a in senders if "@" in a), ("", ""))
    if not sender_email:
        raise Rejected("mail.no_sender")
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = _text(body_part) if isinstance(body_part, EmailMessage) else ""
    attachments = _attachments(message, max_bytes, body_part) if message.is_multipart() else ()
    arrived, trusted = arrival(message, zone, now)
    references = references_in(f"{subject} {thread}")
    answers = tuple(dict.fromkeys(re.findall(r"<[^<>\s]+>", thread)))
    return ParsedMail(
        key=key_of(raw),
        sender_name=" ".join(clean(sender_name).split()),
        sender_email=clean(sender_email).strip().lower(),
        subject=clean(subject),
        body=clean(body, lines=True),
        arrived=arrived,
        date_trusted=trusted,
        attachments=attachments,
        references=references,
        answers=answers,
        auto_reply=_auto_reply(message, subject),
        web_form=any(_WEB_FORM.search(a.name) for a in attachments),
    )


# The particles a Belgian last name starts with (Dutch, French, German).
NAME_PARTICLES = frozenset(
    {"de", "den", "der", "van", "vanden", "vander", "ver", "ten", "ter", "le", "la", "du",
     "des", "d'", "von", "vom", "zu"}
)  # fmt: skip


def split_name(display_name: str) -> tuple[str, str]:
    """(last name, first name) from an e-mail's display name: "PEETERS Jan" and "Jan Peeters"
    both give ("Peeters", "Jan"); "Peeters, Jan" too; "Jan De Smet" gives ("De Smet", "Jan")."""
    text = " ".join(display_name.replace('"', " ").split())
    if "," in text:
        last, _, first = text.partition(",")
        return last.strip(), first.strip()
    words = text.split()
    if not words:
        return "", ""
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    if capitals and len(capitals) < len(words):
        last = " ".join(capitals)
        first = " ".join(w for w in words if w not in capitals)
        return last.title(), first
    # "Jan De Smet", "Anne van den Broeck", "Marie Le Clercq": the last name starts at its
    # particle (after the first name, before the last word).
    for index in range(1, len(words) - 1):
        if words[index].casefold() in NAME_PARTICLES:
            return " ".join(words[index:]), " ".join(words[:index])
    return words[-1], " ".join(words[:-1])
