"""What an agent may do with a case, and why not: the one state machine of the case file.

Every move is checked here before the store writes it; a refusal comes with the catalogue key
of its reason, so the screen can say why an action is not offered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from plaintes_tui.domain.cases import Admissibility, Status

if TYPE_CHECKING:
    from plaintes_tui.domain.case_record import Case, CaseChanges


class Move(StrEnum):
    """Every change of a case; its value is the journal's action (the one list of them).

    Stores written by the first version also hold "assigned" and "closed" (now ``assign`` and
    ``close``); the journal shows them all the same.
    """

    LOG = "logged"
    NOTE = "note"
    ASSIGN = "assign"
    ACKNOWLEDGE = "acknowledge"
    PAUSE = "pause"
    RESUME = "resume"
    REPLY = "reply"
    CLOSE = "close"
    REOPEN = "reopen"
    OMBUDSMAN = "ombudsman"
    # The Ombudsman's investigation (see domain/ombudsman.py): a request received (its
    # deadline a clock of the case), a request answered, the Ombudsman's conclusion.
    OMBUDSMAN_REQUEST = "ombudsman_request"
    OMBUDSMAN_ANSWER = "ombudsman_answered"
    OMBUDSMAN_CONCLUDE = "ombudsman_concluded"
    # The part of the FPS the complaint is about, chosen or corrected (the figures count it).
    SERVICE = "service_set"
    # The file sent on to whoever handles it (the DG Persons with disabilities, another
    # institution, the service a request belongs to): to whom, how, when.
    FORWARD = "forwarded"
    DECIDE = "admissibility_decided"
    ANSWER_OUT_OF_SCOPE = "answered_out_of_scope"
    LETTER = "letter"
    # A letter's e-mail handed to the mail server, or refused by it: facts about a letter,
    # journaled without changing the case (see store/outbox.py).
    SENT = "letter_sent"
    SEND_FAILED = "letter_send_failed"
    RECOMPUTE = "deadlines_recomputed"
    # An e-mail from the complainant reached the case (a reply to a letter, a reference in
    # its subject): a fact, journaled without changing the case (see store/mailbox.py).
    MAIL_RECEIVED = "mail_received"
    # The case linked to an improvement action (see store/improvements.py): a fact on the case.
    IMPROVEMENT = "improvement_linked"
    # Personal data (see store/personal.py and store/retention.py): the complainant's record
    # corrected or merged with a duplicate, their data exported on request, the case
    # anonymised once kept long enough. They change the person, not the case's course.
    RECTIFY = "complainant_corrected"
    MERGE = "complainants_merged"
    UNMERGE = "complainants_merge_undone"
    EXPORT = "personal_data_exported"
    ANONYMISE = "anonymised"


PERSONAL_DATA = (Move.RECTIFY, Move.MERGE, Move.UNMERGE, Move.EXPORT, Move.ANONYMISE)


@dataclass(frozen=True)
class CaseFacts:
    """The few facts about a case that decide which moves make sense."""

    status: Status
    admissibility: Admissibility | None
    acknowledgement_sent: date | None
    reply_due: date | None
    reply_sent: date | None
    ombudsman_referred: date | None = None
    unreachable: bool = False  # anonymous, no way to answer: nothing can be sent
    ombudsman_waiting: bool = False  # an Ombudsman's request is open
    ombudsman_concluded: date | None = None

    @classmethod
    def of(cls, case: Case) -> CaseFacts:
        return cls(
            status=case.status,
            admissibility=case.admissibility,
            acknowledgement_sent=case.acknowledgement_sent,
            reply_due=case.reply_due,
            reply_sent=case.reply_sent,
            ombudsman_referred=case.ombudsman_referred,
            unreachable=case.unreachable,
            ombudsman_waiting=case.ombudsman_due is not None,
            ombudsman_concluded=case.ombudsman_concluded,
        )


# A rule refuses a move when its test holds for the case's facts (and whether the agent
# supervises); a move's rules are tried in order and the first that holds says why.
Rule = tuple[Callable[[CaseFacts, bool], bool], str]


def _always(facts: CaseFacts, supervisor: bool) -> bool:
    return True


def _closed(facts: CaseFacts, supervisor: bool) -> bool:
    return facts.status is Status.CLOSED


def _not_decided(facts: CaseFacts, supervisor: bool) -> bool:
    return facts.admissibility is None


def _unacknowledged(facts: CaseFacts, supervisor: bool) -> bool:
    return facts.acknowledgement_sent is None


CLOSED: Rule = (_closed, "workflow.closed")
NOT_REFERRED: Rule = (lambda f, s: f.ombudsman_referred is None, "workflow.not_referred")
CONCLUDED: Rule = (
    lambda f, s: f.ombudsman_concluded is not None,
    "workflow.ombudsman_concluded_already",
)
DECIDE_FIRST: Rule = (_not_decided, "workflow.check_admissibility_first")
# The decisions that send the file on to someone else.
FORWARDED_DECISIONS = (
    Admissibility.REDIRECTED_DG_HANDICAP,
    Admissibility.OTHER_INSTITUTION,
    Admissibility.NOT_A_COMPLAINT,
)

RULES: dict[Move, tuple[Rule, ...]] = {
    Move.NOTE: (),
    Move.RECOMPUTE: (),
    Move.SERVICE: (),  # closed too: the yearly figures are corrected as well
    **{move: () for move in PERSONAL_DATA},
    # The decision frames the reply: once it is sent, it stands.
    Move.DECIDE: (CLOSED, (lambda f, s: f.reply_sent is not None, "workflow.decided_after_reply")),
    Move.LOG: ((_always, "workflow.already_logged"),),
    # Facts about letters and e-mails, not agents' moves.
    Move.SENT: ((_always, "workflow.not_a_move"),),
    Move.SEND_FAILED: ((_always, "workflow.not_a_move"),),
    Move.MAIL_RECEIVED: ((_always, "workflow.not_a_move"),),
    Move.IMPROVEMENT: ((_always, "workflow.not_a_move"),),
    Move.ANSWER_OUT_OF_SCOPE: (
        (lambda f, s: f.status is not Status.OUT_OF_SCOPE, "workflow.not_out_of_scope"),
    ),
    Move.ASSIGN: ((lambda f, s: not s, "workflow.assign_supervisors_only"), CLOSED),
    Move.REOPEN: ((lambda f, s: not _closed(f, s), "workflow.not_closed"),),
    # Again on an acknowledged case: a correction (the means; the day, a supervisor's).
    Move.ACKNOWLEDGE: (CLOSED,),
    Move.PAUSE: (
        CLOSED,
        (lambda f, s: f.status is Status.PAUSED, "workflow.already_paused"),
        (lambda f, s: f.status is Status.INCOMPLETE, "workflow.waiting_for_details"),
        (lambda f, s: f.reply_due is None or f.reply_sent is not None, "workflow.no_reply_clock"),
    ),
    Move.RESUME: (CLOSED, (lambda f, s: f.status is not Status.PAUSED, "workflow.not_paused")),
    Move.REPLY: (
        CLOSED,
        DECIDE_FIRST,
        (
            lambda f, s: f.admissibility is not Admissibility.ADMISSIBLE,
            "workflow.no_reply_out_of_scope",
        ),
        (lambda f, s: f.reply_sent is not None, "workflow.already_replied"),
        (lambda f, s: f.status is Status.PAUSED, "workflow.resume_first"),
    ),
    Move.CLOSE: (
        CLOSED,
        DECIDE_FIRST,
        (
            lambda f, s: (
                f.admissibility is Admissibility.ADMISSIBLE
                and f.reply_sent is None
                and not f.unreachable
            ),
            "workflow.reply_before_closing",
        ),
        (
            lambda f, s: (
                f.admissibility is not None
                and not f.admissibility.has_reply_clock
                and _unacknowledged(f, s)
            ),
            "workflow.answer_before_closing",
        ),
        (_unacknowledged, "workflow.acknowledge_before_closing"),
    ),
    Move.LETTER: (CLOSED,),
    Move.FORWARD: (
        CLOSED,
        DECIDE_FIRST,
        (lambda f, s: f.admissibility not in FORWARDED_DECISIONS, "workflow.nothing_to_forward"),
    ),
    # The complainant may turn to the Ombudsman at any stage, closed or not.
    Move.OMBUDSMAN: ((lambda f, s: f.ombudsman_referred is not None, "workflow.already_referred"),),
    Move.OMBUDSMAN_REQUEST: (NOT_REFERRED, CONCLUDED),
    Move.OMBUDSMAN_ANSWER: (
        NOT_REFERRED,
        (lambda f, s: not f.ombudsman_waiting, "workflow.no_ombudsman_request"),
    ),
    Move.OMBUDSMAN_CONCLUDE: (NOT_REFERRED, CONCLUDED),
}


def refusal(facts: CaseFacts, move: Move, *, supervisor: bool) -> str | None:
    """None when ``move`` is allowed; else the catalogue key saying why not (``RULES``)."""
    for holds, key in RULES[move]:
        if holds(facts, supervisor):
            return key
    return None


def decision_refusal(facts: CaseFacts, admissibility: Admissibility) -> str | None:
    """None when the checklist's decision can be recorded; else why not: nobody can be asked
    for missing details when there is no way at all to reach the complainant."""
    if admissibility is Admissibility.INCOMPLETE and facts.unreachable:
        return "workflow.nobody_to_ask"
    return None


def late_for_a_pause(reply_due: date | None, today: date) -> bool:
    """Whether the reply clock is late today: pausing it, whatever day the pause is dated
    from, would take a late case out of the late lists — a supervisor's decision."""
    return reply_due is not None and reply_due < today


