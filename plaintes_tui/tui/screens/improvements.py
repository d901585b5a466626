"""Improvement actions: every action the filter keeps (the late ones first, marked), what it
is, who carries it out by when, where it stands and the cases that led to it; a key to propose
one, enter to change one (its status only by the rule's steps)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from plaintes_tui.domain.improvements import NEXT, Improvement, ImprovementStatus
from plaintes_tui.domain.services import Service, named
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import interface_language, short_date, tr
from plaintes_tui.store.improvements import (
    ImprovementFilter,
    create_improvement,
    list_improvements,
    update_improvement,
)
from plaintes_tui.tui.dialogs.form import Field, FormDialog
from plaintes_tui.tui.keys import Screen
from plaintes_tui.tui.panel_rows import cut_to_rows, panel_rows, panel_width, rows_of
from plaintes_tui.tui.text import one_line, user_text
from plaintes_tui.tui.widgets.footer import KeyBar
from plaintes_tui.tui.widgets.title_bar import TitleBar
from plaintes_tui.tui.workers import background

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk

_NO_SERVICE = "none"
# The status filter's cycle: all, then each status.
_STATUS_CYCLE: tuple[ImprovementStatus | None, ...] = (None, *ImprovementStatus)


def action_fields(
    services: Sequence[Service], status_choices: Sequence[ImprovementStatus] = ()
) -> tuple[Field, ...]:
    """What an action is made of, as a form (the status when it can change)."""
    language = interface_language()
    service_choices = [(_NO_SERVICE, tr("case_detail.no_service_choice"))] + [
        (service.code, service.name(language)) for service in services if service.active
    ]
    fields: tuple[Field, ...] = (
        Field("title", tr("improvement.field_title")),
        Field("description", tr("improvement.field_description"), required=False),
        Field("service", tr("improvement.field_service"), "choice", tuple(service_choices)),
        Field("owner", tr("improvement.field_owner"), required=False),
        Field("due", tr("improvement.field_due"), "deadline", required=False),
    )
    if len(status_choices) > 1:
        statuses = tuple((s.value, tr(f"improvement_status.{s.value}")) for s in status_choices)
        fields += (Field("status", tr("improvement.field_status"), "choice", statuses),)
    return fields


def form_values(improvement: Improvement | None, service: str | None = None) -> dict[str, str]:
    """What the form starts with: the action as it stands, or a new one's service."""
    if improvement is None:
        return {"service": service or _NO_SERVICE}
    return {
        "title": improvement.title,
        "description": improvement.description,
        "service": improvement.service or _NO_SERVICE,
        "owner": improvement.owner or "",
        "due": short_date(improvement.due) if improvement.due else "",
        "status": improvement.status.value,
    }


def chosen_fields(result: dict[str, object]) -> dict[str, object]:
    """The action's fields from the form's answer."""
    fields = {k: v for k, v in result.items() if not k.startswith("_")}
    fields["service"] = None if fields.get("service") == _NO_SERVICE else fields.get("service")
    fields.setdefault("due", None)
    return fields


