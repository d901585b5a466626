"""Deciding admissibility: one question at a time, one key an answer, a summary to confirm.

Fast enough to do while the caller is still on the line: ``o`` / ``n`` or the number of a
choice answers, backspace goes back, enter records the decision with every answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from plaintes_tui.domain.admissibility import Outcome, ReferenceEntry, Step, Walk
from plaintes_tui.domain.case_record import Case
from plaintes_tui.domain.cases import Admissibility, Status
from plaintes_tui.domain.letters import LetterKind
from plaintes_tui.domain.workflow import CaseFacts, Move
from plaintes_tui.i18n import interface_language, short_date, tr
from plaintes_tui.letters import draft_letter
from plaintes_tui.printable import shortened
from plaintes_tui.store.case_rows import case_of
from plaintes_tui.store.cases import read_case
from plaintes_tui.store.workflow import perform, record_decision
from plaintes_tui.tui.keys import Screen
from plaintes_tui.tui.text import user_text
from plaintes_tui.tui.widgets.footer import KeyBar
from plaintes_tui.tui.widgets.title_bar import TitleBar
from plaintes_tui.tui.workers import background

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk


class AdmissibilityScreen(Screen[None]):
    # Colleagues see that this case is being worked on (tui/presence.py).
    presence_typing = True

    @property
    def presence_case(self) -> int:
        return self.case_id

    app: Desk

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"key('{key}')", show=False) for key in "ojn123456789"),
        Binding("backspace", "back", "admissibility_screen.previous", id="adm.back"),
        Binding("enter", "confirm", "admissibility_screen.confirm", id="adm.confirm"),
        Binding("e", "answer_sent", "admissibility_screen.sent_key", id="adm.sent"),
        Binding("escape", "app.pop_screen", "admissibility_screen.back", id="adm.leave"),
    ]
    DEFAULT_CSS = """
    AdmissibilityScreen #adm-body { padding: 1 2; }
    AdmissibilityScreen .adm-block { margin-bottom: 1; }
    AdmissibilityScreen #adm-question { border: round $primary; padding: 0 1; }
    AdmissibilityScreen #adm-answer { border: round $success; padding: 0 1; }
    """

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.walk: Walk
        self.picked: ReferenceEntry | None = None
        self.recorded: Case | None = None  # as the decision left it
        self.case: Case | None = None  # as read when the screen opened
        self.app.hold_keys_until_shown(self)  # a n n o enter in one go: enter records

    @property
    def current(self) -> Case:
        """The case as read (the decision's key is offered once it is)."""
        if self.case is None:
            raise LookupError("the case is still being read")
        return self.case

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="adm-body"):
            yield Static(id="adm-case", classes="adm-block")
            yield Static(id="adm-path", classes="adm-block")
            yield Static(id="adm-question", classes="adm-block")
            yield Static(id="adm-answer", classes="adm-block")
        yield KeyBar()

    def on_mount(self) -> None:
        self.walk = Walk(self.app.checklist)
        self.query_one("#adm-answer").display = False
        self._read_case()

    @background(group="admissibility-read", shows=True)
    def _read_case(self) -> None:
        case = read_case(self.app.store, self.case_id)
        self.app.call_from_thread(self._show_case, case)

    def _show_case(self, case: Case) -> None:
        self.case = case
        self.app.shown(self)  # the keys typed meanwhile: after this, which they wait for
        self.refresh_bindings()  # the decision's key is offered once the case is read
        why = self.app.why_not(CaseFacts.of(case), Move.DECIDE)
        if why is not None:  # say so now, not after the agent answered every question
            self.notify(tr(why), severity="warning", timeout=10)
            self.app.pop_screen()
            return
        self.title = tr("admissibility_screen.title", reference=case.reference)
        header = user_text(
            tr(
                "admissibility_screen.case",
                reference=case.reference,
                name=f"{case.complainant.last_name.upper()} {case.complainant.first_name}",
                received=short_date(case.received),
                channel=tr(f"channel.{case.channel}"),
            ),
            style="bold",
        )
        subject = Text(tr("admissibility_screen.subject"))
        subject.append_text(user_text(case.subject))
        description = user_text(shortened(case.description, 400, lines=True), style="dim")
        self.query_one("#adm-case", Static).update(Group(header, subject, description))
        self.show()

    # -- what the screen shows -----------------------------------------------------------------

    def show(self) -> None:
        yes, no = tr("admissibility_screen.yes"), tr("admissibility_screen.no")
        path = Text()
        for number, (question, answer) in enumerate(
            self.walk.summary(interface_language(), yes, no), 1
        ):
            path.append(f"{number}. {question} → ")
            path.append(f"{answer}\n", style="bold")
        path_widget = self.query_one("#adm-path", Static)
        path_widget.display = bool(self.walk.answers)
        path_widget.update(Group(Text(tr("admissibility_screen.path"), style="bold"), path))
        position = self.walk.position
        body = self._question(position) if isinstance(position, Step) else self._outcome(position)
        self.query_one("#adm-question", Static).update(body)
        self._question_in_view()

    def _question_in_view(self) -> None:
        """The current question and its keys stay on screen, however many answers are above
        them (an 80×24 terminal from the fifth question on)."""
        question = self.query_one("#adm-question", Static)
        self.call_after_refresh(question.scroll_visible, animate=False, top=False)

    def _question(self, step: Step) -> RenderableType:
        lines: list[RenderableType] = [
            Text(step.text(interface_language()), style="bold"),
            Text(step.help_text(interface_language()), style="italic dim"),
            Text(""),
        ]
        if step.is_yes_no:
            lines.append(Text(tr("admissibility_screen.keys_yes_no")))
        else:
            for choice in step.choices:
                label = choice.label.get(interface_language()) or choice.label["fr"]
                lines.append(Text(f"  {choice.key}  {label}"))
            lines.append(Text(""))
            lines.append(Text(tr("admissibility_screen.keys_choices", count=len(step.choices))))
        return Group(*lines)

    def _outcome(self, outcome: Outcome) -> RenderableType:
        lines: list[RenderableType] = [
            Text(
                tr(
                    "admissibility_screen.outcome",
                    outcome=tr(f"admissibility.{outcome.admissibility.value}"),
                ),
                style="bold",
            )
        ]
        if outcome.category is not None:
            lines.append(
                Text(tr("admissibility_screen.kind", kind=tr(f"category.{outcome.category}")))
            )
        kind = outcome.needs_pick
        if kind and self.picked is None:
            entries = self.app.reference.entries(kind)
            key = {
                "appeal_procedures": "pick_appeal",
                "forward_services": "pick_service",
                "other_institutions": "pick_institution",
            }[kind]
            lines.append(Text(tr(f"admissibility_screen.{key}")))
            for number, entry in enumerate(entries, 1):
                lines.append(user_text(f"  {number}  {entry.in_language(interface_language())}"))
            lines.append(Text(tr("admissibility_screen.pick_keys", count=len(entries))))
            return Group(*lines)
        if self.picked is not None:
            lines.append(
                user_text(
                    tr(
                        "admissibility_screen.picked",
                        entry=self.picked.in_language(interface_language()),
                    )
                )
            )
        lines.append(Text(""))
        lines.append(Text(tr("admissibility_screen.confirm_keys"), style="bold"))
        return Group(*lines)

    # -- keys ----------------------------------------------------------------------------------

    def action_key(self, key: str) -> None:
        if self.recorded is not None:
            return
        position = self.walk.position
        if isinstance(position, Step):
            # Yes and no by their first letters in the agent's language (o/n, j/n).
            words = {tr("keys.yes"): "yes", tr("keys.no"): "no"}
            if self.walk.answer(words.get(key, key)):
                self.show()
            return
        kind = position.needs_pick
        if kind and self.picked is None and key.isdigit():
            entries = self.app.reference.entries(kind)
            if 1 <= int(key) <= len(entries):
                self.picked = entries[int(key) - 1]
                self.show()

    def action_back(self) -> None:
        if self.recorded is not None:
            return
        if self.picked is not None:
            self.picked = None
        else:
            self.walk.back()
        self.show()

    def action_confirm(self) -> None:
        position = self.walk.position
        if self.recorded is not None or not isinstance(position, Outcome):
            return
        if position.needs_pick and self.picked is None:
            return
        self._record(position)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.case and action == "confirm":
            return False  # the case is still being read
        if action == "answer_sent":  # offered once an out-of-scope decision is recorded
            return self.recorded is not None and self.recorded.status is Status.OUT_OF_SCOPE
        return True

    def action_answer_sent(self) -> None:
        """The answer saying where to go was sent today: it is the acknowledgement, and the
        case closes."""
        if self.recorded is not None and self.recorded.status is Status.OUT_OF_SCOPE:
            self._close_answered(self.recorded)

    @background(group="admissibility", keys_wait=True)
    def _close_answered(self, case: Case) -> None:
        app = self.app
        today = app.today()
        closed = perform(
            app.store,
            case.id,
            case.version,
            Move.ANSWER_OUT_OF_SCOPE,
            {"date": today},
            actor=app.actor,
            now=app.now(),
            calculator=app.calculator,
        )
        app.call_from_thread(self._show_closed, case_of(closed))

    def _show_closed(self, case: Case) -> None:
        self.recorded = case
        self.refresh_bindings()
        closed = tr("admissibility_screen.closed", reference=case.reference)
        self.notify(closed)
        self.query_one("#adm-question", Static).update(Text(f"✓ {closed}", style="bold"))
        self._question_in_view()

    def _reason(self, outcome: Outcome) -> str:
        if self.picked is not None:
            return self.picked.in_language("fr")
        if outcome.admissibility is Admissibility.REDIRECTED_DG_HANDICAP:
            return self.app.reference.dg_handicap.in_language("fr")
        return ""

    @background(group="admissibility", keys_wait=True)
    def _record(self, outcome: Outcome) -> None:
        app = self.app
        case = record_decision(
            app.store,
            self.case_id,
            self.current.version,
            outcome,
            reason=self._reason(outcome),
            answers=self.walk.codes(),
            actor=app.actor,
            now=app.now(),
            calculator=app.calculator,
        )
        app.call_from_thread(self._recorded, case_of(case), outcome)

    def _recorded(self, case: Case, outcome: Outcome) -> None:
        self.recorded = case
        self.refresh_bindings()
        label = tr(f"admissibility.{outcome.admissibility.value}")
        recorded = tr("admissibility_screen.recorded", reference=case.reference, outcome=label)
        self.notify(recorded)
        answer = self.query_one("#adm-answer", Static)
        answer.display = True
        language = case.language
        if outcome.admissibility is Admissibility.ADMISSIBLE:
            answer.update(Text(tr("admissibility_screen.answer_none")))
        else:
            draft = draft_letter(
                self.app.store,
                case,
                LetterKind.OUT_OF_SCOPE,
                settings=self.app.settings,
                agent=self.app.agent,
                reference_data=self.app.reference,
            )
            text = draft.letter.body
            answer.update(
                Group(
                    Text(
                        tr(
                            "admissibility_screen.answer_title",
                            language=tr(f"language_name.{language}"),
                        ),
                        style="bold",
                    ),
                    Text(""),
                    user_text(text),
                )
            )
        done = Text(f"✓ {recorded}\n", style="bold")
        if outcome.admissibility.has_reply_clock:
            done.append(tr("admissibility_screen.after_keys"), style="dim")
        else:
            done.append(tr("admissibility_screen.after_keys_out_of_scope"), style="dim")
        self.query_one("#adm-question", Static).update(done)
        self._question_in_view()
