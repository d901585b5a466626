import json
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from plaintes_tui.domain.access import Actor, Role
from plaintes_tui.domain.cases import Admissibility, Category, Channel, Status
from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.cases import (
    CaseInput,
    StaleCaseError,
    create_case,
    get_case,
    journal_of,
    update_case,
)
from plaintes_tui.store.database import Store, StoreError, migrate, open_store
from plaintes_tui.store.drafts import load_draft, save_draft
from plaintes_tui.store.schema import SCHEMA_VERSION
from tests.factories import CALCULATOR, NOW, add_case, new_store, person


def test_a_new_case_gets_a_reference_both_clocks_and_a_journal_row(isolated: Path) -> None:
    store = new_store(isolated)
    case = add_case(store, date(2026, 12, 18))
    assert case["reference"] == "P-2026-00001"
    assert case["acknowledgement_due"] == "2026-12-28"
    assert case["reply_due"] == case["reply_due_original"] == "2027-01-18"
    assert case["next_due"] == "2026-12-28"
    assert case["status"] == Status.RECEIVED
    assert case["logged_by"] == "alice"
    assert case["complainant_first_name"] == "Hélène"
    [entry] = journal_of(store, case["id"])
    assert entry.action == "logged"
    assert entry.agent == "alice"
    assert entry.changes["received"] == [None, "2026-12-18"]


def test_references_are_numbered_per_year_of_receipt(isolated: Path) -> None:
    store = new_store(isolated)
    refs = [
        add_case(store, day)["reference"]
        for day in (date(2026, 12, 30), date(2027, 1, 2), date(2026, 12, 31), date(2027, 1, 4))
    ]
    assert refs == ["P-2026-00001", "P-2027-00001", "P-2026-00002", "P-2027-00002"]


def test_a_case_without_phone_or_email_is_flagged(isolated: Path) -> None:
    store = new_store(isolated)
    case = add_case(store, date(2026, 11, 10), complainant=person(phone=None, email=None))
    assert case["contact_incomplete"] == 1


def test_a_known_complainant_can_be_reused(isolated: Path) -> None:
    store = new_store(isolated)
    first = add_case(store, date(2026, 11, 10))
    second = add_case(store, date(2026, 11, 12), complainant=first["complainant_id"])
    assert second["complainant_id"] == first["complainant_id"]
    with pytest.raises(StoreError, match="aucun plaignant"):
        add_case(store, date(2026, 11, 12), complainant=999)


_CREATOR = """
import sys
from datetime import date
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from tests.factories import add_case
from plaintes_tui.store.database import open_store
store = open_store(Path(sys.argv[1]))
for i in range(int(sys.argv[3])):
    add_case(store, date(2026, 11, 10), agent=sys.argv[4])
"""


def test_two_processes_creating_at_once_get_distinct_gap_free_references(
    isolated: Path,
) -> None:
    db = isolated / "plaintes.db"
    open_store(db, create=True).close()
    root = str(Path(__file__).resolve().parent.parent)
    workers = [
        subprocess.Popen([sys.executable, "-c", _CREATOR, str(db), root, "500", agent])
        for agent in ("alice", "bob")
    ]
    assert [worker.wait(timeout=300) for worker in workers] == [0, 0]
    store = open_store(db)
    refs = [r for (r,) in store.connection.execute("SELECT reference FROM cases")]
    assert len(refs) == 1000
    assert sorted(refs) == [f"P-2026-{n:05d}" for n in range(1, 1001)]
    by_agent = dict(store.connection.execute("SELECT logged_by, count(*) FROM cases GROUP BY 1"))
    assert by_agent == {"alice": 500, "bob": 500}
    (journal,) = store.connection.execute("SELECT count(*) FROM journal").fetchone()
    assert journal == 1000


