"""What the screens may ask of the application: the store, who works and with which role,
the settings, the service's dates, how agents are named, and the few ways to go to another
screen. The application (``tui/app.py``) is a desk; the screens, dialogs and widgets know the
desk and never the application, which imports them (a contract of ``lint-imports``).

Going to another screen is a call, not a message: a screen pushed at once takes the next key
typed, in order, however fast keys come (a message would be handled after keys already
queued, which would reach the screen being left).
"""

from __future__ import annotations

from collections import deque
from datetime import date, datetime
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.timer import Timer

from plaintes_tui.domain.access import Actor, move_refusal
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
from plaintes_tui.store.database import Store
from plaintes_tui.store.presence import Presence
from plaintes_tui.tui.pastes import pasted_line, pasted_text, whole_pastes
from plaintes_tui.tui.presence import Beat
from plaintes_tui.tui.typed_keys import as_typed, keep_escapes
from plaintes_tui.tui.workers import log_beside

if TYPE_CHECKING:
    from plaintes_tui.store.mailbox import StoredMail

# Keys closer together than this came in one go (a paste, a word typed by tmux or by a fast
# typist into a screen that has no field): people press keys at least 30 ms apart.
TYPING_BURST_SECONDS = 0.02
# A key not done after this long lets the next one go (a handler that never returns).
KEY_AT_MOST = 1.0
HOLD_KEYS_AT_MOST = 5.0


