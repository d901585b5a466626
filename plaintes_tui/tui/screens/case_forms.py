"""The forms of the case file's moves: what the agent types for each, and what a form starts
with."""

from __future__ import annotations

from collections.abc import Sequence

from plaintes_tui.domain.admissibility import ReferenceData
from plaintes_tui.domain.case_record import Case
from plaintes_tui.domain.cases import Admissibility, NetworkCategory
from plaintes_tui.domain.cases import Outcome as OutcomeKind
from plaintes_tui.domain.services import Service, suggested
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import interface_language, short_date, tr
from plaintes_tui.tui.dialogs.form import Field, FormDialog


def move_name(case: Case, move: Move) -> str:
    """The catalogue key naming ``move`` for this case: ``r`` on an acknowledged case corrects
    the acknowledgement."""
    if move is Move.ACKNOWLEDGE and case.acknowledgement_sent is not None:
        return "case_actions.acknowledge_correct"
    return f"case_actions.{move.value}"


def prefilled(case: Case, move: Move, reference: ReferenceData) -> dict[str, str] | None:
    """What a form starts with: forwarding proposes where the decision sends the file (by
    e-mail when the reference data has the address); the reply, the subject as logged when
    it was logged in the case's language; the acknowledgement, the means the complainant can
    be reached by."""
    if move is Move.REPLY and case.language.value == interface_language():
        return {"complaint": case.subject}
    if move is Move.ACKNOWLEDGE and case.acknowledgement_sent is not None:  # a correction
        return {
            "date": short_date(case.acknowledgement_sent),
            "means": case.acknowledgement_means or "",
        }
    if move is Move.ACKNOWLEDGE:  # how it most likely left: by e-mail if there is one
        return {"means": "email" if case.complainant.email else "letter"}
    if move is not Move.FORWARD:
        return None
    entry = reference.entry_for(case.admissibility_reason or "")
    if entry is None and case.admissibility is Admissibility.REDIRECTED_DG_HANDICAP:
        entry = reference.dg_handicap
    to = entry.in_language("fr") if entry else (case.admissibility_reason or "")
    return {"to": to, "means": "email" if entry is None or entry.email else "letter"}


def action_fields(move: Move, language: str = "fr") -> tuple[Field, ...]:
    """What the agent types for ``move``, labelled in the agent's language; nothing for a
    move made by picking from a list. What goes into a letter is asked in the case's
    ``language``: a letter is written in one language only."""
    in_language = tr(f"language_name.{language}")
    outcomes = tuple((o.value, tr(f"outcome.{o.value}")) for o in OutcomeKind)
    networks = tuple((c.value, tr(f"network.{c.value}")) for c in NetworkCategory)
    means = tuple((m, tr(f"case_actions.means_{m}")) for m in ("email", "letter", "phone"))
    forward_means = tuple(
        (m, tr(f"case_actions.means_{m}")) for m in ("email", "letter", "internal")
    )
    fields: dict[Move, tuple[Field, ...]] = {
        Move.NOTE: (Field("text", tr("case_actions.note_text")),),
        Move.ACKNOWLEDGE: (
            Field("date", tr("case_actions.date_sent"), "date"),
            Field("means", tr("case_actions.means"), "choice", means),
        ),
        Move.PAUSE: (
            Field("date", tr("case_actions.pause_since"), "date"),
            Field("reason", tr("case_actions.pause_reason")),
        ),
        Move.RESUME: (Field("date", tr("case_actions.resume_on"), "date"),),
        # The decision; the reply is sent when its letter leaves (l), or on the day given
        # here when it was written and posted outside the program.
        Move.REPLY: (
            Field("outcome", tr("case_actions.reply_outcome"), "choice", outcomes),
            Field("network_category", tr("case_actions.reply_category"), "choice", networks),
            Field("complaint", tr("case_actions.reply_complaint", language=in_language)),
            Field("summary", tr("case_actions.reply_summary_in", language=in_language)),
            Field("improvement_action", tr("case_actions.reply_improvement"), required=False),
            Field("date", tr("case_actions.reply_posted"), "date", required=False),
        ),
        Move.CLOSE: (Field("date", tr("case_actions.close_on"), "date"),),
        Move.REOPEN: (Field("reason", tr("case_actions.reopen_reason")),),
        Move.FORWARD: (
            Field("to", tr("case_actions.forward_to")),
            Field("means", tr("case_actions.forward_means"), "choice", forward_means),
            Field("date", tr("case_actions.forward_on"), "date"),
            Field("notes", tr("case_actions.forward_notes"), required=False),
        ),
        Move.OMBUDSMAN: (
            Field("date", tr("case_actions.ombudsman_on"), "date"),
            Field("reference", tr("case_actions.ombudsman_reference")),
            Field("notes", tr("case_actions.ombudsman_notes"), required=False),
        ),
    }
    return fields.get(move, ())


_NO_SERVICE = "none"


def service_dialog(case: Case, services: Sequence[Service]) -> FormDialog:
    """The services the settings list (the active ones, and the case's own), starting on the
    case's or on the one its category suggests."""
    language = interface_language()
    choices = [(_NO_SERVICE, tr("case_detail.no_service_choice"))] + [
        (service.code, service.name(language))
        for service in services
        if service.active or service.code == case.service
    ]
    start = case.service or suggested(services, case.category.value) or _NO_SERVICE
    field = Field("service", tr("case_actions.service_choice"), "choice", tuple(choices))
    title = f"{tr('case_actions.service_set')} — {case.reference}"
    return FormDialog(title, (field,), {"service": start})


def chosen_service(result: dict[str, object]) -> dict[str, object]:
    """The move's parameters from the dialog's answer."""
    code = result["service"]
    return {"service": None if code == _NO_SERVICE else code}
