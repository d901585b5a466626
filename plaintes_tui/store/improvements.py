"""Improvement actions in the store (``domain/improvements.py``): their one door, their
reading and their check (their tables are migration 23, in ``store/schema.py``).

Every change of an action — created, edited, moved to another status, a case linked — passes
this module's door: the actor's role, the version the agent read, and a row of the actions' own
journal (``improvement_journal``), written in the same transaction. Like the cases' journal it
proves itself: each row carries the digest of the action as the change left it (its columns
and the cases linked to it) and a hash over the row before, so ``verify`` finds an action, a
link or a journal row changed behind the program's back. Linking a case is journaled on the
case as well (``improvement_linked``, a fact: its version stays).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.improvements import (
    Improvement,
    ImprovementStatus,
    format_reference,
    status_refusal,
)
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import tr
from plaintes_tui.printable import clean, one_line
from plaintes_tui.store.case_writer import MoveRefused, check_actor
from plaintes_tui.store.database import Store
from plaintes_tui.store.journal import GENESIS, append_journal, digest, iso, sql_quote

_COLUMNS = (
    "id",
    "reference",
    "title",
    "description",
    "service",
    "owner",
    "due",
    "status",
    "proposed_on",
    "decided_on",
    "started_on",
    "done_on",
    "dropped_on",
    "version",
    "updated_at",
    "updated_by",
)
# What an agent may set on an action (the rest is the door's).
EDITABLE = ("title", "description", "service", "owner", "due", "status")


class ImprovementError(MoveRefused):
    """Not written: the action changed meanwhile, or the change makes no sense."""


def _state(connection: sqlite3.Connection, improvement_id: int) -> str:
    """The digest of an action as it stands: its columns and the cases linked to it."""
    row = connection.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM improvements WHERE id = ?", (improvement_id,)
    ).fetchone()
    cases = [
        case_id
        for (case_id,) in connection.execute(
            "SELECT case_id FROM improvement_cases WHERE improvement_id = ? ORDER BY case_id",
            (improvement_id,),
        )
    ]
    return digest(",".join(sql_quote(value) for value in (*row, json.dumps(cases))))


def _link(previous: str, fields: Iterable[object]) -> str:
    return digest(previous + "," + ",".join(sql_quote(value) for value in fields))


def _journal(
    connection: sqlite3.Connection,
    improvement_id: int,
    *,
    actor: Actor,
    now: datetime,
    action: str,
    changes: Mapping[str, tuple[object, object]],
) -> None:
    """A row of the actions' journal, chained to the one before (same transaction)."""
    last = connection.execute(
        "SELECT id, hash FROM improvement_journal ORDER BY id DESC LIMIT 1"
    ).fetchone()
    row_id, previous = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
    (version,) = connection.execute(
        "SELECT version FROM improvements WHERE id = ?", (improvement_id,)
    ).fetchone()
    at = str(iso(now))
    changes_text = json.dumps({k: [iso(a), iso(b)] for k, (a, b) in changes.items()})
    state = _state(connection, improvement_id)
    fields = (row_id, improvement_id, version, at, actor.login, action, changes_text, state)
    connection.execute(
        "INSERT INTO improvement_journal (id, improvement_id, version, at, agent, action, "
        "changes, state, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*fields, _link(previous, fields)),
    )


def _values(fields: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in fields.items() if k in EDITABLE}
    for name in ("title", "owner", "service"):
        if name in values:
            values[name] = one_line(str(values[name] or "")) or None
    if "description" in values:
        values["description"] = clean(str(values["description"] or ""), lines=True)
    if "due" in values:
        values["due"] = iso(values["due"]) or None
    if "status" in values:
        values["status"] = ImprovementStatus(values["status"]).value
    return values


