"""Correcting a complainant's record, and merging two records of the same person.

A complainant's record is shared by all their cases: a correction or a merge is journaled on
each of them (what changed, by whom), and bumps their versions, so a form opened on the old
details is caught on save. A correction is written only from the values the agent saw: if a
colleague changed the record meanwhile, it is refused and the typed values are given back.
"""

from __future__ import annotations

import json
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


def _contact_incomplete(complainant_id: int) -> dict[str, tuple[str, tuple[object, ...]]]:
    """A case's flag "no phone, no e-mail", computed from its complainant's record."""
    return {
        "contact_incomplete": (
            "(SELECT coalesce(phone, '') = '' AND coalesce(email, '') = '' "
            "FROM complainants WHERE id = ?)",
            (complainant_id,),
        )
    }


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
            computed=_contact_incomplete(complainant_id),
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


# How many records the merge offers: a common name may have many namesakes.
MERGE_CANDIDATES = 10


def duplicates_of(store: Store, complainant_id: int) -> tuple[list[Candidate], int]:
    """Other records that may be the same person — the same NISS, e-mail or phone, or the
    same last and first name — those sharing a NISS, e-mail or phone first, at most
    ``MERGE_CANDIDATES``; and how many there are in all."""
    person = _person(store.connection, complainant_id)
    shared = [c for c in ("niss", "email", "phone") if person[c]]
    strong = " OR ".join(same_as(column) for column in shared) or "0"
    clauses = f"({strong} OR (last_name = ? COLLATE NOCASE AND first_name = ? COLLATE NOCASE))"
    where = f"{clauses} AND id != ? AND anonymised_at IS NULL AND last_name != ''"
    values = [person[c] for c in shared]
    parameters = (*values, person["last_name"] or "", person["first_name"] or "", complainant_id)
    rows = store.connection.execute(
        "SELECT id, last_name, first_name, (SELECT count(*) FROM cases WHERE complainant_id = "
        f"complainants.id) FROM complainants WHERE {where} "
        f"ORDER BY {f'({strong}) DESC, ' if shared else ''}id LIMIT {MERGE_CANDIDATES}",
        (*parameters, *values),
    ).fetchall()
    (total,) = store.connection.execute(
        f"SELECT count(*) FROM complainants WHERE {where}", parameters
    ).fetchone()
    found = [Candidate(id_, f"{last.upper()} {first}".strip(), n) for id_, last, first, n in rows]
    return found, int(total)


@dataclass(frozen=True)
class Merged:
    moved_cases: int
    filled: list[str]
    conflicts: dict[str, str]  # the other record's values that differed, kept in the journal


_RECORD_COLUMNS = (*PERSON_FIELDS, "created_at", "created_by")


def _whole_record(connection: sqlite3.Connection, complainant_id: int) -> dict[str, object]:
    row = connection.execute(
        f"SELECT {', '.join(_RECORD_COLUMNS)} FROM complainants WHERE id = ?", (complainant_id,)
    ).fetchone()
    return dict(zip(_RECORD_COLUMNS, row, strict=True))


@dataclass(frozen=True)
class Unmerged:
    record: int  # the record given back its own cases (its old number when still free)
    merged_from: int
    moved_cases: int


# The merges into a record, newest first, with the record each took in (a merge journaled
# before the record was kept whole cannot be undone).
_MERGES = (
    "SELECT max(journal.id), json_extract(journal.changes, '$.merged_from[0]'), "
    "json_extract(journal.changes, '$.merged_record[0]') FROM journal "
    "JOIN cases ON cases.id = journal.case_id WHERE journal.action = ? "
    "AND cases.complainant_id = ? AND json_extract(journal.changes, '$.merged_from[1]') = ? "
    "GROUP BY 2 ORDER BY 1 DESC"
)
_UNDONE = (
    "SELECT 1 FROM journal WHERE action = ? AND id > ? "
    "AND json_extract(changes, '$.unmerged[0]') = ? LIMIT 1"
)
# The cases a merge moved: their row of that merge records the move.
_MOVED = (
    "SELECT DISTINCT journal.case_id FROM journal JOIN cases ON cases.id = journal.case_id "
    "WHERE journal.action = ? AND cases.complainant_id = ? "
    "AND json_extract(journal.changes, '$.merged_from[0]') = ? "
    "AND json_extract(journal.changes, '$.complainant_id[0]') = ?"
)


def last_merge(connection: sqlite3.Connection, keep_id: int) -> tuple[int, int, str] | None:
    """The newest merge into ``keep_id`` not undone yet: (its journal row, the record it took
    in, that record as it was, JSON); None when there is none to undo."""
    rows = connection.execute(_MERGES, (Move.MERGE.value, keep_id, keep_id)).fetchall()
    for row_id, other, record in rows:
        if record is None:
            return None
        undone = connection.execute(_UNDONE, (Move.UNMERGE.value, row_id, other)).fetchone()
        if undone is None:
            return int(row_id), int(other), str(record)
    return None