# The moves recorded on a day the agent gives (by default today): never after today, never
# before the complaint was received.
DATED_MOVES = frozenset(
    {
        Move.ACKNOWLEDGE,
        Move.PAUSE,
        Move.RESUME,
        Move.REPLY,
        Move.CLOSE,
        Move.OMBUDSMAN,
        Move.OMBUDSMAN_REQUEST,
        Move.OMBUDSMAN_ANSWER,
        Move.OMBUDSMAN_CONCLUDE,
        Move.ANSWER_OUT_OF_SCOPE,
        Move.FORWARD,
    }
)


def date_refusal(
    move: Move,
    day: date,
    *,
    received: date,
    today: date,
    reply_due: date | None,
    pause_started: date | None,
    supervisor: bool,
    acknowledged: date | None = None,
) -> str | None:
    """None when the date a move is recorded on makes sense; else why not (a catalogue key).

    A dated move is never recorded after today nor before the receipt. A reply clock late
    today is paused only by a supervisor (it would leave the overdue figures), whatever day
    the pause is dated from; a pause ends on or after the day it began. An acknowledgement
    already recorded (``acknowledged``) is corrected on its own day, unless by a supervisor:
    moving it would change whether it was on time.
    """
    if move not in DATED_MOVES:
        return None
    if day > today:
        return "workflow.date_in_future"
    if day < received:
        return "workflow.pause_before_receipt" if move is Move.PAUSE else "workflow.before_receipt"
    if move is Move.PAUSE and late_for_a_pause(reply_due, today) and not supervisor:
        return "workflow.pause_late_clock_supervisors_only"
    if move is Move.RESUME and pause_started is not None and day < pause_started:
        return "workflow.resume_before_pause"
    if move is Move.ACKNOWLEDGE and acknowledged not in (None, day) and not supervisor:
        return "workflow.ack_day_supervisors_only"
    return None


