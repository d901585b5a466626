"""What a case is: its channels, statuses, categories and which of its clocks are still running."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from plaintes_tui.domain.deadlines import Band, DeadlineCalculator

# Sorts after every real date: an open case with no running clock goes to the end of the queue.
NO_PENDING_CLOCK = date.max

# What an anonymised case keeps of its improvement action: that there was one (the figures
# count it), not its words, which may name someone.
ACTION_REDACTED = "—"

# An anonymous complaint with no way to answer owes no acknowledgement.
ACK_NOT_OWED = "not_owed"


class Channel(StrEnum):
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    WEB_FORM = "web_form"


class Language(StrEnum):
    FR = "fr"
    NL = "nl"
    DE = "de"
    EN = "en"


class Category(StrEnum):
    """What the complaint is about: the four admissible kinds of the procedure, or unknown."""

    SLOW_REACTION = "slow_reaction"
    STAFF_CONDUCT = "staff_conduct"
    IMPRECISE_INFORMATION = "imprecise_information"
    UNCLEAR_PUBLICATION = "unclear_publication"
    OTHER = "other"


class Status(StrEnum):
    RECEIVED = "received"  # logged, admissibility not checked yet
    INCOMPLETE = "incomplete"  # details requested from the complainant
    IN_PROGRESS = "in_progress"  # admissible, under investigation
    PAUSED = "paused"  # reply clock stopped, waiting for the complainant
    OUT_OF_SCOPE = "out_of_scope"  # inadmissible, redirected or forwarded: answer to send
    REPLIED = "replied"  # reasoned reply sent, not closed yet
    CLOSED = "closed"


# While the case waits for the complainant, the reply clock stands still; closed, it is over.
WAITING_FOR_COMPLAINANT = (Status.PAUSED, Status.INCOMPLETE)
REPLY_CLOCK_STOPPED = (Status.CLOSED, *WAITING_FOR_COMPLAINANT)


class Admissibility(StrEnum):
    ADMISSIBLE = "admissible"
    CONTESTED_DECISION = "contested_decision"
    DISPUTE = "dispute"
    REDIRECTED_DG_HANDICAP = "redirected_dg_handicap"
    OTHER_INSTITUTION = "other_institution"  # forwarded to the competent institution
    NOT_A_COMPLAINT = "not_a_complaint"
    INCOMPLETE = "incomplete"

    @property
    def has_reply_clock(self) -> bool:
        """Only an admissible case (or one not yet decided) owes a reasoned reply."""
        return self in (Admissibility.ADMISSIBLE, Admissibility.INCOMPLETE)


class Outcome(StrEnum):
    FOUNDED = "founded"
    PARTLY_FOUNDED = "partly_founded"
    UNFOUNDED = "unfounded"
    NO_ASSESSMENT = "no_assessment"


class NetworkCategory(StrEnum):
    """The federal complaint-management network's four categories of founded complaints."""

    OFFICIAL_BEHAVIOUR = "official_behaviour"
    SERVICE_QUALITY = "service_quality"
    FILE_HANDLING = "file_handling"
    COMPLAINT_HANDLING = "complaint_handling"


@dataclass(frozen=True, slots=True)
class ClockState:
    """The facts that decide which clocks still run for a case."""

    status: Status
    acknowledgement_due: date
    acknowledgement_sent: date | None
    reply_due: date | None  # None when the case has no reply clock
    reply_sent: date | None
    # The nearest deadline of the Ombudsman's open requests: it runs on a closed case too.
    ombudsman_due: date | None = None

    @property
    def acknowledgement_pending(self) -> bool:
        return self.status is not Status.CLOSED and self.acknowledgement_sent is None

    @property
    def reply_pending(self) -> bool:
        return (
            self.status not in REPLY_CLOCK_STOPPED
            and self.reply_due is not None
            and self.reply_sent is None
        )

    def next_due(self) -> date | None:
        """The earliest due date still running; once the case is closed, only the Ombudsman's
        (None when they wait for nothing).

        The queue's order (worst band first, then nearest due date) is exactly the order of
        this date, since bands are cut by date: one stored, indexed column sorts the queue.
        """
        if self.status is Status.CLOSED:
            return self.ombudsman_due
        pending = [self.ombudsman_due] if self.ombudsman_due else []
        if self.acknowledgement_pending:
            pending.append(self.acknowledgement_due)
        if self.reply_pending and self.reply_due is not None:
            pending.append(self.reply_due)
        return min(pending, default=NO_PENDING_CLOCK)

    def acknowledgement_band(self, calculator: DeadlineCalculator, today: date) -> Band:
        return calculator.band(self.acknowledgement_due, self.acknowledgement_sent, today)

    def ombudsman_band(self, calculator: DeadlineCalculator, today: date) -> Band | None:
        if self.ombudsman_due is None:
            return None
        return calculator.band(self.ombudsman_due, None, today)

    def reply_band(self, calculator: DeadlineCalculator, today: date) -> Band | None:
        if self.reply_due is None or (
            self.status in WAITING_FOR_COMPLAINANT and self.reply_sent is None
        ):
            return None
        return calculator.band(self.reply_due, self.reply_sent, today)


def format_reference(year: int, number: int) -> str:
    return f"P-{year}-{number:05d}"


REFERENCE_PATTERN = re.compile(r"P-[0-9]{4}-[0-9]{5,9}")


def reference_folder(reference: str) -> str:
    """The name of a case's folder (its letters, its e-mails): the reference itself, once it
    is known to be one — a reference rewritten into ``../../x`` never becomes a path."""
    if not REFERENCE_PATTERN.fullmatch(reference):
        raise ValueError(f"not a case reference: {reference!r}")
    return reference
