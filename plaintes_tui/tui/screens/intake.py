"""Logging a complaint: a phone call typed live, a tray of letters, an e-mail, a web form.

Keyboard first: tab / shift+tab or enter move on, ctrl+s saves from any field, escape asks
before throwing a filled form away. Each field is checked as the agent leaves it; the form is
kept as a draft as it is typed, so a dropped SSH session loses nothing.
"""

from __future__ import annotations

import re
import threading
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import (
    Checkbox,
    Header,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Static,
    TextArea,
)
from textual.worker import get_current_worker

from plaintes_tui.domain.cases import ACK_NOT_OWED, Category, Channel, Language
from plaintes_tui.domain.intake import (
    CONFIRM_OLDER_THAN_DAYS,
    FIELDS,
    CheckedForm,
    check_field,
    check_form,
    language_for_postal_code,
    language_of_text,
    needs_old_date_confirmation,
)
from plaintes_tui.domain.mail import split_name
from plaintes_tui.domain.validation import (
    InvalidValue,
    country_name,
    display_niss,
    display_phone,
    normalise_country,
)
from plaintes_tui.i18n import interface_language, short_date, tr
from plaintes_tui.store.cases import CaseInput, ComplainantInput, create_case
from plaintes_tui.store.complainants import KnownComplainant, find_known
from plaintes_tui.store.database import StoreError
from plaintes_tui.store.drafts import Draft, delete_draft, save_draft
from plaintes_tui.store.mailbox import StoredMail, get_mail
from plaintes_tui.tui.dialogs.confirm import ConfirmDialog
from plaintes_tui.tui.focus import ImmediateFocus, after_typed
from plaintes_tui.tui.text import one_line, user_text
from plaintes_tui.tui.widgets.footer import KeyBar
from plaintes_tui.tui.widgets.toggles import ChoiceButton, TickBox, chosen
from plaintes_tui.tui.workers import background, failure_message

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk

DRAFT_DEBOUNCE_SECONDS = 0.3
# In a draft, the inbox message the form was filled in from.
MAIL_KEY = "_mail"
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