def test_the_journal_refuses_update_and_delete_in_plain_sql(isolated: Path) -> None:
    store = new_store(isolated)
    add_case(store, date(2026, 11, 10))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.connection.execute("UPDATE journal SET agent = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.connection.execute("DELETE FROM journal")


def test_an_update_is_journaled_with_old_and_new_values(isolated: Path) -> None:
    store = new_store(isolated)
    case = add_case(store, date(2026, 11, 10))
    updated = update_case(
        store,
        case["id"],
        case["version"],
        {"assigned_to": "bob", "subject": "Pas de réponse"},
        actor=Actor("carol", Role.SUPERVISOR),
        now=NOW,
        move=Move.ASSIGN,
    )
    assert updated["version"] == 2
    assert updated["assigned_to"] == "bob"
    assert updated["updated_by"] == "carol"
    entry = journal_of(store, case["id"])[-1]
    assert entry.action == Move.ASSIGN
    assert entry.changes == {"assigned_to": [None, "bob"]}  # the unchanged subject is not
    assert entry.agent == "carol"


def test_a_stale_save_is_refused_with_who_changed_it(isolated: Path) -> None:
    store = new_store(isolated)
    case = add_case(store, date(2026, 11, 10))
    update_case(
        store,
        case["id"],
        1,
        {"assigned_to": "bob"},
        actor=Actor("bob", Role.SUPERVISOR),
        now=NOW,
        move=Move.ASSIGN,
    )
    with pytest.raises(StaleCaseError) as refused:
        update_case(
            store,
            case["id"],
            1,
            {"subject": "Autre"},
            actor=Actor("alice", Role.SUPERVISOR),
            now=NOW,
            move=Move.NOTE,
        )
    assert refused.value.agent == "bob"
    assert refused.value.fields == ["assigned_to"]
    assert "bob" in str(refused.value) and "P-2026-00001" in str(refused.value)
    assert get_case(store, case["id"])["subject"] == "Pas de réponse"


def test_out_of_scope_cases_have_no_reply_clock(isolated: Path) -> None:
    store = new_store(isolated)
    case = add_case(store, date(2026, 11, 10))
    decided = update_case(
        store,
        case["id"],
        1,
        {
            "admissibility": Admissibility.DISPUTE,
            "status": Status.OUT_OF_SCOPE,
            "reply_due": None,
            "reply_due_original": None,
        },
        actor=Actor("alice", Role.SUPERVISOR),
        now=NOW,
        move=Move.DECIDE,
    )
    assert decided["next_due"] == decided["acknowledgement_due"]
    answered = update_case(
        store,
        case["id"],
        2,
        {"acknowledgement_sent": date(2026, 11, 12), "status": Status.CLOSED},
        actor=Actor("alice", Role.SUPERVISOR),
        now=NOW,
        move=Move.CLOSE,
    )
    assert answered["next_due"] is None


def test_a_store_from_the_previous_schema_is_migrated_after_a_backup(isolated: Path) -> None:
    db = isolated / "old.db"
    connection = sqlite3.connect(db, isolation_level=None)
    migrate(connection, target=SCHEMA_VERSION - 1)
    connection.close()
    old = sqlite3.connect(db, isolation_level=None)
    old.execute(
        "INSERT INTO complainants (id, last_name, first_name, created_at, created_by) "
        "VALUES (1, 'Müller', 'Jürgen', '2026-01-01', 'x')"
    )
    old.execute(
        "INSERT INTO cases (id, reference, complainant_id, channel, received, logged_at, "
        "logged_by, language, category, subject, status, acknowledgement_due, updated_at, "
        "updated_by, next_due) VALUES (1, 'P-2026-00001', 1, 'letter', '2026-01-05', "
        "'2026-01-07', 'x', 'de', 'other', 'Brief', 'received', '2026-01-12', '2026-01-07', "
        "'x', '2026-01-12')"
    )
    old.close()
    store = open_store(db)
    assert store.schema_version == SCHEMA_VERSION
    assert get_case(store, "P-2026-00001")["complainant_last_name"] == "Müller"
    backups = list(isolated.glob(f"old.v{SCHEMA_VERSION - 1}.bak*.db"))
    assert len(backups) == 1
    from plaintes_tui.store.queue import QueueFilter, queue_window

    found = queue_window(store, QueueFilter(search="muller"), date(2026, 1, 6), 0, 10)
    assert [row.reference for row in found] == ["P-2026-00001"]


def test_a_store_from_a_newer_program_is_refused(isolated: Path) -> None:
    db = isolated / "new.db"
    open_store(db, create=True).close()
    connection = sqlite3.connect(db)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(StoreError, match="version plus récente"):
        open_store(db)


def test_a_file_that_is_not_a_store_is_refused(isolated: Path) -> None:
    bad = isolated / "notes.db"
    bad.write_text("ceci n'est pas une base de données" * 100)
    with pytest.raises(StoreError, match="pas une base SQLite"):
        open_store(bad)
    assert bad.read_text() == "ceci n'est pas une base de données" * 100


def test_journal_changes_are_json(isolated: Path) -> None:
    store = new_store(isolated)
    case = add_case(store, date(2026, 11, 10))
    (raw,) = store.connection.execute(
        "SELECT changes FROM journal WHERE case_id = ?", (case["id"],)
    ).fetchone()
    assert json.loads(raw)["channel"] == [None, "phone"]


def test_a_read_on_one_thread_sees_commits_while_another_thread_reads(isolated: Path) -> None:
    """Each thread reads with its own connection: a statement left open on a worker thread
    (a page being read, a slow count) never holds the UI thread's view of the store in the past
    — which is how a draft saved by another agent could stay invisible for ever."""
    store = new_store(isolated)
    for day in range(1, 29):
        add_case(store, date(2026, 11, day))
    started, release = threading.Event(), threading.Event()

    def worker() -> None:
        cursor = store.connection.execute("SELECT reference FROM cases")
        cursor.fetchone()  # the statement stays open: this thread holds a read snapshot
        started.set()
        release.wait(timeout=30)
        cursor.fetchall()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert started.wait(timeout=30)
        store.connection.execute("SELECT count(*) FROM drafts").fetchone()
        with closing(open_store(isolated / "plaintes.db")) as other:
            save_draft(other, "alice", {"phone": "0477848664"}, NOW)
        draft = load_draft(store, "alice")
        assert draft is not None and draft.form == {"phone": "0477848664"}
    finally:
        release.set()
        thread.join(timeout=30)


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM cases",
        "UPDATE cases SET reference = '../../x'",
        "UPDATE cases SET reference = 'P-2026-00002'",
    ],
)
def test_the_schema_keeps_every_case_and_its_reference(isolated: Path, statement: str) -> None:
    store = new_store(isolated)
    case = add_case(store, date(2026, 11, 10))
    with pytest.raises(sqlite3.IntegrityError, match=r"never deleted|keeps its reference"):
        store.connection.execute(statement)
    assert get_case(store, case["id"])["reference"] == "P-2026-00001"
    assert store.connection.execute("SELECT count(*) FROM journal").fetchone() == (1,)


