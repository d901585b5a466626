"""The case file's moves: allowed ones change the case and its journal, the others say why."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.cases import Status
from plaintes_tui.domain.workflow import CaseFacts, Move, allowed_moves
from plaintes_tui.store.case_writer import MoveRefused
from plaintes_tui.store.cases import StaleCaseError, get_case, journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.store.move_effects import open_pause_start
from plaintes_tui.store.queue import queue_counts
from plaintes_tui.store.workflow import perform
from tests.factories import CALCULATOR, NOW, add_admissible_case, add_case, decide, do


def admissible(store: Store, received: date) -> str:
    return str(add_admissible_case(store, received)["reference"])


def test_from_acknowledgement_to_closing(store: Store) -> None:
    ref = admissible(store, date(2026, 11, 10))
    do(store, ref, Move.NOTE, text="Appelé le service des cotisations.")
    do(store, ref, Move.ACKNOWLEDGE, date=date(2026, 11, 12), means="email")
    do(
        store,
        ref,
        Move.REPLY,
        date=date(2026, 12, 1),
        outcome="partly_founded",
        network_category="file_handling",
        summary="Retard reconnu.",
        improvement_action="Rappel automatique",
    )
    closed = do(store, ref, Move.CLOSE, date=date(2026, 12, 2))
    assert closed["status"] == "closed" and closed["next_due"] is None
    assert closed["acknowledgement_means"] == "email"
    assert closed["outcome"] == "partly_founded"
    actions = [e.action for e in journal_of(store, closed["id"])]
    assert actions == ["logged", "admissibility_decided", "note", "acknowledge", "reply", "close"]
    assert journal_of(store, closed["id"])[2].note == "Appelé le service des cotisations."


def test_pausing_moves_the_reply_by_the_days_waited(store: Store) -> None:
    ref = admissible(store, date(2026, 11, 10))  # reply due 10/12
    paused = do(store, ref, Move.PAUSE, date=date(2026, 11, 20), reason="Attente du numéro")
    assert paused["status"] == "paused"
    assert paused["next_due"] == paused["acknowledgement_due"]  # only the ack clock runs
    resumed = do(store, ref, Move.RESUME, date=date(2026, 11, 27))
    assert resumed["status"] == "in_progress"
    assert resumed["reply_due_original"] == "2026-12-10"
    assert resumed["reply_due"] == "2026-12-17"  # seven days later
    (reason,) = store.connection.execute("SELECT reason FROM reply_pauses").fetchone()
    assert reason == "Attente du numéro"


@pytest.mark.parametrize(
    ("move", "message"),
    [
        (Move.REPLY, "vérifiez d'abord la recevabilité"),
        (Move.CLOSE, "vérifiez d'abord la recevabilité"),
        (Move.RESUME, "n'est pas suspendu"),
        (Move.REOPEN, "n'est pas clôturé"),
        (Move.ASSIGN, "réservée aux superviseurs"),
    ],
)
def test_moves_that_make_no_sense_are_refused_with_the_reason(
    store: Store, move: Move, message: str
) -> None:
    add_case(store, date(2026, 11, 10))
    with pytest.raises(MoveRefused, match=message):
        do(store, "P-2026-00001", move, agent="bob", date=date(2026, 11, 20))
    assert get_case(store, "P-2026-00001")["version"] == 1


def test_an_admissible_case_closes_only_after_its_reply(store: Store) -> None:
    ref = admissible(store, date(2026, 11, 10))
    with pytest.raises(MoveRefused, match="après la réponse motivée"):
        do(store, ref, Move.CLOSE)
    do(store, ref, Move.PAUSE, date=date(2026, 11, 20), reason="x")
    with pytest.raises(MoveRefused, match="reprenez-le d'abord"):
        do(store, ref, Move.REPLY, outcome="founded")


def test_reopen_and_ombudsman(store: Store) -> None:
    ref = admissible(store, date(2026, 11, 10))
    do(store, ref, Move.REPLY, date=date(2026, 11, 30), outcome="unfounded")
    do(store, ref, Move.CLOSE)
    with pytest.raises(MoveRefused, match="clôturé"):
        do(store, ref, Move.ACKNOWLEDGE)
    referred = do(
        store,
        ref,
        Move.OMBUDSMAN,
        date=date(2026, 12, 15),
        reference="MF-2026-123",
        notes="Demande de copie du dossier",
    )
    assert referred["ombudsman_referred"] == "2026-12-15"
    reopened = do(store, ref, Move.REOPEN, reason="Nouvel élément")
    assert reopened["status"] == "in_progress" and reopened["closed_at"] is None
    entry = journal_of(store, reopened["id"])[-1]
    assert entry.action == "reopen" and entry.note == "Nouvel élément"


def test_supervisors_assign(store: Store) -> None:
    add_case(store, date(2026, 11, 10))
    assigned = do(store, "P-2026-00001", Move.ASSIGN, supervisor=True, agent="bob")
    assert assigned["assigned_to"] == "bob"


def test_two_agents_on_one_case(store: Store) -> None:
    ref = admissible(store, date(2026, 11, 10))
    stale = get_case(store, ref)
    do(store, ref, Move.ACKNOWLEDGE, date=date(2026, 11, 12), means="letter")
    with pytest.raises(StaleCaseError) as refused:
        perform(
            store,
            stale["id"],
            stale["version"],
            Move.NOTE,
            {"text": "x"},
            actor=Actor("bob"),
            now=NOW,
            calculator=CALCULATOR,
        )
    assert refused.value.agent == "alice"
    assert "acknowledgement_sent" in refused.value.fields


def test_the_moves_offered_for_a_new_case() -> None:
    facts = CaseFacts(
        status=Status.RECEIVED,
        admissibility=None,
        acknowledgement_sent=None,
        reply_due=date(2026, 12, 10),
        reply_sent=None,
    )
    moves = allowed_moves(facts, supervisor=False)
    assert moves[Move.NOTE] is None and moves[Move.ACKNOWLEDGE] is None
    assert moves[Move.REPLY] == "workflow.check_admissibility_first"


# -- the procedure's rules, second pass (the clocks, the second line, reopening) -------------


def reply(store: Store, ref: str, day: date) -> dict[str, Any]:
    return do(
        store,
        ref,
        Move.REPLY,
        date=day,
        outcome="founded",
        network_category="file_handling",
        summary="Retard reconnu.",
    )


def test_the_ombudsman_may_be_seized_at_any_stage_but_once(store: Store) -> None:
    ref = admissible(store, date(2026, 10, 1))  # 28 days late with no reply
    referred = do(store, ref, Move.OMBUDSMAN, date=date(2026, 11, 28), reference="MF-1")
    assert referred["ombudsman_referred"] == "2026-11-28"
    with pytest.raises(MoveRefused, match="déjà porté devant le Médiateur"):
        do(store, ref, Move.OMBUDSMAN, date=date(2026, 11, 28), reference="MF-2")


def test_a_reply_sent_before_any_acknowledgement_counts_as_one(store: Store) -> None:
    ref = admissible(store, date(2026, 10, 20))
    replied = reply(store, ref, date(2026, 11, 18))
    assert replied["acknowledgement_sent"] == "2026-11-18"
    assert replied["acknowledgement_means"] == "reply"
    counts = queue_counts(store, date(2026, 11, 28))
    assert counts.acknowledgements_overdue == 0  # it leaves the overdue figures
    entry = journal_of(store, replied["id"])[-1]
    assert entry.changes["acknowledgement_means"] == [None, "reply"]


def test_a_reply_keeps_an_acknowledgement_already_sent(store: Store) -> None:
    ref = admissible(store, date(2026, 11, 10))
    do(store, ref, Move.ACKNOWLEDGE, date=date(2026, 11, 12), means="letter")
    assert reply(store, ref, date(2026, 11, 20))["acknowledgement_sent"] == "2026-11-12"


def test_a_case_never_acknowledged_is_not_closed(store: Store) -> None:
    case = add_case(store, date(2026, 11, 10))
    decide(store, case["id"], "incomplete")
    with pytest.raises(MoveRefused, match="accusé de réception"):
        do(store, case["reference"], Move.CLOSE, date=date(2026, 11, 28))


@pytest.mark.parametrize(
    ("pause", "resume", "message"),
    [
        (date(2026, 11, 9), None, "avant la réception"),
        (date(2026, 11, 29), None, "dans le futur"),
        (date(2026, 11, 20), date(2026, 11, 19), "précéder le début"),
        (date(2026, 11, 20), date(2026, 11, 30), "dans le futur"),
    ],
)
def test_a_pause_is_a_possible_interval(
    store: Store, pause: date, resume: date | None, message: str
) -> None:
    ref = admissible(store, date(2026, 11, 10))
    with pytest.raises(MoveRefused, match=message):  # recorded on the 28th
        do(store, ref, Move.PAUSE, date=pause, reason="Attente", at=NOW)
        do(store, ref, Move.RESUME, date=resume, at=NOW)


@pytest.mark.parametrize(
    ("move", "params"),
    [
        (Move.ACKNOWLEDGE, {"means": "email"}),
        (Move.OMBUDSMAN, {"reference": "OMB-1"}),
        (
            Move.REPLY,
            {"outcome": "founded", "network_category": "file_handling", "summary": "Excuses."},
        ),
    ],
)
def test_no_move_is_dated_before_the_receipt(
    store: Store, move: Move, params: dict[str, Any]
) -> None:
    """At the store's door, not only in the screen's form: an acknowledgement dated 20/11 for
    a receipt of 25/11 would show as met, a reply as answered in −5 days."""
    ref = admissible(store, date(2026, 11, 25))
    before = get_case(store, ref)
    with pytest.raises(MoveRefused, match="précède la réception"):
        do(store, ref, move, date=date(2026, 11, 20), **params)
    assert get_case(store, ref) == before
    do(store, ref, move, date=date(2026, 11, 25), **params)  # the day of receipt is possible


def test_a_late_clock_paused_from_an_earlier_day_still_takes_a_supervisor(store: Store) -> None:
    """Back-dating the pause to before the due date does not take a late case out of the late
    lists behind a supervisor's back."""
    ref = admissible(store, date(2026, 10, 1))  # reply due 02/11: late on 28/11
    with pytest.raises(MoveRefused, match="seul un superviseur"):
        do(store, ref, Move.PAUSE, date=date(2026, 10, 20), reason="Attente d'un document")
    paused = do(store, ref, Move.PAUSE, supervisor=True, date=date(2026, 10, 20), reason="Attente")
    assert paused["status"] == "paused"
    assert journal_of(store, paused["id"])[-1].changes["paused_late"] == [None, True]