def reply_left(case: Case, day: date) -> CaseChanges:
    """What a reply's letter leaving on ``day`` records: the reply sent (the on-time figures
    count it), and the acknowledgement too when none was sent (a reply confirms receipt)."""
    changes: CaseChanges = {"reply_sent": day, "status": Status.REPLIED.value}
    if not case.acknowledgement_sent:
        changes.update({"acknowledgement_sent": day, "acknowledgement_means": "reply"})
    return changes


def allowed_moves(facts: CaseFacts, *, supervisor: bool) -> dict[Move, str | None]:
    """Every move, with None where it is allowed and the reason where it is not."""
    return {move: refusal(facts, move, supervisor=supervisor) for move in Move}


def status_after(facts: CaseFacts, move: Move) -> Status | None:
    """The status a move leads to (None: unchanged). A reply is replied once its letter has
    left (see ``reply_left``), not when its decision is recorded."""
    if move is Move.PAUSE:
        return Status.PAUSED
    if move is Move.RESUME:
        return Status.IN_PROGRESS
    if move in (Move.CLOSE, Move.ANSWER_OUT_OF_SCOPE):
        return Status.CLOSED
    if move is Move.REOPEN:  # a case found incomplete is checked again once reopened
        checked = facts.admissibility not in (None, Admissibility.INCOMPLETE)
        return Status.IN_PROGRESS if checked else Status.RECEIVED
    return None
