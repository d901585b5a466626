"""Who consulted whose data (GDPR accountability; Belgian public services log every NISS
consultation): a case file opened, a person's record, a person's export, a search by NISS.

Each row says who, when, what, and whose (the case, the person, or the NISS searched). It is
kept for ``[personal_data] access_log_years``; coordinators list it per person, and a person's
export includes it. Read-only logins are logged too: reading is what the log is for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plaintes_tui.store.database import Store


class Access(StrEnum):
    CASE = "case"  # a case file opened
    PERSON = "person"  # a person's record (all their cases, their details)
    EXPORT = "export"  # a person's data exported
    NISS_SEARCH = "niss_search"  # a search by NISS (the NISS searched kept in ``detail``)


# The table and its append-only trigger: migration 16 of ``store/schema.py``.

_NISS = re.compile(r"\d{2}[.\s-]?\d{2}[.\s-]?\d{2}[.\s-]?\d{3}[.\s-]?\d{2}")


def niss_in(query: str) -> str | None:
    """The NISS a search is for (11 digits, as typed with or without separators), or None."""
    match = _NISS.fullmatch(query.strip())
    return re.sub(r"\D", "", match.group()) if match else None


def record(
    store: Store,
    login: str,
    what: Access,
    *,
    now: datetime,
    case_id: int | None = None,
    complainant_id: int | None = None,
    detail: str = "",
) -> None:
    with store.write() as connection:
        if complainant_id is None and case_id is not None:
            row = connection.execute(
                "SELECT complainant_id FROM cases WHERE id = ?", (case_id,)
            ).fetchone()
            complainant_id = row[0] if row else None
        if complainant_id is None and what is Access.NISS_SEARCH:
            row = connection.execute(
                "SELECT id FROM complainants WHERE niss = ? ORDER BY id LIMIT 1", (detail,)
            ).fetchone()
            complainant_id = row[0] if row else None
        connection.execute(
            "INSERT INTO access_log (at, login, what, case_id, complainant_id, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                now.isoformat(timespec="seconds"),
                login,
                what.value,
                case_id,
                complainant_id,
                detail,
            ),
        )


@dataclass(frozen=True)
class Consulted:
    at: str
    login: str
    what: Access
    reference: str | None
    detail: str


def accesses_of(store: Store, complainant_id: int) -> list[Consulted]:
    """Every consultation of a person's data, oldest first: their record, their cases, their
    exports and the searches for their NISS."""
    rows = store.connection.execute(
        "SELECT access_log.at, access_log.login, access_log.what, cases.reference, "
        "access_log.detail FROM access_log LEFT JOIN cases ON cases.id = access_log.case_id "
        "WHERE access_log.complainant_id = ? "
        "OR (access_log.what = 'niss_search' AND access_log.detail <> '' AND access_log.detail = "
        "    (SELECT niss FROM complainants WHERE id = ?)) "
        "ORDER BY access_log.at, access_log.id",
        (complainant_id, complainant_id),
    ).fetchall()
    return [
        Consulted(at, login, Access(what), ref, detail) for at, login, what, ref, detail in rows
    ]
