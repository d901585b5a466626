"""Who is working: the kernel's word, never a variable.

The program acts only on a store that belongs to the account it runs as (see
``store/permissions.py``), so a claim of identity can only ever matter to that account. Which
account it is decides everything:

- **An ordinary account on its own store** (one person, a demo or training store): the agent is
  that account's name, read from the real uid. ``--agent`` names someone else only where the
  settings allow it (``agents.agent_option``, training and demo stores).
- **The service account** (``agents.service_account``), which owns the service's store. It trusts
  exactly three ways of naming the agent, each set up by root or by itself:

  1. started by ``sudo`` from an agent's account: the agent is the account sudo names
     (``SUDO_UID``). The settings are then the system file's alone, and the options an agent
     could use to choose a store, settings or a name (``--config``, ``--db``, ``--agent``,
     ``--login``) are refused;
  2. started by SSH with a forced command naming the agent's key (``--login jdupont`` in the
     service account's ``authorized_keys``);
  3. started by ``plaintes serve`` for a browser tab: the login signed with a key only the service
     account can read.

  Started any other way (cron, systemd), the service account works as itself, with the system
  role: the scheduled jobs, nothing else.

``LOGNAME``, ``USER`` and the like are never read.
"""

from __future__ import annotations

import contextlib
import os
import pwd
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr

# What an app started for a browser receives from `plaintes serve`.
WEB_AGENT_ENV = "PLAINTES_WEB_AGENT"
WEB_SIGNATURE_ENV = "PLAINTES_WEB_SIGNATURE"
# What sshd sets when a forced command runs: the command the client asked for.
SSH_COMMAND_ENV = "SSH_ORIGINAL_COMMAND"
# The options through which a caller could choose a store, settings or a name.
CALLER_OPTIONS = ("--config", "--db", "--agent", "--login")


class Way(StrEnum):
    """How the program learnt who the agent is."""

    ACCOUNT = "account"  # the account running it, on its own store
    OPTION = "option"  # --agent, on a training store that allows it
    SUDO = "sudo"  # the service account, started by sudo for an agent
    SSH = "ssh"  # the service account, started by an agent's SSH key
    WEB = "web"  # the service account, started by `plaintes serve` for a browser tab
    SYSTEM = "system"  # the service account itself: scheduled jobs


@dataclass(frozen=True)
class Identity:
    """Who runs the program, and how the system vouches for it (see the module)."""

    login: str
    way: Way


def account_name(uid: int) -> str:
    """The name the system gives ``uid``; one sentence when it has none."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        raise UserError(tr("identity.no_account", uid=uid)) from None


def running_account() -> str:
    return account_name(os.getuid())


def sudo_caller(environ: Mapping[str, str], uid: int) -> int | None:
    """The uid of the account that started this process through sudo as another account; None
    when sudo did not (what these variables say is trusted only by the service account)."""
    text = environ.get("SUDO_UID", "")
    if not text.isdigit() or int(text) == uid:
        return None
    return int(text)


def caller_options_given(argv: list[str]) -> list[str]:
    """Which of the options a caller must not choose appear in ``argv`` (before the command,
    in either form ``--db X`` or ``--db=X``)."""
    given = []
    for word in argv:
        name = word.split("=", 1)[0]
        if name in CALLER_OPTIONS and name not in given:
            given.append(name)
    return given


def trusted_settings_file(path: Path, account: str) -> bool:
    """Whether the settings file at ``path`` is the service's: owned by root or by the service
    account, and writable by nobody else."""
    try:
        status = path.stat()
    except OSError:
        return False
    owners = {0}
    with contextlib.suppress(KeyError):
        owners.add(pwd.getpwnam(account).pw_uid)
    return status.st_uid in owners and not status.st_mode & 0o022


@dataclass(frozen=True)
class Claims:
    """What the process was given that may name an agent, each trusted or not by :func:`who`."""

    agent_option: str | None = None  # --agent
    login_option: str | None = None  # --login (the forced command's)
    sudo_uid: int | None = None
    web_login: str | None = None
    web_signed: bool = False  # whether the web login's signature matches the service's key


def who(
    claims: Claims,
    *,
    account: str,
    service_account: str,
    agent_option_allowed: bool,
    settings_where: str,
) -> Identity:
    """Who works, given the account the program runs as and what it was given; one sentence
    when a claim is not to be trusted."""
    if service_account and account == service_account:
        if claims.sudo_uid is not None:
            if claims.sudo_uid == 0:  # root running a job as the service account
                return Identity(account, Way.SYSTEM)
            return Identity(account_name(claims.sudo_uid), Way.SUDO)
        if claims.login_option:
            return Identity(claims.login_option, Way.SSH)
        if claims.web_login is not None:
            if not claims.web_signed:
                raise UserError(tr("serve.unsigned", env=WEB_AGENT_ENV))
            return Identity(claims.web_login, Way.WEB)
        if claims.agent_option and claims.agent_option != account:
            raise UserError(tr("identity.agent_option_service", account=account))
        return Identity(account, Way.SYSTEM)
    if claims.login_option:
        raise UserError(tr("identity.login_option", account=service_account or "—"))
    if claims.web_login is not None:
        raise UserError(tr("serve.unsigned", env=WEB_AGENT_ENV))
    if claims.agent_option and claims.agent_option != account:
        if not agent_option_allowed:
            raise UserError(tr("access.agent_option_off", settings=settings_where))
        return Identity(claims.agent_option, Way.OPTION)
    return Identity(account, Way.ACCOUNT)
