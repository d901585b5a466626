"""Whatever the agents do, in whatever order and with whatever dates, the store's door never
leaves a case with a date before its receipt (nor a pause before it)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.case_writer import MoveRefused
from plaintes_tui.store.cases import read_case
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
}
steps = st.lists(
    st.tuples(
        st.sampled_from(list(PARAMS)),
        st.integers(min_value=-20, max_value=25),  # days from the receipt
        st.booleans(),  # by a supervisor
    ),
    max_size=8,
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(steps)
def test_no_sequence_of_moves_leaves_a_date_before_the_receipt(
    moves: list[tuple[Move, int, bool]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = new_store(Path(folder))
        case_id = int(add_admissible_case(store, RECEIVED)["id"])
        for move, offset, supervisor in moves:
            params = dict(PARAMS[move])
            if move is not Move.REOPEN:
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
        store.close()
