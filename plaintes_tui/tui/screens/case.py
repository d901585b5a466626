"""The case file: clocks, complainant (and their other cases), complaint, admissibility,
the journal as a timeline, and every action on a key — notes, acknowledgement, pause, reply,
closing, reopening, the Ombudsman, letters. Which moves make sense comes from the domain's
state machine; a refused one says why.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from plaintes_tui.domain.case_record import Case, JournalEntry
from plaintes_tui.domain.cases import Status
from plaintes_tui.domain.improvements import Improvement
from plaintes_tui.domain.ombudsman import OmbudsmanRequest
from plaintes_tui.domain.workflow import CaseFacts, Move
from plaintes_tui.forwarding import Forwarded, forward_file
from plaintes_tui.i18n import tr
from plaintes_tui.printable import shortened
from plaintes_tui.store.access_log import Access, record
from plaintes_tui.store.cases import journal_of, read_case
from plaintes_tui.store.improvements import (
    ImprovementFilter,
    create_improvement,
    improvements_of_case,
    link_case,
    list_improvements,
)
from plaintes_tui.store.mailbox import StoredMail, messages_of
from plaintes_tui.store.move_effects import open_pause_start
from plaintes_tui.store.ombudsman import requests_of
from plaintes_tui.store.outbox import letters_of
from plaintes_tui.store.presence import Presence
from plaintes_tui.store.queue import last_change
from plaintes_tui.store.workflow import perform
from plaintes_tui.store.workload import workload
from plaintes_tui.tui.dialogs.assign import AssignDialog, assignable_agents
from plaintes_tui.tui.dialogs.form import Field, FormDialog
from plaintes_tui.tui.screens.case_forms import (
    action_fields,
    chosen_service,
    move_name,
    prefilled,
    service_dialog,
)
from plaintes_tui.tui.screens.case_improvements import NEW, choice_dialog, improvements_panel
from plaintes_tui.tui.screens.case_letters import CaseLetters
from plaintes_tui.tui.screens.case_ombudsman import (
    STEPS,
    offered_steps,
    ombudsman_panel,
    step_dialog,
    step_fields,
    step_prefilled,
)
from plaintes_tui.tui.screens.case_panels import (
    OTHERS_SHOWN,
    actions_panel,
    clocks_panel,
    complainant_panel,
    complaint_panel,
    journal_panel,
    letters_panel,
    mail_panel,
)
from plaintes_tui.tui.screens.improvements import action_fields as improvement_fields
from plaintes_tui.tui.screens.improvements import chosen_fields
from plaintes_tui.tui.screens.improvements import form_values as improvement_values
from plaintes_tui.tui.text import user_text
from plaintes_tui.tui.widgets.footer import KeyBar
from plaintes_tui.tui.widgets.title_bar import TitleBar
from plaintes_tui.tui.workers import LIVE_POLL_SECONDS, at_once, background

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk


class CaseScreen(CaseLetters):
    app: Desk
    CSS_PATH = "case.tcss"  # parsed when a case first opens, not before the queue shows

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "case_detail.back", id="case.back"),
        Binding("q", "app.pop_screen", "case_detail.back", show=False),
        Binding("a", "admissibility", "queue_keys.admissibility", id="case.admissibility"),
        Binding("n", "move('note')", "case_actions.note", id="case.note"),
        Binding("l", "letter", "letters.key", id="case.letter"),
        Binding("e", "send", "send.key", show=False, id="case.send"),
        Binding("v", "scan", "case_detail.key_scan", show=False, id="case.scan"),
        Binding("r", "move('acknowledge')", "case_actions.acknowledge_key", id="case.ack"),
        Binding("R", "move('reply')", "case_actions.reply", show=False, id="case.reply"),
        Binding("c", "move('close')", "case_actions.close", show=False, id="case.close"),
        Binding("p", "move('pause')", "case_actions.pause", show=False, id="case.pause"),
        Binding("o", "move('reopen')", "case_actions.reopen", show=False, id="case.reopen"),
        Binding(
            "m", "move('ombudsman')", "case_actions.ombudsman", show=False, id="case.ombudsman"
        ),
        Binding("t", "move('assign')", "case_actions.assign", show=False, id="case.assign"),
        Binding("T", "move('forwarded')", "case_actions.forwarded", show=False, id="case.forward"),
        Binding(
            "s", "move('service_set')", "case_actions.service_set", show=False, id="case.service"
        ),
        Binding("A", "improvement", "case_actions.improvement", show=False, id="case.improvement"),
    ]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.case: Case | None = None  # as last read
        self.letters: list[dict[str, Any]] = []
        self.scans: list[StoredMail] = []
        self.requests: list[OmbudsmanRequest] = []  # the Ombudsman's, as last read
        self._reload_on_resume = False
        self._consulted = False
        self._last_change = -1  # the case's last journal row when it was last read
        self._polling = False
        # Keys typed after the one that opened the file (enter n, typed in one go) wait until
        # it is read, then act on it in order (see _show); the desk bounds the wait.
        self.app.hold_keys_until_shown(self)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="case-body"):
            yield Static(id="case-presence", classes="case-section")
            yield Static(id="case-clocks", classes="case-section")
            yield Static(id="case-actions", classes="case-section")
            yield Static(id="case-complainant", classes="case-section")
            yield Static(id="case-complaint", classes="case-section")
            yield Static(id="case-ombudsman", classes="case-section")
            yield Static(id="case-improvements", classes="case-section")
            yield Static(id="case-letters", classes="case-section")
            yield Static(id="case-mail", classes="case-section")
            yield Static(id="case-journal", classes="case-section")
        yield KeyBar()

    def action_admissibility(self) -> None:
        if self.typed_by_mistake():
            return
        self._reload_on_resume = True
        self.app.check_admissibility(self.case_id)

    def on_screen_resume(self) -> None:
        # Back from the checklist: show the decision. Back from an action's form, the case
        # stays as it was read, so that a change by another agent meanwhile is caught on save.
        if self._reload_on_resume:
            self._reload_on_resume = False
            self.refresh_case()

    def on_mount(self) -> None:
        self.show_presence(self.app.others)
        self.refresh_case()
        self.set_interval(LIVE_POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        """A colleague changed this case (its journal grew, e-mails and letters sent included):
        show it as it now stands. Only while the file is on top — an open form keeps the
        version it was opened on, so that a save over a colleague's is refused, never silently
        merged."""
        if self.is_current and not self._polling and self.case is not None:
            self._polling = True
            self._read_last_change()

    @background(group="case-poll", exclusive=False)
    def _read_last_change(self) -> None:
        try:
            version = last_change(self.app.store, self.case_id)
        finally:
            self.app.call_from_thread(setattr, self, "_polling", False)
        self.app.call_from_thread(self._changed_since, version)

    def _changed_since(self, version: int) -> None:
        if self.is_current and version != self._last_change:
            self.refresh_case()

    @property
    def presence_case(self) -> int:
        """The case this screen has open, for the colleagues' screens (see tui/presence.py)."""
        return self.case_id

    def show_presence(self, others: dict[int, list[Presence]]) -> None:
        """Who else has this case open, and whether they are typing in it."""
        here = others.get(self.case_id, [])
        panel = self.query_one("#case-presence", Static)
        panel.display = bool(here)
        lines = [
            tr(
                f"presence.{p.activity.value}",
                name=self.app.person_name(p.login),
            )
            for p in here
        ]
        panel.update(user_text("\n".join(lines)))

    def refresh_case(self) -> None:
        """Read the case again (off the UI thread) and show it as it now stands."""
        self._read_case()

    @background(group="case-read", shows=True)
    def _read_case(self) -> None:
        store = self.app.store
        self._last_change = last_change(store, self.case_id)  # first: a later change shows next
        if not self._consulted:  # who consulted whose file: once per opening
            self._consulted = True
            record(store, self.app.agent, Access.CASE, now=self.app.now(), case_id=self.case_id)
        case = read_case(store, self.case_id)
        journal = journal_of(store, self.case_id)
        letters = letters_of(store, self.case_id)
        mails = messages_of(store, self.case_id)
        waiting = open_pause_start(store, self.case_id)
        requests = requests_of(store.connection, self.case_id)
        improvements = improvements_of_case(store, self.case_id)
        person = (case.complainant.id, case.id)
        latest = store.connection.execute(
            "SELECT reference, received, status, subject FROM cases "
            f"WHERE complainant_id = ? AND id != ? ORDER BY received DESC LIMIT {OTHERS_SHOWN}",
            person,
        ).fetchall()
        (total,) = store.connection.execute(
            "SELECT count(*) FROM cases WHERE complainant_id = ? AND id != ?", person
        ).fetchone()
        others = (latest, int(total))
        self.app.call_from_thread(
            self._show, case, journal, others, letters, (mails, waiting), requests, improvements
        )

    def _show(
        self,
        case: Case,
        journal: list[JournalEntry],
        others: tuple[list[tuple[Any, ...]], int],
        letters: list[dict[str, Any]],
        mail: tuple[list[StoredMail], date | None],
        requests: list[OmbudsmanRequest],
        improvements: list[Improvement],
    ) -> None:
        self.title = tr("case_detail.title", reference=case.reference)
        self.query_one("#case-clocks", Static).update(clocks_panel(self.app, case))
        self.query_one("#case-complainant", Static).update(
            complainant_panel(case, others, self.person_keys_hint())
        )
        self.query_one("#case-complaint", Static).update(complaint_panel(case))
        self.query_one("#case-journal", Static).update(journal_panel(self.app, journal))
        shown = self.query_one("#case-letters", Static)
        shown.display = bool(letters)
        shown.update(letters_panel(letters))
        shown = self.query_one("#case-mail", Static)
        shown.display = bool(mail[0])
        shown.update(mail_panel(case, *mail))
        shown = self.query_one("#case-ombudsman", Static)
        shown.display = case.ombudsman_referred is not None
        shown.update(ombudsman_panel(case, requests, self.app.calculator, self.app.today()))
        shown = self.query_one("#case-improvements", Static)
        shown.display = bool(improvements)
        shown.update(improvements_panel(improvements, self.app.today()))
        self.letters = letters
        self.scans = [message for message in mail[0] if message.scan is not None]
        self.requests = requests
        self.case = case
        self.query_one("#case-actions", Static).update(actions_panel(self.app, case))
        self.app.shown(self)

    def typed_by_mistake(self) -> bool:
        """A word typed into the case file as if a field had the focus: no action fires for
        any of its letters (the first one's dialog closes again, see the app's on_event)."""
        return self.app.ignore_typing()

    def action_move(self, name: str, typed: dict[str, str] | None = None) -> None:
        if not self.case or self.typed_by_mistake():  # still being read, or a word typed
            return
        move = Move(name)
        facts = CaseFacts.of(self.case)
        if move is Move.ASSIGN and self.app.why_not(facts, move) is None:
            self._offer_agents()
            return
        if move is Move.SERVICE and self.app.why_not(facts, move) is None:
            self._offer_services()
            return
        if move is Move.OMBUDSMAN and facts.ombudsman_referred is not None:
            self._offer_ombudsman_steps()
            return
        if move is Move.PAUSE and facts.status is Status.PAUSED:
            move = Move.RESUME
        why = self.app.why_not(facts, move)
        if why is not None:
            self.notify(tr(why), severity="warning")
            return
        title = f"{tr(move_name(self.current, move))} — {self.current.reference}"
        if move is Move.NOTE:
            title = tr("case_actions.note_title")
        values = typed if typed is not None else self._prefilled(move)
        fields = self._fields(move)
        dialog = FormDialog(
            title, fields, values, today=self.app.today(), typed_before=typed is not None
        )
        dialog.keep_drafts(move.value, self.case_id)  # nothing typed is lost if the session ends
        if typed is None:  # opened by a single key (not given back after a refusal)
            dialog.opened_by_key_at = self.app.last_key_at
        read = self.current.version  # what the agent saw when the form opened is what it changes
        self.app.push_screen(
            dialog, lambda result: self._perform(move, result, read) if result else None
        )

    def _fields(self, move: Move) -> tuple[Field, ...]:
        if move in STEPS:
            return step_fields(move, self.requests)
        return action_fields(move, self.current.language.value)

    def _prefilled(self, move: Move) -> dict[str, str] | None:
        if move in STEPS:
            return step_prefilled(move, self.requests, self.app.today())
        return prefilled(self.current, move, self.app.reference)

    def _offer_ombudsman_steps(self) -> None:
        """On a referred case, ``m`` records the Ombudsman's next step: a request, an answer,
        the conclusion."""
        steps = offered_steps(self.current, self.requests)
        if not steps:
            self.notify(tr("workflow.ombudsman_concluded_already"), severity="warning")
            return
        self.app.push_screen(
            step_dialog(self.current, steps),
            lambda result: self.action_move(str(result["step"])) if result else None,
        )

    def action_improvement(self) -> None:
        """A new improvement action from this case, or the case linked to an open one."""
        if not self.case or self.typed_by_mistake() or self.read_only():
            return
        app = self.app
        open_ones = at_once(
            self,
            lambda: list_improvements(
                app.store, ImprovementFilter(open_only=True), today=app.today()
            ),
        )
        if open_ones is None:
            return
        app.push_screen(
            choice_dialog(self.current, open_ones),
            lambda result: self._improvement_chosen(str(result["which"])) if result else None,
        )

    def _improvement_chosen(self, which: str) -> None:
        if which != NEW:
            self._link_improvement(int(which))
            return
        fields = improvement_fields(self.app.settings.services)
        self.app.push_screen(
            FormDialog(
                tr("improvement.new_title"),
                fields,
                improvement_values(None, self.current.service),
                today=self.app.today(),
            ).keep_drafts("improvement", self.case_id),
            lambda result: self._new_improvement(chosen_fields(result)) if result else None,
        )

    @background(group="case-move", on_error="_show_failure")
    def _link_improvement(self, improvement_id: int) -> None:
        app = self.app
        link_case(app.store, improvement_id, self.case_id, actor=app.actor, now=app.now())
        app.call_from_thread(self.refresh_case)

    @background(group="case-move", on_error="_show_failure")
    def _new_improvement(self, fields: dict[str, object]) -> None:
        app = self.app
        create_improvement(app.store, fields, actor=app.actor, now=app.now(), case_id=self.case_id)
        app.call_from_thread(self.refresh_case)

    def _offer_agents(self) -> None:
        """The agents' dialog, at once (one indexed read): the keys typed right after ``t``
        reach the dialog, not the case file under it."""
        app = self.app
        load = at_once(self, lambda: workload(app.store, app.today()))
        if load is None:
            return
        agents, hint = assignable_agents(app.settings.agents, app.actor, load)
        title = tr("assign.title_case", reference=self.current.reference)
        app.push_screen(
            AssignDialog(title, agents, hint),
            lambda agents: self._write(Move.ASSIGN, {"agent": agents[0]}, {}) if agents else None,
        )

    def _offer_services(self) -> None:
        read = self.current.version
        self.app.push_screen(
            service_dialog(self.current, self.app.settings.services),
            lambda result: (
                self._write(Move.SERVICE, chosen_service(result), {}, read) if result else None
            ),
        )

    def _perform(self, move: Move, result: dict[str, object], read: int | None = None) -> None:
        params = {k: v for k, v in result.items() if k != "_typed"}
        self._write(move, params, dict(result["_typed"]), read)  # type: ignore[call-overload]

    def _write(
        self, move: Move, params: dict[str, Any], typed: dict[str, str], read: int | None = None
    ) -> None:
        """The move saved; keys typed after the save wait until the case is shown as it now
        stands (``ctrl+s n`` in one go: the note goes on the saved case, not a stale one)."""
        self.app.hold_keys_until_shown(self)
        self._save_move(move, params, typed, read)

    @background(group="case-move", on_error="_refused")
    def _save_move(
        self,
        move: Move,
        params: dict[str, object],
        typed: dict[str, str],
        read: int | None = None,
    ) -> None:
        """The move on the version the agent read (``read``: when the form opened; a
        colleague's save shown meanwhile does not make a form typed before it current)."""
        app = self.app
        version = read if read is not None else self.current.version
        if move is Move.FORWARD:  # with the file, when it leaves from here
            forwarded = forward_file(
                app.store,
                self.case_id,
                version,
                params,
                settings=app.settings,
                actor=app.actor,
                now=app.now(),
                calculator=app.calculator,
                reference=app.reference,
            )
            app.call_from_thread(self._forwarded, forwarded)
            return
        perform(
            app.store,
            self.case_id,
            version,
            move,
            params,
            actor=app.actor,
            now=app.now(),
            calculator=app.calculator,
        )
        proposed = str(params.get("improvement_action") or "").strip()
        if move is Move.REPLY and proposed:  # the reply names an improvement: it becomes one
            fields = {
                "title": shortened(proposed.splitlines()[0], 120),
                "description": proposed,
                "service": self.current.service,
            }
            create_improvement(
                app.store, fields, actor=app.actor, now=app.now(), case_id=self.case_id
            )
        app.call_from_thread(self._performed, move, bool(params.get("date")))

    def _forwarded(self, forwarded: Forwarded) -> None:
        self._performed(Move.FORWARD, True)
        if forwarded.notice:
            self.notify(forwarded.notice, severity="warning", timeout=15)
        if forwarded.files:
            self._produced(forwarded.send, forwarded.files, forwarded.error, "forwarding.written")

    def _refused(
        self,
        message: str,
        move: Move,
        params: dict[str, object],
        typed: dict[str, str],
        read: int | None = None,
    ) -> None:
        """Not saved: say why, show the case as it now is, and give the typed text back."""
        self.notify(tr("case_actions.stale", error=message), severity="error", timeout=15)
        self.refresh_case()  # show what the other agent changed
        fields = self._fields(move)
        if not fields:  # nothing typed to give back (an agent picked from a list)
            return
        self.app.push_screen(
            FormDialog(
                f"{tr(f'case_actions.{move.value}')} — {self.current.reference}",
                fields,
                typed,
                today=self.app.today(),
                typed_before=True,
            ).keep_drafts(move.value, self.case_id),
            lambda result: self._perform(move, result) if result else None,
        )

    def _performed(self, move: Move, dated: bool) -> None:
        self.refresh_case()
        reference = self.current.reference
        if move is Move.REPLY and not dated:  # the decision: the reply leaves with its letter
            self.notify(tr("case_actions.reply_decided", reference=reference))
            return
        self.notify(
            tr("case_actions.done", action=tr(f"case_actions.{move.value}"), reference=reference)
        )
