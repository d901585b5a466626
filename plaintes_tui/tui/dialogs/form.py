"""A small form in a dialog: a few fields, checked on enter, answered through ``dismiss``.

Used by the case file's actions (a note, the acknowledgement, the reply…). The values typed
come back even when the save then fails, so the agent's text is never lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, RadioSet

from plaintes_tui.domain.intake import parse_deadline, parse_receipt_date
from plaintes_tui.domain.validation import InvalidValue
from plaintes_tui.i18n import short_date, tr
from plaintes_tui.tui.dialogs.confirm import leave_if_sure
from plaintes_tui.tui.dialogs.drafted import DraftedDialog
from plaintes_tui.tui.focus import ImmediateFocus, after_typed
from plaintes_tui.tui.widgets.line_input import LineInput
from plaintes_tui.tui.widgets.toggles import ChoiceButton, ChoiceSet, chosen


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    # "text", "date" (never in the future), "deadline" (a date, the future allowed) or "choice"
    kind: str = "text"
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (value, label)
    required: bool = True


class FormDialog(ImmediateFocus, DraftedDialog[dict[str, object] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("ctrl+s", "submit", show=False, priority=True),
        Binding("enter", "enter_key", show=False, priority=True),  # see ImmediateFocus
    ]
    # Compact fields in a scrolling body, the title and the keys always in view: every field
    # can be reached and read at 80×24, and the focused one scrolls into view.
    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%; padding: 0 1;
        border: thick $primary; background: $surface;
    }
    FormDialog VerticalScroll { height: auto; }
    FormDialog .form-title { text-style: bold; dock: top; width: 100%; }
    FormDialog .form-label { margin-top: 1; }
    FormDialog .form-error { color: $text-error; text-style: bold; }
    FormDialog .form-hint { color: $text-muted; dock: bottom; }
    FormDialog Input { background: $boost; }
    FormDialog Input:focus { background: $primary 25%; }
    FormDialog RadioSet { width: 100%; }
    """

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        values: Mapping[str, str] | None = None,
        today: date | None = None,
        check: Callable[[Mapping[str, str]], Mapping[str, str]] | None = None,
        typed_before: bool = False,
    ) -> None:
        """``check``: the domain's check of the typed values, the message key of each bad
        field (e.g. a NISS), shown under it; the form closes only once none is left.
        ``typed_before``: ``values`` is what the agent typed (given back after a refusal), so
        esc asks before leaving even if nothing more is typed."""
        super().__init__()
        self.typed_before = typed_before
        self.check = check
        self.form_title = title
        self.fields = list(fields)
        self.values = dict(values or {})
        self.today = today or date.today()
        # When the single key that opened it arrived: keys that came with it were typing, not
        # meant for this form (see the app's on_event).
        self.opened_by_key_at: float | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.form_title, classes="form-title", markup=False)
            with VerticalScroll(can_focus=False):  # the fields take the focus, not the scroll
                yield from self._fields()
            yield Label(tr("form.hint"), classes="form-hint", markup=False)

    def on_resize(self, event: events.Resize) -> None:
        """The fields scroll inside the dialog, which never outgrows the terminal (title, hint
        and border take four lines): on 80×24 the focused field is always on screen."""
        self.query_one(VerticalScroll).styles.max_height = max(3, event.size.height - 4)

    def _fields(self) -> ComposeResult:
        for spec in self.fields:
            yield Label(spec.label, classes="form-label", markup=False)
            if spec.kind == "choice":
                with ChoiceSet(id=f"form-{spec.name}", compact=True):
                    for value, label in spec.choices:
                        yield ChoiceButton(
                            label,
                            id=f"form-{spec.name}-{value}",
                            value=self.values.get(spec.name) == value,
                            compact=True,
                        )
            else:
                default = self.values.get(spec.name)
                if default is None and spec.kind == "date" and spec.required:
                    default = short_date(self.today)
                yield LineInput(value=default or "", id=f"form-{spec.name}", compact=True)
            error = Label("", id=f"form-error-{spec.name}", classes="form-error", markup=False)
            error.display = False
            yield error

    def typed(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for spec in self.fields:
            if spec.kind == "choice":
                pressed = chosen(self.query_one(f"#form-{spec.name}", RadioSet))
                values[spec.name] = (
                    (pressed.id or "").removeprefix(f"form-{spec.name}-") if pressed else ""
                )
            else:
                values[spec.name] = self.query_one(f"#form-{spec.name}", Input).value
        return values

    def action_enter_key(self) -> None:
        """Enter moves to the next field — from a list of choices too, taking the option under
        the cursor — or submits from the last one."""
        focused = self.focused
        if focused is None or (not self.take_choice() and not isinstance(focused, Input)):
            raise SkipAction()
        if focused.id == f"form-{self.fields[-1].name}":
            self.action_submit()
        else:
            self.action_move_focus(1)

    def action_submit(self) -> None:
        after_typed(self, self._submit)

    def _submit(self) -> None:
        typed = self.typed()
        problems = self.check(typed) if self.check is not None else {}
        result: dict[str, object] = {}
        ok = True
        for spec in self.fields:
            error = self.query_one(f"#form-error-{spec.name}", Label)
            text = typed[spec.name].strip()
            message = ""
            if spec.required and not text:
                message = tr("form.required")
            elif spec.kind in ("date", "deadline") and text:
                parse = parse_deadline if spec.kind == "deadline" else parse_receipt_date
                try:
                    result[spec.name] = parse(text, self.today)
                except InvalidValue as invalid:
                    message = tr(invalid.key)
            else:
                result[spec.name] = text
            if not message and spec.name in problems:
                message = tr(problems[spec.name])
            error.update(f"✗ {message}" if message else "")
            error.display = bool(message)
            ok = ok and not message
        if ok:
            result["_typed"] = typed
            self.dismiss(result)
            return
        first_bad = next(
            spec for spec in self.fields if self.query_one(f"#form-error-{spec.name}").display
        )
        self.query_one(f"#form-{first_bad.name}").focus()  # where the agent must type again

    def on_mount(self) -> None:
        # What esc may leave without asking: the form as it opened, unless that was typed.
        self._as_opened = None if self.typed_before else self.typed()
        if self.typed_before:  # given back after a refusal: kept again at once
            self.typed_now()
        else:
            self.restore_draft()

    def draft_fields(self) -> dict[str, str]:
        return self.typed()

    def restore(self, fields: dict[str, str]) -> None:
        for spec in self.fields:
            value = fields.get(spec.name, "")
            if spec.kind != "choice":
                self.query_one(f"#form-{spec.name}", Input).value = value
            elif value:
                for button in self.query(f"#form-{spec.name}-{value}").results(ChoiceButton):
                    button.value = True

    @on(Input.Changed)
    @on(RadioSet.Changed)
    def _edited(self) -> None:
        self.typed_now()

    def action_cancel(self) -> None:
        after_typed(self, self._cancel)

    def _cancel(self) -> None:
        """Leave; when something was typed or chosen, only once the agent says so."""
        leave_if_sure(self, self.typed() != self._as_opened, tr("form.confirm_discard"))