def test_pausing_a_late_reply_clock_takes_a_supervisor(store: Store) -> None:
    ref = admissible(store, date(2026, 10, 1))  # reply due 02/11: late on 28/11
    with pytest.raises(MoveRefused, match="seul un superviseur"):
        do(store, ref, Move.PAUSE, date=date(2026, 11, 20), reason="Attente")
    paused = do(store, ref, Move.PAUSE, supervisor=True, date=date(2026, 11, 20), reason="x")
    assert paused["status"] == "paused"
    entry = journal_of(store, paused["id"])[-1]
    assert entry.note == "x"  # as typed; that the clock was late is a fact, in words below
    assert entry.changes["paused_late"] == [None, True]


def test_supervisors_come_from_the_settings_list_or_the_directory_roles() -> None:
    from plaintes_tui.domain.contacts import Person
    from plaintes_tui.settings import AgentSettings

    agents = AgentSettings(
        supervisors=("chef",),
        directory={
            "marie": Person("Marie Leroy", role="coordinator"),
            "paul": Person("Paul Henry", role="supervisor"),
            "an": Person("An Peeters", role="mailroom"),
        },
    )
    assert [agents.trusted(a).supervising for a in ("chef", "marie", "paul", "an", "x")] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_a_reopened_case_gets_a_new_reply_period_and_a_second_reply(store: Store) -> None:
    ref = admissible(store, date(2026, 10, 1))
    reply(store, ref, date(2026, 10, 20))
    do(store, ref, Move.CLOSE, date=date(2026, 10, 21))
    reopened = do(store, ref, Move.REOPEN, date=date(2026, 11, 2), reason="Nouvel élément")
    assert reopened["reply_sent"] is None
    assert reopened["reply_due"] == "2026-12-02"  # 30 days from the reopening
    assert reopened["reply_due_original"] == "2026-11-03"  # the first period stays on record
    again = reply(store, ref, date(2026, 11, 25))
    assert again["reply_sent"] == "2026-11-25"
    replies = [e for e in journal_of(store, again["id"]) if e.action == "reply"]
    assert [e.changes["reply_sent"][1] for e in replies] == ["2026-10-20", "2026-11-25"]
    # The report counts replies, not cases.
    from plaintes_tui.store.report import Period, build_report

    report = build_report(store, Period.year(2026), date(2026, 11, 28))
    assert report["replies_sent"] == 2 and report["received_total"] == 1


