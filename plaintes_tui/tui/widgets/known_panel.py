"""The intake's "already known" panel: the people the form's phone, e-mail or NISS match,
their open cases, and which one the form is linked to (ctrl+l)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from plaintes_tui.domain.validation import display_phone
from plaintes_tui.i18n import tr
from plaintes_tui.printable import shortened
from plaintes_tui.store.complainants import KnownComplainant
from plaintes_tui.tui.text import user_text


class KnownPanel(VerticalScroll):
    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._shown: tuple[list[KnownComplainant], KnownComplainant | None, int] = ([], None, 0)

    def compose(self) -> ComposeResult:
        yield Static(id="known-body")

    def on_resize(self) -> None:
        """Beside the form or under it: laid out again for where it now is."""
        if self._shown[0]:
            self.show(*self._shown)

    def show(
        self, known: list[KnownComplainant], linked: KnownComplainant | None, total: int = 0
    ) -> None:
        """Shown while someone matches; hidden otherwise. Under the form (a narrow terminal),
        each person takes a line or two, so that their open cases show too. ``total``: how
        many people match in all, the others said when there are more than listed."""
        self._shown = (known, linked, total)
        self.display = bool(known)
        if not known:
            return
        compact = not self.screen.has_class("-wide")
        then = " · " if compact else "\n"
        # What to do first: on a narrow terminal only the panel's first lines show.
        body = Text()
        body.append(tr("intake.known_title") + (" — " if compact else "\n"), style="bold")
        if linked is not None:
            name = f"{linked.last_name.upper()} {linked.first_name}"
            line = tr("intake.linked", name=name, id=linked.id)
            body.append_text(user_text(line, style="bold"))
        else:
            body.append(tr("intake.known_link_hint"), style="italic")
        body.append("\n")
        if total > len(known):  # first: on a narrow terminal only the first lines show
            body.append(tr("intake.known_others", count=total - len(known)) + "\n", style="bold")
        for number, person in enumerate(known):
            if number and not compact:
                body.append("\n")
            body.append_text(
                user_text(f"{person.last_name.upper()} {person.first_name}", style="bold")
            )
            for value in (
                display_phone(person.phone) if person.phone else "",
                person.email or "",
                " ".join(p for p in (person.street, person.postal_code, person.town) if p),
            ):
                if value:
                    body.append_text(user_text(then + value))
            fields = ", ".join(tr(f"matched_field.{f}") for f in person.matched_on)
            body.append("\n" + tr("intake.known_matched", fields=fields) + then, style="dim")
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
                    body.append_text(user_text(shortened(case.subject, 40) + "\n"))
                if len(person.open_cases) > 5:
                    more = len(person.open_cases) - 5
                    body.append(tr("intake.known_open_more", count=more) + "\n", style="dim")
            else:
                body.append(tr("intake.known_none_open", total=person.cases_total) + "\n")
        self.query_one(Static).update(body)
