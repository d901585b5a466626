"""Logging a complaint: a phone call typed live, a tray of letters, an e-mail, a web form.

Keyboard first: tab / shift+tab or enter move on, ctrl+s saves from any field, escape asks
before throwing a filled form away. Each field is checked as the agent leaves it; the form is
kept as a draft as it is typed, so a dropped SSH session loses nothing.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import (
    Checkbox,
    Input,
    Label,
    RadioSet,
    Static,
    TextArea,
)

from plaintes_tui.domain.case_record import Case
from plaintes_tui.domain.cases import ACK_NOT_OWED, Channel
from plaintes_tui.domain.intake import (
    CONFIRM_OLDER_THAN_DAYS,
    CheckedForm,
    check_form,
    needs_old_date_confirmation,
)
from plaintes_tui.i18n import short_date, short_moment, tr
from plaintes_tui.store.case_rows import case_of
from plaintes_tui.store.cases import create_case, intake_inputs
from plaintes_tui.store.complainants import KnownComplainant, record_for
from plaintes_tui.store.database import StoreError
from plaintes_tui.store.drafts import Draft, delete_draft, keep_last_draft, save_draft
from plaintes_tui.store.mailbox import StoredMail, get_mail
from plaintes_tui.store.rectify import update_record
from plaintes_tui.tui.dialogs.confirm import ConfirmDialog
from plaintes_tui.tui.focus import after_typed
from plaintes_tui.tui.screens.intake_form import (
    CONTACT_FIELDS,
    TEXT_FIELDS,
)
from plaintes_tui.tui.screens.intake_from_mail import first_to_check, mail_values, next_in_tray
from plaintes_tui.tui.screens.intake_known import IntakeKnown
from plaintes_tui.tui.text import one_line
from plaintes_tui.tui.widgets.footer import KeyBar
from plaintes_tui.tui.widgets.known_panel import KnownPanel
from plaintes_tui.tui.widgets.scan_panel import ScanDialog, ScanPanel, scan_text
from plaintes_tui.tui.widgets.title_bar import TitleBar
from plaintes_tui.tui.widgets.toggles import TickBox
from plaintes_tui.tui.workers import background, failure_message

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk

DRAFT_SECONDS = 0.3
# In a draft, the inbox message the form was filled in from.
MAIL_KEY = "_mail"


class IntakeScreen(IntakeKnown):
    app: Desk
    CSS_PATH = "intake.tcss"  # parsed when the form first opens, not before the queue shows

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "intake.save", priority=True, id="intake.save"),
        Binding("escape", "discard", "intake.discard", id="intake.discard"),
        Binding("ctrl+l", "link", "intake.link", id="intake.link"),
        Binding("ctrl+o", "letter", "intake.key_letter", id="intake.letter"),
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
        self._as_given: dict[str, str] | None = None  # the form as that message filled it in
        self._draft_timer: Timer | None = None
        # The turn that the draft's writes and the case's save take on the store.
        self._store_turn = threading.Lock()
        # The draft as this session last wrote it or found it (None: none): at its end, it is
        # kept only if still that (see store/drafts.py: another session may have taken it).
        self._last_draft = draft.text if draft is not None else None
        self._letter_put_away = False  # ctrl+o: the letter's panel hidden (see _show_letter)
        self.app.hold_keys_until_shown(self)  # F2 or enter and what follows, typed in one go

    # -- layout --------------------------------------------------------------------------------

    # Narrower than 140, the known complainant's panel goes under the form; narrower than 110,
    # the labels wrap too (see app.tcss).
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (110, "-medium"),
        (140, "-wide"),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar()
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
            yield ScanPanel(id="intake-letter")
            yield KnownPanel(id="intake-known")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = tr("intake.title")
        self.query_one("#intake-known").display = False
        self.reset()
        if self.mail is not None:
            self._fill_from_mail(self.mail)
        elif self.offered_draft is not None:
            draft = self.offered_draft
            when = short_moment(draft.updated_at)  # as every moment shows: 06/12/2026 09:41
            self.app.push_screen(
                ConfirmDialog(tr("intake.draft_found", when=when)),
                lambda restore: self._restore(draft) if restore else self._forget_draft(),
            )
        self.app.shown(self)

    # -- filling the form -------------------------------------------------------------------

    def _fill_from_mail(self, mail: StoredMail) -> None:
        """The form as the e-mail or the scanned letter gives it (see intake_from_mail.py);
        the agent checks and completes, starting with the name."""
        title, values, doubtful = mail_values(mail, self.defaults())
        self.title = title
        self.fill(values)
        self._as_given = values
        for name in doubtful:
            self.query_one(f"#e-{name}", Label).update(tr("scan.check"))
        first = first_to_check(values, doubtful) if mail.scan is not None else "last_name"
        # At once, not after the keys queued: those typed with the one that opened the form
        # (enter 1 over SSH) go where the cursor now stands.
        self.set_focus(self.query_one(f"#f-{first}"))
        self._show_letter()

    # -- the scanned letter beside the form ----------------------------------------------------

    def _show_letter(self) -> None:
        """Beside the form on a wide screen, the letter the form is filled in from as the OCR
        read it (unless the agent put it away with ctrl+o)."""
        scan = self.mail.scan if self.mail is not None else None
        shown = scan if not self._letter_put_away else None
        self.query_one(ScanPanel).show(shown, self.mail.body if self.mail else "")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "letter":  # offered while the form is filled in from a scan
            return self.mail is not None and self.mail.scan is not None
        return True

    def action_letter(self) -> None:
        """The letter as read: put away or back beside the form (a wide screen), or over it."""
        if self.mail is None or self.mail.scan is None:
            return
        if self.has_class("-wide"):
            self._letter_put_away = not self._letter_put_away
            self._show_letter()
        else:
            self.app.push_screen(ScanDialog(scan_text(self.mail.scan, self.mail.body)))

    def reset(self) -> None:
        """A fresh form: nothing of the previous caller stays, nor arrives later."""
        self._form_number += 1
        self.workers.cancel_group(self, "intake-known")
        self.linked = None
        self.known = []
        self._language_chosen = False
        self._as_given = None
        self._show_known()
        defaults = self.defaults()
        self.fill(defaults)
        first = "received" if not defaults["received"] else "last_name"  # a tray's first letter
        self.set_focus(self.query_one(f"#f-{first}", Input))

    # -- drafts --------------------------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    def _typed(self) -> None:
        """The draft is written at most DRAFT_SECONDS after a key, however long the agent
        types without a pause: a killed session loses no more than that."""
        if self._filling or self._draft_timer is not None:
            return
        self._draft_timer = self.set_timer(DRAFT_SECONDS, self._keep_draft)

    def _keep_draft(self) -> None:
        self._draft_timer = None  # the next key starts the next one
        self._ask_draft(None if self.is_blank() else self.form())

    def _ask_draft(self, form: dict[str, str] | None) -> None:
        """The draft written (None: deleted) off the UI thread, after any asked for before."""
        self._drafts_asked += 1
        self._write_draft(form, self._form_number, self._drafts_asked)

    @background(group="intake-draft", exclusive=False)
    def _write_draft(self, form: dict[str, str] | None, form_number: int, asked: int) -> None:
        """Keep the form as typed. A draft of a form already saved is never written: the
        case's save and the draft's writes take turns, and the save ends that form. Nor is
        one overtaken by a later request (a discard right after the timer's write: the later
        delete must not be undone by the earlier write taking its turn last)."""
        app = self.app
        with self._store_turn:
            if form_number != self._form_number or asked != self._drafts_asked:
                return
            if form is None:
                delete_draft(app.store, app.agent)
                self._last_draft = None
            else:
                self._last_draft = save_draft(
                    app.store, app.agent, self._with_mail(form), app.now()
                )

    def _stop_draft_timer(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def keep_draft_now(self) -> None:
        """The draft written at once, when the app is about to close — unless another session
        of the agent's took it over, saved or dropped it meanwhile."""
        self._stop_draft_timer()
        app = self.app
        with self._store_turn:
            try:
                form = self._with_mail(self.form())
                keep_last_draft(app.store, app.agent, form, app.now(), self._last_draft)
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
        self._show_letter()
        order = [*TEXT_FIELDS, "description"]
        typed = [name for name in order if values.get(name) and name not in self.defaults()]
        if values.get("description"):
            self.set_focus(self.query_one("#f-description", TextArea))
        elif typed:
            following = order[min(order.index(typed[-1]) + 1, len(order) - 1)]
            self.set_focus(self.query_one(f"#f-{following}"))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Entering the description puts the cursor at its end, after what is there; coming
        back to the list of subjects, a space takes an option again (see on_key)."""
        if isinstance(event.widget, TextArea):
            event.widget.move_cursor(event.widget.document.end)
        if event.widget.id == "f-category":
            self._subject_typed_on_list = False

    def _forget_draft(self) -> None:
        self._ask_draft(None)

    # -- saving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        self.app.hold_keys()  # what is typed after ctrl+s is for what comes after the save
        after_typed(self, self._check_and_save)

    def _check_and_save(self) -> None:
        if self._save_or_say_why():
            return
        self.app.release_keys()  # not saving: the keys go on where they were typed

    def _save_or_say_why(self) -> bool:
        """True when the save is under way (its end releases the held keys)."""
        if self.saving:  # already saving: that save releases them
            return True
        checked = check_form(self.form(), self.app.today())
        for name in TEXT_FIELDS:
            self.check(name)
        if checked.errors:
            self.notify(tr("intake.errors", count=len(checked.errors)), severity="error")
            first = next(name for name in TEXT_FIELDS if name in checked.errors)
            self.query_one(f"#f-{first}", Input).focus()
            return False
        if needs_old_date_confirmation(checked.received, self.app.today()):
            question = tr(
                "intake.confirm_old_date",
                day=short_date(checked.received),
                days=CONFIRM_OLDER_THAN_DAYS,
            )
            self.app.push_screen(
                ConfirmDialog(question), lambda sure: self._save(checked) if sure else None
            )
            return False  # the keys typed after ctrl+s answer the question
        self._save(checked)
        return True

    def _save(
        self, checked: CheckedForm, *, linked: KnownComplainant | None = None, new: bool = False
    ) -> None:
        self.saving = True
        self.app.hold_keys()  # (again, when the save was confirmed first)
        self._write_case(checked, linked or self.linked, new)

    @background(group="intake-save", on_error="_save_failed")
    def _write_case(
        self, checked: CheckedForm, linked: KnownComplainant | None, new: bool = False
    ) -> None:
        """Save the case. One record per person: unless linked (ctrl+l), or a new record was
        asked for (``new``), the same NISS links to its record, and a phone, e-mail or name
        already known asks first."""
        app = self.app
        same_niss: KnownComplainant | None = None
        if linked is None and not new and not checked.anonymous:
            same_niss, known = record_for(app.store, checked.values)
            if known is not None:
                app.call_from_thread(self._ask_new_person, checked, known)
                return
            linked = same_niss
        now = app.now()
        person, case = intake_inputs(checked, now, app.settings.services)
        with self._store_turn:
            saved = create_case(
                app.store,
                linked.id if linked is not None else person,
                case,
                actor=app.actor,
                now=now,
                calculator=app.calculator,
                draft_of=app.agent,
                mail_id=self.mail.id if self.mail is not None else None,
            )
            self._form_number += 1
            self._last_draft = None  # the save took the draft away
        tray = next_in_tray(app.store, self.mail) if self.mail and self.mail.scan else (None, 0)
        app.call_from_thread(self._saved, case_of(saved), checked, same_niss, tray)
        if linked is not None:  # a new address (…) typed for a known person: their record
            try:
                updated = update_record(
                    app.store, linked.id, person, seen=linked.record(), actor=app.actor, now=now
                )
            except StoreError as error:  # the case is saved; the record stays as it was
                updated = ""
                app.call_from_thread(self.notify, str(error), severity="warning", timeout=10)
            if updated:
                app.call_from_thread(self.notify, tr("intake.record_updated", fields=updated))

    def _ask_new_person(self, checked: CheckedForm, person: KnownComplainant) -> None:
        """The phone, e-mail or name typed is someone's already: a second record only if the agent
        says so; else back to the form, where ctrl+l links the complaint to that record."""
        self.saving = False
        self.known = [person, *[k for k in self.known if k.id != person.id]]
        self._show_known()
        question = tr(
            "intake.confirm_new_person",
            name=one_line(f"{person.last_name.upper()} {person.first_name}".strip()),
            number=person.id,
            matched=", ".join(tr(f"field.{column}") for column in person.matched_on),
        )
        self.app.push_screen(
            ConfirmDialog(question),
            lambda new: self._save(checked, new=True) if new else None,
        )
        self.app.release_keys()

    def _save_failed(self, error: str, *_: object) -> None:
        """Not saved: the form keeps everything typed (and so does the draft)."""
        self.saving = False
        self.notify(tr("intake.save_failed", error=error), severity="error", timeout=10)
        self.app.release_keys()

    def _saved(
        self,
        case: Case,
        checked: CheckedForm,
        same_niss: KnownComplainant | None = None,
        tray: tuple[StoredMail | None, int] = (None, 0),
    ) -> None:
        self.saving = False
        following, waiting = tray
        if self.mail is not None:  # the e-mail is the case's now; the next form is blank
            self.mail = None
            self.title = tr("intake.title")
        not_owed = case.acknowledgement_means == ACK_NOT_OWED
        message = tr(
            "intake.saved_anonymous" if not_owed else "intake.saved",
            reference=case.reference,
            ack=short_date(case.acknowledgement_due),
            reply=short_date(case.reply_due) if case.reply_due else "—",
        )
        result = Text(f"✓ {message}", style="bold")
        if case.contact_incomplete:
            result.append(f"\n✉ {tr('intake.saved_incomplete')}")
        if same_niss is not None:  # one record per person: said, never silent
            name = f"{same_niss.last_name.upper()} {same_niss.first_name}".strip()
            result.append(
                f"\n⚭ {tr('intake.linked_same_niss', name=one_line(name), number=same_niss.id)}"
            )
        letter = checked.values["channel"] == Channel.LETTER
        self.app.intake_kept = {  # a caller's language is theirs: the next one starts afresh
            "channel": checked.values["channel"],
            "received": short_date(checked.received) if letter else "",
        }
        if letter and following is None:
            result.append(f"\n{tr('intake.kept_for_next')}", style="dim")
        self.notify(message)
        self._stop_draft_timer()
        self.reset()
        if following is not None:  # the pile of scanned letters: the next one, filled in
            result.append(f"\n{tr('scan.tray_next', count=waiting)}", style="bold")
            self.mail = following
            self._fill_from_mail(following)
        else:
            self._show_letter()  # none left: the panel goes
        self.query_one("#intake-result", Static).update(result)
        if self.app.offers_admissibility:  # the mailroom logs; others decide
            self.app.push_screen(
                ConfirmDialog(tr("admissibility_screen.offer", reference=case.reference)),
                lambda now: self.app.check_admissibility(case.id) if now else None,
            )
        self.app.release_keys()  # the keys typed after ctrl+s, for what is now on screen

    # -- leaving -------------------------------------------------------------------------------

    def action_discard(self) -> None:
        """Leave; a form with something typed asks first. One filled in from a message, left
        as the message gave it, loses nothing: the message stays in the inbox."""
        if self.is_blank():
            self._leave()
            return
        given = self._as_given
        if given is not None and self._as_message_gave(given):
            # a draft this form wrote held a change since undone: nothing of it to keep
            self._leave(forget=self._last_draft is not None)
            return
        question = "intake.confirm_discard" if given is None else "intake.confirm_discard_mail"
        self.app.push_screen(
            ConfirmDialog(tr(question)),
            lambda sure: self._leave(forget=True) if sure else None,
        )

    def _as_message_gave(self, given: dict[str, str]) -> bool:
        form = self.form()
        return form == {name: given.get(name, "") for name in form}

    def _leave(self, forget: bool = False) -> None:
        self._stop_draft_timer()
        self.keep_for_next()
        if forget:
            self._forget_draft()
        self.app.pop_screen()