def test_waiting_for_missing_details_is_a_recorded_pause_of_the_reply_clock(
    store: Store,
) -> None:
    from datetime import datetime

    case = add_case(store, date(2026, 11, 10))  # reply due 10/12
    waiting = decide(store, case["id"], "incomplete", now=datetime(2026, 11, 12, 9, 0))
    assert waiting["status"] == "incomplete"
    with pytest.raises(MoveRefused, match="attente des coordonnées"):
        do(store, case["reference"], Move.PAUSE, date=date(2026, 11, 13), reason="x")
    complete = decide(store, case["id"], "admissible", now=datetime(2026, 11, 20, 9, 0))
    assert complete["status"] == "in_progress"
    assert complete["reply_due_original"] == "2026-12-10"  # the raw figure
    assert complete["reply_due"] == "2026-12-18"  # eight days waited
    pauses = store.connection.execute(
        "SELECT started, ended, reason FROM reply_pauses WHERE case_id = ?", (case["id"],)
    ).fetchall()
    assert pauses == [("2026-11-12", "2026-11-20", "coordonnées demandées au plaignant")]


def test_the_admissibility_decision_stands_once_the_reply_is_sent(store: Store) -> None:
    """Re-running the checklist on a case already answered could turn it 'incomplete', after
    which the reply key gives a wrong reason: refused, with the reason."""
    ref = admissible(store, date(2026, 10, 20))
    replied = reply(store, ref, date(2026, 11, 10))
    with pytest.raises(MoveRefused, match="la recevabilité ne change plus"):
        decide(store, replied["id"], "incomplete")
    assert get_case(store, ref)["admissibility"] == "admissible"


