"""Who has which case open: each running app says so every few seconds.

Presence is not a change of the case (no version, no journal): it tells an agent that a
colleague is reading or typing in the same case, so that they talk before both save; the
version check still decides between two saves. A session killed without leaving stops
refreshing its row; after ``STALE_AFTER`` it is ignored, and the next announcement sweeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from plaintes_tui.store.database import Store

# An app refreshes its row at least this often while a case stays open…
REFRESH_EVERY = timedelta(seconds=20)
# …so a row older than this belongs to a session that ended without saying so.
STALE_AFTER = timedelta(seconds=60)


class Activity(StrEnum):
    VIEWING = "viewing"
    TYPING = "typing"  # a form of the case is open: a note, an action, a letter, the checklist


@dataclass(frozen=True)
class Presence:
    """A colleague who has a case open, and what they are doing in it."""

    login: str
    case_id: int
    activity: Activity


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def announce(
    store: Store, session: str, login: str, case_id: int, activity: Activity, now: datetime
) -> None:
    """This session has ``case_id`` open (its only one); sweeps sessions that went silent."""
    with store.write() as connection:
        connection.execute(
            "INSERT INTO presence (session, login, case_id, activity, seen) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (session) DO UPDATE SET "
            "login = excluded.login, case_id = excluded.case_id, "
            "activity = excluded.activity, seen = excluded.seen",
            (session, login, case_id, activity.value, _stamp(now)),
        )
        connection.execute("DELETE FROM presence WHERE seen < ?", (_stamp(now - STALE_AFTER),))


def leave(store: Store, session: str) -> None:
    """This session has no case open any more."""
    with store.write() as connection:
        connection.execute("DELETE FROM presence WHERE session = ?", (session,))


def others_present(store: Store, session: str, now: datetime) -> dict[int, list[Presence]]:
    """case id → who else has it open (other sessions, the same agent's included), live only."""
    rows = store.connection.execute(
        "SELECT login, case_id, activity FROM presence "
        "WHERE session != ? AND seen >= ? ORDER BY login",
        (session, _stamp(now - STALE_AFTER)),
    ).fetchall()
    present: dict[int, list[Presence]] = {}
    for login, case_id, activity in rows:
        present.setdefault(case_id, []).append(Presence(login, case_id, Activity(activity)))
    return present
