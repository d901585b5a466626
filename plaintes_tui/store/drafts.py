"""Drafts: the intake form as last typed, one per agent, and what a dialog holds, one per
agent, dialog and case; each until it is saved or thrown away."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from plaintes_tui.store.database import Store


@dataclass(frozen=True)
class Draft:
    """A form an agent left unsaved, offered back at the next start."""

    form: dict[str, str]
    updated_at: str


def save_draft(store: Store, agent: str, form: Mapping[str, str], now: datetime) -> None:
    with store.write() as connection:
        connection.execute(
            "INSERT INTO drafts (agent, form, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (agent) DO UPDATE SET form = excluded.form, "
            "updated_at = excluded.updated_at",
            (agent, json.dumps(dict(form), ensure_ascii=False), now.isoformat(timespec="seconds")),
        )


def load_draft(store: Store, agent: str) -> Draft | None:
    row = store.connection.execute(
        "SELECT form, updated_at FROM drafts WHERE agent = ?", (agent,)
    ).fetchone()
    if row is None:
        return None
    form = json.loads(row[0])
    return Draft(form={str(k): str(v) for k, v in form.items()}, updated_at=row[1])


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
) -> None:
    with store.write() as connection:
        connection.execute(
            "INSERT INTO dialog_drafts (agent, dialog, case_id, fields, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent, dialog, ifnull(case_id, 0)) DO UPDATE "
            "SET fields = excluded.fields, updated_at = excluded.updated_at",
            (*key, json.dumps(dict(fields), ensure_ascii=False), now.isoformat(timespec="seconds")),
        )


def load_dialog_draft(store: Store, key: DialogKey) -> Draft | None:
    row = store.connection.execute(
        f"SELECT fields, updated_at FROM dialog_drafts WHERE {_MATCH}", key
    ).fetchone()
    if row is None:
        return None
    return Draft(form={str(k): str(v) for k, v in json.loads(row[0]).items()}, updated_at=row[1])


def delete_dialog_draft(store: Store, key: DialogKey) -> None:
    with store.write() as connection:
        connection.execute(f"DELETE FROM dialog_drafts WHERE {_MATCH}", key)