def test_every_move_has_its_rules() -> None:
    """The state machine is a table: a new move without a line in it is caught here."""
    from plaintes_tui.domain.workflow import RULES

    assert set(RULES) == set(Move)


def test_an_incomplete_case_reopened_when_the_details_arrive_stops_waiting(
    store: Store,
) -> None:
    case_id = add_case(store, date(2026, 10, 1))["id"]
    decide(store, case_id, "incomplete", now=datetime(2026, 10, 2, 9, 0))
    do(store, case_id, Move.ACKNOWLEDGE, date=date(2026, 10, 2), means="letter")
    closed = do(store, case_id, Move.CLOSE, date=date(2026, 10, 30))
    assert closed["status"] == "closed"
    reopened = do(store, case_id, Move.REOPEN, date=date(2026, 11, 16), reason="Coordonnées reçues")
    assert reopened["status"] == "received"  # to be checked again, now complete
    assert reopened["reply_due"] == "2026-12-16"  # a new period from the reopening day
    assert open_pause_start(store, reopened["id"]) is None  # the wait ended with the details
    (ended,) = store.connection.execute(
        "SELECT ended FROM reply_pauses WHERE case_id = ?", (reopened["id"],)
    ).fetchone()
    assert ended == "2026-11-16"
    decided = decide(store, reopened["id"], "admissible", now=datetime(2026, 11, 17, 9, 0))
    assert decided["status"] == "in_progress" and decided["reply_due"] == "2026-12-16"


def test_an_acknowledgement_is_corrected_on_its_day_unless_by_a_supervisor() -> None:
    from datetime import date

    from plaintes_tui.domain.workflow import Move, date_refusal

    def refused(day: date, supervisor: bool) -> str | None:
        return date_refusal(
            Move.ACKNOWLEDGE,
            day,
            received=date(2026, 11, 2),
            today=date(2026, 11, 20),
            reply_due=None,
            pause_started=None,
            supervisor=supervisor,
            acknowledged=date(2026, 11, 12),
        )

    assert refused(date(2026, 11, 12), supervisor=False) is None  # the means corrected
    assert refused(date(2026, 11, 5), supervisor=False) == "workflow.ack_day_supervisors_only"
    assert refused(date(2026, 11, 5), supervisor=True) is None
