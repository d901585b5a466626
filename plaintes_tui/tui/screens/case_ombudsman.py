"""The Ombudsman's file in the case file: the referral, each request and its answer, the
conclusion (its panel), and what ``m`` offers once the case is referred (its steps' forms)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.console import Group, RenderableType
from rich.text import Text

from plaintes_tui.domain.case_record import Case
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.ombudsman import (
    AnswerMeans,
    OmbudsmanConclusion,
    OmbudsmanRequest,
    proposed_deadline,
)
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import short_date, tr
from plaintes_tui.printable import one_line, shortened
from plaintes_tui.tui.dialogs.form import Field, FormDialog
from plaintes_tui.tui.text import user_text

# The steps ``m`` offers on a referred case, in the order they come.
STEPS = (Move.OMBUDSMAN_REQUEST, Move.OMBUDSMAN_ANSWER, Move.OMBUDSMAN_CONCLUDE)


def ombudsman_panel(
    case: Case,
    requests: Sequence[OmbudsmanRequest],
    calculator: DeadlineCalculator,
    today: date,
) -> RenderableType:
    """The second line as it stands: referral, requests (open ones with their clock), the
    conclusion; and the key that records the next step."""
    referred = case.ombudsman_referred
    lines: list[RenderableType] = [Text(tr("case_ombudsman.title"), style="bold")]
    if referred is None:
        return Group(*lines)
    line = Text(tr("case_ombudsman.referred", day=short_date(referred)))
    if case.ombudsman_reference:
        line.append(" — ")
        line.append_text(
            user_text(tr("case_ombudsman.reference", reference=case.ombudsman_reference))
        )
    lines.append(line)
    for request in requests:
        head = Text(
            tr(
                "case_ombudsman.request",
                number=request.number,
                received=short_date(request.received),
            )
        )
        head.append(" ")
        head.append_text(user_text(shortened(request.asked, 70) or "—"))
        lines.append(head)
        if request.answered is not None:
            key = "answered_on_time" if request.on_time else "answered_late"
            status = Text(
                "    "
                + tr(
                    f"case_ombudsman.{key}",
                    day=short_date(request.answered),
                    means=tr(f"case_actions.means_{request.answer_means or 'letter'}"),
                    due=short_date(request.due),
                ),
                style="" if request.on_time else "bold",
            )
        elif case.ombudsman_concluded is not None:
            status = Text("    " + tr("case_ombudsman.unanswered", due=short_date(request.due)))
        else:
            band = calculator.band(request.due, None, today)
            status = Text(
                "    "
                + tr(
                    "case_ombudsman.due",
                    due=short_date(request.due),
                    band=tr(f"band.{band.value}"),
                ),
                style="bold",
            )
        lines.append(status)
    if case.ombudsman_conclusion is not None and case.ombudsman_concluded is not None:
        lines.append(
            Text(
                tr(
                    "case_ombudsman.concluded",
                    day=short_date(case.ombudsman_concluded),
                    conclusion=tr(f"ombudsman_conclusion.{case.ombudsman_conclusion.value}"),
                ),
                style="bold",
            )
        )
        if case.ombudsman_recommendation:
            recommendation = Text("    " + tr("case_ombudsman.recommendation") + " ")
            recommendation.append_text(user_text(one_line(case.ombudsman_recommendation)))
            lines.append(recommendation)
    else:
        lines.append(Text(tr("case_ombudsman.hint"), style="dim"))
    return Group(*lines)


def offered_steps(case: Case, requests: Sequence[OmbudsmanRequest]) -> list[Move]:
    """The steps that make sense now: a request while the Ombudsman has not concluded, an
    answer while a request is open, the conclusion once."""
    if case.ombudsman_referred is None or case.ombudsman_concluded is not None:
        return []
    steps = [Move.OMBUDSMAN_REQUEST]
    if any(request.open for request in requests):
        steps.append(Move.OMBUDSMAN_ANSWER)
    return [*steps, Move.OMBUDSMAN_CONCLUDE]


def step_dialog(case: Case, steps: Sequence[Move]) -> FormDialog:
    """Which step of the Ombudsman's file to record (the first offered, chosen by default)."""
    choices = tuple((step.value, tr(f"case_actions.{step.value}")) for step in steps)
    field = Field("step", tr("case_ombudsman.step"), "choice", choices)
    title = f"{tr('case_ombudsman.title')} — {case.reference}"
    return FormDialog(title, (field,), {"step": steps[0].value})


def step_fields(move: Move, requests: Sequence[OmbudsmanRequest]) -> tuple[Field, ...]:
    """What the agent types for a step of the Ombudsman's file."""
    if move is Move.OMBUDSMAN_REQUEST:
        return (
            Field("date", tr("case_ombudsman.received_on"), "date"),
            Field("asked", tr("case_ombudsman.asked")),
            Field("due", tr("case_ombudsman.due_on"), "deadline"),
        )
    if move is Move.OMBUDSMAN_ANSWER:
        open_ones = tuple(
            (
                str(request.number),
                tr(
                    "case_ombudsman.request_choice",
                    number=request.number,
                    due=short_date(request.due),
                    asked=shortened(request.asked, 40),
                ),
            )
            for request in requests
            if request.open
        )
        means = tuple((m.value, tr(f"case_actions.means_{m.value}")) for m in AnswerMeans)
        return (
            Field("number", tr("case_ombudsman.which"), "choice", open_ones),
            Field("date", tr("case_ombudsman.answered_on"), "date"),
            Field("means", tr("case_ombudsman.means"), "choice", means),
            Field("summary", tr("case_ombudsman.summary"), required=False),
        )
    if move is Move.OMBUDSMAN_CONCLUDE:
        scale = tuple((c.value, tr(f"ombudsman_conclusion.{c.value}")) for c in OmbudsmanConclusion)
        return (
            Field("date", tr("case_ombudsman.concluded_on"), "date"),
            Field("conclusion", tr("case_ombudsman.conclusion"), "choice", scale),
            Field("recommendation", tr("case_ombudsman.recommendation_field"), required=False),
        )
    return ()


def step_prefilled(
    move: Move, requests: Sequence[OmbudsmanRequest], today: date
) -> dict[str, str] | None:
    """A request's usual deadline; an answer to the oldest open request, by letter."""
    if move is Move.OMBUDSMAN_REQUEST:
        return {"due": short_date(proposed_deadline(today))}
    if move is Move.OMBUDSMAN_ANSWER:
        first = next((request for request in requests if request.open), None)
        return {"number": str(first.number) if first else "", "means": AnswerMeans.LETTER.value}
    return None
