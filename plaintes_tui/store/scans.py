"""The mailroom's scans in the store: each waits in the inbox beside the e-mails (a row of
``mail_messages`` whose ``scan`` holds what the OCR found), or goes to the case it answers."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Mapping

from plaintes_tui.store.database import Store

# The scan kept as a searchable PDF, in the scan's folder under OUTPUT/scans/.
SEARCHABLE = "lettre.pdf"


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def case_for_letter(store: Store, reference: str, last_name: str) -> tuple[int, str] | None:
    """The case a letter answers: the reference it quotes, when its complainant bears the
    name the letter is signed with (accents and case aside). A reference alone attaches
    nothing — a misread digit would put a citizen's letter in a stranger's file; it waits in
    the inbox, where an agent attaches it."""
    if not reference or not last_name:
        return None
    row = store.connection.execute(
        "SELECT cases.id, cases.reference, complainants.last_name FROM cases "
        "JOIN complainants ON complainants.id = cases.complainant_id WHERE cases.reference = ?",
        (reference,),
    ).fetchone()
    if row is None or _folded(str(row[2] or "")) != _folded(last_name):
        return None
    return int(row[0]), str(row[1])


def keep_reading(
    connection: sqlite3.Connection, mail_id: int, reading: Mapping[str, object]
) -> None:
    """What the OCR found, kept with the scan (in the caller's write transaction)."""
    connection.execute(
        "UPDATE mail_messages SET scan = ? WHERE id = ?",
        (json.dumps(reading, ensure_ascii=False), mail_id),
    )


def reading_of(store: Store, mail_id: int) -> dict[str, object] | None:
    """What the OCR found in a scan; None for an e-mail."""
    row = store.connection.execute(
        "SELECT scan FROM mail_messages WHERE id = ?", (mail_id,)
    ).fetchone()
    if row is None or row[0] is None:
        return None
    found: dict[str, object] = json.loads(row[0])
    return found
