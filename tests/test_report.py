"""Every figure of the report, recomputed from `plaintes export` by separate, plain code."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from plaintes_tui.cli import main
from plaintes_tui.domain.access import Actor, Role
from plaintes_tui.domain.admissibility import Outcome as Decision
from plaintes_tui.domain.cases import Admissibility, Category, Channel, Status
from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.cases import update_case
from plaintes_tui.store.database import open_store
from plaintes_tui.store.demo import generate_demo
from plaintes_tui.store.queue import queue_counts
from plaintes_tui.store.report import Period, Report, build_report
from plaintes_tui.store.workflow import record_decision
from tests.factories import CALCULATOR, NOW, TODAY, add_case, decide, do, new_store


def export_rows(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, Any]]:
    assert main(["--db", str(db), "export", "--format", "json"]) == 0
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return rows


def nearest_rank(values: list[int], pct: float) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * pct / 100)) - 1]


def days(a: str, b: str) -> int:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def expected(rows: list[dict[str, Any]], start: str, end: str, today: date) -> dict[str, Any]:
    """The figures as a coordinator would count them in a spreadsheet of the export."""
    day = today.isoformat()
    cases = [r for r in rows if start <= r["received"] <= end]

    def late_or_sent_ack(r: dict[str, Any]) -> bool:
        return bool(r["acknowledgement_sent"]) or r["acknowledgement_due"] < day

    def reply_running(r: dict[str, Any]) -> bool:
        return (
            r["status"] not in ("closed", "paused", "incomplete")
            and r["reply_due"] is not None
            and r["reply_sent"] is None
        )

    def overdue(r: dict[str, Any]) -> bool:
        if r["status"] == "closed":
            return False
        ack_late = not r["acknowledgement_sent"] and r["acknowledgement_due"] < day
        return ack_late or (reply_running(r) and r["reply_due"] < day)

    acks = [r for r in cases if late_or_sent_ack(r)]
    replies = [
        r
        for r in cases
        if r["reply_due_original"]
        and (r["reply_sent"] or (reply_running(r) and r["reply_due"] < day))
    ]
    ack_days = [
        days(r["received"], r["acknowledgement_sent"]) for r in cases if r["acknowledgement_sent"]
    ]
    reply_days = [days(r["received"], r["reply_sent"]) for r in cases if r["reply_sent"]]

    def pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    on_time = sum(
        bool(r["acknowledgement_sent"]) and r["acknowledgement_sent"] <= r["acknowledgement_due"]
        for r in acks
    )
    replied = sum(bool(r["reply_sent"]) and r["reply_sent"] <= r["reply_due"] for r in replies)
    # Raw: as if no pause had happened — a case counts once its original due date has passed,
    # paused or not.
    replies_raw = [
        r
        for r in cases
        if r["reply_due_original"]
        and (r["reply_sent"] or (r["status"] != "closed" and r["reply_due_original"] < day))
    ]
    replied_raw = sum(
        bool(r["reply_sent"]) and r["reply_sent"] <= r["reply_due_original"] for r in replies_raw
    )
    agents: dict[str, dict[str, int]] = {}
    unassigned = {"handled": 0, "overdue": 0}
    for r in cases:
        entry = (
            agents.setdefault(r["assigned_to"], {"handled": 0, "overdue": 0})
            if r["assigned_to"]
            else unassigned
        )
        entry["handled"] += 1
        entry["overdue"] += overdue(r)
    return {
        "received_total": len(cases),
        # Complaints: a message that was no complaint is no complaint received by phone.
        "by_channel": {
            c: sum(r["channel"] == c and r["admissibility"] != "not_a_complaint" for r in cases)
            for c in ("phone", "letter", "email", "web_form")
        },
        "admissible": sum(r["admissibility"] == "admissible" for r in cases),
        "not_checked": sum(r["admissibility"] is None for r in cases),
        "founded_file_handling": sum(
            r["outcome"] == "founded" and r["network_category"] == "file_handling" for r in cases
        ),
        "acknowledged_within_deadline_pct": pct(on_time, len(acks)),
        "replied_within_deadline_pct": pct(replied, len(replies)),
        "replied_within_deadline_raw_pct": pct(replied_raw, len(replies_raw)),
        "days_to_acknowledge": {
            "median": nearest_rank(ack_days, 50),
            "p90": nearest_rank(ack_days, 90),
        },
        "days_to_reply": {
            "median": nearest_rank(reply_days, 50),
            "p90": nearest_rank(reply_days, 90),
        },
        "open": sum(r["status"] != "closed" for r in cases),
        "overdue": sum(overdue(r) for r in cases),
        # Referred in the period, whenever received: a published year does not move.
        "ombudsman": sum(start <= (r["ombudsman_referred"] or "") <= end for r in rows),
        "replies_sent": sum(bool(r["reply_sent"]) for r in cases),  # the demo reopens none
        "improvement_actions": sum(bool(r["improvement_action"]) for r in cases),
        "per_agent": agents,
        "unassigned": unassigned,
        "complaints_received": sum(r["admissibility"] != "not_a_complaint" for r in cases),
        "inadmissible_total": sum(
            r["admissibility"] in ("contested_decision", "dispute", "redirected_dg_handicap")
            for r in cases
        ),
        "by_month_total": sum(r["admissibility"] != "not_a_complaint" for r in cases),
    }


def compare(report: Report, wanted: dict[str, Any]) -> None:
    assert report["received_total"] == wanted["received_total"]
    handled = sum(v["handled"] for v in report["per_agent"].values())
    assert handled + report["unassigned"]["handled"] == report["received_total"]
    assert report["by_channel"] == wanted["by_channel"]
    assert sum(m["total"] for m in report["by_month"].values()) == wanted["by_month_total"]
    assert report["admissibility"]["admissible"] == wanted["admissible"]
    assert report["admissibility"]["not_checked"] == wanted["not_checked"]
    assert report["outcomes"]["file_handling"]["founded"] == wanted["founded_file_handling"]
    for key in (
        "acknowledged_within_deadline_pct",
        "replied_within_deadline_pct",
        "replied_within_deadline_raw_pct",
        "days_to_acknowledge",
        "days_to_reply",
        "open",
        "overdue",
        "ombudsman",
        "replies_sent",
        "improvement_actions",
        "per_agent",
        "unassigned",
        "complaints_received",
        "inadmissible_total",
    ):
        assert report[key] == wanted[key], key


def test_report_on_a_demo_store_matches_the_export(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = isolated / "demo.db"
    store = open_store(db, create=True)
    generate_demo(store, cases=3000, seed=5, today=TODAY, calculator=CALCULATOR)
    rows = export_rows(capsys, db)
    for period in (
        Period.year(2026),
        Period.year(2025),
        Period(date(2026, 3, 1), date(2026, 6, 30)),
        Period(date(2025, 12, 1), TODAY),  # the dashboard's twelve months, to this day
        Period(date(2026, 2, 10), date(2026, 5, 3)),  # parts of months at both ends
        Period(date(2026, 4, 12), date(2026, 4, 14)),  # a few days
    ):
        report = build_report(store, period, TODAY)
        compare(report, expected(rows, *period.params, TODAY))
        # Each month's shares (the dashboard's) add up to the period's.
        months = report["on_time_by_month"].values()
        assert sum(m["acknowledged"][1] for m in months) == report["acknowledgements_due"]
        assert sum(m["acknowledged"][0] for m in months) == report["acknowledged_within_deadline"]
        assert sum(m["replied"][1] for m in months) == report["replies_due"]
        assert sum(m["replied"][0] for m in months) == report["replied_within_deadline"]
    # The queue's header and the report count late cases alike: a case with both clocks
    # late is one late case.
    everything = build_report(store, Period(date(2000, 1, 1), TODAY), TODAY)
    assert queue_counts(store, TODAY).overdue == everything["overdue"]


def test_report_on_a_hand_built_store(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = new_store(isolated)
    on_time = add_case(store, date(2026, 11, 2))  # ack due 10/11, reply due 02/12
    late = add_case(store, date(2026, 10, 1))  # ack due 08/10, reply due 02/11 (31/10 a Sat)
    out_of_scope = add_case(store, date(2026, 11, 20))
    add_case(store, date(2025, 12, 31))  # another year
    record_decision(
        store,
        on_time["id"],
        1,
        Decision(Admissibility.ADMISSIBLE, Category.SLOW_REACTION),
        reason="",
        answers=[],
        actor=Actor("t"),
        now=NOW,
        calculator=CALCULATOR,
    )
    update_case(
        store,
        on_time["id"],
        2,
        {
            "acknowledgement_sent": date(2026, 11, 5),
            "reply_sent": date(2026, 11, 20),
            "outcome": "founded",
            "network_category": "file_handling",
            "improvement_action": "Nouveau modèle de lettre",
            "assigned_to": "alice",
            "status": Status.CLOSED,
        },
        actor=Actor("t", Role.SUPERVISOR),
        now=NOW,
        move=Move.CLOSE,
    )
    update_case(
        store,
        late["id"],
        1,
        {
            "acknowledgement_sent": date(2026, 10, 12),
            "assigned_to": "alice",
            "status": Status.IN_PROGRESS,
        },
        actor=Actor("t", Role.SUPERVISOR),
        now=NOW,
        move=Move.ACKNOWLEDGE,
    )
    record_decision(
        store,
        out_of_scope["id"],
        1,
        Decision(Admissibility.DISPUTE),
        reason="",
        answers=[],
        actor=Actor("t"),
        now=NOW,
        calculator=CALCULATOR,
    )
    report = build_report(store, Period.year(2026), TODAY)
    assert report["received_total"] == 3
    assert report["by_channel"]["phone"] == 3
    assert report["by_month"]["2026-11"]["total"] == 2
    assert report["admissibility"]["admissible"] == 1
    assert report["admissibility"]["dispute"] == 1
    assert report["inadmissible_total"] == 1
    assert report["outcomes"]["file_handling"]["founded"] == 1
    assert report["acknowledgements_due"] == 3  # the dispute's answer was due on 27/11
    assert report["acknowledged_within_deadline_pct"] == 33.3
    assert report["replies_due"] == 2  # one sent on time, one late and still running
    assert report["replied_within_deadline_pct"] == 50.0
    assert report["days_to_acknowledge"] == {"median": 3, "p90": 11}
    assert report["days_to_reply"] == {"median": 18, "p90": 18}
    assert report["open"] == 2
    assert report["overdue"] == 2  # the late reply, and the dispute's answer
    assert report["improvement_actions"] == 1
    assert report["per_agent"] == {"alice": {"handled": 2, "overdue": 1}}
    compare(
        report,
        expected(export_rows(capsys, isolated / "plaintes.db"), *Period.year(2026).params, TODAY),
    )


def test_report_command_formats(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = new_store(isolated)
    add_case(store, date(2026, 11, 2))
    store.close()
    db = str(isolated / "plaintes.db")
    assert (
        main(["--db", db, "report", "--year", "2026", "--format", "json", "--today", "2026-11-28"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    for key in (
        "received_total",
        "by_channel",
        "by_month",
        "admissibility",
        "outcomes",
        "acknowledged_within_deadline_pct",
        "replied_within_deadline_pct",
        "open",
        "overdue",
        "ombudsman",
    ):
        assert key in data
    assert (
        main(
            ["--db", db, "report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv"]
        )
        == 0
    )
    csv_out = capsys.readouterr().out
    assert "received_total,1" in csv_out and "by_channel.phone,1" in csv_out
    assert main(["--db", db, "report", "--year", "2026"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Plaintes — rapport annuel")
    assert "| téléphone | 1 |" in md
    assert main(["--db", db, "report", "--year", "2026", "--from", "2026-01-01"]) == 2
    assert "soit --year" in capsys.readouterr().err
    assert main(["--db", db, "report", "--from", "2026-12-01", "--to", "2026-01-01"]) == 2
    assert "précéder" in capsys.readouterr().err


def test_the_report_reads_as_its_period_with_actions_categories_and_languages(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from plaintes_tui.domain.cases import Language
    from plaintes_tui.domain.workflow import Move
    from tests.factories import decide, do

    store = new_store(isolated)
    case = add_case(store, date(2026, 3, 2), language=Language.NL)
    decide(store, case["id"], "admissible")
    do(
        store,
        case["id"],
        Move.REPLY,
        date=date(2026, 3, 20),
        outcome="founded",
        network_category="file_handling",
        summary="Excuses",
        improvement_action="Rappel | des délais à l'équipe",
    )
    add_case(store, date(2026, 5, 4), category=Category.OTHER)
    store.close()
    db = str(isolated / "plaintes.db")

    assert main(["--db", db, "report", "--from", "2026-01-01", "--to", "2026-06-30"]) == 0
    half = capsys.readouterr().out
    assert half.startswith("# Plaintes du 01/01/2026 au 30/06/2026 —")
    assert "rapport annuel" not in half
    assert "| mars 2026 |" in half and "2026-03" not in half  # months in words
    assert "| néerlandais | 1 |" in half and "| français | 1 |" in half
    assert "| délai de réaction | 1 |" in half and "| autre / à vérifier | 1 |" in half
    action = "| traitement du dossier / procédure | Rappel \\| des délais à l'équipe |"
    assert f"| P-2026-00001 {action}" in half  # the action's own | does not break its table
    assert main(["--db", db, "report", "--year", "2026"]) == 0
    assert capsys.readouterr().out.startswith("# Plaintes — rapport annuel 2026 —")
    assert main(["--db", db, "report", "--year", "2026", "--format", "json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["by_language"] == {"nl": 1, "fr": 1}
    assert figures["improvement_action_list"][0]["reference"] == "P-2026-00001"


def test_ombudsman_referrals_count_in_the_year_they_were_made(isolated: Path) -> None:
    store = new_store(isolated)
    older = add_case(store, date(2025, 12, 10))
    do(store, older["id"], Move.OMBUDSMAN, date=date(2026, 2, 3), reference="MF-1")
    assert build_report(store, Period.year(2025), TODAY)["ombudsman"] == 0
    assert build_report(store, Period.year(2026), TODAY)["ombudsman"] == 1


def test_a_message_that_was_no_complaint_is_no_complaint_by_channel(isolated: Path) -> None:
    store = new_store(isolated)
    question = add_case(store, date(2026, 3, 2), channel=Channel.PHONE)
    add_case(store, date(2026, 3, 3), channel=Channel.PHONE)
    decide(store, question["id"], "not_a_complaint")
    report = build_report(store, Period.year(2026), TODAY)
    assert report["received_total"] == 2 and report["non_complaints_received"] == 1
    assert report["by_channel"]["phone"] == 1
    assert report["by_month"]["2026-03"] == {
        "total": 1,
        "phone": 1,
        "letter": 0,
        "email": 0,
        "web_form": 0,
    }
