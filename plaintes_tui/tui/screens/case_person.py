"""The case file's actions on the complainant's record: correcting it, merging a duplicate
into it, and exporting the person's file on request (coordinators). Each goes through the
store's door for personal data (store/rectify.py, store/person_file.py), journaled on every
case of the person; a refused correction gives the typed values back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from plaintes_tui.domain.access import move_refusal
from plaintes_tui.domain.case_record import Case
from plaintes_tui.domain.intake import PERSON_FIELDS, check_person
from plaintes_tui.domain.validation import display_niss, display_phone, niss_birth_date
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import short_date, short_moment, tr
from plaintes_tui.store.access_log import Access, record
from plaintes_tui.store.person_file import Candidate, Exported, export_person
from plaintes_tui.store.rectify import (
    Merged,
    MergeToUndo,
    Unmerged,
    duplicates_of,
    merge,
    merge_to_undo,
    person_record,
    rectify,
    undo_merge,
)
from plaintes_tui.tui.dialogs.confirm import ConfirmDialog
from plaintes_tui.tui.dialogs.form import Field, FormDialog
from plaintes_tui.tui.keys import Screen
from plaintes_tui.tui.text import one_line
from plaintes_tui.tui.workers import background

if TYPE_CHECKING:
    from plaintes_tui.tui.desk import Desk


class ComplainantActions(Screen[None]):
    """What the case file does with its complainant's record (the case screen extends it)."""

    app: Desk
    case: Case | None

    @property
    def current(self) -> Case:
        """The case as last read (the actions are offered once it is)."""
        if self.case is None:
            raise LookupError("the case is still being read")
        return self.case

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "rectify", "person.key_rectify", show=False, id="case.rectify"),
        Binding("f", "merge", "person.key_merge", show=False, id="case.merge"),
        Binding("x", "export", "person.key_export", show=False, id="case.export"),
        Binding("u", "unmerge", "person.key_unmerge", show=False, id="case.unmerge"),
    ]

    def refresh_case(self) -> None:
        raise NotImplementedError

    def typed_by_mistake(self) -> bool:
        raise NotImplementedError

    def _show_failure(self, message: str, *args: object) -> None:
        """A read for a dialog (letters, agents) or a send failed: say why; nothing was typed."""
        self.notify(message, severity="error", timeout=15)

    def person_keys_hint(self) -> str:
        """The keys on the complainant's record this agent's role offers, for its panel."""
        offered = (
            tr(f"person.hint_{name}")
            for name, move in (
                ("rectify", Move.RECTIFY),
                ("merge", Move.MERGE),
                ("export", Move.EXPORT),
            )
            if move_refusal(self.app.actor, move, {}) is None
        )
        return " · ".join(offered)

    def _person_refusal(self, move: Move) -> bool:
        """True (and the agent told why) when ``move`` on the complainant is not for them now."""
        if not self.case or self.typed_by_mistake():
            return True
        why = move_refusal(self.app.actor, move, {})
        if why is None and self.current.anonymised_at:
            why = "person.anonymised"
        if why is not None:
            self.notify(tr(why), severity="warning")
        return why is not None

    def _person_name(self) -> str:
        return self.current.complainant.listed_name

    def _seen_person(self) -> dict[str, str | None]:
        person = self.current.complainant
        return {name: getattr(person, name) for name in PERSON_FIELDS}

    def action_rectify(self, typed: dict[str, str] | None = None) -> None:
        if self._person_refusal(Move.RECTIFY):
            return
        seen = self._seen_person()
        shown = {name: _shown(name, value) for name, value in seen.items()}
        self._consult_record()
        today = self.app.today()
        dialog = FormDialog(
            tr("person.rectify_title", name=one_line(self._person_name())),
            person_form(),
            typed or shown,
            today=today,
            check=lambda values: check_person(values, today)[1],
            typed_before=typed is not None,
        ).keep_drafts("rectify", self.current.id)
        if typed is None:
            dialog.opened_by_key_at = self.app.last_key_at
        self.app.push_screen(dialog, lambda result: self._rectify(seen, result) if result else None)

    @background(group="case-read", on_error="_show_failure")
    def _consult_record(self) -> None:
        """The person's whole record shown: who consulted it is logged."""
        record(
            self.app.store,
            self.app.agent,
            Access.PERSON,
            now=self.app.now(),
            case_id=self.current.id,
            complainant_id=self.current.complainant.id,
        )

    def _rectify(self, seen: dict[str, str | None], result: dict[str, object]) -> None:
        typed: dict[str, str] = dict(result["_typed"])  # type: ignore[call-overload]
        values, _ = check_person(typed, self.app.today())
        self._write_person(seen, values, typed)

    @background(group="case-move", on_error="_person_refused")
    def _write_person(
        self, seen: dict[str, str | None], values: dict[str, str], typed: dict[str, str]
    ) -> None:
        app = self.app
        changed = rectify(
            app.store,
            self.current.complainant.id,
            seen,
            values,
            actor=app.actor,
            now=app.now(),
        )
        app.call_from_thread(self._person_done, changed)

    def _person_done(self, changed: list[str]) -> None:
        self.refresh_case()
        if not changed:
            self.notify(tr("person.rectify_nothing"))
            return
        fields = ", ".join(tr(f"field.{name}") for name in changed)
        self.notify(tr("person.rectify_done", fields=fields))

    def _person_refused(
        self,
        message: str,
        seen: dict[str, str | None],
        values: dict[str, str],
        typed: dict[str, str],
    ) -> None:
        """Not saved: say why, show the record as it now is, and give the typed values back."""
        self.notify(message, severity="error", timeout=15)
        self.refresh_case()
        self.call_after_refresh(self.action_rectify, typed)

    def action_merge(self) -> None:
        if self._person_refusal(Move.MERGE):
            return
        self._offer_duplicates()

    @background(group="case-assign", on_error="_show_failure", keys_wait=True)
    def _offer_duplicates(self) -> None:
        app = self.app
        found, total = duplicates_of(app.store, self.current.complainant.id)
        app.call_from_thread(self._choose_duplicate, found, total)

    def _choose_duplicate(self, found: list[Candidate], total: int) -> None:
        if not found:
            self.notify(tr("person.merge_none"), severity="warning")
            return
        name = one_line(self._person_name())
        title = tr("person.merge_title", name=name)
        if total > len(found):  # a common name: the surest listed, the others counted
            title = tr("person.merge_title_some", name=name, shown=len(found), total=total)
        choices = tuple(
            (str(c.id), f"#{c.id}  {one_line(c.name)} — {tr('person.cases', count=c.cases)}")
            for c in found
        )
        field = Field("other", tr("person.merge_choice"), "choice", choices)
        self.app.push_screen(
            FormDialog(title, (field,)),
            lambda result: self._compare(int(str(result["other"]))) if result else None,
        )

    @background(group="case-assign", on_error="_show_failure", keys_wait=True)
    def _compare(self, other: int) -> None:
        """Both records read, to be shown side by side before anything is merged."""
        store = self.app.store
        keep = self.current.complainant.id
        shown = [(number, *person_record(store, number)) for number in (keep, other)]
        self.app.call_from_thread(self._ask_merge, other, shown)

    def _ask_merge(self, other: int, shown: list[tuple[int, dict[str, str | None], int]]) -> None:
        """The two records, field by field, and the question: merged only on yes."""
        blocks = []
        for title, (number, person, cases) in zip(
            ("person.merge_keep", "person.merge_other"), shown, strict=True
        ):
            values = [
                f"  {tr(f'intake.{name}')} : {one_line(_shown(name, person[name])) or '—'}"
                for name in PERSON_FIELDS
            ]
            born = niss_birth_date(person["niss"] or "")
            values.append(f"  {tr('person.birth_date')} : {short_date(born) if born else '—'}")
            head = tr(title, number=number, cases=tr("person.cases", count=cases))
            blocks.append("\n".join([head, *values]))
        question = tr("person.merge_confirm", records="\n".join(blocks), other=other)
        self.app.push_screen(
            ConfirmDialog(question), lambda sure: self._merge(other) if sure else None
        )

    @background(group="case-move", on_error="_show_failure")
    def _merge(self, other: int) -> None:
        app = self.app
        done = merge(app.store, self.current.complainant.id, other, actor=app.actor, now=app.now())
        app.call_from_thread(self._merged, done)

    def _merged(self, done: Merged) -> None:
        self.refresh_case()
        self.notify(tr("person.merge_done", moved=done.moved_cases))

    def action_unmerge(self) -> None:
        """A merge made by mistake undone (coordinators): the newest one, once confirmed."""
        if self._person_refusal(Move.UNMERGE):
            return
        self._find_merge()

    @background(group="case-assign", on_error="_show_failure", keys_wait=True)
    def _find_merge(self) -> None:
        found = merge_to_undo(self.app.store, self.current.complainant.id)
        self.app.call_from_thread(self._ask_unmerge, found)

    def _ask_unmerge(self, found: MergeToUndo | None) -> None:
        if found is None:
            number = self.current.complainant.id
            self.notify(tr("person.unmerge_none", number=number), severity="warning")
            return
        question = tr(
            "person.unmerge_confirm",
            other=found.other,
            keep=found.keep,
            day=short_moment(found.at),
            agent=one_line(found.agent),
        )
        self.app.push_screen(
            ConfirmDialog(question), lambda sure: self._unmerge() if sure else None
        )

    @background(group="case-move", on_error="_show_failure")
    def _unmerge(self) -> None:
        app = self.app
        done = undo_merge(app.store, self.current.complainant.id, actor=app.actor, now=app.now())
        app.call_from_thread(self._unmerged, done)

    def _unmerged(self, done: Unmerged) -> None:
        self.refresh_case()
        self.notify(tr("person.unmerge_done", record=done.record, moved=done.moved_cases))

    def action_export(self) -> None:
        if self._person_refusal(Move.EXPORT):
            return
        field = Field("reason", tr("person.export_reason"))
        self.app.push_screen(
            FormDialog(
                tr("person.export_title", name=one_line(self._person_name())), (field,)
            ).keep_drafts("export", self.current.id),
            lambda result: self._export(str(result["reason"])) if result else None,
        )

    @background(group="case-move", on_error="_show_failure")
    def _export(self, reason: str) -> None:
        app = self.app
        made = export_person(
            app.store,
            self.current.complainant.id,
            app.settings.output / "exports",
            reason=reason,
            actor=app.actor,
            now=app.now(),
        )
        app.call_from_thread(self._exported, made)

    def _exported(self, made: Exported) -> None:
        self.refresh_case()
        message = tr(
            "person.exported", folder=made.folder, cases=made.cases, files=made.letter_files
        )
        self.notify(message, timeout=20)


def _shown(name: str, value: str | None) -> str:
    """A stored value as the agent typed it: a phone or NISS in its usual form."""
    if not value:
        return ""
    if name == "phone":
        return display_phone(value)
    if name == "niss":
        return display_niss(value)
    return value


def person_form() -> tuple[Field, ...]:
    """The complainant's record as a form, labelled in the agent's language."""
    return tuple(
        Field(name, tr(f"intake.{name}"), required=name == "last_name") for name in PERSON_FIELDS
    )
