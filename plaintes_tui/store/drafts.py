"""Intake drafts: the form as last typed, one per agent, until it is saved or thrown away."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

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
