"""The report's kept sums (schema 14) follow every change of a case, and the report read from
them equals the report read from the cases alone, whatever the period and the day."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plaintes_tui.store import figures, report, report_reading
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.demo import generate_demo
from plaintes_tui.store.report import Period, build_report
from plaintes_tui.store.schema import SCHEMA_VERSION
from tests.factories import CALCULATOR, TODAY

CASES = 400
DAYS = ["2025-12-31", "2026-01-05", "2026-01-31", "2026-02-01", "2026-02-14", "2026-11-28"]
# Every column the kept sums depend on, with values that move a case in and out of "settled".
CHANGES: dict[str, list[Any]] = {
    "received": DAYS,
    "status": ["received", "incomplete", "in_progress", "paused", "replied", "closed"],
    "next_due": [None, "2026-12-01", "2026-01-10"],
    "acknowledgement_sent": [None, "2026-01-06", "2026-02-20"],
    "acknowledgement_means": [None, "letter", "not_owed"],
    "acknowledgement_due": ["2026-01-09", "2026-02-06"],
    "reply_due_original": [None, "2026-02-04", "2026-03-03"],
    "reply_due": [None, "2026-02-04", "2026-03-20"],
    "reply_sent": [None, "2026-02-03", "2026-03-10"],
    "assigned_to": [None, "alice", "bob"],
    "admissibility": [None, "admissible", "dispute"],
    "network_category": [None, "file_handling"],
    "outcome": [None, "founded", "unfounded"],
    "category": ["slow_reaction", "other"],
    "language": ["fr", "nl"],
    "channel": ["phone", "letter"],
    "ombudsman_referred": [None, "2026-04-01"],
    "improvement_action": [None, "", "Nouveau modèle"],
    "anonymous": [0, 1],
}
change = st.one_of(
    *(
        st.tuples(st.just(column), st.integers(1, CASES), st.sampled_from(values))
        for column, values in CHANGES.items()
    ),
    st.tuples(st.just("reply"), st.integers(1, CASES), st.none()),
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(tmp_path_factory.mktemp("figures") / "demo.db", create=True)
    generate_demo(store, cases=CASES, seed=3, today=TODAY, calculator=CALCULATOR)
    yield store
    store.close()


def _apply(connection: sqlite3.Connection, changes: list[tuple[str, int, Any]]) -> None:
    for column, case, value in changes:
        if column == "reply":
            connection.execute(
                "INSERT INTO journal (case_id, case_version, at, agent, action) "
                "VALUES (?, 1, '2026-11-28T10:00:00', 't', 'reply')",
                (case,),
            )
        else:
            connection.execute(f"UPDATE cases SET {column} = ? WHERE id = ?", (value, case))


def _kept(connection: sqlite3.Connection) -> tuple[set[tuple[Any, ...]], ...]:
    return (
        set(connection.execute("SELECT * FROM figures_month WHERE cases != 0")),
        set(connection.execute("SELECT * FROM figures_by WHERE cases != 0")),
        set(connection.execute("SELECT * FROM figures_days WHERE cases != 0")),
        set(connection.execute("SELECT * FROM figures_replies WHERE replies != 0")),
    )


def _recounted(connection: sqlite3.Connection) -> tuple[set[tuple[Any, ...]], ...]:
    """The kept sums counted again from scratch, inside a savepoint rolled back after."""
    connection.execute("SAVEPOINT recount")
    try:
        for table in ("figures_month", "figures_by", "figures_days", "figures_replies"):
            connection.execute(f"DELETE FROM {table}")
        figures.add_cases(connection, 1, CASES)
        connection.execute(figures.COUNT_SET_ASIDE)
        return _kept(connection)
    finally:
        connection.execute("ROLLBACK TO recount")
        connection.execute("RELEASE recount")


def _live_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report read from the cases alone, as before the kept sums."""
    monkeypatch.setattr(
        report,
        "plan_of",
        lambda store, period: report_reading.Plan(live=[(period.start, period.end)]),
    )


def test_the_kept_sums_of_a_demo_store_are_its_cases(store: Store) -> None:
    kept = _kept(store.connection)
    assert (
        kept[0] and kept[1] and kept[2]
    )  # the demo journals no reply: the property test adds some
    assert kept == _recounted(store.connection)


