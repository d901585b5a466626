"""Whatever the agents do, in whatever order and with whatever dates, the store's door never
leaves a case with a date before its receipt (nor a pause before it), nor a figure of the
yearly report outside its definition."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plaintes_tui.domain.admissibility import Outcome
from plaintes_tui.domain.cases import Admissibility, Category
from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.case_writer import MoveRefused
from plaintes_tui.store.cases import read_case
from plaintes_tui.store.report import Period, build_report
from tests.factories import add_admissible_case, do, new_store

RECEIVED = date(2026, 11, 10)
REPLY = {"outcome": "founded", "network_category": "file_handling", "summary": "Excuses."}
PARAMS: dict[Move, dict[str, Any]] = {
    Move.ACKNOWLEDGE: {"means": "email"},
    Move.PAUSE: {"reason": "Attente"},
    Move.RESUME: {},
    Move.REPLY: REPLY,
    Move.CLOSE: {},
    Move.REOPEN: {"reason": "Nouvel élément"},
    Move.OMBUDSMAN: {"reference": "OMB"},
    Move.FORWARD: {"to": "SFP", "means": "email"},
    Move.DECIDE: {},  # the decision is drawn (see ``decisions``)
}
DECISIONS = [
    Outcome(Admissibility.ADMISSIBLE, Category.SLOW_REACTION),
    Outcome(Admissibility.INCOMPLETE),
    Outcome(Admissibility.OTHER_INSTITUTION),
    Outcome(Admissibility.NOT_A_COMPLAINT),
]
steps = st.lists(
    st.tuples(
        st.sampled_from(list(PARAMS)),
        st.integers(min_value=-20, max_value=25),  # days from the receipt
        st.booleans(),  # by a supervisor
        st.sampled_from(DECISIONS),  # what a decision decides; whether a reply is posted
    ),
    max_size=8,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(steps)
def test_no_sequence_of_moves_leaves_an_impossible_date_or_figure(
    moves: list[tuple[Move, int, bool, Outcome]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = new_store(Path(folder))
        case_id = int(add_admissible_case(store, RECEIVED)["id"])
        for move, offset, supervisor, decision in moves:
            params = dict(PARAMS[move])
            if move is Move.DECIDE:
                params.update(outcome=decision, reason="", answers=[])
            elif move is Move.REPLY and decision.admissibility is Admissibility.INCOMPLETE:
                pass  # the decision only: the reply leaves later with its letter
            elif move is not Move.REOPEN:
                params["date"] = RECEIVED + timedelta(days=offset)
            try:
                do(store, case_id, move, supervisor=supervisor, **params)
            except MoveRefused:
                continue
            case = read_case(store, case_id)
            for day in (
                case.acknowledgement_sent,
                case.reply_sent,
                case.closed_at,
                case.ombudsman_referred,
            ):
                assert day is None or day >= RECEIVED, (move, offset, case)
            (earliest,) = store.connection.execute(
                "SELECT min(started) FROM reply_pauses WHERE case_id = ?", (case_id,)
            ).fetchone()
            assert earliest is None or date.fromisoformat(earliest) >= RECEIVED
        _figures_within_their_definitions(store)
        store.close()


def _figures_within_their_definitions(store: Any) -> None:
    report = build_report(store, Period.year(2026), date(2026, 12, 31))
    assert report["received_total"] == 1
    assert report["complaints_received"] + report["non_complaints_received"] == 1
    assert sum(report["by_channel"].values()) == report["complaints_received"]
    assert 0 <= report["acknowledged_within_deadline"] <= report["acknowledgements_due"] <= 1
    assert 0 <= report["replied_within_deadline"] <= report["replies_due"] <= 1
    for spread in (report["days_to_acknowledge"], report["days_to_reply"]):
        assert all(days is None or days >= 0 for days in (spread["median"], spread["p90"]))
    case = read_case(store, 1)
    assert report["replies_sent"] >= (1 if case.reply_sent else 0)
    assert report["ombudsman"] == (1 if case.ombudsman_referred else 0)
