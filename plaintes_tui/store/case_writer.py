"""The one door every change of an existing case passes: the actor's check, the row, its
version, its journal — in the caller's transaction.

A move of one case (``update_case``), a recomputation of the clocks, a correction or merge of
a complainant's record and retention's anonymisation all write ``cases`` here and nowhere else
(``tests/test_one_door.py`` reads the whole package's SQL for it). Logging a new case is
``create_case``'s.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from plaintes_tui.domain.access import Actor, move_refusal
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import tr
from plaintes_tui.printable import one_line
from plaintes_tui.store.database import StoreError
from plaintes_tui.store.journal import STATE_RETURNED, append_journals, iso

Changes = Mapping[str, tuple[object, object]]


class MoveRefused(StoreError):
    """The move is not this actor's, or makes no sense for this case now; nothing was written."""


def check_actor(actor: Actor, move: Move, params: Mapping[str, Any] | None = None) -> None:
    """Refuse ``move`` when ``actor``'s role does not allow it (with ``params``)."""
    params = params or {}
    barred = move_refusal(actor, move, params)
    if barred is not None:
        raise MoveRefused(tr(barred, agent=one_line(str(params.get("agent", "")))))


def write_cases(
    connection: sqlite3.Connection,
    *,
    actor: Actor,
    move: Move,
    where: str,
    parameters: Sequence[object],
    now: datetime,
    values: Mapping[str, object] | None = None,
    computed: Mapping[str, tuple[str, Sequence[object]]] | None = None,
    changes: Changes | Callable[[int], Changes] | None = None,
    note: str = "",
    params: Mapping[str, Any] | None = None,
) -> list[int]:
    """Set ``values`` (and ``computed``: SQL expressions with their parameters) on the cases
    ``where`` selects, bump their versions, stamp who and when, and journal each with
    ``changes`` (or ``changes(case_id)``) and the state the change left; return their ids.
    Refused, writing nothing, when ``actor`` may not make ``move``."""
    check_actor(actor, move, params)
    stamped = {k: iso(v) for k, v in (values or {}).items()}
    expressions = computed or {}
    assignments = "".join(f"{name} = ?, " for name in stamped) + "".join(
        f"{name} = {sql}, " for name, (sql, _) in expressions.items()
    )
    bound = [*stamped.values(), *(p for _, ps in expressions.values() for p in ps)]
    changed = connection.execute(
        f"UPDATE cases SET {assignments}version = version + 1, updated_at = ?, updated_by = ? "
        f"WHERE {where} RETURNING id, version, {STATE_RETURNED}",
        (*bound, iso(now), actor.login, *parameters),
    ).fetchall()
    append_journals(
        connection,
        [
            (case_id, version, changes(case_id) if callable(changes) else changes, state)
            for case_id, version, state in changed
        ],
        at=now,
        agent=actor.login,
        action=move.value,
        note=note,
    )
    return [case_id for case_id, _, _ in changed]
