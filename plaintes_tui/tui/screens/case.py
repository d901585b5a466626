"""The case file: clocks, complainant (and their other cases), complaint, admissibility,
the journal as a timeline, and every action on a key — notes, acknowledgement, pause, reply,
closing, reopening, the Ombudsman, letters. Which moves make sense comes from the domain's
state machine; a refused one says why.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from plaintes_tui.domain.admissibility import answers_in_language
from plaintes_tui.domain.cases import NetworkCategory, Status
from plaintes_tui.domain.cases import Outcome as OutcomeKind
from plaintes_tui.domain.letters import KindChoice, Letter, LetterKind
from plaintes_tui.domain.validation import country_name, display_niss, display_phone
from plaintes_tui.domain.workflow import CaseFacts, Move
from plaintes_tui.i18n import interface_language, short_date, short_moment, tr, tr_or
from plaintes_tui.letters import Produced, choices_for, draft_letter, produce_letter, send_letter
from plaintes_tui.store.access_log import Access, record
from plaintes_tui.store.cases import clock_state, get_case, journal_of
from plaintes_tui.store.journal_text import facts_in_words
from plaintes_tui.store.mailbox import StoredMail, awaits_details, messages_of
from plaintes_tui.store.outbox import SENDABLE, Send, letters_of
from plaintes_tui.store.presence import Presence
from plaintes_tui.store.workflow import open_pause_start, perform
from plaintes_tui.store.workload import workload
from plaintes_tui.tui.dialogs.assign import AssignDialog, assignable_agents
from plaintes_tui.tui.dialogs.form import Field, FormDialog
from plaintes_tui.tui.dialogs.letter import LetterDialog
from plaintes_tui.tui.dialogs.letter_kind import LetterKindDialog
from plaintes_tui.tui.screens.case_person import ComplainantActions
from plaintes_tui.tui.text import one_line, shown_path, user_text
from plaintes_tui.tui.widgets.footer import KeyBar
from plaintes_tui.tui.workers import at_once, background

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk


def _day(value: str | None) -> str:
    return short_date(date.fromisoformat(value)) if value else "—"


class CaseScreen(ComplainantActions):
    app: Desk

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "case_detail.back", id="case.back"),
        Binding("q", "app.pop_screen", "case_detail.back", show=False),
        Binding("a", "admissibility", "queue_keys.admissibility", id="case.admissibility"),
        Binding("n", "move('note')", "case_actions.note", id="case.note"),
        Binding("l", "letter", "letters.key", id="case.letter"),
        Binding("e", "send", "send.key", show=False, id="case.send"),
        Binding("r", "move('acknowledge')", "case_actions.acknowledge_key", id="case.ack"),
        Binding("R", "move('reply')", "case_actions.reply", show=False, id="case.reply"),
        Binding("c", "move('close')", "case_actions.close", show=False, id="case.close"),
        Binding("p", "move('pause')", "case_actions.pause", show=False, id="case.pause"),
        Binding("o", "move('reopen')", "case_actions.reopen", show=False, id="case.reopen"),
        Binding(
            "m", "move('ombudsman')", "case_actions.ombudsman", show=False, id="case.ombudsman"
        ),
        Binding("t", "move('assign')", "case_actions.assign", show=False, id="case.assign"),
    ]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.case: dict[str, Any] = {}
        self.letters: list[dict[str, Any]] = []
        self._reload_on_resume = False
        self._consulted = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="case-body"):
            yield Static(id="case-presence", classes="case-section")
            yield Static(id="case-clocks", classes="case-section")
            yield Static(id="case-actions", classes="case-section")
            yield Static(id="case-complainant", classes="case-section")
            yield Static(id="case-complaint", classes="case-section")
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

    @background(group="case-read")
    def _read_case(self) -> None:
        store = self.app.store
        if not self._consulted:  # who consulted whose file: once per opening
            self._consulted = True
            record(store, self.app.agent, Access.CASE, now=self.app.now(), case_id=self.case_id)
        case = get_case(store, self.case_id)
        journal = journal_of(store, self.case_id)
        letters = letters_of(store, self.case_id)
        mails = messages_of(store, self.case_id)
        waiting = open_pause_start(store, self.case_id)
        others = store.connection.execute(
            "SELECT reference, received, status, subject FROM cases "
            "WHERE complainant_id = ? AND id != ? ORDER BY received DESC LIMIT 10",
            (case["complainant_id"], case["id"]),
        ).fetchall()
        self.app.call_from_thread(self._show, case, journal, others, letters, (mails, waiting))

    def _show(
        self,
        case: dict[str, Any],
        journal: list[dict[str, Any]],
        others: list[tuple[Any, ...]],
        letters: list[dict[str, Any]],
        mail: tuple[list[StoredMail], date | None],
    ) -> None:
        self.title = tr("case_detail.title", reference=case["reference"])
        self.query_one("#case-clocks", Static).update(self._clocks(case))
        self.query_one("#case-complainant", Static).update(self._complainant(case, others))
        self.query_one("#case-complaint", Static).update(self._complaint(case))
        self.query_one("#case-journal", Static).update(self._journal(journal))
        letters_panel = self.query_one("#case-letters", Static)
        letters_panel.display = bool(letters)
        letters_panel.update(self._letters(letters))
        mail_panel = self.query_one("#case-mail", Static)
        mail_panel.display = bool(mail[0])
        mail_panel.update(self._mail_panel(case, *mail))
        self.letters = letters
        self.case = case
        self.query_one("#case-actions", Static).update(self._actions(case))

    def _clocks(self, case: dict[str, Any]) -> RenderableType:
        today = self.app.today()
        calculator = self.app.calculator
        clocks = clock_state(case)
        lines = [
            Text(tr("case_detail.title", reference=case["reference"]), style="bold"),
            Text(
                tr(
                    "case_detail.status",
                    status=tr(f"status.{case['status']}"),
                    language=tr(f"language_name.{case['language']}"),
                )
            ),
            Text(
                tr(
                    "case_detail.received",
                    day=_day(case["received"]),
                    channel=tr(f"channel.{case['channel']}"),
                    logged=short_moment(case["logged_at"]),
                    agent=one_line(self.app.person_name(case["logged_by"])),
                )
            ),
            Text(
                tr(
                    "case_detail.assigned",
                    agent=one_line(self.app.person_name(case["assigned_to"])),
                )
                if case["assigned_to"]
                else tr("case_detail.unassigned")
            ),
        ]
        ack_band = clocks.acknowledgement_band(calculator, today)
        ack_key = "case_detail.ack_sent" if case["acknowledgement_sent"] else "case_detail.ack"
        lines.append(
            Text(
                tr(
                    ack_key,
                    due=_day(case["acknowledgement_due"]),
                    sent=_day(case["acknowledgement_sent"]),
                    band=tr(f"band.{ack_band.value}"),
                )
            )
        )
        reply_band = clocks.reply_band(calculator, today)
        if case["reply_due"] is None:
            lines.append(Text(tr("case_detail.no_reply")))
        else:
            band = tr(f"band.{reply_band.value}") if reply_band else tr("queue_screen.paused")
            key = "case_detail.reply"
            if case["reply_sent"]:
                key = "case_detail.reply_sent"
            elif case["reply_due"] != case["reply_due_original"]:
                key = "case_detail.reply_paused"
            lines.append(
                Text(
                    tr(
                        key,
                        due=_day(case["reply_due"]),
                        original=_day(case["reply_due_original"]),
                        sent=_day(case["reply_sent"]),
                        band=band,
                    )
                )
            )
        if case["ombudsman_referred"]:
            lines.append(
                Text(
                    tr("case_detail.ombudsman", day=_day(case["ombudsman_referred"])),
                    style="bold",
                )
            )
        return Group(*lines)

    def _complainant(self, case: dict[str, Any], others: list[tuple[Any, ...]]) -> RenderableType:
        if case["anonymised_at"]:
            day = short_date(date.fromisoformat(case["anonymised_at"][:10]))
            return Group(
                Text(tr("case_detail.complainant"), style="bold"),
                Text(tr("person.anonymised_banner", day=day), style="italic"),
            )
        name = f"{case['complainant_last_name'].upper()} {case['complainant_first_name']}"
        if case["anonymous"]:
            name = f"{name.strip()} ({tr('queue_screen.anonymous')})".lstrip()
        lines: list[RenderableType] = [
            Text(tr("case_detail.complainant"), style="bold"),
            user_text(name),
        ]
        for value in (
            display_phone(case["complainant_phone"]) if case["complainant_phone"] else None,
            case["complainant_email"],
            " ".join(
                part
                for part in (
                    case["complainant_street"],
                    case["complainant_postal_code"],
                    case["complainant_town"],
                    country_name(case["complainant_country"], interface_language())
                    if case["complainant_country"]
                    else "",
                )
                if part
            ),
            display_niss(case["complainant_niss"]) if case["complainant_niss"] else None,
        ):
            if value:
                lines.append(user_text(value))
        if case["contact_incomplete"]:
            lines.append(Text(f"✉ {tr('case_detail.contact_missing')}", style="bold"))
        if others:
            lines.append(Text(tr("case_detail.other_cases")))
            for reference, received, status, subject in others:
                line = Text(f"  {reference}  {_day(received)}  {tr(f'status_short.{status}')}  ")
                line.append_text(user_text(subject[:60]))
                lines.append(line)
        hint = self.person_keys_hint()
        if hint:
            lines.append(Text(hint, style="dim"))
        return Group(*lines)

    def _complaint(self, case: dict[str, Any]) -> RenderableType:
        subject = Text(tr("case_detail.subject"))
        subject.append_text(user_text(case["subject"]))
        return Group(
            Text(tr("case_detail.complaint"), style="bold"),
            Text(tr("case_detail.category", category=tr(f"category.{case['category']}"))),
            subject,
            user_text(case["description"]),
            Text(""),
            Text(tr("case_detail.admissibility"), style="bold"),
            Text(
                tr(f"admissibility.{case['admissibility']}")
                if case["admissibility"]
                else tr("case_detail.not_checked")
            ),
        )

    def _letters(self, letters: list[dict[str, Any]]) -> RenderableType:
        lines: list[RenderableType] = [Text(tr("case_detail.letters"), style="bold")]
        for row in letters:
            line = Text(f"{short_moment(row['produced_at'])}  ")
            line.append(tr(f"letters.{row['kind']}"), style="bold")
            line.append(f"  {Path(row['pdf']).name}  ")
            state = tr(f"send.short_{row['send']}", error="")
            failed = row["send"] == Send.FAILED
            line.append(state, style="bold red" if failed else "")
            if row["recipient"] and row["send"] != Send.NONE:
                line.append(" (")
                line.append_text(user_text(row["recipient"]))
                line.append(")")
            if failed and row["error"]:
                line.append(" — ")
                line.append_text(user_text(row["error"]))
            lines.append(line)
        if any(row["send"] in SENDABLE for row in letters):
            lines.append(Text(tr("send.hint"), style="dim"))
        return Group(*lines)

    def _mail_panel(
        self, case: dict[str, Any], mails: list[StoredMail], waiting_since: date | None
    ) -> RenderableType:
        """The e-mails received for the case, and, when its clock waits for the complainant
        and they wrote since, what resumes it."""
        lines: list[RenderableType] = [Text(tr("case_detail.mail"), style="bold")]
        answered = None
        for mail in mails:
            line = Text(f"{short_moment(mail.arrived_at)}  ")
            line.append_text(user_text(one_line(mail.sender_email)))
            line.append("  ")
            line.append_text(user_text(one_line(mail.subject)[:60]))
            if mail.attachments:
                line.append(f"  {tr('inbox.attachments', count=len(mail.attachments))}")
            if mail.auto_reply:
                line.append(f"  {tr('case_detail.mail_auto')}", style="dim italic")
            elif waiting_since is None or mail.received >= waiting_since:
                answered = mail  # written since the clock began to wait (or it never ran)
            lines.append(line)
            lines.append(Text(f"  {shown_path(mail.folder)}", style="dim"))
        if answered is not None and awaits_details(case["status"]):
            key = (
                "mail_resume_paused"
                if case["status"] == Status.PAUSED
                else "mail_resume_incomplete"
            )
            lines.append(
                Text(
                    f"✉ {tr(f'case_detail.{key}', day=short_date(answered.received))}", style="bold"
                )
            )
        return Group(*lines)

    def _journal(self, journal: list[dict[str, Any]]) -> RenderableType:
        lines: list[RenderableType] = [Text(tr("case_detail.journal"), style="bold")]
        for entry in journal:
            agent = one_line(self.app.person_name(entry["agent"]))
            line = Text(f"{short_moment(entry['at'])}  {agent:<12} ")
            action = tr_or(f"journal_action.{entry['action']}", entry["action"])
            line.append(action, style="bold")
            answers = entry["changes"].pop("answers", [None, None])[1] or []
            facts = facts_in_words(entry["changes"])
            changes = ", ".join(
                tr(
                    "format.labelled",
                    label=tr_or(f"field.{field}", field),
                    value=f"{_journal_value(field, old)} → {_journal_value(field, new)}",
                )
                for field, (old, new) in entry["changes"].items()
            )
            if changes:
                line.append("   ")
                line.append_text(user_text(changes))
            if entry["note"]:
                line.append("   ")
                line.append_text(user_text(entry["note"]))
            for fact in facts:
                line.append(f" — {fact}", style="italic")
            lines.append(line)
            for question, answer in answers_in_language(self.app.checklist, answers):
                lines.append(user_text(f"    {question} → {answer}"))
        return Group(*lines)

    # -- actions -------------------------------------------------------------------------------

    def _actions(self, case: dict[str, Any]) -> RenderableType:
        facts = CaseFacts.of(case)
        lines: list[RenderableType] = [Text(tr("case_actions.title"), style="bold")]
        for key, move in ACTION_KEYS:
            if move is Move.PAUSE and facts.status is Status.PAUSED:
                move = Move.RESUME
            why = self.app.why_not(facts, move)
            line = Text(f"  {key}  ")
            line.append(tr(f"case_actions.{move.value}"), style="bold" if why is None else "dim")
            if why is not None:
                line.append(f" — {tr(why)}", style="dim italic")
            lines.append(line)
        return Group(*lines)

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
        if move is Move.PAUSE and facts.status is Status.PAUSED:
            move = Move.RESUME
        why = self.app.why_not(facts, move)
        if why is not None:
            self.notify(tr(why), severity="warning")
            return
        title = f"{tr(f'case_actions.{move.value}')} — {self.case['reference']}"
        if move is Move.NOTE:
            title = tr("case_actions.note_title")
        dialog = FormDialog(title, action_fields(move), typed, today=self.app.today())
        if typed is None:  # opened by a single key (not given back after a refusal)
            dialog.opened_by_key_at = self.app.last_key_at
        self.app.push_screen(dialog, lambda result: self._perform(move, result) if result else None)

    def _offer_agents(self) -> None:
        """The agents' dialog, at once (one indexed read): the keys typed right after ``t``
        reach the dialog, not the case file under it."""
        app = self.app
        load = at_once(self, lambda: workload(app.store, app.today()))
        if load is None:
            return
        agents, hint = assignable_agents(app.settings.agents, app.actor, load)
        title = tr("assign.title_case", reference=self.case["reference"])
        app.push_screen(
            AssignDialog(title, agents, hint),
            lambda agents: self._write(Move.ASSIGN, {"agent": agents[0]}, {}) if agents else None,
        )

    def _perform(self, move: Move, result: dict[str, object]) -> None:
        params = {k: v for k, v in result.items() if k != "_typed"}
        self._write(move, params, dict(result["_typed"]))  # type: ignore[call-overload]

    @background(group="case-move", on_error="_refused")
    def _write(self, move: Move, params: dict[str, object], typed: dict[str, str]) -> None:
        app = self.app
        perform(
            app.store,
            self.case_id,
            self.case["version"],
            move,
            params,
            actor=app.actor,
            now=app.now(),
            calculator=app.calculator,
        )
        app.call_from_thread(self._performed, move)

    def read_only(self) -> bool:
        """True (and the agent told) when this agent may only read: no letter, no sending."""
        if self.app.actor.read_only:
            self.notify(tr("access.read_only"), severity="warning")
        return self.app.actor.read_only

    def action_letter(self) -> None:
        if not self.case or self.typed_by_mistake() or self.read_only():
            return
        self._letter_choices(self.case, self.app.typing_ignored)

    @background(group="case-letter", on_error="_show_failure")
    def _letter_choices(self, case: dict[str, Any], typing_ignored: int) -> None:
        choices = choices_for(self.app.store, case)
        self.app.call_from_thread(self._choose_letter, case, choices, typing_ignored)

    def _choose_letter(
        self, case: dict[str, Any], choices: list[KindChoice], typing_ignored: int
    ) -> None:
        if self.app.typing_ignored != typing_ignored:  # the l began a word typed by mistake
            return
        title = tr("letters.choose", reference=case["reference"])
        self.app.push_screen(
            LetterKindDialog(title, choices),
            lambda kind: self._edit_letter(kind) if kind else None,
        )

    @background(group="case-letter", on_error="_show_failure")
    def _edit_letter(self, kind: LetterKind) -> None:
        app = self.app
        draft = draft_letter(
            app.store,
            self.case,
            kind,
            settings=app.settings,
            agent=app.agent,
            reference_data=app.reference,
        )
        app.call_from_thread(self._open_letter, kind, draft.letter, draft.notices)

    def _open_letter(self, kind: LetterKind, letter: Letter, notices: tuple[str, ...]) -> None:
        self.app.push_screen(
            LetterDialog(self._letter_title(kind), letter, notices),
            lambda edited: self._produce(kind, edited, notices) if edited else None,
        )

    def _letter_title(self, kind: LetterKind) -> str:
        return tr(
            "letters.title",
            kind=tr(f"letters.{kind.value}"),
            reference=self.case["reference"],
            language=tr(f"language_name.{self.case['language']}"),
        )

    @background(group="case-move", on_error="_produce_failed")
    def _produce(self, kind: LetterKind, letter: Letter, notices: tuple[str, ...]) -> None:
        app = self.app
        produced = produce_letter(
            app.store,
            self.case_id,
            self.case["version"],
            kind,
            letter,
            settings=app.settings,
            actor=app.actor,
            now=app.now(),
            calculator=app.calculator,
        )
        app.call_from_thread(self._produced, produced)

    def _produced(self, produced: Produced) -> None:
        self.refresh_case()
        names = ", ".join(path.name for path in produced.files)
        message = tr("letters.produced", reference=self.case["reference"], files=names)
        failed = produced.send is Send.FAILED
        state = tr(f"send.{produced.send.value}", error=produced.error or "")
        self.notify(
            f"{message}\n{state}", severity="error" if failed else "information", timeout=15
        )

    def _produce_failed(
        self, message: str, kind: LetterKind, letter: Letter, notices: tuple[str, ...]
    ) -> None:
        """Not produced: say why, show the case as it now is, and give the edited text back."""
        self.notify(tr("case_actions.stale", error=message), severity="error", timeout=15)
        self.refresh_case()
        self._open_letter(kind, letter, notices)

    def action_send(self) -> None:
        """Send the e-mails of this case's letters that did not leave (failed or held)."""
        if not self.case or self.typed_by_mistake() or self.read_only():
            return
        waiting = [row for row in self.letters if row["send"] in SENDABLE]
        if not waiting:
            self.notify(tr("send.nothing_waiting"), severity="warning")
            return
        self._send([int(row["id"]) for row in waiting])

    @background(group="case-send", on_error="_show_failure")
    def _send(self, letter_ids: list[int]) -> None:
        app = self.app
        results = [
            send_letter(app.store, letter_id, settings=app.settings, agent=app.agent, now=app.now())
            for letter_id in letter_ids
        ]
        app.call_from_thread(self._sent, results)

    def _sent(self, results: list[tuple[Send, str | None]]) -> None:
        self.refresh_case()
        for state, error in results:
            self.notify(
                tr(f"send.{state.value}", error=error or ""),
                severity="error" if state is Send.FAILED else "information",
                timeout=15,
            )

    def _refused(
        self, message: str, move: Move, params: dict[str, object], typed: dict[str, str]
    ) -> None:
        """Not saved: say why, show the case as it now is, and give the typed text back."""
        self.notify(tr("case_actions.stale", error=message), severity="error", timeout=15)
        self.refresh_case()  # show what the other agent changed
        fields = action_fields(move)
        if not fields:  # nothing typed to give back (an agent picked from a list)
            return
        self.app.push_screen(
            FormDialog(
                f"{tr(f'case_actions.{move.value}')} — {self.case['reference']}",
                fields,
                typed,
                today=self.app.today(),
            ),
            lambda result: self._perform(move, result) if result else None,
        )

    def _performed(self, move: Move) -> None:
        self.refresh_case()
        self.notify(
            tr(
                "case_actions.done",
                action=tr(f"case_actions.{move.value}"),
                reference=self.case["reference"],
            )
        )


