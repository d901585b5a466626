"""A case as the program reads it: typed, immutable, its dates real dates.

The store builds it in one place (``store/cases.py read_case``) from the row of ``cases``
joined with its complainant's; screens, rules and letters read its fields, never a column
by name. A change goes back through the store's one door, from the version it carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TypedDict

from plaintes_tui.domain.cases import (
    ACK_NOT_OWED,
    Admissibility,
    Category,
    Channel,
    ClockState,
    Language,
    NetworkCategory,
    Outcome,
    Status,
)
from plaintes_tui.domain.ombudsman import OmbudsmanConclusion


@dataclass(frozen=True, slots=True)
class Complainant:
    id: int
    last_name: str
    first_name: str
    phone: str | None  # E.164
    email: str | None
    street: str | None
    postal_code: str | None
    town: str | None
    niss: str | None  # 11 digits
    country: str | None  # ISO 3166 code of a foreign address; None: Belgium

    @property
    def listed_name(self) -> str:
        """As lists and files show a person: the last name first, in capitals."""
        return f"{self.last_name.upper()} {self.first_name}".strip()

    @property
    def addressed_name(self) -> str:
        """As a letter addresses them: the first name first."""
        return f"{self.first_name} {self.last_name.upper()}".strip()


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    reference: str
    complainant: Complainant
    channel: Channel
    received: date
    received_time: time | None  # a phone call's, when it counts
    logged_at: datetime
    logged_by: str
    language: Language
    category: Category
    subject: str
    description: str
    urgent: bool
    contact_incomplete: bool
    anonymous: bool
    status: Status
    admissibility: Admissibility | None  # None: not checked yet
    admissibility_reason: str | None
    assigned_to: str | None
    acknowledgement_due: date
    acknowledgement_sent: date | None
    acknowledgement_means: str | None
    reply_due_original: date | None  # None: no reply clock (out of scope)
    reply_due: date | None  # after pauses
    reply_sent: date | None
    outcome: Outcome | None
    network_category: NetworkCategory | None
    improvement_action: str | None
    closed_at: date | None
    ombudsman_referred: date | None
    next_due: date | None  # the earliest running due date; None once closed
    version: int
    updated_at: datetime
    updated_by: str
    anonymised_at: datetime | None
    service: str | None = None  # the part of the FPS it is about (a code of [services])
    # The Ombudsman's file (see domain/ombudsman.py): their reference, the nearest deadline of
    # their open requests, their conclusion, its day and their recommendation.
    ombudsman_reference: str | None = None
    ombudsman_due: date | None = None
    ombudsman_conclusion: OmbudsmanConclusion | None = None
    ombudsman_concluded: date | None = None
    ombudsman_recommendation: str | None = None

    @property
    def unreachable(self) -> bool:
        """An anonymous complaint with no way to reach its author: logged and counted, but no
        acknowledgement, request or reply can be sent."""
        return self.acknowledgement_means == ACK_NOT_OWED

    @property
    def clocks(self) -> ClockState:
        return ClockState(
            status=self.status,
            acknowledgement_due=self.acknowledgement_due,
            acknowledgement_sent=self.acknowledgement_sent,
            reply_due=self.reply_due,
            reply_sent=self.reply_sent,
            ombudsman_due=self.ombudsman_due,
        )


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One change of a case as the journal holds it: who, when, which move (its action, a
    :class:`Move` value or an older store's name), what changed and the note."""

    id: int
    at: datetime
    agent: str
    action: str
    changes: dict[str, list[object]]  # field → [before, after]; a few facts are not columns
    note: str


class CaseChanges(TypedDict, total=False):
    """What a move may change in a case: the store's door writes these columns, and only
    these (the rest is the door's: the version, who and when, the next due date)."""

    category: Category | str
    subject: str
    description: str
    urgent: bool
    language: Language | str
    status: Status | str
    admissibility: Admissibility | str | None
    admissibility_reason: str | None
    assigned_to: str | None
    acknowledgement_due: date
    acknowledgement_sent: date | None
    acknowledgement_means: str | None
    reply_due_original: date | None
    reply_due: date | None
    reply_sent: date | None
    outcome: Outcome | str | None
    network_category: NetworkCategory | str | None
    improvement_action: str | None
    closed_at: date | None
    ombudsman_referred: date | None
    service: str | None
    ombudsman_reference: str | None
    ombudsman_due: date | None
    ombudsman_conclusion: OmbudsmanConclusion | str | None
    ombudsman_concluded: date | None
    ombudsman_recommendation: str | None


UPDATABLE = frozenset(CaseChanges.__annotations__)
