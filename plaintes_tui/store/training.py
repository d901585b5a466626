"""A store marked for training: the only kind to which demo cases may be added.

Demo cases cannot be deleted (no case ever is), so they never reach a real store: ``plaintes
demo`` writes to a store it creates, or to one created with ``plaintes init --training``.
"""

from __future__ import annotations

from plaintes_tui.store.database import Store
from plaintes_tui.store.housekeeping import recalled, remember_now

_MARK = "training"


def mark_for_training(store: Store) -> None:
    remember_now(store, _MARK, "1")


def for_training(store: Store) -> bool:
    return recalled(store.connection, _MARK) == "1"