def create_improvement(
    store: Store,
    fields: Mapping[str, Any],
    *,
    actor: Actor,
    now: datetime,
    case_id: int | None = None,
) -> int:
    """A new action (proposed, unless a supervisor records it decided), linked to ``case_id``
    when it comes from a case; returns its id."""
    check_actor(actor, Move.IMPROVEMENT)
    values = _values({"status": ImprovementStatus.PROPOSED, **fields})
    if not values.get("title"):
        raise ImprovementError(tr("improvement.title_required"))
    status = ImprovementStatus(values["status"])
    why = status_refusal(ImprovementStatus.PROPOSED, status, supervising=actor.supervising)
    if why is not None:
        raise ImprovementError(tr(why))
    today = now.date().isoformat()
    with store.write() as connection:
        (number,) = connection.execute(
            "SELECT count(*) + 1 FROM improvements WHERE substr(reference, 3, 4) = ?",
            (str(now.year),),
        ).fetchone()
        values.update(
            reference=format_reference(now.year, int(number)),
            proposed_on=today,
            version=1,
            updated_at=iso(now),
            updated_by=actor.login,
        )
        if status is not ImprovementStatus.PROPOSED:
            values[status.day_column] = today
        names = ", ".join(values)
        (improvement_id,) = connection.execute(
            f"INSERT INTO improvements ({names}) VALUES ({', '.join('?' for _ in values)}) "
            "RETURNING id",
            tuple(values.values()),
        ).fetchone()
        _journal(
            connection,
            improvement_id,
            actor=actor,
            now=now,
            action="created",
            changes={k: (None, v) for k, v in values.items() if k in EDITABLE},
        )
        if case_id is not None:
            _link_case(connection, improvement_id, case_id, actor=actor, now=now)
    return int(improvement_id)


