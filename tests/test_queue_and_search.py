from datetime import date
from pathlib import Path

import pytest

from plaintes_tui.domain.access import Actor, Role
from plaintes_tui.domain.cases import Admissibility, Channel, Status
from plaintes_tui.domain.deadlines import Band
from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.cases import update_case
from plaintes_tui.store.database import Store
from plaintes_tui.store.queue import (
    QueueFilter,
    iter_queue,
    open_case_agents,
    queue_count,
    queue_counts,
    queue_tail,
    queue_window,
)
from tests.factories import CALCULATOR, NOW, add_case, new_store, person

TODAY = date(2026, 11, 27)  # a Friday


@pytest.fixture
def store(isolated: Path) -> Store:
    store = new_store(isolated)
    # Each case's acknowledgement due date, for a Mon-Fri week with 11/11 and 15/11 off:
    add_case(store, date(2026, 11, 25), complainant=person(last_name="Aerts"))  # due 2 Dec
    add_case(store, date(2026, 11, 10), complainant=person(last_name="Peeters"))  # due 18 Nov
    add_case(
        store,
        date(2026, 11, 20),
        channel=Channel.LETTER,
        complainant=person(last_name="Müller", first_name="Jürgen", phone=None, email=None),
    )  # due 27 Nov
    add_case(store, date(2026, 11, 23), complainant=person(last_name="Lejeune"))  # due 30 Nov
    return store


def refs(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [row.complainant.split()[0] for row in rows]


def test_most_urgent_first(store: Store) -> None:
    rows = queue_window(store, QueueFilter(), TODAY, 0, 10)
    assert refs(rows) == ["PEETERS", "MÜLLER", "LEJEUNE", "AERTS"]
    bands = [row.acknowledgement_band(CALCULATOR, TODAY) for row in rows]
    assert bands == [Band.OVERDUE, Band.DUE_SOON, Band.DUE_SOON, Band.ON_TRACK]
    later = [row.acknowledgement_band(CALCULATOR, date(2026, 11, 20)) for row in rows[:2]]
    assert later == [Band.OVERDUE, Band.ON_TRACK]


def test_windows_and_the_tail_read_the_same_order(store: Store) -> None:
    assert refs(queue_window(store, QueueFilter(), TODAY, 1, 2)) == ["MÜLLER", "LEJEUNE"]
    assert refs(queue_tail(store, QueueFilter(), TODAY, 2)) == ["LEJEUNE", "AERTS"]
    assert queue_count(store, QueueFilter(), TODAY) == 4
    assert refs(list(iter_queue(store, QueueFilter(), TODAY))) == [
        "PEETERS",
        "MÜLLER",
        "LEJEUNE",
        "AERTS",
    ]


def test_overdue_filter_follows_the_day_asked(store: Store) -> None:
    assert refs(queue_window(store, QueueFilter(overdue_only=True), TODAY, 0, 10)) == ["PEETERS"]
    monday = date(2026, 11, 30)
    assert refs(queue_window(store, QueueFilter(overdue_only=True), monday, 0, 10)) == [
        "PEETERS",
        "MÜLLER",
    ]


def test_filters_by_channel_agent_status_and_unchecked(store: Store) -> None:
    letter = QueueFilter(channel="letter")
    assert refs(queue_window(store, letter, TODAY, 0, 10)) == ["MÜLLER"]
    [first] = queue_window(store, QueueFilter(), TODAY, 0, 1)
    update_case(
        store,
        first.id,
        first.version,
        {
            "assigned_to": "bob",
            "admissibility": Admissibility.ADMISSIBLE,
            "status": Status.IN_PROGRESS,
        },
        actor=Actor("sup", Role.SUPERVISOR),
        now=NOW,
        move=Move.ASSIGN,
    )
    assert refs(queue_window(store, QueueFilter(agent="bob"), TODAY, 0, 10)) == ["PEETERS"]
    in_progress = QueueFilter(status="in_progress")
    assert refs(queue_window(store, in_progress, TODAY, 0, 10)) == ["PEETERS"]
    unchecked = QueueFilter(unchecked_only=True)
    assert refs(queue_window(store, unchecked, TODAY, 0, 10)) == ["MÜLLER", "LEJEUNE", "AERTS"]


def test_header_counts(store: Store) -> None:
    counts = queue_counts(store, TODAY)
    assert counts.open == 4
    assert counts.overdue == 1
    assert counts.acknowledgements_overdue == 1
    assert counts.replies_overdue == 0
    assert counts.due_today == 1  # Müller's acknowledgement
    assert counts.unchecked == 4


def test_closed_cases_leave_the_queue(store: Store) -> None:
    [first] = queue_window(store, QueueFilter(), TODAY, 0, 1)
    update_case(
        store,
        first.id,
        first.version,
        {"status": Status.CLOSED, "acknowledgement_sent": date(2026, 11, 12)},
        actor=Actor("sup", Role.SUPERVISOR),
        now=NOW,
        move=Move.CLOSE,
    )
    assert "PEETERS" not in refs(queue_window(store, QueueFilter(), TODAY, 0, 10))


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Müller", ["MÜLLER"]),
        ("muller", ["MÜLLER"]),
        ("MULL", ["MÜLLER"]),
        ("jurgen", ["MÜLLER"]),
        ("Hélène", ["PEETERS", "LEJEUNE", "AERTS"]),
        ("helene", ["PEETERS", "LEJEUNE", "AERTS"]),
        ("helene aerts", ["AERTS"]),
        ("P-2026-00003", ["MÜLLER"]),
        ("00003", ["MÜLLER"]),  # a reference's number alone, though it reads like a phone
        ("2026-00003", ["MÜLLER"]),
        ("0477 84 86 64", ["PEETERS", "LEJEUNE", "AERTS"]),
        ("+32 477 84", ["PEETERS", "LEJEUNE", "AERTS"]),
        ("helene.dubois@example.be", ["PEETERS", "LEJEUNE", "AERTS"]),
        ("réponse", ["PEETERS", "MÜLLER", "LEJEUNE", "AERTS"]),
        ('"unbalanced', []),
        ("[red] *", []),
    ],
)
def test_search_folds_accents_and_reads_phones(store: Store, typed: str, found: list[str]) -> None:
    assert refs(queue_window(store, QueueFilter(search=typed), TODAY, 0, 10)) == found


