"""What every command receives, and the exit codes they share."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from plaintes_tui.domain.access import OPEN_JOBS, AccessRefused, Actor, Job, Role, job_refusal
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.identity import Way
from plaintes_tui.settings import Settings
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.permissions import store_problems
from plaintes_tui.store.writer_turn import SUFFIX as TURN_SUFFIX

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
        if job in OPEN_JOBS:  # refused logins are refused where a store is read
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

    def output_path(self, text: str) -> Path:
        """A file a command is asked to write, refused in one sentence before anything is
        touched when it is the store or one of its files, a file in the letters' or the
        backups' folder (the program's own), a folder, or in a folder that does not exist."""
        path = Path(text)
        resolved = path.resolve()
        store = self.db_path.resolve()
        ends = ("-wal", "-shm", "-journal", TURN_SUFFIX)
        own = {store, *(store.with_name(store.name + end) for end in ends)}
        if resolved in own:
            raise UserError(tr("cli.output_is_store", path=path, store=self.db_path))
        for folder in (self.settings.output, self.settings.backups):
            if resolved.is_relative_to(folder.resolve()):
                raise UserError(tr("cli.output_in_kept", path=path, folder=folder))
        if path.is_dir():
            raise UserError(tr("cli.output_is_folder", path=path))
        if not path.parent.is_dir():
            raise UserError(tr("cli.output_no_folder", path=path, folder=path.parent))
        return path

    def open_store(self, *, create: bool = False) -> Store:
        self.check_writable()
        store = open_store(self.db_path, create=create)
        if store.recovered:
            print(tr("store.recovered", path=self.db_path), file=sys.stderr)
        return store

    def calculator(self) -> DeadlineCalculator:
        return DeadlineCalculator(self.settings.deadlines)


def write_whole(path: Path, write: Callable[[Path], object]) -> Path:
    """Have ``write`` fill a file of a unique name beside ``path``, then put it in place at
    once: ``path`` is never left half-written, and two runs at once never share a file. A
    device or a pipe (``/dev/stdout``) is written as it is, never replaced."""
    if path.exists() and not path.is_file():
        try:
            write(path)
        except OSError as error:
            raise UserError(tr("cli.output_failed", path=path, error=error.strerror)) from None
        return path
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise UserError(tr("cli.output_failed", path=path, error=error.strerror)) from None
        raise
    return path


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


# The years a date given on the command line may fall in: the calendar's ends leave no room
# for a period, a retention cut-off or a due date around them.
FIRST_YEAR, LAST_YEAR = 1000, 9998


def parse_date_option(text: str) -> date:
    """For ``--today`` and the like: an ISO date of a year the program can count around, or a
    sentence saying what was expected."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UserError(tr("cli.bad_date_option", text=text)) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise UserError(tr("cli.date_out_of_range", text=text, first=FIRST_YEAR, last=LAST_YEAR))
    return day