# Journal values that are codes, and the catalogue section that names them.
_CODE_NAMES = {
    "status": "status",
    "channel": "channel",
    "letter": "letters",
    "admissibility": "admissibility",
    "outcome": "outcome",
    "network_category": "network",
    "category": "category",
}


def _journal_value(field: str, value: object) -> str:
    """A journal value as the agent reads it: a code in words, a date as a date."""
    if value is None or value == "":
        return "—"
    text = str(value)
    if field in _CODE_NAMES:
        return tr_or(f"{_CODE_NAMES[field]}.{text}", text)
    if field == "mail":  # the number of the e-mail received
        return f"n° {text}"
    if field == "acknowledgement_means":
        return tr_or(f"case_actions.means_{text}", text)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return _day(text)
    return text


ACTION_KEYS = (
    ("n", Move.NOTE),
    ("r", Move.ACKNOWLEDGE),
    ("p", Move.PAUSE),
    ("R", Move.REPLY),
    ("c", Move.CLOSE),
    ("o", Move.REOPEN),
    ("m", Move.OMBUDSMAN),
    ("t", Move.ASSIGN),
)


def action_fields(move: Move) -> tuple[Field, ...]:
    """What the agent types for ``move``, labelled in the agent's language; nothing for a
    move made by picking from a list."""
    outcomes = tuple((o.value, tr(f"outcome.{o.value}")) for o in OutcomeKind)
    networks = tuple((c.value, tr(f"network.{c.value}")) for c in NetworkCategory)
    means = tuple((m, tr(f"case_actions.means_{m}")) for m in ("email", "letter", "phone"))
    fields: dict[Move, tuple[Field, ...]] = {
        Move.NOTE: (Field("text", tr("case_actions.note_text")),),
        Move.ACKNOWLEDGE: (
            Field("date", tr("case_actions.date_sent"), "date"),
            Field("means", tr("case_actions.means"), "choice", means),
        ),
        Move.PAUSE: (
            Field("date", tr("case_actions.pause_since"), "date"),
            Field("reason", tr("case_actions.pause_reason")),
        ),
        Move.RESUME: (Field("date", tr("case_actions.resume_on"), "date"),),
        Move.REPLY: (
            Field("date", tr("case_actions.date_sent"), "date"),
            Field("outcome", tr("case_actions.reply_outcome"), "choice", outcomes),
            Field("network_category", tr("case_actions.reply_category"), "choice", networks),
            Field("summary", tr("case_actions.reply_summary")),
            Field("improvement_action", tr("case_actions.reply_improvement"), required=False),
        ),
        Move.CLOSE: (Field("date", tr("case_actions.close_on"), "date"),),
        Move.REOPEN: (Field("reason", tr("case_actions.reopen_reason")),),
        Move.OMBUDSMAN: (
            Field("date", tr("case_actions.ombudsman_on"), "date"),
            Field("reference", tr("case_actions.ombudsman_reference")),
            Field("notes", tr("case_actions.ombudsman_notes"), required=False),
        ),
    }
    return fields.get(move, ())
