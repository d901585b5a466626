"""Who is working, and what their role lets them do: checked on every write of a case.

The agent is the operating-system user running the program; the agent directory gives each
login a role and an active flag. The screens offer only what the role allows, and the store's
one door asks :func:`move_refusal` again before it writes — a direct call is refused the same.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from plaintes_tui.domain.workflow import Move


class Role(StrEnum):
    AGENT = "agent"
    MAILROOM = "mailroom"  # logs letters; is given no case to handle
    SUPERVISOR = "supervisor"  # assigns, pauses a late clock
    COORDINATOR = "coordinator"  # a supervisor who also runs reports and personal-data requests


ROLES = tuple(role.value for role in Role)
SUPERVISING = frozenset({Role.SUPERVISOR, Role.COORDINATOR})
# What the settings may grant a login that is not in the directory.
UNLISTED = ("refuse", "read_only", *ROLES)


@dataclass(frozen=True)
class Actor:
    """Whoever changes a case: their login, their role, and whom they may give cases to."""

    login: str
    role: Role = Role.AGENT
    read_only: bool = False
    # The logins that may be given cases; None where the service keeps no directory.
    assignable: frozenset[str] | None = None

    @property
    def supervising(self) -> bool:
        return self.role in SUPERVISING and not self.read_only


class AccessRefused(Exception):
    """This login may not work here; ``key`` and ``values`` say why, in the catalogue."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key, self.values = key, values


@dataclass(frozen=True)
class Entry:
    """What the directory says of a login."""

    role: Role
    active: bool = True


def identify(
    login: str,
    directory: Mapping[str, Entry],
    *,
    unlisted: str = "refuse",
    supervisors: frozenset[str] = frozenset(),
) -> Actor:
    """The actor ``login`` works as, or :class:`AccessRefused`.

    An inactive entry is always refused. A login missing from the directory is a supervisor
    when listed in ``supervisors``; else refused, or let in read-only or with a role, as the
    settings' ``unlisted`` says (demo and training stores). Cases go to the directory's active
    agents (not the mailroom); to anyone where there is no directory.
    """
    entry = directory.get(login)
    if entry is None and login in supervisors:
        entry = Entry(Role.SUPERVISOR)
    assignable = (
        frozenset(name for name, e in directory.items() if e.active and e.role is not Role.MAILROOM)
        or None
    )
    if entry is not None:
        if not entry.active:
            raise AccessRefused("access.inactive", login=login)
        return Actor(login, entry.role, assignable=assignable)
    if unlisted == "refuse":
        raise AccessRefused("access.unknown", login=login)
    if unlisted == "read_only":
        return Actor(login, Role.AGENT, read_only=True, assignable=assignable)
    return Actor(login, Role(unlisted), assignable=assignable)


def move_refusal(actor: Actor, move: Move, params: Mapping[str, Any]) -> str | None:
    """None when ``actor``'s role allows ``move`` with ``params``; else the catalogue key of why
    not. (Whether the case allows it is the state machine's question.)"""
    if actor.read_only:
        return "access.read_only"
    if move in (Move.EXPORT, Move.ANONYMISE) and actor.role is not Role.COORDINATOR:
        return "access.coordinators_only"
    if move is Move.MERGE and not actor.supervising:
        return "access.supervisors_only_merge"
    if move is Move.ASSIGN:
        if not actor.supervising:
            return "workflow.assign_supervisors_only"
        chosen = params.get("agent")
        if chosen is not None and actor.assignable is not None and chosen not in actor.assignable:
            return "assign.unknown_agent"
    return None


def web_signature(key: str, login: str) -> str:
    """What ``plaintes serve`` gives the app it starts for ``login``, with the proxy's key: an
    app trusts a login from the browser only with its signature (nobody else has the key)."""
    return hmac.new(key.encode(), login.encode(), hashlib.sha256).hexdigest()


def signed_by(key: str, login: str, signature: str) -> bool:
    return bool(key) and hmac.compare_digest(web_signature(key, login), signature)