class ImprovementsScreen(Screen[None]):
    app: Desk

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "case_detail.back", id="improvements.back"),
        Binding("enter", "edit", "improvement.key_edit", id="improvements.edit", priority=True),
        Binding("n", "new", "improvement.key_new", id="improvements.new"),
        Binding("s", "cycle_status", "improvement.key_status", id="improvements.status"),
        Binding("g", "cycle_service", "improvement.key_service", id="improvements.service"),
        Binding("o", "toggle_late", "improvement.key_late", id="improvements.late"),
    ]
    DEFAULT_CSS = """
    ImprovementsScreen #improvements-filter { padding: 0 1; text-style: bold; }
    ImprovementsScreen OptionList { height: 1fr; }
    ImprovementsScreen #improvements-detail {
        height: auto; max-height: 50%; padding: 0 1; border-top: solid $primary;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.filter = ImprovementFilter()
        self.shown: list[Improvement] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="improvements-filter")
        yield OptionList(id="improvements-list")
        yield Static(id="improvements-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = tr("improvement.title")
        self.refresh_list()

    def refresh_list(self) -> None:
        self._load(self.filter)

    def _load(self, flt: ImprovementFilter) -> None:
        """The list read off the UI thread; keys typed meanwhile (``s enter``, ``ctrl+s
        enter`` in one go) wait for it and act on it."""
        self.app.hold_keys_until_shown(self)
        self._read(flt)

    @background(group="improvements-read", shows=True)
    def _read(self, flt: ImprovementFilter) -> None:
        found = list_improvements(self.app.store, flt, today=self.app.today())
        self.app.call_from_thread(self._show, flt, found)

    def _service_name(self, code: str | None) -> str:
        if not code:
            return tr("case_detail.no_service_choice")
        return named(self.app.settings.services, code, interface_language())

    def _show(self, flt: ImprovementFilter, found: list[Improvement]) -> None:
        self.filter, self.shown = flt, found
        today = self.app.today()
        parts = [tr("improvement.count", count=len(found))]
        if flt.status is not None:
            parts.append(tr(f"improvement_status.{flt.status.value}"))
        if flt.service is not None:
            parts.append(one_line(self._service_name(flt.service)))
        if flt.late_only:
            parts.append(tr("improvement.late_only"))
        self.query_one("#improvements-filter", Static).update(user_text(" · ".join(parts)))
        listed = self.query_one(OptionList)
        highlighted = listed.highlighted
        listed.clear_options()
        listed.add_options(Option(self._line(i, today), id=str(i.id)) for i in found)
        if found:
            listed.highlighted = min(highlighted or 0, len(found) - 1)
        else:
            self.query_one("#improvements-detail", Static).update(Text(tr("improvement.empty")))
        self.app.shown(self)  # the keys typed meanwhile act on this list

    def _line(self, improvement: Improvement, today: date) -> Text:
        """The reference, the status, the due date (red when late), the title; then the owner
        and how many cases led to it."""
        late = improvement.late(today)
        line = Text("⚠ " if late else "  ", style="bold red" if late else "")
        line.append(f"{improvement.reference} ")
        line.append(f"{tr(f'improvement_status.{improvement.status.value}'):<11} ")
        due = short_date(improvement.due) if improvement.due else "—"
        line.append(f"{due:<10} ", style="bold red" if late else "")
        line.append_text(user_text(one_line(improvement.title)))
        owner = one_line(self.app.person_name(improvement.owner)) if improvement.owner else "—"
        line.append(" · ", style="dim")
        line.append_text(user_text(owner))
        line.append(f" · {tr('improvement.case_count', count=len(improvement.cases))}", style="dim")
        return line

    @property
    def current(self) -> Improvement | None:
        listed = self.query_one(OptionList)
        if listed.highlighted is None or not self.shown:
            return None
        return self.shown[min(listed.highlighted, len(self.shown) - 1)]

    def on_resize(self) -> None:
        self._highlighted()  # the description in the rows the new height leaves

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        improvement = self.current
        if improvement is not None:
            self.query_one("#improvements-detail", Static).update(self._detail(improvement))

    def _detail(self, improvement: Improvement) -> RenderableType:
        days = [
            tr(
                "improvement.status_day",
                status=tr(f"improvement_status.{status.value}"),
                day=short_date(day),
            )
            for status, day in (
                (ImprovementStatus.PROPOSED, improvement.proposed_on),
                (ImprovementStatus.DECIDED, improvement.decided_on),
                (ImprovementStatus.IN_PROGRESS, improvement.started_on),
                (ImprovementStatus.DONE, improvement.done_on),
                (ImprovementStatus.DROPPED, improvement.dropped_on),
            )
            if day is not None
        ]
        cases = ", ".join(improvement.cases) or "—"
        lines: list[Text] = [
            user_text(f"{improvement.reference} — {one_line(improvement.title)}"),
            user_text(
                tr("improvement.service_line", service=self._service_name(improvement.service))
            ),
            Text(" · ".join(days)),
            Text(tr("improvement.cases_line", cases=cases)),
        ]
        if improvement.description:  # last, in the rows left ("…": enter shows it whole)
            console, detail = self.app.console, self.query_one("#improvements-detail")
            width = panel_width(detail, self)
            left = panel_rows(self) - rows_of(lines, width, console)
            lines.append(cut_to_rows(user_text(improvement.description), left, width, console))
        return Group(*lines)

    def action_cycle_status(self) -> None:
        at = _STATUS_CYCLE.index(self.filter.status)
        chosen = _STATUS_CYCLE[(at + 1) % len(_STATUS_CYCLE)]
        self._load(ImprovementFilter(chosen, self.filter.service, self.filter.late_only))

    def action_cycle_service(self) -> None:
        codes: list[str | None] = [None] + [s.code for s in self.app.settings.services]
        at = codes.index(self.filter.service) if self.filter.service in codes else 0
        chosen = codes[(at + 1) % len(codes)]
        self._load(ImprovementFilter(self.filter.status, chosen, self.filter.late_only))

    def action_toggle_late(self) -> None:
        flt = self.filter
        self._load(ImprovementFilter(flt.status, flt.service, not flt.late_only))

    def action_new(self) -> None:
        if self.app.refused(Move.IMPROVEMENT):
            return
        fields = action_fields(self.app.settings.services)
        self.app.push_screen(
            FormDialog(
                tr("improvement.new_title"), fields, form_values(None), today=self.app.today()
            ).keep_drafts(_draft_name(None)),
            lambda result: self._save(None, result) if result else None,
        )

    def action_edit(self) -> None:
        improvement = self.current
        if improvement is None or self.app.refused(Move.IMPROVEMENT):
            return
        statuses = (improvement.status, *NEXT[improvement.status])
        fields = action_fields(self.app.settings.services, statuses)
        title = f"{improvement.reference} — {one_line(improvement.title)}"
        self.app.push_screen(
            FormDialog(title, fields, form_values(improvement), today=self.app.today()).keep_drafts(
                _draft_name(improvement)
            ),
            lambda result: self._save(improvement, result) if result else None,
        )

    def _save(self, improvement: Improvement | None, result: dict[str, Any]) -> None:
        """A new action (None) or a change saved; the keys typed after wait for the list."""
        self.app.hold_keys_until_shown(self)
        if improvement is None:
            self._create(chosen_fields(result), result["_typed"])
        else:
            self._update(improvement, chosen_fields(result), result["_typed"])

    @background(group="improvements-write", on_error="_refused")
    def _create(self, fields: dict[str, object], typed: object) -> None:
        app = self.app
        create_improvement(app.store, fields, actor=app.actor, now=app.now())
        app.call_from_thread(self.refresh_list)

    @background(group="improvements-write", on_error="_refused")
    def _update(self, improvement: Improvement, fields: dict[str, object], typed: object) -> None:
        app = self.app
        update_improvement(
            app.store, improvement.id, improvement.version, fields, actor=app.actor, now=app.now()
        )
        app.call_from_thread(self.refresh_list)

    def _refused(self, message: str, *args: object) -> None:
        """Not saved: say why, show the list as it now is, and give the typed text back."""
        self.notify(message, severity="error", timeout=15)
        self.refresh_list()
        improvement = args[0] if isinstance(args[0], Improvement) else None
        typed = args[-1]
        if not isinstance(typed, dict):
            return
        statuses = (improvement.status, *NEXT[improvement.status]) if improvement else ()
        title = improvement.reference if improvement else tr("improvement.new_title")
        self.app.push_screen(
            FormDialog(
                title,
                action_fields(self.app.settings.services, statuses),
                typed,
                today=self.app.today(),
                typed_before=True,
            ).keep_drafts(_draft_name(improvement)),
            lambda result: self._save(improvement, result) if result else None,
        )


def _draft_name(improvement: Improvement | None) -> str:
    """The draft of a new action (one per agent), or of the changes to one."""
    return "improvement-new" if improvement is None else f"improvement-{improvement.id}"