@dataclass(frozen=True)
class MergeToUndo:
    keep: int
    other: int
    at: str
    agent: str


def merge_to_undo(store: Store, keep_id: int) -> MergeToUndo | None:
    """The merge ``undo_merge`` would undo, for the coordinator to confirm."""
    found = last_merge(store.connection, keep_id)
    if found is None:
        return None
    at, agent = store.connection.execute(
        "SELECT at, agent FROM journal WHERE id = ?", (found[0],)
    ).fetchone()
    return MergeToUndo(keep_id, found[1], str(at), str(agent))


def undo_merge(store: Store, keep_id: int, *, actor: Actor, now: datetime) -> Unmerged:
    """Undo the newest merge into ``keep_id`` (coordinators): the record taken in is made again
    as it was, the cases it brought go back to it, the values it filled in are emptied again
    where nobody changed them since; journaled on every case of both."""
    _refuse(actor, Move.UNMERGE)
    with store.write() as connection:
        _person(connection, keep_id)  # an anonymised record is not undone
        found = last_merge(connection, keep_id)
        if found is None:
            raise StoreError(tr("person.unmerge_none", number=keep_id))
        row_id, other_id, record_json = found
        record = json.loads(record_json)
        merge_changes = json.loads(
            connection.execute("SELECT changes FROM journal WHERE id = ?", (row_id,)).fetchone()[0]
        )
        keep = _person(connection, keep_id)
        emptied = {
            name: (keep[name], None)
            for name in PERSON_FIELDS
            if name in merge_changes
            and merge_changes[name][0] is None
            and keep[name] is not None
            and keep[name] == merge_changes[name][1]
        }
        if emptied:
            stored = {k: "" if k in _NOT_NULL else None for k in emptied}
            connection.execute(
                f"UPDATE complainants SET {', '.join(f'{k} = ?' for k in stored)} WHERE id = ?",
                (*stored.values(), keep_id),
            )
        columns = [name for name in _RECORD_COLUMNS if name in record]
        taken = connection.execute("SELECT 1 FROM complainants WHERE id = ?", (other_id,))
        number = None if taken.fetchone() else other_id
        new_id = int(
            connection.execute(
                f"INSERT INTO complainants (id, {', '.join(columns)}) "
                f"VALUES (?, {', '.join('?' for _ in columns)}) RETURNING id",
                (number, *(record[name] for name in columns)),
            ).fetchone()[0]
        )
        moved = [
            int(row[0])
            for row in connection.execute(_MOVED, (Move.MERGE.value, keep_id, other_id, other_id))
        ]
        fact = {"unmerged": (other_id, new_id)}
        if moved:
            write_cases(
                connection,
                actor=actor,
                move=Move.UNMERGE,
                where=f"id IN ({', '.join('?' for _ in moved)})",
                parameters=moved,
                now=now,
                values={"complainant_id": new_id},
                computed=_contact_incomplete(new_id),
                changes={**fact, "complainant_id": (keep_id, new_id)},
            )
        _journal_all(
            connection,
            keep_id,
            move=Move.UNMERGE,
            changes={**emptied, **fact},
            actor=actor,
            now=now,
        )
    return Unmerged(new_id, other_id, len(moved))


def update_record(
    store: Store,
    complainant_id: int,
    typed: ComplainantInput,
    *,
    seen: Mapping[str, str | None] | None = None,
    actor: Actor,
    now: datetime,
) -> str:
    """What an intake linked to this record typed anew (a new address, a phone): written over
    the record through ``rectify``, journaled on each of their cases; the names of the fields
    changed, "" when nothing differs. A value left empty, or the same whatever its capitals,
    changes nothing.

    ``seen``: the record as the form was filled in from it, when linked. What a colleague
    corrected since is not put back by that older view: only the fields the agent typed over
    it are written, and one the colleague changed too is refused (``PersonChanged``)."""
    current = _person(store.connection, complainant_id)
    base = {name: (seen or current).get(name, current[name]) for name in PERSON_FIELDS}
    corrected = {
        name: str(value)
        for name in PERSON_FIELDS
        if (value := getattr(typed, name, None))
        and str(value).casefold() != str(base[name] or "").casefold()
    }
    if not corrected:
        return ""
    before = {name: base[name] for name in corrected}
    return _names(rectify(store, complainant_id, before, corrected, actor=actor, now=now))


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
        # Facts, not sentences: each reader reads them in their language (journal_text). The
        # other record whole, so that a coordinator may undo the merge (retention blanks it).
        facts: dict[str, tuple[object, object]] = {
            "merged_from": (other_id, keep_id),
            "merged_record": (_whole_record(connection, other_id), None),
        }
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
