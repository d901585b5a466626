"""What an admissibility decision changes in a case (recorded by ``workflow.perform``)."""

from __future__ import annotations

from plaintes_tui.domain.admissibility import Outcome
from plaintes_tui.domain.case_record import Case, CaseChanges
from plaintes_tui.domain.cases import Admissibility, Status
from plaintes_tui.domain.deadlines import DeadlineCalculator


def decision_changes(
    case: Case, outcome: Outcome, reason: str, calculator: DeadlineCalculator
) -> CaseChanges:
    """What a decision changes in a case: its outcome, its status and its reply clock."""
    changes: CaseChanges = {
        "admissibility": outcome.admissibility.value,
        "admissibility_reason": reason or None,
    }
    status = case.status
    if outcome.admissibility is Admissibility.ADMISSIBLE:
        changes["category"] = (outcome.category or case.category).value
        if status in (Status.RECEIVED, Status.INCOMPLETE, Status.OUT_OF_SCOPE):
            changes["status"] = Status.IN_PROGRESS.value
        if case.reply_due is None and not case.unreachable:  # decided out of scope before:
            # the reply clock is back (an anonymous complaint nobody can be reached for has none)
            clocks = calculator.clocks(case.received, case.received_time)
            changes["reply_due_original"] = changes["reply_due"] = clocks.reply_due
    elif outcome.admissibility is Admissibility.INCOMPLETE:
        if status is not Status.CLOSED:
            changes["status"] = Status.INCOMPLETE.value
    else:  # answered within the acknowledgement clock; no reasoned reply is owed
        if status is not Status.CLOSED:
            changes["status"] = Status.OUT_OF_SCOPE.value
        changes["reply_due"] = changes["reply_due_original"] = None
    return changes
