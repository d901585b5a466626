"""`plaintes scan import`: the mailroom's scanned letters read into the inbox.

Each file (PDF, TIFF, PNG, JPEG) is taken once (by a hash of its content), read by Tesseract
(``scanning.py``), kept as the original and a searchable PDF under OUTPUT/scans/, recorded in
the inbox beside the e-mails (or attached to the case it answers), then moved to the processed
folder. A file that cannot be read waits in quarantine with its reason; one bad file never
stops the others. The date of receipt is the day the scanner wrote the file.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.mail import Attachment, ParsedMail
from plaintes_tui.domain.workflow import Move
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.mail import Imported, put_in_place
from plaintes_tui.scanning import SUFFIXES, ReadScan, ScanUnreadable, missing_tools, read_scan
from plaintes_tui.settings import Settings
from plaintes_tui.store.case_writer import check_actor
from plaintes_tui.store.database import Store
from plaintes_tui.store.mailbox import is_known, record_mail, record_quarantine
from plaintes_tui.store.scans import SEARCHABLE, case_for_letter, keep_reading

SCANS_FOLDER = "scans"
ORIGINAL = "original"  # the scanner's file is kept as original.<its suffix>
# The fields --json gives of each letter, when found.
ITEM_FIELDS = (
    "language", "last_name", "first_name", "street", "postal_code", "town", "country", "niss",
    "phone", "email", "letter_date", "reference", "subject", "text",
)  # fmt: skip


@dataclass
class ScanImport(Imported):
    """What an import did (or, dry, would do): the counts an e-mail import gives, and each
    letter read."""

    items: list[dict[str, object]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:  # type: ignore[override]
        return {**super().as_json(), "items": self.items}


def scan_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The scans among these files and folders (a folder's own files, not its subfolders: the
    processed folder may sit inside the scanner's)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.is_file():
            yield path
        else:
            raise UserError(tr("scan.no_path", path=path))


def import_scans(
    store: Store,
    paths: Iterable[Path],
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    dry_run: bool = False,
) -> ScanImport:
    """Read and import the scans found at ``paths`` (a read-only login may only try:
    ``dry_run``)."""
    if not dry_run:
        check_actor(actor, Move.MAIL_RECEIVED)
    agent = actor.login
    missing = missing_tools()
    if missing:
        raise UserError(tr("scan.no_tesseract", packages=" ".join(missing)))
    result = ScanImport()
    processed = settings.scan.processed_folder()
    for path in scan_files(paths):
        result.read += 1
        data = path.read_bytes()
        key = "scan:" + hashlib.sha256(data).hexdigest()
        if is_known(store, key):
            item: dict[str, object] = {"file": path.name, "outcome": "duplicate"}
        else:
            item = _take(store, path, data, key, settings, agent, now, dry_run)
        result.items.append(item)
        result.count(str(item["outcome"]))
        if not dry_run and processed is not None:
            _move(path, processed)
    return result


def _take(
    store: Store,
    path: Path,
    data: bytes,
    key: str,
    settings: Settings,
    agent: str,
    now: datetime,
    dry_run: bool,
) -> dict[str, object]:
    target = scan_folder(settings, key)
    try:
        scan = read_scan(path)
    except ScanUnreadable as unreadable:
        reason = tr(unreadable.key) + (f" ({unreadable.detail})" if unreadable.detail else "")
        if not dry_run:
            keep_scan(target, path, data, None)
            with store.write() as connection:
                record_quarantine(
                    connection,
                    key=key,
                    reason=unreadable.key,
                    folder=str(target),
                    source=str(path),
                    agent=agent,
                    now=now,
                )
        return {"file": path.name, "outcome": "quarantined", "reason": reason}
    reading = scan.reading
    case = case_for_letter(store, reading.value("reference"), reading.value("last_name"))
    item: dict[str, object] = {"file": path.name, "outcome": "attached" if case else "new"}
    found = reading.as_json()
    item.update({name: found[name] for name in ITEM_FIELDS if name in found})
    item["confidence"] = found["confidence"]
    item["pages"] = scan.pages
    if case is not None:
        item["case"] = case[1]
    if not dry_run:
        keep_scan(target, path, data, scan)
        received = datetime.fromtimestamp(path.stat().st_mtime, settings.zone)
        with store.write() as connection:
            record_scan(
                connection,
                key,
                scan,
                received,
                folder=target,
                source=str(path),
                case_id=case[0] if case else None,
                agent=agent,
                now=now,
            )
    return item


def scan_folder(settings: Settings, key: str) -> Path:
    """Where a scan's files are kept: OUTPUT/scans/ and the start of its content's hash."""
    return settings.output / SCANS_FOLDER / key.removeprefix("scan:")[:20]


def record_scan(
    connection: sqlite3.Connection,
    key: str,
    scan: ReadScan,
    received: datetime,
    *,
    folder: Path,
    source: str,
    case_id: int | None,
    agent: str,
    now: datetime,
) -> int | None:
    """The scan in the inbox (or its case) with what was read in it, in the caller's write
    transaction; its message id, None when it was already there."""
    mail_id = record_mail(
        connection,
        _as_inbox_mail(key, scan, received),
        folder=str(folder),
        source=source,
        case_id=case_id,
        agent=agent,
        now=now,
    )
    if mail_id is not None:
        keep_reading(connection, mail_id, scan.as_kept())
    return mail_id


def _as_inbox_mail(key: str, scan: ReadScan, received: datetime) -> ParsedMail:
    """The scan as the inbox holds a message: the sender's name, the subject, the body."""
    reading = scan.reading
    name = " ".join(v for v in (reading.value("first_name"), reading.value("last_name")) if v)
    return ParsedMail(
        key=key,
        sender_name=name,
        sender_email=reading.value("email"),
        subject=reading.value("subject") or tr("scan.subject_none"),
        body=reading.value("text") or scan.text,
        arrived=received,
        date_trusted=True,
        attachments=(Attachment(SEARCHABLE, "application/pdf", scan.pdf),),
        references=(),
        auto_reply=False,
        web_form=False,
    )


def keep_scan(target: Path, path: Path, data: bytes, scan: ReadScan | None) -> None:
    """The original and the searchable PDF under ``target``, put in place whole."""
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    temporary.mkdir(parents=True)
    (temporary / f"{ORIGINAL}{path.suffix.lower()}").write_bytes(data)
    if scan is not None:
        (temporary / SEARCHABLE).write_bytes(scan.pdf)
    put_in_place(temporary, target)


def _move(path: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    destination = folder / path.name
    if destination.exists():
        destination = folder / f"{path.stem}-{uuid.uuid4().hex[:6]}{path.suffix}"
    shutil.move(str(path), destination)
