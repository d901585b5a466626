"""The intake form's known complainant: the people its phone, e-mail or NISS match, looked
up off the typing path as the agent leaves those fields, shown in the panel beside (or under)
the form, and linked with ctrl+l (what their record holds fills what was left empty)."""

from __future__ import annotations

from textual.widgets import Input
from textual.worker import get_current_worker

from plaintes_tui.domain.intake import check_field
from plaintes_tui.domain.validation import InvalidValue, display_niss, display_phone
from plaintes_tui.i18n import tr
from plaintes_tui.store.complainants import KnownComplainant, find_known, known_count
from plaintes_tui.tui.screens.intake_form import LOOKUP_FIELDS, IntakeForm
from plaintes_tui.tui.widgets.known_panel import KnownPanel
from plaintes_tui.tui.workers import background


class IntakeKnown(IntakeForm):
    def __init__(self) -> None:
        super().__init__()
        self.known: list[KnownComplainant] = []
        self.known_total = 0  # how many people match in all: more than listed, said
        self.linked: KnownComplainant | None = None

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
            self._found([], 0, self._form_number)
            return
        self._find_known(values["phone"], values["email"], values["niss"], self._form_number)

    @background(group="intake-known")
    def _find_known(self, phone: str, email: str, niss: str, form_number: int) -> None:
        found = find_known(self.app.store, phone=phone, email=email, niss=niss)
        total = known_count(self.app.store, phone=phone, email=email, niss=niss)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found, found, total, form_number)

    def _found(self, found: list[KnownComplainant], total: int, form_number: int) -> None:
        """The people matching this form's phone, e-mail or NISS; a lookup for a form already
        saved or reset (the previous caller) is ignored."""
        if form_number != self._form_number:
            return
        self.known, self.known_total = found, total
        self._show_known()

    def _show_known(self) -> None:
        self.query_one(KnownPanel).show(self.known, self.linked, self.known_total)

    def action_link(self) -> None:
        if self.linked is None and not self.known:  # never a key that does nothing silently
            self.notify(tr("intake.nothing_to_link"), severity="warning")
            return
        if self.linked is not None:
            self.linked = None
        elif self.known:  # what the record has fills what was left empty, nothing typed goes
            self.linked = person = self.known[0]
            typed = self.form()
            stored = {
                "last_name": person.last_name,
                "first_name": person.first_name,
                "phone": display_phone(person.phone) if person.phone else "",
                "email": person.email or "",
                "street": person.street or "",
                "postal_code": person.postal_code or "",
                "town": person.town or "",
                "niss": display_niss(person.niss) if person.niss else "",
            }
            filled = {k: typed.get(k, "").strip() or v for k, v in stored.items()}
            self.fill({**typed, **filled, "language": person.language})
        self._show_known()