def test_the_schema_refuses_a_reference_that_is_not_one(isolated: Path) -> None:
    store = new_store(isolated)
    add_case(store, date(2026, 11, 10))
    with pytest.raises(sqlite3.IntegrityError, match="P-YYYY-NNNNN"):
        store.connection.execute(
            "INSERT INTO cases (reference, complainant_id, channel, received, logged_at, "
            "logged_by, language, category, status, acknowledgement_due, updated_at, "
            "updated_by) VALUES ('../../x', 1, 'phone', '2026-11-10', '', '', 'fr', 'other', "
            "'received', '2026-11-17', '', '')"
        )


def test_a_letter_never_lands_outside_the_output_folder() -> None:
    from plaintes_tui.domain.cases import reference_folder

    assert reference_folder("P-2026-00001") == "P-2026-00001"
    assert reference_folder("P-2026-123456") == "P-2026-123456"
    for bad in ("../../x", "P-2026-00001/../../x", "P-2026-0000a", ""):
        with pytest.raises(ValueError, match="not a case reference"):
            reference_folder(bad)


def test_a_case_and_its_draft_change_in_one_transaction(isolated: Path) -> None:
    """Killed after the save, a session never offers back the draft of a saved case (its
    restoration would log the case twice): the case and the draft's removal commit together."""
    store = new_store(isolated)

    def log_the_drafted_case() -> None:
        create_case(
            store,
            person(),
            CaseInput(Channel.PHONE, date(2026, 11, 10), Category.OTHER, "Sujet"),
            actor=Actor("alice"),
            now=NOW,
            calculator=CALCULATOR,
            draft_of="alice",
        )

    save_draft(store, "alice", {"last_name": "Dubois"}, NOW)
    store.connection.execute(
        "CREATE TEMP TRIGGER draft_removal_fails BEFORE DELETE ON drafts "
        "BEGIN SELECT RAISE(ABORT, 'disk gone'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="disk gone"):
        log_the_drafted_case()
    assert store.connection.execute("SELECT count(*) FROM cases").fetchone() == (0,)
    store.connection.execute("DROP TRIGGER temp.draft_removal_fails")
    add_case(store, date(2026, 11, 10))  # the reference was not used up either
    assert get_case(store, 1)["reference"] == "P-2026-00001"
    log_the_drafted_case()
    assert load_draft(store, "alice") is None


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ({"last_name": "PEETERS", "first_name": "jan"}, True),  # whatever the case
        ({"last_name": "Peeters", "first_name": "Jan", "postal_code": "9000"}, True),
        ({"last_name": "Peeters", "first_name": "Jan", "postal_code": "2000"}, False),  # elsewhere
        ({"last_name": "Peeters", "first_name": "Jan", "niss": "90010100123"}, False),  # other NISS
        ({"last_name": "Peeters", "first_name": "Johan"}, False),
    ],
)
def test_a_namesake_is_asked_about_unless_something_tells_them_apart(
    store: Store, typed: dict[str, str], asked: bool
) -> None:
    from plaintes_tui.store.complainants import record_for

    add_case(
        store,
        date(2026, 11, 2),
        complainant=person(
            last_name="Peeters",
            first_name="Jan",
            phone=None,
            email=None,
            postal_code="9000",
            niss="85073003328",
        ),
    )
    values = {"phone": "", "email": "", "niss": "", "postal_code": "", **typed}
    same_niss, known = record_for(store, values)
    assert same_niss is None
    assert (known is not None) is asked
    if known is not None:
        assert known.matched_on == ("name",)


def test_an_e_mail_address_finds_its_person_whatever_the_capitals(store: Store) -> None:
    """An access request written PIERRE.SIMON70@EXAMPLE.BE is the person on record as
    pierre.simon70@example.be: found for the export, the intake and the merge list alike."""
    from plaintes_tui.store.complainants import find_known
    from plaintes_tui.store.person_file import find_persons

    add_case(store, date(2026, 11, 2), complainant=person(email="pierre.simon70@example.be"))
    [found] = find_persons(store, "PIERRE.SIMON70@EXAMPLE.BE")
    assert found.id == 1
    [known] = find_known(store, email="Pierre.Simon70@example.be")
    assert known.id == 1 and known.matched_on == ("email",)
    plan = store.connection.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM complainants WHERE email = ? COLLATE NOCASE", ("x",)
    ).fetchall()
    assert "complainants_email" in str(plan)  # an index seek, not a scan
