"""A journal that proves itself: every change made behind the program's back is found."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from plaintes_tui.cli import main
from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.database import Store, migrate, open_store
from plaintes_tui.store.demo import generate_demo
from plaintes_tui.store.journal import digest as digest_of
from plaintes_tui.store.verify import last_failure, verify_store
from tests.factories import CALCULATOR, TODAY, add_case, do


@pytest.fixture
def store(isolated: Path) -> Store:
    """A demo store (bulk-loaded, sealed afterwards) with cases moved through the door."""
    store = open_store(isolated / "plaintes.db", create=True)
    generate_demo(store, cases=200, seed=3, today=TODAY, calculator=CALCULATOR)
    case = add_case(store, date(2026, 11, 20))
    do(store, case["id"], Move.NOTE, text="Rappelé le 21/11")
    do(store, case["id"], Move.ACKNOWLEDGE, date=date(2026, 11, 23), means="email")
    return store


def behind_the_program(store: Store, *statements: str) -> None:
    """What an account with write access does with the sqlite3 tool."""
    connection = sqlite3.connect(store.path, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def problems(store: Store, workers: int = 1) -> list[str]:
    """What ``verify`` says, by one process or by several (each its own part of the journal
    and of the cases, its own connection)."""
    return verify_store(store, workers=workers, parallel_from=0).problems


def test_a_store_written_only_by_the_program_verifies(store: Store) -> None:
    result = verify_store(store)
    assert result.ok, result.problems
    (rows,) = store.connection.execute("SELECT count(*) FROM journal").fetchone()
    assert result.rows == rows and result.cases == 201
    (last,) = store.connection.execute("SELECT hash FROM journal ORDER BY id DESC").fetchone()
    assert result.head == (rows, last)


TAMPERING: dict[str, tuple[tuple[str, ...], str]] = {
    "a dropped trigger": (("DROP TRIGGER journal_no_delete",), "« journal_no_delete » manque"),
    "a forged journal note": (
        (
            "DROP TRIGGER journal_no_update",
            "UPDATE journal SET note = 'Rien à signaler' WHERE note = 'Rappelé le 21/11'",
        ),
        "a été modifié après son écriture",
    ),
    "a case changed with no journal row": (
        ("UPDATE cases SET status = 'replied', reply_sent = '2026-11-25' WHERE id = 201",),
        "n'est plus tel que son journal le dit",
    ),
    "a complainant's NISS rewritten": (
        ("UPDATE complainants SET niss = '85073003328' WHERE id = 5",),
        "n'est plus tel que son journal le dit",
    ),
    "a counter moved back": (
        ("UPDATE reference_counters SET last_number = 1",),
        "le prochain dossier ne pourrait pas être enregistré",
    ),
    "a deleted journal row": (
        ("DROP TRIGGER journal_no_delete", "DELETE FROM journal WHERE id = 100"),
        "la chaîne du journal est rompue à la ligne 101",
    ),
    "a journal row inserted by hand": (
        (
            "INSERT INTO journal (case_id, case_version, at, agent, action) "
            "VALUES (1, 9, '2026-11-28T10:00:00', 'chef', 'close')",
        ),
        "n'a pas de condensé",
    ),
}


@pytest.mark.parametrize("what", list(TAMPERING))
def test_each_change_behind_the_program_is_found(store: Store, what: str) -> None:
    statements, expected = TAMPERING[what]
    behind_the_program(store, *statements)
    found = problems(store)
    assert any(expected in problem for problem in found), found


def test_checked_by_two_processes_the_store_tells_the_same(store: Store) -> None:
    """Parts checked apart find what one pass finds: a row deleted where one part ends, a note
    forged in another, a case changed, in the same order; and nothing on a clean store."""
    clean = verify_store(store, workers=2, parallel_from=0)
    assert clean.ok and (clean.rows, clean.cases, clean.head) == (
        (whole := verify_store(store)).rows,
        whole.cases,
        whole.head,
    )
    (rows,) = store.connection.execute("SELECT max(id) FROM journal").fetchone()
    boundary = -(-rows // 4) + 1  # the first row of the second of four parts
    behind_the_program(
        store,
        "DROP TRIGGER journal_no_delete",
        "DROP TRIGGER journal_no_update",
        f"DELETE FROM journal WHERE id = {boundary - 1}",
        f"UPDATE journal SET note = 'forgé' WHERE id = {rows - 2}",
        "UPDATE cases SET subject = 'autre chose' WHERE id = 150",
    )
    one, two = problems(store), problems(store, workers=2)
    assert one == two
    assert any(f"rompue à la ligne {boundary}" in problem for problem in two), two
    assert any(f"ligne {rows - 2} du journal a été modifié" in problem for problem in two), two
    assert sum("n'est plus tel que son journal le dit" in problem for problem in two) == 1


def test_a_history_rewritten_whole_is_caught_against_the_head_a_backup_logged(
    store: Store, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Deleting the last rows leaves a chain that holds together: only an earlier head (the
    nightly backup's) tells."""
    assert main(["--db", str(store.path), "backup"]) == 0  # the settings' backups folder
    assert "Tête de la chaîne du journal" in capsys.readouterr().out
    (last,) = store.connection.execute("SELECT max(id) FROM journal").fetchone()
    behind_the_program(
        store,
        "DROP TRIGGER journal_no_delete",
        f"DELETE FROM journal WHERE id = {last}",
        "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal "
        "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END",
        "UPDATE cases SET version = version - 1 WHERE id = 201",
    )
    code = main(["--db", str(store.path), "verify"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"la ligne {last} du journal n'a plus le condensé" in out


def test_backup_does_not_call_a_tampered_store_verified_and_the_app_warns(
    store: Store, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    behind_the_program(store, "UPDATE cases SET subject = 'autre chose' WHERE id = 3")
    assert main(["--db", str(store.path), "backup", str(isolated / "backups")]) == 1
    out = capsys.readouterr().out
    assert "NON vérifiée" in out and "Sauvegarde vérifiée" not in out
    assert "P-" in out and "n'est plus tel que son journal le dit" in out
    failure = last_failure(store)
    assert failure is not None and failure[0] == 1


def test_verify_prints_the_head_and_exits_zero_on_a_clean_store(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(store.path), "verify", "--json"]) == 0
    assert '"ok": true' in capsys.readouterr().out
    assert last_failure(store) is None


def test_a_store_from_before_the_chain_is_sealed_when_migrated(isolated: Path) -> None:
    db = isolated / "old.db"
    connection = sqlite3.connect(db, isolation_level=None)
    migrate(connection, target=14)  # the last schema before the chain
    connection.close()
    old: Callable[[str], object] = sqlite3.connect(db, isolation_level=None).execute
    old(
        "INSERT INTO complainants (id, last_name, created_at, created_by) "
        "VALUES (1, 'Müller', '2026-01-01', 'x')"
    )
    old(
        "INSERT INTO cases (id, reference, complainant_id, channel, received, logged_at, "
        "logged_by, language, category, status, acknowledgement_due, updated_at, updated_by) "
        "VALUES (1, 'P-2026-00001', 1, 'letter', '2026-01-05', '2026-01-07', 'x', 'de', "
        "'other', 'received', '2026-01-12', '2026-01-07', 'x')"
    )
    old("INSERT INTO reference_counters VALUES (2026, 1)")
    for version in (1, 2):
        old(
            "INSERT INTO journal (case_id, case_version, at, agent, action) "
            f"VALUES (1, {version}, '2026-01-07', 'x', 'note')"
        )
    store = open_store(db)
    assert verify_store(store).ok
    assert store.connection.execute("SELECT count(*) FROM journal WHERE hash IS NULL").fetchone()[
        0
    ] == (0)


async def test_a_coordinator_is_warned_at_start_when_the_last_verification_failed(
    store: Store, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from plaintes_tui.domain.access import Actor, Role
    from plaintes_tui.settings import Settings
    from plaintes_tui.tui.app import PlaintesApp
    from tests.pilot import settle

    behind_the_program(store, "UPDATE cases SET urgent = 1 - urgent WHERE id = 7")
    assert main(["--db", str(store.path), "verify"]) == 1
    for role, warned in ((Role.COORDINATOR, True), (Role.AGENT, False)):
        app = PlaintesApp(Settings(), agent=Actor("marie", role), store=store, today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            told = [n.message for n in app._notifications]
            assert any("a trouvé 1 problème(s)" in m for m in told) is warned, told


@given(
    st.lists(
        st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text()),
        min_size=1,
        max_size=8,
    )
)
def test_the_program_and_sqlite_quote_values_alike(values: list[object]) -> None:
    """What the journal digests when it writes (Python) is what the verifier digests (SQLite),
    value by value and joined as a digest covers them."""
    from plaintes_tui.store.journal import ENCODING, ERRORS, _quoted, printf_sql, sql_quote

    with closing(sqlite3.connect(":memory:")) as connection:
        for value in values:
            (quoted,) = connection.execute("SELECT printf('%Q', ?)", (value,)).fetchone()
            assert sql_quote(value) == quoted
        names = [f"?{number}" for number in range(1, len(values) + 1)]
        (joined, held) = connection.execute(
            f"SELECT {printf_sql(names)}, CAST({printf_sql(names)} AS BLOB)", values
        ).fetchone()
        assert _quoted(values) == joined
        # the verifier digests the bytes SQLite holds: the writer's text, encoded
        assert _quoted(values).encode(ENCODING, ERRORS) == held


@given(
    st.text(),
    st.text(),
    st.text(),
    st.text(),
    st.integers(0, 2**63 - 1),
    st.integers(0, 2**63 - 1),
    st.integers(0, 2**63 - 1),
    st.booleans(),
)
@example('{"a": "l\'an"}', "d'abord\x00après", "o'brien", "note", 1, 2, 3, True)
def test_the_writer_digests_a_row_as_the_verifier_does(
    changes: str,
    note: str,
    agent: str,
    action: str,
    row_id: int,
    case_id: int,
    version: int,
    last: bool,
) -> None:
    """The writer's short path (each save: whole numbers and digests unquoted, texts quoted
    inline) builds the bytes SQLite builds for the verifier, quotes and NULs included."""
    from plaintes_tui.store.journal import (
        CONTENT_SQL,
        ENCODING,
        ERRORS,
        GENESIS,
        LINK_SQL,
        content_hash,
        link_text,
    )

    at, state = "2026-11-28T10:00:00", "ab" * 32 if last else None
    with closing(sqlite3.connect(":memory:")) as connection:
        content = content_hash(changes, note)
        (content_text, linked) = connection.execute(
            f"SELECT CAST({CONTENT_SQL} AS BLOB), CAST({LINK_SQL} AS BLOB) FROM (SELECT "
            "? AS changes, ? AS note, ? AS id, ? AS case_id, ? AS case_version, ? AS at, "
            "? AS agent, ? AS action, ? AS content_hash, ? AS state)",
            (changes, note, row_id, case_id, version, at, agent, action, content, state),
        ).fetchone()
    assert content == hashlib.sha256(content_text).hexdigest()
    written = link_text(GENESIS, row_id, case_id, version, at, agent, action, content, state)
    assert written.encode(ENCODING, ERRORS) == GENESIS.encode() + b"," + linked


@given(st.text(), st.text(), st.text(), st.binary())
@example("d'abord", "o'brien", "note", b"'1','P-2026-00001'")
@example("", "agent\x00x", "note", b"")
def test_a_saved_row_is_digested_as_the_reference_texts_say(
    note: str, agent: str, action: str, state: bytes
) -> None:
    """``append_journal`` builds its texts inline (every save): its digests are those of
    ``content_hash`` and ``link_text``, which the test above holds to SQLite's."""
    from plaintes_tui.printable import clean
    from plaintes_tui.store.journal import GENESIS, append_journal, content_hash, link_text

    at = datetime(2026, 11, 28, 10, 0)
    with closing(sqlite3.connect(":memory:")) as connection:
        connection.execute(
            "CREATE TABLE journal (id INTEGER PRIMARY KEY, case_id, case_version, at, agent, "
            "action, changes, note, content_hash, state, hash)"
        )
        changes = {"subject": ("L'attente", note)}
        append_journal(
            connection,
            7,
            3,
            at=at,
            agent=agent,
            action=action,
            changes=changes,
            note=note,
            state=state,
        )
        (changes_text, kept, content, state_hash, linked) = connection.execute(
            "SELECT changes, note, content_hash, state, hash FROM journal"
        ).fetchone()
    assert kept == clean(note, lines=True)
    assert content == content_hash(changes_text, kept)
    assert state_hash == hashlib.sha256(state).hexdigest()
    fields = (1, 7, 3, "2026-11-28T10:00:00", agent, action)
    assert linked == digest_of(link_text(GENESIS, *fields, content, state_hash))


def test_the_state_a_save_returns_is_the_state_the_verifier_reads(store: Store) -> None:
    """The text a writer's UPDATE returns for the journal (the person read by a subquery) is
    the text the verifier builds (the person joined), byte for byte, and Python's quoting of
    the columns: with quotes, empty and NULL values, and a later column set or not."""
    from plaintes_tui.store.journal import (
        _STATE_COLUMNS_SQL,
        ENCODING,
        ERRORS,
        STATE_RETURNED,
        WITH_PERSON,
        state_of,
        state_sql,
    )

    add_case(store, date(2026, 11, 20), subject="L'attente", description="")
    add_case(store, date(2026, 11, 21), service="DGPH")
    run = store.connection.execute
    for case_id in (1, 2):
        (returned,) = run(f"SELECT {STATE_RETURNED} FROM cases WHERE id = ?", (case_id,)).fetchone()
        (joined,) = run(
            f"SELECT CAST({state_sql('c', 'p')} AS BLOB) FROM cases AS c {WITH_PERSON} "
            "WHERE c.id = ?",
            (case_id,),
        ).fetchone()
        values = run(
            f"SELECT {_STATE_COLUMNS_SQL} FROM cases AS c {WITH_PERSON} WHERE c.id = ?",
            (case_id,),
        ).fetchone()
        assert returned == joined
        assert digest_of(returned.decode(ENCODING, ERRORS)) == state_of(values)


@pytest.mark.slow
def test_a_clean_demo_store_of_100000_cases_verifies(isolated: Path) -> None:
    store = open_store(isolated / "big.db", create=True)
    generate_demo(store, cases=100_000, seed=1, today=TODAY, calculator=CALCULATOR)
    result = verify_store(store)
    assert result.ok, result.problems
    (moves,) = store.connection.execute("SELECT sum(version) FROM cases").fetchone()
    assert result.cases == 100_000 and result.rows == moves > 3 * 100_000  # every move told


def test_every_writer_of_a_person_keeps_the_store_verifiable(store: Store) -> None:
    """Corrections, merges and anonymisation change persons through the door: no false alarm."""
    from plaintes_tui.domain.access import Actor, Role
    from plaintes_tui.store.rectify import merge, rectify
    from plaintes_tui.store.retention import apply
    from tests.factories import NOW, person

    coordinator = Actor("marie", Role.COORDINATOR)
    first = add_case(store, date(2019, 1, 7), complainant=person(last_name="Wouters"))
    second = add_case(store, date(2019, 2, 4), complainant=person(last_name="Wouters"))
    rectify(
        store,
        first["complainant_id"],
        {"phone": "+32477848664"},
        {"phone": "+32475998877"},
        actor=coordinator,
        now=NOW,
    )
    merge(store, first["complainant_id"], second["complainant_id"], actor=coordinator, now=NOW)
    from tests.test_personal_data import close

    for case in (first, second):
        close(store, case["id"], date(2019, 3, 1))
    assert verify_store(store).ok, verify_store(store).problems
    done = apply(
        store, today=TODAY, now=NOW, years=5, draft_days=30, actor=Actor("cron", Role.SYSTEM)
    )
    assert done.persons == 1 and done.cases == 2
    assert verify_store(store).ok, verify_store(store).problems
