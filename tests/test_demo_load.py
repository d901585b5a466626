"""How demo data reaches the store: drawn here or by a second process, one transaction."""

import sqlite3
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from plaintes_tui.store import journal_bulk
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.demo import generate_demo, worker
from plaintes_tui.store.demo import load as demo_load
from plaintes_tui.store.demo.draws import BATCH
from plaintes_tui.store.demo.worker import WorkerError
from plaintes_tui.store.queue import QueueFilter, queue_count
from plaintes_tui.store.verify import verify_store
from tests.factories import CALCULATOR, TODAY, add_case, new_store

EVERYTHING = (
    "SELECT c.*, p.*, j.at, j.agent, j.action, j.changes FROM cases AS c "
    "JOIN complainants AS p ON p.id = c.complainant_id JOIN journal AS j ON j.case_id = c.id "
    "ORDER BY c.id, j.id"
)


def demo(store: Store, cases: int = 400, *, worker: bool | None = None, batch: int = BATCH) -> None:
    generate_demo(
        store,
        cases=cases,
        seed=5,
        today=TODAY,
        calculator=CALCULATOR,
        worker=worker,
        batch=batch,
    )


def test_a_worker_process_draws_the_same_store(isolated: Path) -> None:
    """Fourteen batches of 30: the drawing process fills all eight chunk files, copied in
    order, and the store is the one drawn here."""
    here, there = (
        open_store(isolated / "here.db", create=True),
        open_store(isolated / "there.db", create=True),
    )
    demo(here, worker=False, batch=30)
    demo(there, worker=True, batch=30)
    rows = here.connection.execute(EVERYTHING).fetchall()
    assert len({row[0] for row in rows}) == 400
    assert rows == there.connection.execute(EVERYTHING).fetchall()
    for store in (here, there):
        found = store.connection.execute(
            "SELECT count(*) FROM cases_search WHERE cases_search MATCH 'reference : p'"
        ).fetchone()
        assert found == (400,)


