"""The Textual application: the deadline queue, and the screens pushed on top of it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen

from plaintes_tui.domain.access import Actor, Role, move_refusal
from plaintes_tui.domain.admissibility import (
    Checklist,
    ReferenceData,
    load_checklist,
    load_reference,
)
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.workflow import CaseFacts, Move, refusal
from plaintes_tui.i18n import tr
from plaintes_tui.printable import one_line, printable
from plaintes_tui.settings import Settings
from plaintes_tui.store.cases import CaseNotFoundError, get_case
from plaintes_tui.store.database import Store
from plaintes_tui.store.drafts import load_draft
from plaintes_tui.store.mailbox import StoredMail
from plaintes_tui.store.presence import Presence
from plaintes_tui.store.verify import last_failure
from plaintes_tui.tui.commands import QueueCommands
from plaintes_tui.tui.presence import BEAT_SECONDS, Beat, State, state_of
from plaintes_tui.tui.screens.queue import QueueScreen
from plaintes_tui.tui.workers import background, log_beside

# Keys closer together than this came in one go (a paste, a word typed by tmux or by a fast
# typist into a screen that has no field): people press keys at least 30 ms apart.
TYPING_BURST_SECONDS = 0.02


if TYPE_CHECKING:
    from plaintes_tui.tui.screens.intake import IntakeScreen


def terminal_present() -> bool:
    """Whether this process still has its controlling terminal."""
    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    except OSError:
        return False
    return True


class PlaintesApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Plaintes"
    COMMANDS = App.COMMANDS | {QueueCommands}
    BINDINGS = [
        Binding("f2", "new_case", "queue_keys.new", id="app.new_case"),
        Binding("ctrl+q", "quit", "app.quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        agent: Actor | str,
        store: Store,
        today: date | None = None,
        checklist: Checklist | None = None,
        reference: ReferenceData | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.checklist = checklist or load_checklist(settings.overrides)
        self.reference = reference or load_reference(settings.overrides)
        # A login alone (tests, tools) works with the role the settings give it, as an agent
        # when the directory does not list it; the command line always identifies the agent.
        self.actor = agent if isinstance(agent, Actor) else settings.agents.trusted(agent)
        self.agent = self.actor.login
        self.store = store
        self.calculator = DeadlineCalculator(settings.deadlines)
        self._today = today
        self._terminal = False  # whether it runs in a terminal to watch (see on_mount)
        self.sub_title = one_line(self.agent)
        # Which case this app has open, told to the store; who else has which case open.
        self.presence = Beat(store, self.agent, writes=not self.actor.read_only)
        self.others: dict[int, list[Presence]] = {}
        self.log_path = log_beside(store.path)
        # What the intake form starts with next time (channel, language, a letter's date):
        # a tray of letters keeps them until the clerk changes them.
        self.intake_kept: dict[str, str] = {}
        # Keys that arrive together (see on_event): typing, not a command.
        self._last_key_at = 0.0
        self.typing_burst = False
        self.typing_ignored = 0  # how many times a burst was ignored (for late dialogs)
        self._told_at = 0.0

    async def on_event(self, event: events.Event) -> None:
        """Keys closer together than a person types them (a word typed in one go into a
        screen that acts on single keys, a paste) are typing: a dialog that the first of them
        opened closes again, and the screen ignores the rest (see ``ignore_typing``)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            previous, self._last_key_at = self._last_key_at, event.time
            together = event.time - previous < TYPING_BURST_SECONDS
            self.typing_burst = together and event.is_printable
            opened_by = getattr(self.screen, "opened_by_key_at", None)
            if self.typing_burst and opened_by == previous:  # the key right after its own
                self.screen.dismiss(None)
                self.ignore_typing()
                return
        await super().on_event(event)

    @property
    def last_key_at(self) -> float:
        """When the key being handled arrived (its event's time)."""
        return self._last_key_at

    def ignore_typing(self) -> bool:
        """True when the key being handled is part of a typing burst: the caller does
        nothing, and the agent is told once per burst."""
        if not self.typing_burst:
            return False
        if self.typing_ignored == 0 or self._last_key_at - self._told_at > 1:
            self.notify(tr("case_actions.typing_ignored"), severity="warning", timeout=8)
            self._told_at = self._last_key_at
        self.typing_ignored += 1
        return True

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, never read as markup nor terminal control: messages hold agents'
        and citizens' text."""
        super().notify(
            printable(message), title=title, severity=severity, timeout=timeout, markup=False
        )

    def why_not(self, facts: CaseFacts, move: Move) -> str | None:
        """Why the agent may not make ``move`` on a case with these facts (a catalogue key):
        their role first, then the state machine; None when it is offered."""
        return move_refusal(self.actor, move, {}) or refusal(
            facts, move, supervisor=self.actor.supervising
        )

    def person_name(self, login: str) -> str:
        """How an agent is named on screen: their full name when the directory has it."""
        person = self.settings.agents.directory.get(login)
        return person.name if person is not None else login

    @property
    def offers_admissibility(self) -> bool:
        """Whether saving a complaint offers its admissibility check at once: as the agent
        directory says; without an entry, not for the mailroom (who log letters)."""
        person = self.settings.agents.directory.get(self.agent)
        if person is not None and person.offer_admissibility is not None:
            return person.offer_admissibility
        return self.settings.intake.channel_for(self.agent) != "letter"

    @property
    def start_with_own_cases(self) -> bool:
        return self.settings.agents.start_view == "mine"

    def today(self) -> date:
        """The service's date: frozen in tests and screenshots, the local date otherwise."""
        return self._today or self.settings.today()

    def now(self) -> datetime:
        """The service's date and time; with a frozen date, that date at the current time (a
        test run across midnight stays on its day)."""
        now = self.settings.now()
        return now if self._today is None else datetime.combine(self._today, now.timetz())

    def on_mount(self) -> None:
        self.title = tr("app.title")
        if self.actor.read_only:
            self.sub_title = f"{self.sub_title} — {tr('access.read_only_banner')}"
        elif self.settings.agents.unlisted != "refuse" and not self.settings.agents.lists(
            self.agent
        ):
            role = tr(f"role.{self.actor.role.value}")
            self.notify(tr("access.open_to_all", role=role), timeout=12)
        if self.actor.role is Role.COORDINATOR:
            failure = last_failure(self.store)
            if failure is not None:  # the store was changed behind the program's back
                count, at = failure
                self.notify(tr("verify.warning", count=count, at=at), severity="error", timeout=30)
        self.push_screen(QueueScreen())
        # A terminal that goes away (an SSH connection dropped, a tmux pane killed) is noticed
        # at the next beat: the app keeps what was typed and ends, instead of spinning on.
        self._terminal = not self.is_headless and terminal_present()
        self.set_interval(BEAT_SECONDS, self.beat)
        draft = load_draft(self.store, self.agent)
        if draft is not None:  # the last session ended with a form not saved: offer it back
            from plaintes_tui.tui.screens.intake import IntakeScreen

            self.push_screen(IntakeScreen(draft))

    def beat(self) -> None:
        """Tell the store which case is open here, and show who else has one open; end,
        keeping what was typed, when the terminal is gone."""
        if self._terminal and not terminal_present():
            self._keep_drafts_and_exit()
            return
        self._beat(state_of(self.screen_stack))

    @background(group="presence", on_error="_presence_failed")
    def _beat(self, state: State) -> None:
        others = self.presence.tell(state)
        self.call_from_thread(self._show_presence, others)

    def _presence_failed(self, message: str, *_: object) -> None:
        """Presence is a courtesy: a busy or read-only store only leaves it out (logged)."""

    def _show_presence(self, others: dict[int, list[Presence]]) -> None:
        if others != self.others:
            self.others = others
            for screen in self.screen_stack:
                show = getattr(screen, "show_presence", None)
                if show is not None:
                    show(others)

    def on_unmount(self) -> None:
        with contextlib.suppress(Exception):  # a store closed or unwritable: the row goes stale
            self.presence.end()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands worth having in the palette, in the agent's language: the keys
        panel, the theme and quitting (not maximize, minimize nor the SVG screenshot)."""
        if screen.query("HelpPanel"):
            yield SystemCommand(
                tr("palette.keys"), tr("palette.keys_hide"), self.action_hide_help_panel
            )
        else:
            yield SystemCommand(
                tr("palette.keys"), tr("palette.keys_show"), self.action_show_help_panel
            )
        yield SystemCommand(tr("palette.theme"), tr("palette.theme_help"), self.action_change_theme)
        yield SystemCommand(tr("app.quit"), tr("palette.quit_help"), self.action_quit)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=tr("palette.placeholder"))
            )

    async def action_quit(self) -> None:
        """Quitting with a complaint half typed asks first (the draft is kept either way)."""
        from plaintes_tui.tui.dialogs.confirm import ConfirmDialog

        if not self._typed_forms() or isinstance(self.screen, ConfirmDialog):
            self._keep_drafts_and_exit()
            return
        self.push_screen(
            ConfirmDialog(tr("app.confirm_quit")),
            lambda sure: self._keep_drafts_and_exit() if sure else None,
        )

    def _typed_forms(self) -> list[IntakeScreen]:
        from plaintes_tui.tui.screens.intake import IntakeScreen

        return [s for s in self.screen_stack if isinstance(s, IntakeScreen) and not s.is_blank()]

    def _keep_drafts_and_exit(self) -> None:
        for form in self._typed_forms():  # what was typed in the last instant too
            form.keep_draft_now()
        self.exit()

    def action_new_case(self) -> None:
        """F2 from anywhere: a new complaint (the form already open stays as it is)."""
        from plaintes_tui.tui.screens.intake import IntakeScreen  # each screen loads when used

        if self.actor.read_only:
            self.notify(tr("access.read_only"), severity="warning")
        elif not any(isinstance(screen, IntakeScreen) for screen in self.screen_stack):
            self.push_screen(IntakeScreen())

    def new_case_from_mail(self, mail: StoredMail) -> None:
        """From the inbox: the intake form filled in from an e-mail (the one already open, if
        any, stays as it is: the agent finishes it first)."""
        from plaintes_tui.tui.screens.intake import IntakeScreen

        if any(isinstance(screen, IntakeScreen) for screen in self.screen_stack):
            self.notify(tr("inbox.intake_open"), severity="warning")
            return
        self.push_screen(IntakeScreen(mail=mail))

    def open_inbox(self) -> None:
        from plaintes_tui.tui.screens.inbox import InboxScreen

        self.push_screen(InboxScreen())

    def show_overdue_of(self, agent: str) -> None:
        """From the dashboard: back to the queue, showing that agent's overdue cases."""
        while not isinstance(self.screen, QueueScreen) and len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(self.screen, QueueScreen):
            self.screen.show_overdue_of(agent)

    def check_admissibility(self, case_id: int) -> None:
        from plaintes_tui.tui.screens.admissibility import AdmissibilityScreen

        self.push_screen(AdmissibilityScreen(case_id))

    def action_open_reference(self, reference: str) -> None:
        try:
            case = get_case(self.store, reference)
        except CaseNotFoundError:
            self.notify(tr("queue_screen.unknown_reference", reference=reference), severity="error")
            return
        from plaintes_tui.tui.screens.case import CaseScreen

        self.push_screen(CaseScreen(case["id"]))