class IntakeScreen(ImmediateFocus):
    app: Desk

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "intake.save", priority=True, id="intake.save"),
        Binding("escape", "discard", "intake.discard", id="intake.discard"),
        Binding("ctrl+l", "link", "intake.link", id="intake.link"),
        Binding("pagedown", "to_complaint", "intake.to_complaint", priority=True),
        # A digit in the list of subjects takes that subject and moves on (see action_pick).
        *(Binding(str(n), f"pick({n})", show=False, priority=True) for n in range(1, 10)),
        # Handled before the key reaches the field, so that what is typed next lands in the
        # next field even when the keys come faster than the screen redraws.
        Binding("enter", "next_field", show=False, priority=True),
    ]

    def __init__(self, draft: Draft | None = None, mail: StoredMail | None = None) -> None:
        super().__init__()
        self.offered_draft = draft
        self.mail = mail  # the inbox's e-mail this form is filled in from
        self.known: list[KnownComplainant] = []
        self.linked: KnownComplainant | None = None
        self._draft_timer: Timer | None = None
        self._filling = False
        self.saving = False
        # Which form the agent is typing (one more after each save), and the turn that the
        # draft's writes and the case's save take on the store.
        self._form_number = 0
        self._store_turn = threading.Lock()
        self._subject_typed_on_list = False  # see on_key
        self._language_chosen = False  # see _suggest_language

    # -- layout --------------------------------------------------------------------------------

    # Narrower than this, the known complainant's panel goes under the form (see app.tcss).
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (110, "-wide"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="intake"):
            with VerticalScroll(id="intake-form"):
                yield Static(id="intake-result")
                for name in CONTACT_FIELDS:
                    yield from self._text_field(name)
                yield from self._choice_field("language")
                yield from self._choice_field("channel")
                yield from self._text_field("received")
                yield Label(
                    tr("intake.received_hint"),
                    classes="intake-hint",
                    id="received-hint",
                    markup=False,
                )
                yield from self._choice_field("category")
                yield from self._text_field("subject")
                with Horizontal(classes="intake-row intake-tall"):
                    yield Label(tr("intake.description"), classes="intake-label", markup=False)
                    yield TextArea(id="f-description", soft_wrap=True, tab_behavior="focus")
                with Horizontal(classes="intake-row"):
                    yield Label("", classes="intake-label")
                    yield TickBox(tr("intake.urgent"), id="f-urgent", compact=True)
                    yield TickBox(tr("intake.anonymous"), id="f-anonymous", compact=True)
            with VerticalScroll(id="intake-known"):
                yield Static(id="known-body")
        yield KeyBar()

    def _text_field(self, name: str) -> ComposeResult:
        with Horizontal(classes="intake-row", id=f"row-{name}"):
            yield Label(tr(f"intake.{name}"), classes="intake-label", markup=False)
            # The date of receipt is selected on entry: typing "24/11" replaces today's date.
            yield Input(id=f"f-{name}", select_on_focus=name == "received", compact=True)
            yield Label("", id=f"e-{name}", classes="intake-error", markup=False)

    def _choice_field(self, name: str) -> ComposeResult:
        with Horizontal(classes="intake-row", id=f"row-{name}"):
            yield Label(tr(f"intake.{name}"), classes="intake-label", markup=False)
            with RadioSet(id=f"f-{name}", classes=f"intake-choice {name}", compact=True):
                for value in CHOICES[name]:
                    yield ChoiceButton(
                        _choice_label(name, value), id=f"{name}-{value}", compact=True
                    )

    def on_mount(self) -> None:
        self.title = tr("intake.title")
        self.query_one("#intake-known").display = False
        self.reset()
        if self.mail is not None:
            self._fill_from_mail(self.mail)
        elif self.offered_draft is not None:
            draft = self.offered_draft
            when = draft.updated_at.replace("T", " ")[:16]
            self.app.push_screen(
                ConfirmDialog(tr("intake.draft_found", when=when)),
                lambda restore: self._restore(draft) if restore else self._forget_draft(),
            )

    # -- reading and filling the form ----------------------------------------------------------

    def _fill_from_mail(self, mail: StoredMail) -> None:
        """The form as the e-mail gives it: the sender, the subject, the message as the
        description, the channel (the online form when its PDF is attached) and the day the
        message reached the service as the date of receipt. The agent checks and completes."""
        self.title = tr(
            "inbox.from_mail", sender=one_line(mail.sender_email), day=short_date(mail.received)
        )
        last, first = split_name(mail.sender_name)
        subject = re.sub(r"^\s*((re|tr|fw|fwd|aw|wg)\s*:\s*)+", "", mail.subject, flags=re.I)
        defaults = self.defaults()
        written_in = language_of_text(f"{mail.subject}\n{mail.body}")
        self.fill(
            {
                **defaults,
                # The language the citizen wrote in, when it shows; else the form's default.
                "language": written_in or defaults["language"],
                "last_name": last,
                "first_name": first,
                "email": mail.sender_email,
                "channel": (Channel.WEB_FORM if mail.web_form else Channel.EMAIL).value,
                "received": short_date(mail.received),
                "subject": subject[:200],
                "description": mail.body,
            }
        )
        self.query_one("#f-last_name", Input).focus()

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
        """A fresh form. The channel and the language stay as the agent last left them (the
        agent's channel and their own language at first); a letter keeps the date of the
        letter before it (a tray of the same day's post; the first one's is typed), a call or
        an e-mail takes today's."""
        kept = self.app.intake_kept
        channel = kept.get("channel") or self.app.settings.intake.channel_for(self.app.agent)
        if channel == Channel.LETTER:  # the in-tray stamp, typed for the first letter
            received = kept.get("received", "")
        else:
            received = short_date(self.app.today())
        return {
            "language": kept.get("language") or interface_language(),
            "channel": channel,
            "received": received,
            "category": Category.OTHER.value,
        }

    def keep_for_next(self) -> None:
        """What the next form starts with, even after leaving this one."""
        values = self.form()
        self.app.intake_kept = {
            "channel": values["channel"],
            "language": values["language"],
            "received": values["received"] if values["channel"] == Channel.LETTER else "",
        }

    def is_blank(self) -> bool:
        """Nothing of a caller typed: the channel, language and date are the session's."""
        form = {k: v for k, v in self.form().items() if k not in SESSION_FIELDS}
        blank = {**dict.fromkeys(form, ""), "category": Category.OTHER.value}
        return form == blank

    def reset(self) -> None:
        """A fresh form: nothing of the previous caller stays, nor arrives later."""
        self._form_number += 1
        self.workers.cancel_group(self, "intake-known")
        self.linked = None
        self.known = []
        self._language_chosen = False
        self._show_known()
        defaults = self.defaults()
        self.fill(defaults)
        first = "received" if not defaults["received"] else "last_name"  # a tray's first letter
        self.query_one(f"#f-{first}", Input).focus()

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
        if name in TEXT_FIELDS and not self.saving and not self._filling:
            self.check(name)

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

    # -- the known complainant -----------------------------------------------------------------

    def _look_up(self) -> None:
        values = {}
        for name in LOOKUP_FIELDS:
            try:
                values[name] = check_field(
                    name, self.query_one(f"#f-{name}", Input).value, self.app.today()
                )
            except InvalidValue:
                values[name] = ""
        if not any(values.values()):
            self.workers.cancel_group(self, "intake-known")
            self._found([], self._form_number)
            return
        self._find_known(values["phone"], values["email"], values["niss"], self._form_number)

    @background(group="intake-known")
    def _find_known(self, phone: str, email: str, niss: str, form_number: int) -> None:
        found = find_known(self.app.store, phone=phone, email=email, niss=niss)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found, found, form_number)

    def _found(self, found: list[KnownComplainant], form_number: int) -> None:
        """The people matching this form's phone, e-mail or NISS; a lookup for a form already
        saved or reset (the previous caller) is ignored."""
        if form_number != self._form_number:
            return
        self.known = found
        self._show_known()

    def _show_known(self) -> None:
        panel = self.query_one("#intake-known")
        panel.display = bool(self.known)
        if not self.known:
            return
        # What to do first: on a narrow terminal only the panel's first lines show.
        body = Text()
        body.append(tr("intake.known_title") + "\n", style="bold")
        if self.linked is not None:
            name = f"{self.linked.last_name.upper()} {self.linked.first_name}"
            linked = tr("intake.linked", name=name, id=self.linked.id)
            body.append_text(user_text(linked, style="bold"))
        else:
            body.append(tr("intake.known_link_hint"), style="italic")
        body.append("\n")
        for number, person in enumerate(self.known):
            if number:
                body.append("\n")
            body.append_text(
                user_text(f"{person.last_name.upper()} {person.first_name}\n", style="bold")
            )
            for value in (
                display_phone(person.phone) if person.phone else "",
                person.email or "",
                " ".join(p for p in (person.street, person.postal_code, person.town) if p),
            ):
                if value:
                    body.append_text(user_text(value + "\n"))
            fields = ", ".join(tr(f"matched_field.{f}") for f in person.matched_on)
            body.append(tr("intake.known_matched", fields=fields) + "\n", style="dim")
            if person.open_cases:
                body.append(
                    tr(
                        "intake.known_open_cases",
                        count=len(person.open_cases),
                        total=person.cases_total,
                    )
                    + "\n"
                )
                for case in person.open_cases[:5]:
                    body.append(f"  {case.reference} ")
                    body.append(tr(f"status_short.{case.status}") + " ", style="dim")
                    body.append_text(user_text(case.subject[:40] + "\n"))
            else:
                body.append(tr("intake.known_none_open", total=person.cases_total) + "\n")
        self.query_one("#known-body", Static).update(body)

    def action_link(self) -> None:
        if self.linked is not None:
            self.linked = None
        elif self.known:
            self.linked = person = self.known[0]
            self.fill(
                {
                    **self.form(),
                    "last_name": person.last_name,
                    "first_name": person.first_name,
                    "phone": display_phone(person.phone) if person.phone else "",
                    "email": person.email or "",
                    "street": person.street or "",
                    "postal_code": person.postal_code or "",
                    "town": person.town or "",
                    "niss": display_niss(person.niss) if person.niss else "",
                    "language": person.language,
                }
            )
        self._show_known()

    # -- drafts --------------------------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    def _typed(self) -> None:
        if self._filling:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DEBOUNCE_SECONDS, self._keep_draft)

    def _keep_draft(self) -> None:
        self._write_draft(None if self.is_blank() else self.form(), self._form_number)

    @background(group="intake-draft")
    def _write_draft(self, form: dict[str, str] | None, form_number: int) -> None:
        """Keep the form as typed. A draft of a form already saved is never written: the
        case's save and the draft's writes take turns, and the save ends that form."""
        app = self.app
        with self._store_turn:
            if form_number != self._form_number:
                return
            if form is None:
                delete_draft(app.store, app.agent)
            else:
                save_draft(app.store, app.agent, self._with_mail(form), app.now())

    def keep_draft_now(self) -> None:
        """The draft written at once, when the app is about to close."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        with self._store_turn:
            try:
                save_draft(
                    self.app.store, self.app.agent, self._with_mail(self.form()), self.app.now()
                )
            except StoreError as error:  # closing anyway: the log keeps why
                failure_message(error, self.app.log_path)

    def _with_mail(self, form: dict[str, str]) -> dict[str, str]:
        """The draft remembers the e-mail the form comes from: restored, it saves to it."""
        return {**form, MAIL_KEY: str(self.mail.id)} if self.mail is not None else form

    def _restore(self, draft: Draft) -> None:
        """The form as it was, the cursor where the agent stopped: after the last field typed,
        so that what they type next goes where it belongs."""
        values = {**self.defaults(), **draft.form}
        if draft.form.get(MAIL_KEY, "").isdigit():
            try:
                self.mail = get_mail(self.app.store, int(draft.form[MAIL_KEY]))
            except StoreError:  # the message is gone: the form stays a plain form
                self.mail = None
        self.fill(values)
        order = [*TEXT_FIELDS, "description"]
        typed = [name for name in order if values.get(name) and name not in self.defaults()]
        if values.get("description"):
            self.query_one("#f-description", TextArea).focus()
        elif typed:
            following = order[min(order.index(typed[-1]) + 1, len(order) - 1)]
            self.query_one(f"#f-{following}").focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Entering the description puts the cursor at its end, after what is there; coming
        back to the list of subjects, a space takes an option again (see on_key)."""
        if isinstance(event.widget, TextArea):
            event.widget.move_cursor(event.widget.document.end)
        if event.widget.id == "f-category":
            self._subject_typed_on_list = False

    def _forget_draft(self) -> None:
        self._write_draft(None, self._form_number)

    # -- saving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        after_typed(self, self._check_and_save)

    def _check_and_save(self) -> None:
        if self.saving:
            return
        checked = check_form(self.form(), self.app.today())
        for name in TEXT_FIELDS:
            self.check(name)
        if checked.errors:
            self.notify(tr("intake.errors", count=len(checked.errors)), severity="error")
            first = next(name for name in TEXT_FIELDS if name in checked.errors)
            self.query_one(f"#f-{first}", Input).focus()
            return
        if needs_old_date_confirmation(checked.received, self.app.today()):
            question = tr(
                "intake.confirm_old_date",
                day=short_date(checked.received),
                days=CONFIRM_OLDER_THAN_DAYS,
            )
            self.app.push_screen(
                ConfirmDialog(question), lambda sure: self._save(checked) if sure else None
            )
            return
        self._save(checked)

    def _save(self, checked: CheckedForm) -> None:
        self.saving = True
        self._write_case(checked, self.linked)

    @background(group="intake-save", on_error="_save_failed")
    def _write_case(self, checked: CheckedForm, linked: KnownComplainant | None) -> None:
        app = self.app
        values = checked.values
        now = app.now()
        channel = Channel(values["channel"])
        person: ComplainantInput | int = (
            linked.id
            if linked is not None
            else ComplainantInput(
                last_name=values["last_name"],
                first_name=values["first_name"],
                phone=values["phone"] or None,
                email=values["email"] or None,
                street=values["street"] or None,
                postal_code=values["postal_code"] or None,
                town=values["town"] or None,
                country=values["country"] or None,
                language=Language(values["language"]),
                niss=values["niss"] or None,
            )
        )
        case = CaseInput(
            channel=channel,
            received=checked.received,
            received_time=now.time().replace(second=0, microsecond=0)
            if channel is Channel.PHONE and checked.received == now.date()
            else None,
            category=Category(values["category"] or Category.OTHER),
            subject=values["subject"],
            description=values["description"],
            language=Language(values["language"]),
            urgent=bool(values["urgent"]),
            anonymous=checked.anonymous,
        )
        with self._store_turn:
            saved = create_case(
                app.store,
                person,
                case,
                actor=app.actor,
                now=now,
                calculator=app.calculator,
                draft_of=app.agent,
                mail_id=self.mail.id if self.mail is not None else None,
            )
            self._form_number += 1
        app.call_from_thread(self._saved, saved, checked)

    def _save_failed(self, error: str, *_: object) -> None:
        """Not saved: the form keeps everything typed (and so does the draft)."""
        self.saving = False
        self.notify(tr("intake.save_failed", error=error), severity="error", timeout=10)

    def _saved(self, case: dict[str, object], checked: CheckedForm) -> None:
        self.saving = False
        if self.mail is not None:  # the e-mail is the case's now; the next form is blank
            self.mail = None
            self.title = tr("intake.title")
        not_owed = case["acknowledgement_means"] == ACK_NOT_OWED
        message = tr(
            "intake.saved_anonymous" if not_owed else "intake.saved",
            reference=case["reference"],
            ack=short_date(date.fromisoformat(str(case["acknowledgement_due"]))),
            reply=short_date(date.fromisoformat(str(case["reply_due"]))),
        )
        result = Text(f"✓ {message}", style="bold")
        if case["contact_incomplete"]:
            result.append(f"\n✉ {tr('intake.saved_incomplete')}")
        letter = checked.values["channel"] == Channel.LETTER
        self.app.intake_kept = {
            "channel": checked.values["channel"],
            "language": checked.values["language"],
            "received": short_date(checked.received) if letter else "",
        }
        if letter:
            result.append(f"\n{tr('intake.kept_for_next')}", style="dim")
        self.query_one("#intake-result", Static).update(result)
        self.notify(message)
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.reset()
        if not self.app.offers_admissibility:  # the mailroom logs; others decide
            return
        case_id = int(str(case["id"]))
        self.app.push_screen(
            ConfirmDialog(tr("admissibility_screen.offer", reference=case["reference"])),
            lambda now: self.app.check_admissibility(case_id) if now else None,
        )

    # -- leaving -------------------------------------------------------------------------------

    def action_discard(self) -> None:
        if self.is_blank():
            self._leave()
            return
        self.app.push_screen(
            ConfirmDialog(tr("intake.confirm_discard")),
            lambda sure: self._leave(forget=True) if sure else None,
        )

    def _leave(self, forget: bool = False) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.keep_for_next()
        if forget:
            self._forget_draft()
        self.app.pop_screen()