@pytest.mark.parametrize("drawn_by_a_worker", [False, True])
def test_demo_rows_hold_together(isolated: Path, drawn_by_a_worker: bool) -> None:
    store = open_store(isolated / "demo.db", create=True)
    demo(store, worker=drawn_by_a_worker)
    assert [p.name for p in isolated.iterdir() if not p.name.startswith("demo.db")] == []
    q = store.connection.execute
    assert q("PRAGMA foreign_key_check").fetchall() == []
    # The load's settings are this connection's usual ones again.
    assert q("PRAGMA journal_mode").fetchone() == ("wal",)
    assert q("PRAGMA foreign_keys").fetchone() == (1,)
    assert q("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    assert q("PRAGMA cache_size").fetchone() == (-2000,)
    assert q("SELECT count(*) FROM journal WHERE action = 'logged'").fetchone() == (400,)
    # Every text is there, made from the lookup tables: nothing left empty by a missed join.
    (blank,) = q(
        "SELECT count(*) FROM cases JOIN complainants ON complainants.id = complainant_id "
        "WHERE reference NOT GLOB 'P-20[0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]' "
        "OR logged_at NOT GLOB '20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-9][0-9]:[0-5][0-9]:00' "
        "OR description = '' OR last_name = '' OR town IS NULL OR street IS NULL "
        "OR (email IS NOT NULL AND email NOT GLOB '*.*[0-9]@example.be')"
    ).fetchone()
    assert blank == 0
    open_cases = q("SELECT count(*) FROM cases WHERE next_due IS NOT NULL").fetchone()[0]
    assert queue_count(store, QueueFilter(), TODAY) == open_cases


def test_demo_adds_to_a_store_in_use(isolated: Path) -> None:
    """Another agent has the store open: the write-ahead log stays, the demo still goes in,
    after the cases already there, and search finds old and new."""
    store = new_store(isolated)
    add_case(store, date(2026, 11, 2))
    other = open_store(store.path or "", create=True)
    other.connection.execute("SELECT count(*) FROM cases").fetchone()
    demo(store, cases=50)
    assert other.connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    references = [r for (r,) in other.connection.execute("SELECT reference FROM cases")]
    assert len(references) == len(set(references)) == 51
    assert queue_count(other, QueueFilter(search="helene dubois"), TODAY) >= 1
    (demo_name,) = other.connection.execute(
        "SELECT complainants.last_name FROM cases JOIN complainants "
        "ON complainants.id = cases.complainant_id "
        "WHERE cases.id > 1 AND cases.next_due IS NOT NULL LIMIT 1"
    ).fetchone()
    assert queue_count(other, QueueFilter(search=demo_name), TODAY) >= 1
    # its journal rows chained after the case's, sealed as they went in
    checked = verify_store(store)
    assert checked.ok, checked.problems
    assert checked.rows == store.connection.execute("SELECT sum(version) FROM cases").fetchone()[0]


def test_bulk_rows_are_sealed_as_the_verifier_reads_them(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python digests each row's content and SQLite quotes its fields for the link: a quote
    in either (here the note, and the loading agent's name) is doubled as the verifier's
    SQL doubles it."""
    monkeypatch.setattr(demo_load, "DEMO_NOTE", "appel d'O'Brien")
    store = new_store(isolated)
    add_case(store, date(2026, 11, 2))
    generate_demo(store, cases=30, seed=5, today=TODAY, calculator=CALCULATOR, agent="d'Hondt")
    checked = verify_store(store)
    assert checked.ok, checked.problems
    quoted = "SELECT count(*) FROM journal WHERE agent = ? AND note = ?"
    assert store.connection.execute(quoted, ("d'Hondt", "appel d'O'Brien")).fetchone()[0] == 30


def test_a_chain_sealed_out_of_step_is_refused(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should SQLite call Python more than once a row (were the subquery flattened into the
    insert, its id and its link would each call it), the load fails rather than leave gaps
    in the chain."""
    link = journal_bulk._Chain.link

    def twice(chain: journal_bulk._Chain, fields: bytes) -> str:
        link(chain, fields)
        return link(chain, fields)

    monkeypatch.setattr(journal_bulk._Chain, "link", twice)
    store = new_store(isolated)
    add_case(store, date(2026, 11, 2))
    with pytest.raises(RuntimeError, match="out of order"):
        demo(store, cases=30)
    assert store.connection.execute("SELECT count(*) FROM journal").fetchone() == (1,)
    assert verify_store(store).ok


def test_the_demo_leaves_the_search_index_in_one_segment(isolated: Path) -> None:
    """Segments written side by side by a load would wait at the first level for the next
    writes to merge them all (each search reading every one meanwhile): the load merges."""
    store = new_store(isolated)
    add_case(store, date(2026, 11, 2))  # a segment of its own
    demo(store, cases=50)
    segments = "SELECT count(DISTINCT segid) FROM cases_search_idx"
    assert store.connection.execute(segments).fetchone() == (1,)
    assert queue_count(store, QueueFilter(search="helene dubois"), TODAY) >= 1


@pytest.mark.parametrize("before_its_work", [False, True], ids=["while", "before-its-work"])
def test_a_drawing_process_that_dies_is_reported_and_nothing_is_written(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, before_its_work: bool
) -> None:
    """Dead while drawing, or before it read its work (the pipe broken under the writer)."""
    store = new_store(isolated)
    add_case(store, date(2026, 11, 2))
    indexes = "SELECT count(*) FROM sqlite_master WHERE type IN ('index', 'trigger')"
    (before,) = store.connection.execute(indexes).fetchone()
    script = isolated / "dies.py"
    script.write_text("import sys\nsys.stderr.write('MemoryError\\n')\nsys.exit(1)\n")
    monkeypatch.setattr(worker, "command", lambda: [sys.executable, str(script)])
    if before_its_work:

        def broken(*_: object, **__: object) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        monkeypatch.setattr("pickle.dump", broken)
    with pytest.raises(WorkerError, match="MemoryError"):
        demo(store, worker=True)
    assert store.connection.execute("SELECT count(*) FROM cases").fetchone() == (1,)
    assert store.connection.execute(indexes).fetchone() == (before,)
    assert store.connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert store.connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert [p.name for p in isolated.iterdir() if p.name.startswith("plaintes-demo-")] == []
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        store.connection.execute("SELECT * FROM temp.demo_case")


def test_the_demo_keeps_every_rule_the_program_enforces(isolated: Path) -> None:
    """A demo case is one an agent could have brought there through the door: no date before
    the receipt or after today, a reply that confirmed receipt, a closed complaint answered
    and acknowledged, a case waiting for details with its reply clock paused."""
    from plaintes_tui.domain.cases import Admissibility, Status
    from plaintes_tui.domain.workflow import CaseFacts, Move, refusal
    from plaintes_tui.store.cases import read_case
    from plaintes_tui.store.move_effects import open_pause_start
    from plaintes_tui.store.queue import VIEWS, iter_queue

    store = open_store(isolated / "demo.db", create=True)
    demo(store, cases=1500)
    broken: dict[str, list[str]] = {}
    for (case_id,) in store.connection.execute("SELECT id FROM cases").fetchall():
        case = read_case(store, case_id)

        def wrong(rule: str) -> None:
            broken.setdefault(rule, []).append(case.reference)  # noqa: B023

        for name in ("acknowledgement_sent", "reply_sent", "closed_at", "ombudsman_referred"):
            day = getattr(case, name)
            if day is not None and not case.received <= day <= TODAY:
                wrong(f"{name} outside receipt..today")
        if case.reply_sent and not case.acknowledgement_sent:
            wrong("a reply that did not confirm receipt")
        if case.reply_sent and case.status not in (Status.REPLIED, Status.CLOSED):
            wrong("replied but not so")
        if case.status is Status.CLOSED:
            # Closing was allowed from the case as it was just before: open, same facts.
            before = replace(CaseFacts.of(case), status=Status.IN_PROGRESS)
            if case.admissibility is not None and refusal(before, Move.CLOSE, supervisor=True):
                wrong("closed though closing would be refused")
        waiting = open_pause_start(store, case_id)
        if case.admissibility is Admissibility.INCOMPLETE and waiting is None:
            wrong("incomplete without its waiting pause")
    assert broken == {}
    long_paused = list(iter_queue(store, VIEWS["long_paused"], TODAY))
    assert any(row.status == "incomplete" for row in long_paused)


def test_each_demo_case_has_the_journal_of_its_moves(isolated: Path) -> None:
    """A supervisor reading a demo case sees how it got where it stands: one row per move,
    in order, never before the case was logged, as many as the case's version."""
    store = open_store(isolated / "demo.db", create=True)
    demo(store)
    q = store.connection.execute
    assert q(
        "SELECT count(*) FROM cases AS c WHERE version != "
        "(SELECT count(*) FROM journal WHERE case_id = c.id) OR version != "
        "(SELECT max(case_version) FROM journal WHERE case_id = c.id)"
    ).fetchone() == (0,)
    assert q(
        "SELECT count(*) FROM journal AS j JOIN journal AS later ON later.case_id = j.case_id "
        "AND later.id > j.id AND later.at < j.at"
    ).fetchone() == (0,)
    assert q(
        "SELECT count(*) FROM cases WHERE acknowledgement_sent < substr(logged_at, 1, 10) "
        "OR reply_sent < substr(logged_at, 1, 10) OR closed_at < substr(logged_at, 1, 10)"
    ).fetchone() == (0,)  # nothing sent before the case was logged
    # What each case holds, its journal says; and the other way round.
    for column, told_by in (
        ("admissibility", "action = 'admissibility_decided'"),
        ("reply_sent", "action = 'reply'"),
        ("ombudsman_referred", "action = 'ombudsman'"),
        ("closed_at", "action IN ('close', 'answered_out_of_scope')"),
        ("acknowledgement_sent", "action IN ('acknowledge', 'answered_out_of_scope') OR "
         "(action = 'reply' AND c.acknowledgement_means = 'reply')"),
    ):  # fmt: skip
        told = f"EXISTS (SELECT 1 FROM journal WHERE case_id = c.id AND ({told_by}))"
        mismatched = q(
            f"SELECT count(*) FROM cases AS c WHERE ({column} IS NOT NULL) != {told}"
        ).fetchone()
        assert mismatched == (0,), column
    actions = {row[0] for row in q("SELECT DISTINCT action FROM journal")}
    assert actions >= {"logged", "acknowledge", "reply", "close", "answered_out_of_scope"}
