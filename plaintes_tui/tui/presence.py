"""This app's presence: which case it has open, told to the store; who else has which.

The app calls :meth:`Beat.state` every few seconds; a worker writes only when the case or the
activity changed, or to refresh the row before it goes stale, then reads the others.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime

from textual.screen import ModalScreen, Screen

from plaintes_tui.store.database import Store
from plaintes_tui.store.presence import (
    REFRESH_EVERY,
    Activity,
    Presence,
    announce,
    leave,
    others_present,
)

# How often the app looks at its screens and at the others (a read of a tiny table).
BEAT_SECONDS = 2.0

State = tuple[int, Activity] | None


def new_session() -> str:
    """One running app: host, process and a random part (two terminals of one agent differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"


def state_of(stack: Sequence[Screen[object]]) -> State:
    """The case this app has open (the nearest case screen from the top) and whether the agent
    is typing in one of its forms (a dialog over it, or a screen that is a form itself)."""
    for depth, screen in enumerate(reversed(stack)):
        case_id = getattr(screen, "presence_case", None)
        if case_id is not None:
            above = list(stack)[len(stack) - depth :]
            typing = getattr(screen, "presence_typing", False) or (
                bool(above) and isinstance(above[-1], ModalScreen)
            )
            return case_id, Activity.TYPING if typing else Activity.VIEWING
    return None


class Beat:
    """What this session last told the store, and the store calls that tell it."""

    def __init__(self, store: Store, login: str, *, writes: bool = True) -> None:
        # A read-only login writes nothing, its presence neither: it only sees the others.
        self.store, self.login, self.writes = store, login, writes
        self.session = new_session()
        self._told: State = None
        self._told_at = datetime.min.replace(tzinfo=UTC)

    def tell(self, state: State) -> dict[int, list[Presence]]:
        """Write this session's state when it changed or is about to go stale; read the others'."""
        now = datetime.now(UTC)
        if not self.writes:
            return others_present(self.store, self.session, now)
        if state != self._told or (state is not None and now - self._told_at >= REFRESH_EVERY):
            if state is None:
                leave(self.store, self.session)
            else:
                announce(self.store, self.session, self.login, *state, now)
            self._told, self._told_at = state, now
        return others_present(self.store, self.session, now)

    def end(self) -> None:
        if self._told is not None:
            leave(self.store, self.session)
            self._told = None
