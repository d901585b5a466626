"""Each agent's open and overdue cases: what a supervisor weighs before assigning."""

from __future__ import annotations

from datetime import date

from plaintes_tui.store.database import Store


def workload(store: Store, today: date) -> dict[str | None, tuple[int, int]]:
    """login (None: unassigned) → (open cases, of which overdue), from the open-cases index."""
    rows = store.connection.execute(
        "SELECT assigned_to, count(*), sum(next_due < ?) FROM cases "
        "WHERE next_due IS NOT NULL GROUP BY assigned_to",
        (today.isoformat(),),
    )
    return {login: (int(total), int(late or 0)) for login, total, late in rows}
