"""Who is working, and what their role lets them do: checked on every write of a case.

The agent is the operating-system user running the program; the agent directory gives each
login a role and an active flag. The screens offer only what the role allows, and the store's
one door asks :func:`move_refusal` again before it writes — a direct call is refused the same.
"""

from __future__ import annotations

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
    # The service account running the scheduled jobs: never granted by the settings.
    SYSTEM = "system"


# The roles the agent directory (and ``unlisted``) may grant.
ROLES = tuple(role.value for role in Role if role is not Role.SYSTEM)
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


class Job(StrEnum):
    """What a command does, as the door between the command line and the store sees it."""

    CALCULATE = "calculate"  # deadlines: no store, no person
    CREATE = "create"  # init: a new, empty store
    SERVE = "serve"  # serve: each tab's app opens its own door
    APP = "app"  # the terminal application (read-only logins read)
    READ = "read"  # queue, export, report: lists and figures
    WORK = "work"  # letters: a case's course
    MAIL = "mail"  # mail import: the mailbox into the inbox
    TRAIN = "train"  # demo cases, on a training store only
    SUPERVISE = "supervise"  # recompute, digest: every case's clocks, everybody's lists
    ADMINISTER = "administer"  # backup, restore, retention, verify
    PERSONAL_DATA = "personal_data"  # a person's export


# Jobs that read no one's data: run without asking who works (each tab of `serve` asks).
OPEN_JOBS = frozenset({Job.CALCULATE, Job.CREATE, Job.SERVE})
# What the service account's scheduled jobs may do, and which moves of a case they make.
SYSTEM_JOBS = frozenset({Job.READ, Job.MAIL, Job.TRAIN, Job.SUPERVISE, Job.ADMINISTER})
SYSTEM_MOVES = frozenset({Move.ANONYMISE, Move.RECOMPUTE, Move.MAIL_RECEIVED, Move.SENT})
SYSTEM_MOVES |= {Move.SEND_FAILED}


def job_refusal(actor: Actor, job: Job) -> str | None:
    """None when ``actor`` may run a command doing ``job``; else the catalogue key of who may.
    (A login the directory refuses never reaches here: it reads nothing.)"""
    if job in OPEN_JOBS:
        return None
    if actor.role is Role.SYSTEM:
        return None if job in SYSTEM_JOBS else "access.job_not_system"
    if job in (Job.APP, Job.READ):
        return None
    if actor.read_only:
        return "access.read_only"
    if job in (Job.WORK, Job.MAIL, Job.TRAIN):
        return None
    if job is Job.SUPERVISE:
        return None if actor.supervising else "access.job_supervisors"
    return None if actor.role is Role.COORDINATOR else "access.job_coordinators"


def move_refusal(actor: Actor, move: Move, params: Mapping[str, Any]) -> str | None:
    """None when ``actor``'s role allows ``move`` with ``params``; else the catalogue key of why
    not. (Whether the case allows it is the state machine's question.)"""
    if actor.read_only:
        return "access.read_only"
    if actor.role is Role.SYSTEM:
        return None if move in SYSTEM_MOVES else "access.system_move"
    if move in (Move.EXPORT, Move.ANONYMISE, Move.UNMERGE) and actor.role is not Role.COORDINATOR:
        return "access.coordinators_only"
    if move is Move.RECOMPUTE and not actor.supervising:
        return "access.job_supervisors"
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
    app trusts a login from the browser only with its signature (nobody else has the key).
    (OpenSSL's digests load here, for a browser's login alone: not at every start.)"""
    import hashlib
    import hmac

    return hmac.new(key.encode(), login.encode(), hashlib.sha256).hexdigest()


def signed_by(key: str, login: str, signature: str) -> bool:
    import hmac

    given = signature.encode("utf-8", "surrogateescape")
    return bool(key) and hmac.compare_digest(web_signature(key, login).encode(), given)
