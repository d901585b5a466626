"""The Textual application: the deadline queue, and the screens pushed on top of it."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from plaintes_tui.domain.access import Role
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import tr
from plaintes_tui.store.drafts import load_draft
from plaintes_tui.tui.desk import Desk
from plaintes_tui.tui.presence import BEAT_SECONDS, State, state_of
from plaintes_tui.tui.screens.queue import QueueScreen
from plaintes_tui.tui.workers import background

if TYPE_CHECKING:
    from plaintes_tui.store.mailbox import StoredMail
    from plaintes_tui.store.presence import Presence
    from plaintes_tui.tui.commands import QueueCommands
    from plaintes_tui.tui.screens.intake import IntakeScreen


# The collector's thresholds while the app runs: a full collection walks every widget, style
# and cached line of the screens (50 to 90 ms, a key typed meanwhile waits for it); Python's
# default of one every ten middle ones made about one every hundred keys. One in a hundred
# middle collections: the young objects are collected as often as before.
COLLECTOR_THRESHOLDS = (700, 10, 100)


def queue_commands() -> type[QueueCommands]:
    """The palette's commands, loaded when it first opens."""
    from plaintes_tui.tui.commands import QueueCommands

    return QueueCommands


def terminal_present() -> bool:
    """Whether this process still has its controlling terminal."""
    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    except OSError:
        return False
    return True


class PlaintesApp(Desk):
    CSS_PATH = "app.tcss"
    TITLE = "Plaintes"
    COMMANDS = App.COMMANDS | {queue_commands}
    BINDINGS = [
        Binding("f2", "new_case", "queue_keys.new", id="app.new_case"),
        Binding("ctrl+q", "quit", "app.quit", id="quit", priority=True),
    ]

    _terminal = False  # whether it runs in a terminal to watch (see on_mount)

    def on_mount(self) -> None:
        gc.set_threshold(*COLLECTOR_THRESHOLDS)
        self.title = tr("app.title")
        if self.actor.read_only:
            self.sub_title = f"{self.sub_title} — {tr('access.read_only_banner')}"
        elif self.settings.agents.unlisted != "refuse" and not self.settings.agents.lists(
            self.agent
        ):
            role = tr(f"role.{self.actor.role.value}")
            self.notify(tr("access.open_to_all", role=role), timeout=12)
        if self.actor.role is Role.COORDINATOR:
            from plaintes_tui.store.verify import last_failure  # the verifier: for them alone

            failure = last_failure(self.store)
            if failure is not None:  # the store was changed behind the program's back
                count, at = failure
                self.notify(tr("verify.warning", count=count, at=at), severity="error", timeout=30)
            if self.settings.replication.replica:
                from plaintes_tui.replication import stopped

                warning = stopped(self.settings, self.store.path, self.settings.now())
                if warning is not None:  # the standby no longer receives the changes
                    self.notify(warning, severity="error", timeout=30)
        self.push_screen(QueueScreen())
        self.call_after_refresh(  # once the queue is drawn, while the agent reads it
            self.run_worker, warm_up, thread=True, exit_on_error=False, group="warm-up"
        )
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
        from plaintes_tui.tui.dialogs.drafted import DraftedDialog

        for form in self._typed_forms():  # what was typed in the last instant too
            form.keep_draft_now()
        for screen in self.screen_stack:  # a case's dialog's too
            if isinstance(screen, DraftedDialog):
                screen.keep_draft_now()
        self.exit()

    def action_new_case(self) -> None:
        """F2 from anywhere: a new complaint (the form already open stays as it is)."""
        from plaintes_tui.tui.screens.intake import IntakeScreen  # each screen loads when used

        if self.refused(Move.LOG):
            return
        if not any(isinstance(screen, IntakeScreen) for screen in self.screen_stack):
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
        from plaintes_tui.store.cases import CaseNotFoundError, read_case  # with the case file
        from plaintes_tui.tui.screens.case import CaseScreen

        try:
            case = read_case(self.store, reference)
        except CaseNotFoundError:
            self.notify(tr("queue_screen.unknown_reference", reference=reference), severity="error")
            return
        self.push_screen(CaseScreen(case.id))


def warm_up() -> None:
    """What the intake form and its checks use, loaded while the agent reads the queue: the
    first phone number, e-mail or date typed is checked at once, not after a library loads
    (50 to 140 ms each, the first time). Then the collector, rested by the command while
    the app started (see launch.py), goes back to work on what the agent's work makes: what
    start-up made is set aside, never walked again."""
    try:
        import dateutil.parser  # noqa: F401
        import email_validator  # noqa: F401
        import phonenumbers  # noqa: F401
        import stdnum.be.nn  # noqa: F401

        # the queue's search, the palette, the form
        import plaintes_tui.store.access_log
        import plaintes_tui.store.search
        import plaintes_tui.tui.commands
        import plaintes_tui.tui.screens.intake  # noqa: F401
    finally:
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
