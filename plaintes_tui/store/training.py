"""A store marked for training: the only kind to which demo cases may be added.

Demo cases cannot be deleted (no case ever is), so they never reach a real store: ``plaintes
demo`` writes to a store it creates, or to one created with ``plaintes init --training``.
"""

from __future__ import annotations

from plaintes_tui.store.database import Store

_MARK = "training"


def mark_for_training(store: Store) -> None:
    with store.write() as connection:
        connection.execute(
            "INSERT INTO housekeeping (name, value) VALUES (?, '1') "
            "ON CONFLICT (name) DO UPDATE SET value = '1'",
            (_MARK,),
        )


def for_training(store: Store) -> bool:
    row = store.connection.execute(
        "SELECT value FROM housekeeping WHERE name = ?", (_MARK,)
    ).fetchone()
    return row is not None and row[0] == "1"
