"""What the store remembers about itself (``housekeeping``: a name, a value): work a run must
finish, a training store's mark, the last verification's outcome."""

from __future__ import annotations

import sqlite3

from plaintes_tui.store.database import Store


def remember(connection: sqlite3.Connection, name: str, value: str) -> None:
    """Set ``name`` to ``value``, in the caller's write transaction."""
    connection.execute(
        "INSERT INTO housekeeping (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )


def recalled(connection: sqlite3.Connection, name: str) -> str | None:
    row = connection.execute("SELECT value FROM housekeeping WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def remember_now(store: Store, name: str, value: str) -> None:
    """Set ``name`` to ``value`` in a write transaction of its own."""
    with store.write() as connection:
        remember(connection, name, value)
