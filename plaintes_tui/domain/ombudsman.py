"""The second line: the Federal Ombudsman's file in a case.

Once a complainant turns to the Ombudsman (the referral: a day and the Ombudsman's
reference), the Ombudsman may send the service requests — what they ask, and by when it must
be answered. Each open request is a clock of the case (the queue shows the nearest, in the same
bands as the others); each answer records the day it left and how. The Ombudsman then
concludes on their own scale, with a recommendation or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class OmbudsmanConclusion(StrEnum):
    """The Federal Ombudsman's scale."""

    FOUNDED = "founded"
    PARTLY_FOUNDED = "partly_founded"
    UNFOUNDED = "unfounded"
    RESOLVED = "resolved"  # during the investigation


class AnswerMeans(StrEnum):
    LETTER = "letter"
    EMAIL = "email"


# The time the Ombudsman usually gives to answer, proposed when a request is logged (the agent
# types the deadline the request names).
USUAL_ANSWER_DAYS = 30


def proposed_deadline(received: date) -> date:
    return received + timedelta(days=USUAL_ANSWER_DAYS)


@dataclass(frozen=True, slots=True)
class OmbudsmanRequest:
    """One request of the Ombudsman about a case, numbered from 1 in the case."""

    number: int
    received: date
    asked: str
    due: date
    answered: date | None = None
    answer_means: AnswerMeans | None = None
    answer_summary: str = ""

    @property
    def open(self) -> bool:
        return self.answered is None

    @property
    def on_time(self) -> bool | None:
        """Whether it was answered by its deadline (None while open)."""
        return None if self.answered is None else self.answered <= self.due


def deadline_refusal(received: date, due: date) -> str | None:
    """None when a request's deadline makes sense; else why not (a catalogue key)."""
    return "workflow.ombudsman_due_before_request" if due < received else None


def answer_refusal(request: OmbudsmanRequest | None, day: date) -> str | None:
    """None when a request can be answered on ``day``; else why not (a catalogue key)."""
    if request is None or not request.open:
        return "workflow.no_ombudsman_request"
    if day < request.received:
        return "workflow.answer_before_request"
    return None


def nearest_due(requests: list[OmbudsmanRequest]) -> date | None:
    """The clock of the case's open requests: the nearest deadline."""
    return min((r.due for r in requests if r.open), default=None)