class Desk(App[None]):
    """The services every screen shares, and the ways to another screen (see the module)."""

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
        keep_escapes()  # before the first key is read: escape and a key typed together
        whole_pastes()  # and a paste holding an escape
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
        self.sub_title = one_line(self.agent)
        # Which case this app has open, told to the store; who else has which case open
        # (both kept by the application's beat).
        self.presence = Beat(store, self.agent, writes=not self.actor.read_only)
        self.others: dict[int, list[Presence]] = {}
        self.log_path = log_beside(store.path)
        # What the intake form starts with next time (channel, language, a letter's date):
        # a tray of letters keeps them until the clerk changes them.
        self.intake_kept: dict[str, str] = {}
        # Keys that arrive together (see on_event): typing, not a command.
        self._last_key_at = 0.0
        self._last_key_printable = False
        self.typing_burst = False
        self.typing_ignored = 0  # how many keys of bursts were ignored (told once a burst)
        self._told_at = 0.0
        # Keys are applied one at a time, in the order typed (see on_event); those that
        # arrive while one is being applied, or while a save is under way, wait here.
        self._waiting_keys: deque[events.Key | events.Paste] = deque()
        self._key_in_flight = False
        self._key_timer: Timer | None = None
        self._holding = False
        self._hold_timer: Timer | None = None
        self._held_for: object | None = None  # the screen whose first read the keys wait for

    async def on_event(self, event: events.Event) -> None:
        """Keys are applied one at a time, in the order typed: Textual hands a key to the
        field that has the focus when it arrives, and resolves bindings (a list's ↓, tab) when
        the field is done with it — keys arriving together (SSH, a paste) would otherwise
        reach a field the focus has already left, or a binding act before the keys typed
        before it. Each key waits until the one before has been handled all the way up.

        Characters closer together than a person types them (a word typed in one go into a
        screen that acts on single keys, a paste) are typing: a dialog that the first of them opened
        closes again, and the screen ignores the rest (see ``ignore_typing``).

        A paste (bracketed: one event for its whole text) takes its turn among the keys, so
        that it lands in the field the keys typed before it lead to, as the store would keep
        it (``pastes.py``)."""
        if not isinstance(event, events.Key | events.Paste) or event.is_forwarded:
            await super().on_event(event)
            return
        if isinstance(event, events.Paste):  # what a field would keep of it, from the start
            event.text = pasted_text(event.text)
        for key in as_typed(event) if isinstance(event, events.Key) else (event,):
            if self._key_in_flight or self._holding or self._waiting_keys:
                self._waiting_keys.append(key)
            else:
                await self._apply_key(key)

    async def _apply_key(self, event: events.Key | events.Paste) -> None:
        self._key_in_flight = True
        self._key_timer = self.set_timer(KEY_AT_MOST, self._key_done)  # never stuck
        try:
            await self._handle_key(event)
        finally:
            self._after_key()

    def _after_key(self, passes: int = 2) -> None:
        """The key is done once every node it may climb through has handled what came
        before: its field, then each parent up to the app, where bindings act. A second pass
        lets what a binding posted climb the same way (the search field's enter posts
        ``Submitted``, whose handler holds the keys typed after it) before the next key."""
        focused = self.screen.focused if self.screen is not None else None
        hops: list[DOMNode] = [*(([focused, *focused.ancestors]) if focused else []), self]

        def hop(index: int) -> None:
            while index < len(hops) and not hops[index].is_attached:
                index += 1  # a node the key removed (a dialog it closed) holds nothing more
            if index < len(hops):
                hops[index].call_later(hop, index + 1)
            elif passes > 1:
                self._after_key(passes - 1)
            else:
                self._key_done()

        hop(0)

    def _key_done(self) -> None:
        if not self._key_in_flight:
            return
        self._key_in_flight = False
        if self._key_timer is not None:
            self._key_timer.stop()
            self._key_timer = None
        self._next_key()

    def _next_key(self) -> None:
        """The next waiting key, unless one is being applied or a save holds them."""
        if self._waiting_keys and not self._holding and not self._key_in_flight:
            self._key_in_flight = True  # taken, until it is applied and done
            self.call_next(self._apply_key, self._waiting_keys.popleft())

    async def _handle_key(self, event: events.Key | events.Paste) -> None:
        if isinstance(event, events.Paste):
            await super().on_event(event)
            return
        previous, self._last_key_at = self._last_key_at, event.time
        after_a_character, self._last_key_printable = self._last_key_printable, event.is_printable
        together = event.time - previous < TYPING_BURST_SECONDS
        # A word is characters together: one right after enter or escape is a key on its own
        # (enter n, typed in one go, opens a case and then its note).
        self.typing_burst = together and event.is_printable and after_a_character
        opened_by = getattr(self.screen, "opened_by_key_at", None)
        if self.typing_burst and opened_by == previous:  # the key right after its own
            # closed as never opened: a draft it gave back stays for the next time
            getattr(self.screen, "close_keeping_draft", self.screen.dismiss)()
            self.ignore_typing()
            return
        await super().on_event(event)

    def hold_keys(self) -> None:
        """Keys typed after a save key wait until the save is done and what follows it is on
        screen (a result, the next form, a question): ``ctrl+s n`` saves, then answers no —
        it never types an n into the field being saved. Bounded: released after
        ``HOLD_KEYS_AT_MOST`` seconds whatever happens."""
        if not self._holding:
            self._holding = True
            self._hold_timer = self.set_timer(HOLD_KEYS_AT_MOST, self.release_keys)

    def hold_keys_until_shown(self, screen: object) -> None:
        """Keys typed with the one that opened ``screen`` (``enter n``, ``e end enter`` in one
        go) wait until it shows what it reads off the UI thread (``shown``), then act on it
        in order. Called when the screen is made, before the next key is applied."""
        self._held_for = screen
        self.hold_keys()

    def shown(self, screen: object) -> None:
        """``screen`` shows what it read (or why it could not): the keys held for it go."""
        if self._held_for is screen:
            self._held_for = None
            self.release_keys()

    def release_keys(self) -> None:
        """The held keys, applied in the order they were typed — after what is already
        queued (a field given the focus by the new form takes it before the next key)."""
        self._holding = False
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        self.call_later(self._next_key)

    @property
    def keys_pending(self) -> bool:
        """Whether keys typed are still waiting, held, or being applied."""
        return self._key_in_flight or self._holding or bool(self._waiting_keys)

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

    def on_paste(self, event: events.Paste) -> None:
        """A paste no field took (Textual's text area takes one and lets it climb): searched
        on a screen that searches (the queue's list, as the palette offers); elsewhere, the
        agent told that nothing was pasted."""
        from textual.widgets import TextArea

        text, _ = pasted_line(event.text)
        if not text or (isinstance(self.focused, TextArea) and not self.focused.read_only):
            return
        search_for = getattr(self.screen, "search_for", None)
        if search_for is not None:
            search_for(text)
        else:
            self.notify(tr("form.paste_ignored"), severity="warning")

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

    def refused(self, move: Move) -> bool:
        """True, and the agent told why, when their role does not allow ``move`` (a read-only
        login: no change at all): what the store's door would refuse, said before a dialog
        opens."""
        why = move_refusal(self.actor, move, {})
        if why is not None:
            self.notify(tr(why), severity="warning")
        return why is not None

    def why_not(self, facts: CaseFacts, move: Move) -> str | None:
        """Why the agent may not make ``move`` on a case with these facts (a catalogue key):
        their role first, then the state machine; None when it is offered."""
        return move_refusal(self.actor, move, {}) or refusal(
            facts, move, supervisor=self.actor.supervising
        )

    def person_name(self, login: str) -> str:
        """How an agent is named on screen: their full name when the directory has it."""
        return self.settings.agents.name_of(login)

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

    # -- the ways to another screen (the application's) --------------------------------------

    def new_case_from_mail(self, mail: StoredMail) -> None:
        """The intake form filled in from an e-mail of the inbox."""
        raise NotImplementedError

    def open_inbox(self) -> None:
        raise NotImplementedError

    def show_overdue_of(self, agent: str) -> None:
        """Back to the queue, showing that agent's overdue cases."""
        raise NotImplementedError

    def check_admissibility(self, case_id: int) -> None:
        raise NotImplementedError
