"""Correcting a complainant's record, and merging two records of the same person.

A complainant's record is shared by all their cases: a correction or a merge is journaled on
each of them (what changed, by whom), and bumps their versions, so a form opened on the old
details is caught on save. A correction is written only from the values the agent saw: if a
colleague changed the record meanwhile, it is refused and the typed values are given back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.intake import PERSON_FIELDS
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import tr
from plaintes_tui.printable import clean
from plaintes_tui.store.case_writer import check_actor, write_cases
from plaintes_tui.store.cases import ComplainantInput
from plaintes_tui.store.complainants import same_as
from plaintes_tui.store.database import Store, StoreError
from plaintes_tui.store.person_file import Candidate

Values = Mapping[str, str | None]
_NOT_NULL = ("last_name", "first_name")


class PersonChanged(StoreError):
    """The record changed since it was read: nothing was saved."""


def _refuse(actor: Actor, move: Move) -> None:
    check_actor(actor, move)


def _person(connection: sqlite3.Connection, complainant_id: int) -> dict[str, str | None]:
    cursor = connection.execute(
        f"SELECT {', '.join(PERSON_FIELDS)}, anonymised_at FROM complainants WHERE id = ?",
        (complainant_id,),
    )
    row = cursor.fetchone()
    if row is None:
        raise StoreError(tr("person.nobody", query=f"#{complainant_id}"))
    person = dict(zip([d[0] for d in cursor.description], row, strict=True))
    if person.pop("anonymised_at"):
        raise StoreError(tr("person.anonymised"))
    return {k: v or None for k, v in person.items()}


def _journal_all(
    connection: sqlite3.Connection,
    complainant_id: int,
    *,
    move: Move,
    changes: Mapping[str, tuple[object, object]],
    moved: frozenset[int] = frozenset(),
    moved_from: int = 0,
    actor: Actor,
    now: datetime,
) -> int:
    """Journal the change on each of the person's cases (those ``moved`` now theirs, from
    ``moved_from``) and bump their versions."""
    extra = {"complainant_id": (moved_from, complainant_id)}
    owners = (complainant_id, moved_from) if moved else (complainant_id,)
    return len(
        write_cases(
            connection,
            actor=actor,
            move=move,
            where=f"complainant_id IN ({', '.join('?' for _ in owners)})",
            parameters=owners,
            now=now,
            values={"complainant_id": complainant_id} if moved else None,
            computed={
                "contact_incomplete": (
                    "(SELECT coalesce(phone, '') = '' AND coalesce(email, '') = '' "
                    "FROM complainants WHERE id = ?)",
                    (complainant_id,),
                )
            },
            changes=lambda case_id: {**changes, **extra} if case_id in moved else changes,
        )
    )


def rectify(
    store: Store,
    complainant_id: int,
    seen: Values,
    corrected: Values,
    *,
    actor: Actor,
    now: datetime,
) -> list[str]:
    """Write ``corrected`` (checked, normalised values) over the record read as ``seen``;
    return the fields that changed. Empty values clear a field (the last name excepted)."""
    _refuse(actor, Move.RECTIFY)
    new = {k: (clean(corrected[k] or "") or None) for k in PERSON_FIELDS if k in corrected}
    if "last_name" in new and not new["last_name"]:
        raise StoreError(tr("intake.error_last_name"))
    with store.write() as connection:
        current = _person(connection, complainant_id)
        moved = [k for k in PERSON_FIELDS if k in seen and (seen[k] or None) != current[k]]
        if moved:
            raise PersonChanged(tr("person.changed_meanwhile", fields=_names(moved)))
        changes = {k: (current[k], v) for k, v in new.items() if current[k] != v}
        if not changes:
            return []
        stored = {k: "" if v is None and k in _NOT_NULL else v for k, (_, v) in changes.items()}
        assignments = ", ".join(f"{k} = ?" for k in stored)
        connection.execute(
            f"UPDATE complainants SET {assignments} WHERE id = ?",
            (*stored.values(), complainant_id),
        )
        _journal_all(
            connection, complainant_id, move=Move.RECTIFY, changes=changes, actor=actor, now=now
        )
    return list(changes)


def _names(fields: list[str]) -> str:
    return ", ".join(tr(f"field.{name}") for name in fields)


def duplicates_of(store: Store, complainant_id: int) -> list[Candidate]:
    """Other records that may be the same person: the same NISS, e-mail or phone, or the same
    last and first name."""
    person = _person(store.connection, complainant_id)
    clauses = [same_as(column) for column in ("niss", "email", "phone") if person[column]]
    parameters: list[object] = [person[c] for c in ("niss", "email", "phone") if person[c]]
    clauses.append("(last_name = ? COLLATE NOCASE AND first_name = ? COLLATE NOCASE)")
    parameters += [person["last_name"] or "", person["first_name"] or ""]
    rows = store.connection.execute(
        "SELECT id, last_name, first_name, (SELECT count(*) FROM cases WHERE complainant_id = "
        f"complainants.id) FROM complainants WHERE ({' OR '.join(clauses)}) AND id != ? "
        "AND anonymised_at IS NULL AND last_name != '' ORDER BY id LIMIT 10",
        (*parameters, complainant_id),
    ).fetchall()
    return [Candidate(id_, f"{last.upper()} {first}".strip(), n) for id_, last, first, n in rows]


@dataclass(frozen=True)
class Merged:
    moved_cases: int
    filled: list[str]
    conflicts: dict[str, str]  # the other record's values that differed, kept in the journal


def update_record(
    store: Store, complainant_id: int, typed: ComplainantInput, *, actor: Actor, now: datetime
) -> str:
    """What an intake linked to this record typed anew (a new address, a phone): written over
    the record through ``rectify``, journaled on each of their cases; the names of the fields
    changed, "" when nothing differs. A value left empty, or the same whatever its capitals,
    changes nothing."""
    current = _person(store.connection, complainant_id)
    corrected = {
        name: str(value)
        for name in PERSON_FIELDS
        if (value := getattr(typed, name, None))
        and str(value).casefold() != str(current[name] or "").casefold()
    }
    if not corrected:
        return ""
    seen = {name: current[name] for name in corrected}
    return _names(rectify(store, complainant_id, seen, corrected, actor=actor, now=now))


def person_record(store: Store, complainant_id: int) -> tuple[dict[str, str | None], int]:
    """A complainant's record as stored, and how many cases they have: what a merge shows of
    each side before it is done."""
    connection = store.connection
    (cases,) = connection.execute(
        "SELECT count(*) FROM cases WHERE complainant_id = ?", (complainant_id,)
    ).fetchone()
    return _person(connection, complainant_id), int(cases)


def merge(store: Store, keep_id: int, other_id: int, *, actor: Actor, now: datetime) -> Merged:
    """Merge ``other_id`` into ``keep_id``: its cases move over, the kept record's empty fields
    take the other's values, and values that differ are written in the journal, so nothing is
    lost; the other record is then removed. Two different NISS are two people: refused."""
    _refuse(actor, Move.MERGE)
    if keep_id == other_id:
        raise StoreError(tr("person.merge_same"))
    with store.write() as connection:
        keep, other = _person(connection, keep_id), _person(connection, other_id)
        if keep["niss"] and other["niss"] and keep["niss"] != other["niss"]:
            raise StoreError(tr("person.merge_two_niss", keep=keep_id, other=other_id))
        filled = {k: (None, other[k]) for k in PERSON_FIELDS if not keep[k] and other[k]}
        conflicts = {
            k: str(other[k]) for k in PERSON_FIELDS if keep[k] and other[k] and keep[k] != other[k]
        }
        moved = frozenset(
            row[0]
            for row in connection.execute(
                "SELECT id FROM cases WHERE complainant_id = ?", (other_id,)
            )
        )
        if filled:
            assignments = ", ".join(f"{k} = ?" for k in filled)
            connection.execute(
                f"UPDATE complainants SET {assignments} WHERE id = ?",
                (*(v for _, v in filled.values()), keep_id),
            )
        # Facts, not sentences: each reader reads them in their language (journal_text).
        facts: dict[str, tuple[object, object]] = {"merged_from": (other_id, keep_id)}
        if conflicts:
            facts["not_taken"] = (None, conflicts)
        _journal_all(
            connection,
            keep_id,
            move=Move.MERGE,
            changes={**filled, **facts},
            moved=moved,
            moved_from=other_id,
            actor=actor,
            now=now,
        )
        connection.execute("DELETE FROM complainants WHERE id = ?", (other_id,))
    return Merged(len(moved), list(filled), conflicts)
