"""What every command receives, and the exit codes they share."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from plaintes_tui.domain.access import AccessRefused, Actor, Job, Role, job_refusal
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.identity import Way
from plaintes_tui.settings import Settings
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.permissions import store_problems

EXIT_OK = 0
EXIT_SOME_INPUT_BAD = 1
EXIT_USER_ERROR = 2


@dataclass(frozen=True)
class Context:
    """What every command needs: the settings, where the store is and who is working."""

    settings: Settings
    db_path: Path
    agent: str
    way: Way = Way.ACCOUNT  # how the agent was known (see identity.py)

    def actor(self) -> Actor:
        """Who the agent works as, from the agent directory; one sentence when they may not.
        The service account working as itself has the system role, which no setting grants."""
        if self.way is Way.SYSTEM:
            return Actor(self.agent, Role.SYSTEM)
        try:
            return self.settings.agents.actor(self.agent)
        except AccessRefused as refused:
            source = self.settings.source
            where = source.absolute() if source else tr("access.no_settings_file")
            raise UserError(tr(refused.key, **refused.values, settings=where)) from None

    def admit(self, job: Job, command: str | None) -> None:
        """The one door of the command line: a login the directory refuses runs nothing that
        reads the store, and each command is for the roles that ``job`` names."""
        if job in (Job.CALCULATE, Job.CREATE, Job.SERVE):
            return
        actor = self.actor()
        refusal = job_refusal(actor, job)
        if refusal is not None:
            raise UserError(
                tr(
                    "identity.command_refused",
                    login=self.agent,
                    role=tr(f"role.{actor.role.value}"),
                    command=command or "plaintes",
                    who=tr(refusal),
                )
            )

    def check_writable(self) -> None:
        """Refuse to start, saying what to fix, unless the store, its -wal and -shm files, its
        folder and the output folder belong to the account running the program alone."""
        problems = store_problems(
            self.db_path, self.settings.output, private=bool(self.settings.agents.service_account)
        )
        if problems:
            raise UserError("\n  ".join([tr("permissions.heading"), *problems]))

    def open_store(self, *, create: bool = False) -> Store:
        self.check_writable()
        return open_store(self.db_path, create=create)

    def calculator(self) -> DeadlineCalculator:
        return DeadlineCalculator(self.settings.deadlines)


def _number(value: int) -> str:
    """``1 000 000`` the Belgian way; a year stays ``9998``."""
    return f"{value:,}".replace(",", " ") if value > 9999 else str(value)


def int_between(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, or one sentence."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                tr("cli.bad_number", text=text, low=_number(low), high=_number(high))
            )
        return value

    return parse


def parse_date_option(text: str) -> date:
    """For ``--today`` and the like: an ISO date, or a sentence saying what was expected."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(tr("cli.bad_date_option", text=text)) from None
