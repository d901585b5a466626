"""Drafts: the intake form as last typed, one per agent, and what a dialog holds, one per
agent, dialog and case; each until it is saved or thrown away."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from plaintes_tui.store.database import Store


@dataclass(frozen=True)
class Draft:
    """A form an agent left unsaved, offered back at the next start; ``text``: as stored."""

    form: dict[str, str]
    updated_at: str
    text: str


# A session keeps what it last wrote of a draft (its ``text``, None: nothing). Its last write,
# when it ends, is made only if the draft is still that: a session left running after SSH
# dropped ends hours later, when the terminal is found gone; by then a new session of the
# same agent may have taken the draft over, saved it as a case or dropped it, and the old one
# must not put it back (the complaint would be offered again, and logged twice).


def _text(fields: Mapping[str, str]) -> str:
    return json.dumps(dict(fields), ensure_ascii=False)


def _draft(row: tuple[str, str] | None) -> Draft | None:
    if row is None:
        return None
    form = {str(k): str(v) for k, v in json.loads(row[0]).items()}
    return Draft(form=form, updated_at=row[1], text=row[0])


def save_draft(store: Store, agent: str, form: Mapping[str, str], now: datetime) -> str:
    """The intake form kept as the agent's draft; the text stored."""
    text = _text(form)
    with store.write() as connection:
        _put_draft(connection, agent, text, now)
    return text


def keep_last_draft(
    store: Store, agent: str, form: Mapping[str, str], now: datetime, last: str | None
) -> bool:
    """At a session's end, the intake draft kept — unless it is no longer ``last`` (see
    above): whether it was."""
    with store.write() as connection:
        row = connection.execute("SELECT form FROM drafts WHERE agent = ?", (agent,)).fetchone()
        if (row[0] if row else None) != last:
            return False
        _put_draft(connection, agent, _text(form), now)
    return True


def _put_draft(connection: sqlite3.Connection, agent: str, text: str, now: datetime) -> None:
    connection.execute(
        "INSERT INTO drafts (agent, form, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (agent) DO UPDATE SET form = excluded.form, updated_at = excluded.updated_at",
        (agent, text, now.isoformat(timespec="seconds")),
    )


def load_draft(store: Store, agent: str) -> Draft | None:
    return _draft(
        store.connection.execute(
            "SELECT form, updated_at FROM drafts WHERE agent = ?", (agent,)
        ).fetchone()
    )


def delete_draft(store: Store, agent: str) -> None:
    with store.write() as connection:
        connection.execute("DELETE FROM drafts WHERE agent = ?", (agent,))


class DialogKey(NamedTuple):
    """Whose draft of which dialog (``dialog_drafts``): the move or ``letter-<kind>`` on a
    case; on no case, a name that says what it is typed on (``improvement-12``)."""

    agent: str
    dialog: str
    case_id: int | None = None


def mail_aside(mail_id: int) -> str:
    """The dialog setting a message aside in the inbox: its draft is about the sender."""
    return f"mail-{mail_id}-aside"


_MATCH = "agent = ? AND dialog = ? AND ifnull(case_id, 0) = ifnull(?, 0)"


def save_dialog_draft(
    store: Store, key: DialogKey, fields: Mapping[str, str], now: datetime
) -> str:
    """What a dialog holds kept as the agent's draft of it; the text stored."""
    text = _text(fields)
    with store.write() as connection:
        _put_dialog_draft(connection, key, text, now)
    return text


def keep_last_dialog_draft(
    store: Store, key: DialogKey, fields: Mapping[str, str] | None, now: datetime, last: str | None
) -> bool:
    """At a session's end, a dialog's draft kept (None: deleted) — unless it is no longer
    ``last`` (see above): whether it was."""
    with store.write() as connection:
        row = connection.execute(f"SELECT fields FROM dialog_drafts WHERE {_MATCH}", key).fetchone()
        if (row[0] if row else None) != last:
            return False
        if fields is None:
            connection.execute(f"DELETE FROM dialog_drafts WHERE {_MATCH}", key)
        else:
            _put_dialog_draft(connection, key, _text(fields), now)
    return True


def _put_dialog_draft(
    connection: sqlite3.Connection, key: DialogKey, text: str, now: datetime
) -> None:
    connection.execute(
        "INSERT INTO dialog_drafts (agent, dialog, case_id, fields, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent, dialog, ifnull(case_id, 0)) DO UPDATE "
        "SET fields = excluded.fields, updated_at = excluded.updated_at",
        (*key, text, now.isoformat(timespec="seconds")),
    )


def load_dialog_draft(store: Store, key: DialogKey) -> Draft | None:
    return _draft(
        store.connection.execute(
            f"SELECT fields, updated_at FROM dialog_drafts WHERE {_MATCH}", key
        ).fetchone()
    )


def delete_dialog_draft(store: Store, key: DialogKey) -> None:
    with store.write() as connection:
        connection.execute(f"DELETE FROM dialog_drafts WHERE {_MATCH}", key)
