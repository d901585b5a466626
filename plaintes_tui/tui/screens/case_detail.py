"""A case, read-only: clocks, complainant, complaint, admissibility and journal.

The full case file (actions, letters) replaces it in a later version.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from plaintes_tui.domain.validation import display_niss, display_phone
from plaintes_tui.i18n import short_date, tr, tr_or
from plaintes_tui.store.cases import clock_state, get_case, journal_of
from plaintes_tui.tui.text import user_text

if TYPE_CHECKING:
    from plaintes_tui.tui.app import PlaintesApp


def _day(value: str | None) -> str:
    return short_date(date.fromisoformat(value)) if value else "—"


class CaseDetailScreen(Screen[None]):
    app: PlaintesApp

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", tr("case_detail.back"), id="case.back"),
        Binding("q", "app.pop_screen", tr("case_detail.back"), show=False),
        Binding("a", "admissibility", tr("queue_keys.admissibility"), id="case.admissibility"),
    ]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="case-body"):
            yield Static(id="case-clocks", classes="case-section")
            yield Static(id="case-complainant", classes="case-section")
            yield Static(id="case-complaint", classes="case-section")
            yield Static(id="case-journal", classes="case-section")
        yield Footer()

    def action_admissibility(self) -> None:
        self.app.check_admissibility(self.case_id)

    def on_screen_resume(self) -> None:
        self.on_mount()  # back from the checklist: show the decision

    def on_mount(self) -> None:
        case = get_case(self.app.store, self.case_id)
        self.title = tr("case_detail.title", reference=case["reference"])
        self.query_one("#case-clocks", Static).update(self._clocks(case))
        self.query_one("#case-complainant", Static).update(self._complainant(case))
        self.query_one("#case-complaint", Static).update(self._complaint(case))
        self.query_one("#case-journal", Static).update(self._journal())

    def _clocks(self, case: dict[str, Any]) -> RenderableType:
        today = self.app.today()
        calculator = self.app.calculator
        clocks = clock_state(case)
        lines = [
            Text(tr("case_detail.title", reference=case["reference"]), style="bold"),
            Text(tr("case_detail.status", status=tr(f"status.{case['status']}"))),
            Text(
                tr(
                    "case_detail.received",
                    day=_day(case["received"]),
                    channel=tr(f"channel.{case['channel']}"),
                    logged=case["logged_at"].replace("T", " ")[:16],
                    agent=case["logged_by"],
                )
            ),
            Text(
                tr("case_detail.assigned", agent=case["assigned_to"])
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
        return Group(*lines)

    def _complainant(self, case: dict[str, Any]) -> RenderableType:
        name = f"{case['complainant_last_name'].upper()} {case['complainant_first_name']}"
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
                )
                if part
            ),
            display_niss(case["complainant_niss"]) if case["complainant_niss"] else None,
        ):
            if value:
                lines.append(user_text(value))
        if case["contact_incomplete"]:
            lines.append(Text(f"✉ {tr('case_detail.contact_missing')}", style="bold"))
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

    def _journal(self) -> RenderableType:
        lines: list[RenderableType] = [Text(tr("case_detail.journal"), style="bold")]
        for entry in journal_of(self.app.store, self.case_id):
            line = Text(f"{entry['at'].replace('T', ' ')[:16]}  {entry['agent']:<12} ")
            action = tr_or(f"journal_action.{entry['action']}", entry["action"])
            line.append(action, style="bold")
            changes = ", ".join(
                f"{tr_or(f'field.{field}', field)} : {old or '—'} → {new or '—'}"
                for field, (old, new) in entry["changes"].items()
            )
            if changes:
                line.append_text(user_text(f"   {changes}"))
            if entry["note"]:
                line.append_text(user_text(f"  {entry['note']}"))
            lines.append(line)
        return Group(*lines)
