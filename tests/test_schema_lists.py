"""The schema's frozen migrations spell the domain's lists by hand: held to them here, so a
change of a list is a new migration, never a silent mismatch (a partial index the queue's
counts no longer match, a trigger counting other statuses than the report)."""

from __future__ import annotations

from plaintes_tui.domain.cases import REPLY_CLOCK_STOPPED, WAITING_FOR_COMPLAINANT, Status
from plaintes_tui.store.schema import MIGRATIONS, SCHEMA_VERSION
from plaintes_tui.store.sql_lists import WAITING, sql_list


def test_the_version_a_store_is_opened_at_is_the_number_of_migrations() -> None:
    assert len(MIGRATIONS) == SCHEMA_VERSION


def test_the_waiting_statuses_are_those_the_migrations_wrote() -> None:
    assert WAITING == "('paused', 'incomplete')"
    assert "AND status NOT IN ('paused', 'incomplete');" in "\n".join(MIGRATIONS)


def test_a_closed_case_and_a_waiting_one_stop_the_reply_clock() -> None:
    assert set(REPLY_CLOCK_STOPPED) == {Status.CLOSED, *WAITING_FOR_COMPLAINANT}
    assert sql_list([Status.CLOSED]) == "('closed')"


def test_what_the_access_log_may_record_is_what_its_table_allows() -> None:
    from plaintes_tui.store.access_log import Access

    assert f"CHECK (what IN {sql_list(Access)})" in "\n".join(MIGRATIONS)