def test_search_follows_a_renamed_complainant(store: Store) -> None:
    store.connection.execute(
        "UPDATE complainants SET last_name = 'Lemaire' WHERE last_name = 'Aerts'"
    )
    assert refs(queue_window(store, QueueFilter(search="lemaire"), TODAY, 0, 10)) == ["LEMAIRE"]
    assert queue_window(store, QueueFilter(search="aerts"), TODAY, 0, 10) == []


def test_search_forgets_every_old_value(store: Store) -> None:
    """The index keeps no copy of the texts: each change must take exactly the old words out."""
    run = store.connection.execute
    run(
        "UPDATE cases SET subject = 'Guichet fermé', description = 'Porte close' "
        "WHERE reference = 'P-2026-00001'"
    )
    run("UPDATE complainants SET email = 'pp@example.org', phone = NULL WHERE id = 2")
    run(
        "UPDATE cases SET complainant_id = (SELECT id FROM complainants WHERE last_name = ?) "
        "WHERE reference = 'P-2026-00004'",
        ("Müller",),
    )

    def found(typed: str) -> list[str]:
        return refs(queue_window(store, QueueFilter(search=typed), TODAY, 0, 10))

    assert found("guichet close") == ["AERTS"]
    assert found("semaines") == ["PEETERS", "MÜLLER", "MÜLLER"]
    assert found("pp@example.org") == ["PEETERS"]
    assert found("helene.dubois") == ["AERTS"]
    assert found("0477 84 86 64") == ["AERTS"]
    assert found("lejeune") == []
    assert found("jurgen") == ["MÜLLER", "MÜLLER"]
    run("INSERT INTO cases_search (cases_search) VALUES ('integrity-check')")


def test_agents_with_open_cases(store: Store) -> None:
    rows = queue_window(store, QueueFilter(), TODAY, 0, 10)
    for row, agent in zip(rows, ["zoe", "alice", "zoe"], strict=False):
        update_case(
            store,
            row.id,
            row.version,
            {"assigned_to": agent},
            actor=Actor("sup", Role.SUPERVISOR),
            now=NOW,
            move=Move.ASSIGN,
        )
    assert open_case_agents(store) == ["alice", "zoe"]


def test_a_scanned_letter_of_a_case_is_searched_like_its_description(
    store: Store, isolated: Path
) -> None:
    """A letter the complainant sent later, scanned and attached to their case: what it says
    finds the case; once retention blanks the reading, it no longer does."""
    from datetime import datetime

    from plaintes_tui.store.mailbox import attach_to_case
    from plaintes_tui.store.scans import keep_reading
    from tests.factories import add_scan

    reading = {"last_name": "Lejeune", "text": "Le remboursement de la Krankenkasse manque."}
    mail_id = add_scan(store, isolated, reading, datetime(2026, 11, 26, 9), "scan:lejeune")
    assert refs(queue_window(store, QueueFilter(search="krankenkasse"), TODAY, 0, 10)) == []
    attach_to_case(store, mail_id, 4, actor=Actor("alice"), now=NOW)
    for typed in ("krankenkasse", "Krankenkasse rembours"):
        assert refs(queue_window(store, QueueFilter(search=typed), TODAY, 0, 10)) == ["LEJEUNE"]
    assert queue_count(store, QueueFilter(search="krankenkasse"), TODAY) == 1
    # the complainant's name from the case, a word from the letter: the case, and no other
    for typed in ("lejeune krankenkasse", "Kranken LEJEUNE rembours"):
        assert refs(queue_window(store, QueueFilter(search=typed), TODAY, 0, 10)) == ["LEJEUNE"]
    assert refs(queue_window(store, QueueFilter(search="lejeune mutuelle"), TODAY, 0, 10)) == []
    with store.write() as connection:
        keep_reading(connection, mail_id, {})  # as retention leaves it
    assert refs(queue_window(store, QueueFilter(search="krankenkasse"), TODAY, 0, 10)) == []
