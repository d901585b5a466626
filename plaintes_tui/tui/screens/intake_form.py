"""The intake form itself: its fields, their order by channel, and each field checked as
the agent leaves it. What the form is for — the known complainant, the draft kept as it is
typed, saving — is the intake screen's (``intake.py``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import (
    Checkbox,
    Input,
    Label,
    RadioButton,
    RadioSet,
    TextArea,
)

from plaintes_tui.domain.cases import Category, Channel, Language
from plaintes_tui.domain.intake import (
    FIELDS,
    check_field,
    language_for_postal_code,
)
from plaintes_tui.domain.validation import (
    InvalidValue,
    country_name,
    display_niss,
    display_phone,
    normalise_country,
)
from plaintes_tui.i18n import interface_language, short_date, tr
from plaintes_tui.tui.focus import ImmediateFocus
from plaintes_tui.tui.widgets.line_input import LineInput
from plaintes_tui.tui.widgets.toggles import ChoiceButton, ChoiceSet, chosen

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk

CHOICES: dict[str, tuple[str, ...]] = {
    "language": tuple(language.value for language in Language),
    "channel": tuple(channel.value for channel in Channel),
    "category": tuple(category.value for category in Category),
}
# The one-line fields, in the form's order (the domain's FIELDS, less choices and long text).
TEXT_FIELDS = tuple(
    name for name in FIELDS if name not in CHOICES and name not in ("description", "urgent")
)
CONTACT_FIELDS = TEXT_FIELDS[: TEXT_FIELDS.index("niss") + 1]
# What shows a known complainant while typing: what is certainly theirs, never a name alone
# (a namesake is asked about on save, see store/complainants.record_for).
LOOKUP_FIELDS = ("phone", "email", "niss")
ADDRESS_FIELDS = ("street", "postal_code", "town", "country")
# Kept from one form to the next (a tray of letters), never a caller's data.
SESSION_FIELDS = ("channel", "language", "received")


def _choice_label(name: str, value: str) -> str:
    if name == "language":
        return tr(f"intake.language_{value}")
    if name == "category":  # numbered: a digit takes the subject (see action_pick)
        number = CHOICES["category"].index(value) + 1
        return f"{number} {tr(f'category_choice.{value}')}"
    return tr(f"{name}.{value}")


class IntakeForm(ImmediateFocus):
    """The fields of a complaint and their checks (the screen's bindings call its actions)."""

    app: Desk

    def __init__(self) -> None:
        super().__init__()
        self._filling = False  # the program fills the form: no check, no draft, no suggestion
        self.saving = False
        # Which form the agent is typing (one more after each save or reset).
        self._form_number = 0
        self._drafts_asked = 0  # draft writes asked for: only the last one asked is written
        self._subject_typed_on_list = False  # see on_key
        self._language_chosen = False  # see _suggest_language

    def _text_field(self, name: str) -> ComposeResult:
        with Horizontal(classes="intake-row", id=f"row-{name}"):
            yield Label(tr(f"intake.{name}"), classes="intake-label", markup=False)
            # The date of receipt is selected on entry: typing "24/11" replaces today's date.
            yield LineInput(id=f"f-{name}", select_on_focus=name == "received", compact=True)
            yield Label("", id=f"e-{name}", classes="intake-error", markup=False)

    def _choice_field(self, name: str) -> ComposeResult:
        with Horizontal(classes="intake-row", id=f"row-{name}"):
            yield Label(tr(f"intake.{name}"), classes="intake-label", markup=False)
            with ChoiceSet(id=f"f-{name}", classes=f"intake-choice {name}", compact=True):
                for value in CHOICES[name]:
                    yield ChoiceButton(
                        _choice_label(name, value), id=f"{name}-{value}", compact=True
                    )

    # -- reading and filling ------------------------------------------------------------------

    def form(self) -> dict[str, str]:
        """Everything as typed, by field name."""
        values = {name: self.query_one(f"#f-{name}", Input).value for name in TEXT_FIELDS}
        for name in CHOICES:
            pressed = chosen(self.query_one(f"#f-{name}", RadioSet))
            values[name] = pressed.id.split("-", 1)[1] if pressed and pressed.id else ""
        values["description"] = self.query_one("#f-description", TextArea).text
        values["urgent"] = "1" if self.query_one("#f-urgent", Checkbox).value else ""
        values["anonymous"] = "1" if self.query_one("#f-anonymous", Checkbox).value else ""
        return values

    def fill(self, values: dict[str, str]) -> None:
        self._filling = True
        try:
            for name in TEXT_FIELDS:
                self.query_one(f"#f-{name}", Input).value = values.get(name, "")
            for name, options in CHOICES.items():
                value = values.get(name, "")
                if value in options:
                    self.query_one(f"#{name}-{value}", RadioButton).value = True
            self.query_one("#f-description", TextArea).text = values.get("description", "")
            self.query_one("#f-urgent", Checkbox).value = bool(values.get("urgent"))
            self.query_one("#f-anonymous", Checkbox).value = bool(values.get("anonymous"))
            for label in self.query(".intake-error"):
                if isinstance(label, Label):
                    label.update("")
        finally:
            self.call_after_refresh(self._done_filling)

    def _done_filling(self) -> None:
        self._filling = False

    def defaults(self) -> dict[str, str]:
        """A fresh form. The channel stays as the agent last left it (the agent's channel at
        first); the language is always the agent's own (a caller's language is the caller's,
        never the next one's; a letter's address suggests its own); a letter keeps the date of
        the letter before it (a tray of the same day's post; the first one's is typed), a call
        or an e-mail takes today's."""
        kept = self.app.intake_kept
        channel = kept.get("channel") or self.app.settings.intake.channel_for(self.app.agent)
        if channel == Channel.LETTER:  # the in-tray stamp, typed for the first letter
            received = kept.get("received", "")
        else:
            received = short_date(self.app.today())
        return {
            "language": interface_language(),
            "channel": channel,
            "received": received,
            "category": Category.OTHER.value,
        }

    def keep_for_next(self) -> None:
        """What the next form starts with, even after leaving this one."""
        values = self.form()
        self.app.intake_kept = {
            "channel": values["channel"],
            "received": values["received"] if values["channel"] == Channel.LETTER else "",
        }

    def is_blank(self) -> bool:
        """Nothing of a caller typed: the channel, language and date are the session's."""
        form = {k: v for k, v in self.form().items() if k not in SESSION_FIELDS}
        blank = {**dict.fromkeys(form, ""), "category": Category.OTHER.value}
        return form == blank

    # -- moving and checking -------------------------------------------------------------------

    def action_next_field(self) -> None:
        """Enter in a one-line field moves to the next field; elsewhere it does what it does.

        The field is checked when it is left (``Input.Blurred``), which the field handles after
        the keys typed before the enter: checking here would miss them."""
        if self.take_choice():  # a list of choices: take the option, move on
            self.action_move_focus(1)
            return
        focused = self.focused
        if not isinstance(focused, Input) or focused.parent is None:
            raise SkipAction()
        self.action_move_focus(1)

    def action_to_complaint(self) -> None:
        """From the contact details straight to the complaint (its subject list): the fields
        between keep what they hold."""
        self.set_focus(self.query_one("#f-category"))

    def action_pick(self, number: int) -> None:
        """In the list of subjects, a digit takes that subject and moves on; anywhere else the
        digit is typed as usual."""
        choices = self.focused
        if not isinstance(choices, RadioSet) or choices.id != "f-category":
            raise SkipAction()
        buttons = list(choices.query(RadioButton))
        if number > len(buttons):
            self.app.bell()
            return
        buttons[number - 1].value = True
        self.action_move_focus(1)

    def on_key(self, event: events.Key) -> None:
        """A letter typed on the list of subjects is the subject being typed: it goes to the
        subject field (the list takes digits only), and so do the keys typed with it — spaces
        included — that reach the list before the cursor is in the field."""
        choices = self.focused
        if not (isinstance(choices, RadioSet) and choices.id == "f-category"):
            self._subject_typed_on_list = False
            return
        character = event.character if event.is_printable else None
        if character is None or character.isdigit():
            return
        if character == " " and not self._subject_typed_on_list:
            return  # a space on the list, typed alone, takes the option as usual
        self._subject_typed_on_list = True
        subject = self.query_one("#f-subject", Input)
        subject.focus()
        subject.insert_text_at_cursor(character)
        event.stop()
        event.prevent_default()

    def _order_for(self, channel: str) -> None:
        """The order of a letter: the date stamped on it first, then the name and the postal
        address it carries, then phone and e-mail. Otherwise the caller's name, phone and
        e-mail come first and the date (today) further down. The cursor follows the order."""
        form = self.query_one("#intake-form")
        rows = {name: self.query_one(f"#row-{name}") for name in (*ADDRESS_FIELDS, "phone")}
        date_row, hint = self.query_one("#row-received"), self.query_one("#received-hint")
        if channel == Channel.LETTER:
            for name in ADDRESS_FIELDS:
                form.move_child(rows[name], before=rows["phone"])
            form.move_child(date_row, before=self.query_one("#row-last_name"))
        else:
            for name in ADDRESS_FIELDS:
                form.move_child(rows[name], before=self.query_one("#row-niss"))
            form.move_child(date_row, after=self.query_one("#row-channel"))
        form.move_child(hint, after=date_row)

    @on(Input.Blurred)
    def _left_field(self, event: Input.Blurred) -> None:
        name = (event.input.id or "").removeprefix("f-")
        if name not in TEXT_FIELDS or self.saving or self._filling:
            return
        self.check(name)
        if not event.input.value.strip() and self.is_blank():
            # A fresh form (the field left was the last caller's): nothing is missing yet.
            self.query_one(f"#e-{name}", Label).update("")

    def check(self, name: str) -> str | None:
        """Check one field, show why it is wrong next to it; the value to keep, or None."""
        field = self.query_one(f"#f-{name}", Input)
        error = self.query_one(f"#e-{name}", Label)
        anonymous = self.query_one("#f-anonymous", Checkbox).value
        try:
            if name == "last_name" and anonymous:  # an anonymous complaint has no name
                value = field.value.strip()
            else:
                value = check_field(name, field.value, self.app.today(), self._country())
        except InvalidValue as invalid:
            error.update(f"✗ {tr(invalid.key)}")
            field.add_class("invalid")
            return None
        error.update("")
        field.remove_class("invalid")
        shown = self._displayed(name, value)
        if shown is not None and shown != field.value:
            with field.prevent(Input.Changed):
                field.value = shown
        if name in LOOKUP_FIELDS:  # looked up again on every change, cleared ones included
            self._look_up()
        if name == "country" and self.query_one("#f-postal_code", Input).value:
            self.check("postal_code")  # its format is the country's
        if name == "postal_code" and value and not self._country():
            self._suggest_language(value)
        return value

    def _suggest_language(self, postal_code: str) -> None:
        """A letter, an e-mail or the web form from a Flemish, Walloon or German-speaking
        address: its language is offered for the case's letters, unless the agent chose one
        in this form. A call takes the language the caller speaks: nothing is suggested."""
        form = self.form()
        suggested = language_for_postal_code(postal_code)
        if (
            suggested is None
            or self._language_chosen
            or form["channel"] == Channel.PHONE
            or form["language"] == suggested
        ):
            return
        self._filling = True
        try:
            self.query_one(f"#language-{suggested}", RadioButton).value = True
        finally:
            self.call_after_refresh(self._done_filling)
        self.notify(
            tr(
                "intake.language_suggested",
                language=tr(f"language_name.{suggested}"),
                code=postal_code,
            )
        )

    @on(RadioSet.Changed, "#f-language")
    def _language_changed(self) -> None:
        if not self._filling:  # the agent's own choice: no suggestion overrides it
            self._language_chosen = True

    def _country(self) -> str:
        """The country typed, as an ISO code ("" for Belgium, or when not recognised yet)."""
        try:
            return normalise_country(self.query_one("#f-country", Input).value)
        except InvalidValue:
            return ""

    @staticmethod
    def _displayed(name: str, value: str) -> str | None:
        """How a checked value reads best in its field (None: as typed)."""
        if not value:
            return None
        if name == "phone":
            return display_phone(value)
        if name == "niss":
            return display_niss(value)
        if name == "received":
            return short_date(date.fromisoformat(value))
        if name == "country":
            return country_name(value, interface_language())
        return None

    @on(Checkbox.Changed, "#f-anonymous")
    def _anonymous_changed(self) -> None:
        if not self._filling:
            self.check("last_name")

    @on(RadioSet.Changed, "#f-channel")
    def _channel_changed(self, event: RadioSet.Changed) -> None:
        self._order_for((event.pressed.id or "").removeprefix("channel-"))
        received = self.query_one("#f-received", Input)
        if not self._filling and not received.value and event.pressed.id != "channel-letter":
            received.value = short_date(self.app.today())

    def _look_up(self) -> None:
        """A phone, e-mail or NISS was checked: the screen looks the person up."""
