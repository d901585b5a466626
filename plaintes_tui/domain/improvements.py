"""Improvement actions: what the service changes because of complaints.

A reply can name an improvement; the action itself is a record of its own — a title, what it
is, the part of the FPS that carries it out, its owner, its due date, and where it stands
(proposed, decided, in progress, done, dropped, each with its day) — linked to every case that
led to it (several complaints often lead to one action). The Ombudsman's yearly report to
Parliament asks each service what it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ImprovementStatus(StrEnum):
    PROPOSED = "proposed"
    DECIDED = "decided"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def finished(self) -> bool:
        return self in (ImprovementStatus.DONE, ImprovementStatus.DROPPED)

    @property
    def day_column(self) -> str:
        """The column holding the day the action reached this status."""
        return {
            ImprovementStatus.PROPOSED: "proposed_on",
            ImprovementStatus.DECIDED: "decided_on",
            ImprovementStatus.IN_PROGRESS: "started_on",
            ImprovementStatus.DONE: "done_on",
            ImprovementStatus.DROPPED: "dropped_on",
        }[self]


# Where an action may go from each status. A dropped action may be proposed again.
NEXT: dict[ImprovementStatus, tuple[ImprovementStatus, ...]] = {
    ImprovementStatus.PROPOSED: (ImprovementStatus.DECIDED, ImprovementStatus.DROPPED),
    ImprovementStatus.DECIDED: (
        ImprovementStatus.IN_PROGRESS,
        ImprovementStatus.DONE,
        ImprovementStatus.DROPPED,
    ),
    ImprovementStatus.IN_PROGRESS: (ImprovementStatus.DONE, ImprovementStatus.DROPPED),
    ImprovementStatus.DONE: (),
    ImprovementStatus.DROPPED: (ImprovementStatus.PROPOSED,),
}
# Deciding an action, or dropping it, commits the service: a supervisor's or coordinator's.
SUPERVISORS_ONLY = frozenset({ImprovementStatus.DECIDED, ImprovementStatus.DROPPED})


def status_refusal(
    current: ImprovementStatus, new: ImprovementStatus, *, supervising: bool
) -> str | None:
    """None when an action may go from ``current`` to ``new``; else why not (a catalogue key)."""
    if new is current:
        return None
    if new not in NEXT[current]:
        return "improvement.bad_step"
    if new in SUPERVISORS_ONLY and not supervising:
        return "improvement.supervisors_decide"
    return None


@dataclass(frozen=True, slots=True)
class Improvement:
    id: int
    reference: str  # A-2026-001
    title: str
    description: str
    service: str | None  # a code of the settings' [services]
    owner: str | None  # a login
    due: date | None
    status: ImprovementStatus
    proposed_on: date
    decided_on: date | None
    started_on: date | None
    done_on: date | None
    dropped_on: date | None
    version: int
    cases: tuple[str, ...]  # the references of the cases that led to it

    def late(self, today: date) -> bool:
        return self.due is not None and self.due < today and not self.status.finished


def format_reference(year: int, number: int) -> str:
    return f"A-{year}-{number:03d}"
