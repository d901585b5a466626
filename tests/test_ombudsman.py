"""The Ombudsman's file in a case: the referral with their reference, each request with its
deadline (a clock of the case, in the queue even once the case is closed), each answer, the
conclusion — through the one door, journaled, and held to the journal by verify."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

import pytest

from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.case_rows import case_of
from plaintes_tui.store.case_writer import MoveRefused
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.store.ombudsman import requests_of
from plaintes_tui.store.queue import QueueFilter, iter_queue
from plaintes_tui.store.verify import verify_store
from tests.factories import add_admissible_case, do


def replied_and_closed(store: Store) -> dict[str, Any]:
    case = add_admissible_case(store, date(2026, 9, 1))
    do(store, case["id"], Move.ACKNOWLEDGE, date=date(2026, 9, 2), means="email")
    do(store, case["id"], Move.REPLY, date=date(2026, 9, 20), outcome="unfounded")
    return do(store, case["id"], Move.CLOSE, date=date(2026, 9, 21))


def referred(store: Store) -> dict[str, Any]:
    case = replied_and_closed(store)
    return do(store, case["id"], Move.OMBUDSMAN, date=date(2026, 10, 5), reference="MF 2026/123")


def request(store: Store, case: dict[str, Any], received: date, due: date) -> None:
    do(store, case["id"], Move.OMBUDSMAN_REQUEST, date=received, asked="?", due=due)


def test_a_request_is_a_clock_of_the_closed_case_until_it_is_answered(store: Store) -> None:
    case = referred(store)
    assert case["ombudsman_reference"] == "MF 2026/123"
    assert case["next_due"] is None  # closed, nothing owed
    do(
        store,
        case["id"],
        Move.OMBUDSMAN_REQUEST,
        date=date(2026, 10, 12),
        asked="Copie du dossier et chronologie",
        due=date(2026, 11, 12),
    )
    after = get_case(store, case["id"])
    assert (after["ombudsman_due"], after["next_due"]) == ("2026-11-12", "2026-11-12")
    queued = [row.reference for row in iter_queue(store, QueueFilter(), date(2026, 11, 3))]
    assert case["reference"] in queued  # the closed case is in the queue for its clock
    [request] = requests_of(store.connection, case["id"])
    assert (request.number, request.asked, request.open) == (
        1,
        "Copie du dossier et chronologie",
        True,
    )

    do(
        store,
        case["id"],
        Move.OMBUDSMAN_ANSWER,
        date=date(2026, 11, 10),
        means="email",
        summary="Dossier transmis",
    )
    answered = get_case(store, case["id"])
    assert (answered["ombudsman_due"], answered["next_due"]) == (None, None)
    [request] = requests_of(store.connection, case["id"])
    assert (request.answered, request.on_time, request.answer_summary) == (
        date(2026, 11, 10),
        True,
        "Dossier transmis",
    )
    actions = [entry.action for entry in journal_of(store, case["id"])][-3:]
    assert actions == ["ombudsman", "ombudsman_request", "ombudsman_answered"]
    assert verify_store(store).ok, verify_store(store).problems


def test_the_nearest_open_deadline_runs_and_the_conclusion_stops_it(store: Store) -> None:
    case = referred(store)
    for received, due in (
        (date(2026, 10, 12), date(2026, 11, 20)),
        (date(2026, 10, 20), date(2026, 11, 5)),
    ):
        do(store, case["id"], Move.OMBUDSMAN_REQUEST, date=received, asked="?", due=due)
    assert get_case(store, case["id"])["ombudsman_due"] == "2026-11-05"
    do(store, case["id"], Move.OMBUDSMAN_ANSWER, date=date(2026, 11, 4), number=2)
    assert get_case(store, case["id"])["ombudsman_due"] == "2026-11-20"
    do(
        store,
        case["id"],
        Move.OMBUDSMAN_CONCLUDE,
        date=date(2026, 11, 25),
        conclusion="partly_founded",
        recommendation="Motiver les décisions de refus",
    )
    concluded = case_of(get_case(store, case["id"]))
    assert concluded.ombudsman_due is None and concluded.next_due is None
    assert concluded.ombudsman_conclusion == "partly_founded"
    assert concluded.ombudsman_recommendation == "Motiver les décisions de refus"
    with pytest.raises(MoveRefused, match="Médiateur a déjà conclu"):
        do(
            store,
            case["id"],
            Move.OMBUDSMAN_REQUEST,
            date=date(2026, 11, 26),
            asked="?",
            due=date(2026, 12, 26),
        )
    assert verify_store(store).ok


@pytest.mark.parametrize(
    ("move", "params", "says"),
    [
        (
            Move.OMBUDSMAN_REQUEST,
            {"date": date(2026, 10, 1), "asked": "?", "due": date(2026, 11, 1)},
            "précède la saisine du Médiateur",
        ),
        (
            Move.OMBUDSMAN_REQUEST,
            {"date": date(2026, 10, 12), "asked": "?", "due": date(2026, 10, 11)},
            "échéance précède",
        ),
        (Move.OMBUDSMAN_ANSWER, {"date": date(2026, 10, 12)}, "aucune demande du Médiateur"),
    ],
)
def test_impossible_dates_and_answers_are_refused(
    store: Store, move: Move, params: dict[str, Any], says: str
) -> None:
    case = referred(store)
    with pytest.raises(MoveRefused, match=says):
        do(store, case["id"], move, **params)
    assert get_case(store, case["id"])["version"] == case["version"]


def test_no_request_before_the_referral(store: Store) -> None:
    case = replied_and_closed(store)
    with pytest.raises(MoveRefused, match="pas porté devant le Médiateur"):
        do(
            store,
            case["id"],
            Move.OMBUDSMAN_REQUEST,
            date=date(2026, 10, 12),
            asked="?",
            due=date(2026, 11, 12),
        )


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO ombudsman_requests (case_id, number, received, asked, due) "
        "SELECT id, 2, '2026-10-13', 'x', '2026-10-20' FROM cases",
        "DROP TRIGGER ombudsman_requests_no_update; "
        "UPDATE ombudsman_requests SET due = '2026-12-31'",
        "UPDATE ombudsman_requests SET answered = '2026-10-14', answer_means = 'letter'",
        "DROP TRIGGER ombudsman_requests_no_delete; DELETE FROM ombudsman_requests",
        "UPDATE cases SET ombudsman_due = NULL",
        "UPDATE cases SET ombudsman_conclusion = 'founded'",
    ],
)
def test_a_file_changed_behind_the_programs_back_is_found(store: Store, statement: str) -> None:
    case = referred(store)
    request(store, case, date(2026, 10, 12), date(2026, 11, 12))
    assert verify_store(store).ok
    connection = sqlite3.connect(store.path, isolation_level=None)
    connection.executescript(statement)
    connection.close()
    assert not verify_store(store).ok


def test_the_triggers_keep_a_request_and_let_it_be_answered_once(store: Store) -> None:
    case = referred(store)
    request(store, case, date(2026, 10, 12), date(2026, 11, 12))
    connection = sqlite3.connect(store.path, isolation_level=None)
    for statement in (
        "DELETE FROM ombudsman_requests",
        "UPDATE ombudsman_requests SET due = '2027-01-01'",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="Ombudsman request"):
            connection.execute(statement)
    connection.close()


def test_a_closed_case_waiting_on_the_ombudsman_is_not_counted_open(store: Store) -> None:
    from plaintes_tui.store.report import build_report
    from plaintes_tui.store.report_reading import Period

    case = referred(store)
    request(store, case, date(2026, 10, 12), date(2026, 10, 20))
    report = build_report(store, Period.year(2026), date(2026, 11, 3))
    assert (report["open"], report["overdue"]) == (0, 0)


async def test_the_case_file_records_a_request_and_its_answer(store: Store) -> None:
    """On a referred case, `m` offers the Ombudsman's next step: a request (its deadline
    proposed 30 days on, typed over here), then its answer; the panel shows each with its
    clock, at 80×24."""
    from plaintes_tui.domain.access import Actor
    from plaintes_tui.settings import Settings
    from plaintes_tui.tui.app import PlaintesApp
    from plaintes_tui.tui.dialogs.form import FormDialog
    from plaintes_tui.tui.screens.case import CaseScreen
    from tests.factories import TODAY
    from tests.pilot import settle
    from tests.screen_text import rendered

    case = referred(store)
    app = PlaintesApp(Settings(), agent=Actor("alice"), store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CaseScreen(case["id"]))
        await settle(pilot)
        panel = " ".join(rendered(app.screen.query_one("#case-ombudsman")).split())
        assert "Porté devant le Médiateur le 05/10/2026 — réf. MF 2026/123" in panel
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)  # the steps: a request first
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+a", "ctrl+k", *"20/11", "enter", *"[red]Chronologie", "enter")
        await pilot.press("ctrl+a", "ctrl+k", *"4/12", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), rendered(app.screen)
        panel = " ".join(rendered(app.screen.query_one("#case-ombudsman")).split())
        assert "Demande n° 1 reçue le 20/11/2026 : [red]Chronologie" in panel
        assert "réponse due le 04/12/2026" in panel
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("down", "enter")  # the answer
        await settle(pilot)
        await pilot.press("ctrl+s")  # to request 1, today, by letter
        await settle(pilot)
        panel = " ".join(rendered(app.screen.query_one("#case-ombudsman")).split())
        assert "répondue le 28/11/2026 par lettre, dans le délai" in panel
    [request] = requests_of(store.connection, case["id"])
    assert (request.asked, request.due, request.answered) == (
        "[red]Chronologie",
        date(2026, 12, 4),
        date(2026, 11, 28),
    )


def test_the_report_counts_requests_and_conclusions_by_their_own_dates(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """A case received in 2026: its referral, requests and conclusion counted in the year
    they happen; the requests answered on time, late, or not (past their deadline)."""
    import json

    from plaintes_tui.cli import main

    case = referred(store)
    request(store, case, date(2026, 10, 12), date(2026, 10, 30))
    request(store, case, date(2026, 10, 13), date(2026, 11, 10))
    request(store, case, date(2026, 10, 14), date(2026, 11, 20))
    do(store, case["id"], Move.OMBUDSMAN_ANSWER, date=date(2026, 10, 29), number=1)
    do(store, case["id"], Move.OMBUDSMAN_ANSWER, date=date(2026, 11, 12), number=2)
    do(
        store,
        case["id"],
        Move.OMBUDSMAN_CONCLUDE,
        date=date(2026, 11, 25),
        conclusion="founded",
        recommendation="Répondre plus vite",
    )
    db = str(store.path)
    assert main(["--db", db, "report", "--year", "2026", "--format", "json"]) == 0
    figures = json.loads(capsys.readouterr().out)["second_line"]
    assert figures == {
        "requests": 3,
        "answered_on_time": 1,
        "answered_late": 1,
        "unanswered": 1,
        "unanswered_overdue": 1,
        "conclusions": {"founded": 1, "partly_founded": 0, "unfounded": 0, "resolved": 0},
        "recommendations": 1,
    }
    assert main(["--db", db, "report", "--year", "2027", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["second_line"]["requests"] == 0
    assert main(["--db", db, "report", "--year", "2026"]) == 0
    page = capsys.readouterr().out
    assert "répondues dans le délai 1, en retard 1, sans réponse 1 (dont échues 1)" in page
    assert "fondée 1" in page and "avec une recommandation : 1" in page