def update_improvement(
    store: Store,
    improvement_id: int,
    expected_version: int,
    fields: Mapping[str, Any],
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """Change an action read at ``expected_version``: what changed is journaled; a new status
    is stamped with the day (a step the rule does not allow is refused)."""
    check_actor(actor, Move.IMPROVEMENT)
    values = _values(fields)
    if "title" in values and not values["title"]:
        raise ImprovementError(tr("improvement.title_required"))
    with store.write() as connection:
        cursor = connection.execute("SELECT * FROM improvements WHERE id = ?", (improvement_id,))
        names = [d[0] for d in cursor.description]
        current = dict(zip(names, cursor.fetchone(), strict=True))
        if current["version"] != expected_version:
            raise ImprovementError(
                tr("improvement.stale", reference=current["reference"], agent=current["updated_by"])
            )
        diff = {k: (current[k], v) for k, v in values.items() if current[k] != v}
        if not diff:
            return
        if "status" in diff:
            new = ImprovementStatus(values["status"])
            why = status_refusal(
                ImprovementStatus(current["status"]), new, supervising=actor.supervising
            )
            if why is not None:
                raise ImprovementError(tr(why))
            values[new.day_column] = now.date().isoformat()
        assignments = ", ".join(f"{name} = ?" for name in values)
        connection.execute(
            f"UPDATE improvements SET {assignments}, version = version + 1, updated_at = ?, "
            "updated_by = ? WHERE id = ?",
            (*values.values(), iso(now), actor.login, improvement_id),
        )
        action = f"status_{values['status']}" if "status" in diff else "edited"
        _journal(connection, improvement_id, actor=actor, now=now, action=action, changes=diff)


def link_case(
    store: Store, improvement_id: int, case_id: int, *, actor: Actor, now: datetime
) -> None:
    """One more case that led to the action (linked once; a second link changes nothing)."""
    check_actor(actor, Move.IMPROVEMENT)
    with store.write() as connection:
        _link_case(connection, improvement_id, case_id, actor=actor, now=now)


def _link_case(
    connection: sqlite3.Connection,
    improvement_id: int,
    case_id: int,
    *,
    actor: Actor,
    now: datetime,
) -> None:
    added = connection.execute(
        "INSERT OR IGNORE INTO improvement_cases (improvement_id, case_id) VALUES (?, ?)",
        (improvement_id, case_id),
    ).rowcount
    if not added:
        return
    reference, version = connection.execute(
        "SELECT reference, version FROM cases WHERE id = ?", (case_id,)
    ).fetchone()
    (action_reference,) = connection.execute(
        "SELECT reference FROM improvements WHERE id = ?", (improvement_id,)
    ).fetchone()
    connection.execute(
        "UPDATE improvements SET version = version + 1, updated_at = ?, updated_by = ? "
        "WHERE id = ?",
        (iso(now), actor.login, improvement_id),
    )
    _journal(
        connection,
        improvement_id,
        actor=actor,
        now=now,
        action="case_linked",
        changes={"case": (None, reference)},
    )
    append_journal(  # a fact on the case: its version stays (no open form turns stale)
        connection,
        case_id,
        version,
        at=now,
        agent=actor.login,
        action=Move.IMPROVEMENT.value,
        changes={"improvement": (None, action_reference)},
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _improvement(row: Mapping[str, Any], cases: tuple[str, ...]) -> Improvement:
    return Improvement(
        id=int(row["id"]),
        reference=row["reference"],
        title=row["title"],
        description=row["description"],
        service=row["service"],
        owner=row["owner"],
        due=_date(row["due"]),
        status=ImprovementStatus(row["status"]),
        proposed_on=date.fromisoformat(row["proposed_on"]),
        decided_on=_date(row["decided_on"]),
        started_on=_date(row["started_on"]),
        done_on=_date(row["done_on"]),
        dropped_on=_date(row["dropped_on"]),
        version=int(row["version"]),
        cases=cases,
    )


@dataclass(frozen=True)
class ImprovementFilter:
    status: ImprovementStatus | None = None
    service: str | None = None
    late_only: bool = False
    open_only: bool = False  # neither done nor dropped


def list_improvements(
    store: Store, flt: ImprovementFilter = ImprovementFilter(), *, today: date
) -> list[Improvement]:
    """Every action the filter keeps (never cut): the late first, then by due date."""
    clauses, parameters = ["1"], []
    if flt.status is not None:
        clauses.append("status = ?")
        parameters.append(flt.status.value)
    if flt.service is not None:
        clauses.append("service = ?")
        parameters.append(flt.service)
    if flt.open_only or flt.late_only:
        clauses.append("status NOT IN ('done', 'dropped')")
    if flt.late_only:
        clauses.append("due < ?")
        parameters.append(today.isoformat())
    return _read(
        store,
        f"SELECT * FROM improvements WHERE {' AND '.join(clauses)} "
        "ORDER BY status IN ('done', 'dropped'), due IS NULL, due, reference",
        parameters,
    )


def improvements_of_case(store: Store, case_id: int) -> list[Improvement]:
    return _read(
        store,
        "SELECT * FROM improvements WHERE id IN "
        "(SELECT improvement_id FROM improvement_cases WHERE case_id = ?) ORDER BY reference",
        [case_id],
    )


def get_improvement(store: Store, improvement_id: int) -> Improvement:
    return _read(store, "SELECT * FROM improvements WHERE id = ?", [improvement_id])[0]


def _read(store: Store, sql: str, parameters: list[Any]) -> list[Improvement]:
    cursor = store.connection.execute(sql, parameters)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    linked: dict[int, list[str]] = {}
    for improvement_id, reference in store.connection.execute(
        "SELECT l.improvement_id, c.reference FROM improvement_cases AS l "
        "JOIN cases AS c ON c.id = l.case_id ORDER BY c.reference"
    ):
        linked.setdefault(int(improvement_id), []).append(str(reference))
    return [_improvement(row, tuple(linked.get(int(row["id"]), ()))) for row in rows]


def unproven_improvements(connection: sqlite3.Connection) -> list[str]:
    """The references of the actions whose journal does not prove them: a journal row changed
    or removed, an action or a link changed behind the program's back."""
    previous, found = GENESIS, set()
    last_state: dict[int, str] = {}
    for row in connection.execute(
        "SELECT id, improvement_id, version, at, agent, action, changes, state, hash "
        "FROM improvement_journal ORDER BY id"
    ):
        if _link(previous, row[:8]) != row[8]:
            found.add(int(row[1]))
        previous, last_state[int(row[1])] = str(row[8]), str(row[7])
    references = dict(connection.execute("SELECT id, reference FROM improvements").fetchall())
    for improvement_id in references:
        if last_state.get(improvement_id) != _state(connection, improvement_id):
            found.add(improvement_id)
    return sorted(str(references.get(i, f"#{i}")) for i in found)


def actions_of_period(store: Store, start: date, end: date) -> dict[str, Any]:
    """The improvement actions alive in the period (proposed by its end, neither done nor
    dropped before it began), each with its status today, and their counts by status and by
    service concerned ("" for none)."""
    actions = _read(
        store,
        "SELECT * FROM improvements WHERE proposed_on <= ? "
        "AND coalesce(done_on, dropped_on, '9999') >= ? ORDER BY reference",
        [end.isoformat(), start.isoformat()],
    )
    by_status = {status.value: 0 for status in ImprovementStatus}
    by_service: dict[str, int] = {}
    for action in actions:
        by_status[action.status.value] += 1
        by_service[action.service or ""] = by_service.get(action.service or "", 0) + 1
    return {
        "list": [
            {
                "reference": a.reference,
                "title": a.title,
                "service": a.service or "",
                "status": a.status.value,
                "proposed_on": a.proposed_on.isoformat(),
                "due": iso(a.due),
                "done_on": iso(a.done_on),
                "cases": len(a.cases),
            }
            for a in actions
        ],
        "by_status": by_status,
        "by_service": dict(sorted(by_service.items(), key=lambda item: (-item[1], item[0]))),
    }