def test_a_case_updated_with_its_watched_columns_as_they_were_is_not_counted_again(
    store: Store,
) -> None:
    """Retention blanking a closed case's words sets its status to what it was: the case
    counts for what it counted for, its contribution not taken away and added back."""
    connection = store.connection
    connection.execute("BEGIN")
    try:
        (case, status) = connection.execute(
            f"SELECT id, status FROM cases WHERE NOT {figures.UNSETTLED} LIMIT 1"
        ).fetchone()
        before = connection.total_changes
        connection.execute("UPDATE cases SET status = ? WHERE id = ?", (status, case))
        assert connection.total_changes - before == 1  # the case's row alone
        before = connection.total_changes
        connection.execute("UPDATE cases SET status = 'received' WHERE id = ?", (case,))
        assert connection.total_changes - before > 1  # taken out of the kept sums
        assert _kept(connection) == _recounted(connection)
    finally:
        connection.execute("ROLLBACK")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.lists(change, max_size=25),
    today=st.sampled_from([date(2026, 1, 8), date(2026, 2, 10), TODAY]),
    start=st.sampled_from([date(2026, 1, 1), date(2026, 1, 20), date(2025, 12, 31)]),
    end=st.sampled_from([date(2026, 1, 31), date(2026, 2, 3), date(2026, 2, 27), TODAY]),
)
def test_every_change_keeps_the_sums_and_the_report_right(
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    changes: list[tuple[str, int, Any]],
    today: date,
    start: date,
    end: date,
) -> None:
    connection = store.connection
    connection.execute("BEGIN")
    try:
        _apply(connection, changes)
        assert _kept(connection) == _recounted(connection)
        period = Period(start, end)
        planned = build_report(store, period, today)
        with monkeypatch.context() as patch:
            _live_only(patch)
            assert planned == build_report(store, period, today)
    finally:
        connection.execute("ROLLBACK")


def test_a_period_ending_today_reads_kept_sums_less_the_days_left_out(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    rolling = Period(date(2025, 12, 1), TODAY)
    plan = report_reading.plan_of(store, rolling)
    assert plan.months == ("2025-12", "2026-11")
    assert plan.less == [(TODAY + timedelta(days=1), date(2026, 11, 30))]
    assert plan.live == []
    planned = build_report(store, rolling, TODAY)
    _live_only(monkeypatch)
    assert planned == build_report(store, rolling, TODAY)


def test_a_few_days_are_read_live(store: Store) -> None:
    plan = report_reading.plan_of(store, Period(date(2026, 3, 10), date(2026, 3, 12)))
    assert plan.months is None
    assert plan.live == [(date(2026, 3, 10), date(2026, 3, 12))]


def _before_the_journal_chain(connection: sqlite3.Connection) -> None:
    """Undo migrations 16 and 15: no access log, the journal as before it proved itself."""
    connection.execute("DROP TABLE access_log")
    connection.execute("DROP TRIGGER journal_no_update")
    for column in ("hash", "state", "content_hash"):
        connection.execute(f"ALTER TABLE journal DROP COLUMN {column}")
    connection.execute(
        "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal "
        "WHEN NOT (old.redacted IS NULL AND new.redacted IS NOT NULL AND new.id = old.id "
        "AND new.case_id = old.case_id AND new.case_version = old.case_version "
        "AND new.at = old.at AND new.agent = old.agent AND new.action = old.action) "
        "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END"
    )


def test_an_older_store_gets_its_sums_when_migrated(tmp_path: Path) -> None:
    """A store of schema 13 with cases is counted by the migration, not only from then on."""
    path = tmp_path / "old.db"
    store = open_store(path, create=True)
    generate_demo(store, cases=120, seed=2, today=TODAY, calculator=CALCULATOR)
    expected = _kept(store.connection)
    connection = store.connection
    for table in ("figures_month", "figures_by", "figures_days", "figures_replies"):
        connection.execute(f"DROP TABLE {table}")
    for (trigger,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'figures_%'"
    ).fetchall():
        connection.execute(f"DROP TRIGGER {trigger}")
    connection.execute("DROP INDEX cases_unsettled")
    connection.execute("DROP INDEX cases_improvement")
    connection.execute("DROP INDEX cases_ombudsman")
    connection.execute("DROP INDEX complainants_name")
    connection.execute("DROP INDEX letters_message_id")
    connection.execute("ALTER TABLE letters DROP COLUMN message_id")
    connection.execute("DROP INDEX cases_service")
    connection.execute("ALTER TABLE cases DROP COLUMN service")
    connection.executescript("DROP TRIGGER scans_search_reading; DROP TABLE scans_search;")
    connection.execute("ALTER TABLE mail_messages DROP COLUMN scan")
    connection.executescript(
        "DROP TABLE improvement_journal; DROP TABLE improvement_cases; DROP TABLE improvements; "
        "DROP TABLE ombudsman_requests; DROP INDEX cases_ombudsman_concluded; "
        "DROP INDEX journal_ombudsman; DROP TABLE dialog_drafts;"
    )
    for column in ("reference", "due", "conclusion", "concluded", "recommendation"):
        connection.execute(f"ALTER TABLE cases DROP COLUMN ombudsman_{column}")
    _before_the_journal_chain(connection)
    connection.execute("PRAGMA user_version = 13")
    store.close()
    migrated = open_store(path)
    assert migrated.schema_version == SCHEMA_VERSION
    assert _kept(migrated.connection) == expected
    migrated.close()
