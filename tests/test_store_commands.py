import csv
import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from stdnum.be import nn

from plaintes_tui.cli import main
from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.cases import Admissibility, Category, Channel, Status
from plaintes_tui.domain.deadlines import DeadlineCalculator, DeadlineRules, ReceiptOnDayOff
from plaintes_tui.store.cases import CaseInput, create_case, get_case
from plaintes_tui.store.database import StoreError, open_store
from plaintes_tui.store.demo import generate_demo, niss_for
from plaintes_tui.store.export import COLUMNS as EXPORT_COLUMNS
from plaintes_tui.store.recompute import recompute_due_dates
from tests.factories import AGENT, CALCULATOR, NOW, SUPERVISOR, TODAY, add_case, new_store, person


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def demo_db(isolated: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _ = run(
        capsys,
        "--db",
        "demo.db",
        "demo",
        "--cases",
        "3000",
        "--seed",
        "4",
        "--today",
        TODAY.isoformat(),
    )
    assert code == 0
    assert "3000 dossiers de démonstration" in out
    return isolated / "demo.db"


def test_demo_is_realistic(demo_db: Path) -> None:
    store = open_store(demo_db)
    q = store.connection.execute
    channels = dict(q("SELECT channel, count(*) FROM cases GROUP BY 1").fetchall())
    assert channels["phone"] > channels["letter"] > channels["web_form"]
    assert channels["email"] > channels["letter"]
    assert {s for (s,) in q("SELECT DISTINCT status FROM cases")} == {s.value for s in Status} - {
        Status.PAUSED.value
    }
    decisions = {a for (a,) in q("SELECT DISTINCT admissibility FROM cases") if a}
    assert decisions == {a.value for a in Admissibility}
    languages = {lang for (lang,) in q("SELECT DISTINCT language FROM cases")}
    assert languages == {"fr", "nl", "de"}
    first, last = q("SELECT min(received), max(received) FROM cases").fetchone()
    assert date.fromisoformat(first) >= date(2025, 5, 29)
    assert date.fromisoformat(last) <= TODAY
    (ack_overdue,) = q(
        "SELECT count(*) FROM cases WHERE next_due IS NOT NULL AND acknowledgement_sent IS NULL "
        "AND acknowledgement_due < ?",
        (TODAY.isoformat(),),
    ).fetchone()
    (reply_overdue,) = q(
        "SELECT count(*) FROM cases WHERE status = 'in_progress' AND reply_due < ?",
        (TODAY.isoformat(),),
    ).fetchone()
    assert ack_overdue > 0 and reply_overdue > 0
    for phone, niss in q("SELECT phone, niss FROM complainants LIMIT 500"):
        if phone:
            assert phonenumbers.is_valid_number(phonenumbers.parse(phone, "BE")), phone
        if niss:
            assert nn.is_valid(niss), niss


def test_demo_is_the_same_for_the_same_seed(isolated: Path) -> None:
    def fingerprint(name: str) -> list[tuple[object, ...]]:
        store = open_store(isolated / name, create=True)
        generate_demo(store, cases=300, seed=9, today=TODAY, calculator=CALCULATOR)
        return store.connection.execute(
            "SELECT reference, received, channel, status, subject, complainant_id FROM cases"
        ).fetchall()

    assert fingerprint("a.db") == fingerprint("b.db")


def test_demo_references_grow_with_receipt(demo_db: Path) -> None:
    store = open_store(demo_db)
    rows = store.connection.execute(
        "SELECT received FROM cases WHERE reference LIKE 'P-2026-%' ORDER BY reference"
    ).fetchall()
    assert [r for (r,) in rows] == sorted(r for (r,) in rows)


@pytest.mark.parametrize("count", ["0", "-3"])
def test_demo_refuses_a_count_below_one(
    isolated: Path, capsys: pytest.CaptureFixture[str], count: str
) -> None:
    code, _, err = run(capsys, "--db", "d.db", "demo", "--cases", count)
    assert code == 2
    assert f"« {count} » : attendu un nombre entier de 1 à 10 000 000" in err
    assert not (isolated / "d.db").exists()


def test_niss_generation_follows_the_check_digit_rules() -> None:
    rng = random.Random(3)
    for _ in range(200):
        birth = date(1930, 1, 1).fromordinal(date(1930, 1, 1).toordinal() + rng.randrange(30000))
        assert nn.is_valid(niss_for(birth, rng.randrange(1, 998)))


def test_queue_command_json(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        str(demo_db),
        "queue",
        "--json",
        "--limit",
        "20",
        "--today",
        TODAY.isoformat(),
    )
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 20
    for key in (
        "reference",
        "received",
        "channel",
        "status",
        "complainant",
        "acknowledgement_due",
        "acknowledgement_band",
        "reply_due",
        "reply_band",
    ):
        assert key in rows[0]
    urgency = {"overdue": 0, "due-soon": 1, "on-track": 2}

    def pending(row: dict[str, str]) -> list[tuple[int, str]]:
        clocks = [
            (row["acknowledgement_band"], row["acknowledgement_due"]),
            (row["reply_band"], row["reply_due"]),
            (row["ombudsman_band"], row["ombudsman_due"]),
        ]
        return sorted((urgency[b], d) for b, d in clocks if b in urgency)

    keys = [(min(pending(row)), row["reference"]) for row in rows]
    assert keys == sorted(keys)
    assert "overdue" in (
        rows[0]["acknowledgement_band"],
        rows[0]["reply_band"],
        rows[0]["ombudsman_band"],
    )
    out_of_scope = [r for r in rows if r["status"] == "out_of_scope"]
    assert all(r["reply_due"] is None and r["reply_band"] is None for r in out_of_scope)


def test_queue_command_overdue_and_other_day(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(
        capsys,
        "--db",
        str(demo_db),
        "queue",
        "--json",
        "--overdue",
        "--limit",
        "100000",
        "--today",
        TODAY.isoformat(),
    )
    now_overdue = json.loads(out)
    _, out, _ = run(
        capsys,
        "--db",
        str(demo_db),
        "queue",
        "--json",
        "--overdue",
        "--limit",
        "100000",
        "--today",
        "2026-12-07",
    )
    later_overdue = json.loads(out)
    assert now_overdue and all(
        "overdue" in (r["acknowledgement_band"], r["reply_band"], r["ombudsman_band"])
        for r in now_overdue
    )
    assert len(later_overdue) > len(now_overdue)


def test_queue_command_text_and_bad_today(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(demo_db), "queue", "--limit", "3")
    header, *rows = out.splitlines()
    assert code == 0 and len(rows) == 3
    for title in ("Référence", "Agent", "Accusé de réception", "Retard (j)"):
        assert title in header
    assert all(len(row) <= len(header) + 1 for row in rows)  # aligned, nothing sticks out
    code, _, err = run(capsys, "--db", str(demo_db), "queue", "--today", "lundi")
    assert code == 2 and "« lundi » n'est pas une date valide" in err


def test_a_long_name_in_the_table_ends_in_an_ellipsis(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table keeps its columns: a name past 30 characters is cut, and shows it was."""
    store = new_store(isolated)
    add_case(store, TODAY, complainant=person(last_name="Van den Broeck-Vandersmissen"))
    code, out, _ = run(capsys, "--db", str(isolated / "plaintes.db"), "queue")
    assert code == 0
    assert "VAN DEN BROECK-VANDERSMISSEN… " in out.splitlines()[1]


def test_a_list_is_never_cut_silently(
    demo_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """To a file or a pipe, every row; on a terminal, a screenful and a line saying how many
    are not shown; an explicit --limit says so too, beside the output."""
    open_cases = (
        open_store(demo_db)
        .connection.execute("SELECT count(*) FROM cases WHERE next_due IS NOT NULL")
        .fetchone()[0]
    )
    assert open_cases > 50
    for form in ("csv", "json", "table"):
        code, out, err = run(capsys, "--db", str(demo_db), "queue", "--format", form)
        rows = len(json.loads(out)) if form == "json" else len(out.splitlines()) - 1
        assert (code, rows, err) == (0, open_cases, ""), form
    code, out, err = run(capsys, "--db", str(demo_db), "queue", "--format", "csv", "--limit", "7")
    assert len(out.splitlines()) == 8
    assert f"7 dossier(s) sur {open_cases} : les autres ne sont pas listés" in err
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code, out, err = run(capsys, "--db", str(demo_db), "queue")
    assert len(out.splitlines()) == 1 + 50 + 1
    assert out.splitlines()[-1].startswith(f"50 dossier(s) sur {open_cases}")


def test_the_overdue_list_as_csv_and_as_a_one_page_pdf(
    demo_db: Path, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pypdf

    db = ("--db", str(demo_db))
    code, out, _ = run(capsys, *db, "queue", "--overdue", "--today", "2026-11-28", "--limit", "0")
    overdue = out.splitlines()[1:]
    assert (
        code == 0
        and overdue
        and all(line.rstrip().endswith(tuple("0123456789")) for line in overdue)
    )
    code, out, _ = run(
        capsys, *db, "queue", "--overdue", "--today", "2026-11-28", "--format", "csv"
    )
    table = list(csv.reader(out.splitlines()))
    assert table[0][-1] == "Retard (j)" and len(table) == len(overdue) + 1
    assert all(int(row[-1]) > 0 for row in table[1:])
    code, out, _ = run(
        capsys,
        *db,
        "queue",
        "--overdue",
        "--today",
        "2026-11-28",
        "--format",
        "pdf",
        "--output",
        "retard.pdf",
    )
    text = pypdf.PdfReader(isolated / "retard.pdf").pages[0].extract_text()
    assert "Dossiers ouverts au 28/11/2026" in text and "en retard" in text
    assert table[1][0] in text and f"+{table[1][-1]}" in text
    code, _, err = run(capsys, *db, "queue", "--format", "pdf")
    assert code == 2 and "--output" in err
    code, out, _ = run(capsys, *db, "queue", "--limit", "0", "--format", "csv")
    assert len(out.splitlines()) - 1 == open_count(demo_db)  # 0: every open case
    code, out, _ = run(capsys, *db, "queue", "--unassigned", "--format", "json", "--limit", "0")
    assert all(row["assigned_to"] is None for row in json.loads(out))
    code, out, _ = run(capsys, *db, "queue", "--search", "zzzqqq")
    assert code == 0 and "Aucun dossier ouvert ne correspond à ces filtres." in out


def open_count(path: Path) -> int:
    store = open_store(path)
    try:
        return int(
            store.connection.execute(
                "SELECT count(*) FROM cases WHERE next_due IS NOT NULL"
            ).fetchone()[0]
        )
    finally:
        store.close()


def test_export_json_and_csv_carry_every_case(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(demo_db), "export", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 3000
    assert set(rows[0]) == set(EXPORT_COLUMNS)
    assert "last_name" not in out and "niss" not in out
    run(capsys, "--db", str(demo_db), "export", "--format", "csv", "--output", "cases.csv")
    with open("cases.csv", encoding="utf-8") as handle:
        csv_rows = list(csv.DictReader(handle))
    assert len(csv_rows) == 3000
    assert [r["reference"] for r in csv_rows] == [r["reference"] for r in rows]
    assert csv_rows[0]["received"] == rows[0]["received"]


def test_export_streams(demo_db: Path) -> None:
    from plaintes_tui.store.export import iter_export_rows

    store = open_store(demo_db)
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0  # go on

    store.connection.set_progress_handler(step, 100)  # every 100 steps of SQLite's machine
    rows = iter_export_rows(store)
    first = next(rows)
    for_first = steps[0]
    rest = sum(1 for _ in rows)
    # The first row comes before the others are read: a list built first would have cost the
    # whole table's steps by then.
    assert first["reference"].startswith("P-") and rest > 100
    assert for_first * 20 < steps[0]


def test_recompute_follows_new_settings_and_journals(isolated: Path) -> None:
    store = new_store(isolated)
    case = add_case(store, date(2026, 11, 10), channel=Channel.LETTER)
    assert case["acknowledgement_due"] == "2026-11-18"
    same = recompute_due_dates(store, CALCULATOR, actor=SUPERVISOR, now=NOW)
    assert same == 0
    ten_days = DeadlineCalculator(DeadlineRules(acknowledgement_working_days=10))
    with pytest.raises(StoreError, match="superviseurs"):  # the store asks, not only the CLI
        recompute_due_dates(store, ten_days, actor=AGENT, now=NOW)
    assert get_case(store, case["id"])["acknowledgement_due"] == "2026-11-18"
    changed = recompute_due_dates(store, ten_days, actor=SUPERVISOR, now=NOW)
    assert changed == 1
    row = store.connection.execute(
        "SELECT acknowledgement_due, next_due, version FROM cases"
    ).fetchone()
    assert row == ("2026-11-25", "2026-11-25", 2)  # a new version: open copies are stale
    (action, changes) = store.connection.execute(
        "SELECT action, changes FROM journal ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert action == "deadlines_recomputed"
    assert json.loads(changes) == {"acknowledgement_due": ["2026-11-18", "2026-11-25"]}


def test_recompute_leaves_closed_cases_and_a_reopened_period_alone(isolated: Path) -> None:
    """A settings change never rewrites the dates a closed case was judged by (last year's
    figures stay), nor sends a reopened case back to its receipt's period (late at once)."""
    from plaintes_tui.domain.workflow import Move
    from tests.factories import add_admissible_case, do

    store = new_store(isolated)
    reply: dict[str, Any] = {
        "outcome": "founded",
        "network_category": "file_handling",
        "summary": "Excuses.",
    }
    closed = add_admissible_case(store, date(2026, 10, 1))
    do(store, closed["id"], Move.ACKNOWLEDGE, date=date(2026, 10, 2), means="email")
    do(store, closed["id"], Move.REPLY, date=date(2026, 10, 20), **reply)
    closed = do(store, closed["id"], Move.CLOSE, date=date(2026, 10, 21))
    reopened = add_admissible_case(store, date(2026, 10, 5))
    do(store, reopened["id"], Move.ACKNOWLEDGE, date=date(2026, 10, 6), means="email")
    do(store, reopened["id"], Move.REPLY, date=date(2026, 10, 25), **reply)
    do(store, reopened["id"], Move.CLOSE, date=date(2026, 10, 26))
    reopened = do(store, reopened["id"], Move.REOPEN, reason="Nouvel élément")
    assert reopened["reply_due"] == "2026-12-28"  # a full period from the reopening (28/11)
    longer = DeadlineCalculator(DeadlineRules(acknowledgement_working_days=10))
    assert recompute_due_dates(store, longer, actor=SUPERVISOR, now=NOW) == 1  # its ack only
    assert get_case(store, closed["id"]) == closed
    after = get_case(store, reopened["id"])
    assert (
        after["reply_due"] == "2026-12-28"
        and after["acknowledgement_due"] != reopened["acknowledgement_due"]
    )


def test_recompute_command(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = new_store(isolated)
    add_case(store, date(2026, 11, 10))
    store.close()
    settings = '[deadlines]\nreply_calendar_days = 45\n[agents]\nunlisted = "{role}"\n'
    (isolated / "s.toml").write_text(settings.format(role="agent"))
    code, _, err = run(capsys, "--config", "s.toml", "--db", "plaintes.db", "recompute")
    assert code == 2 and "réservé aux superviseurs et aux coordinateurs" in err
    (isolated / "s.toml").write_text(settings.format(role="supervisor"))
    code, out, _ = run(capsys, "--config", "s.toml", "--db", "plaintes.db", "recompute")
    assert code == 0 and "1 dossier(s)" in out
    store = open_store(isolated / "plaintes.db")
    assert store.connection.execute("SELECT reply_due FROM cases").fetchone() == ("2026-12-28",)


def test_store_commands_report_a_bad_store(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (isolated / "bad.db").write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "--db", "bad.db", "queue")
    assert code == 2 and "pas une base SQLite" in err
    assert "Traceback" not in err


def test_the_store_path_comes_from_the_environment_when_not_given(
    isolated: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAINTES_DB", str(isolated / "from-env.db"))
    code, _, _ = run(capsys, "demo", "--cases", "5", "--today", TODAY.isoformat())
    assert code == 0
    assert (isolated / "from-env.db").exists()
    assert not (isolated / "data" / "plaintes.db").exists()
    code, _, _ = run(capsys, "--db", "explicit.db", "demo", "--cases", "5")
    assert (isolated / "explicit.db").exists()


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_export_never_hands_a_spreadsheet_a_formula(
    isolated: Path, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    store = new_store(isolated)
    case = add_case(store, date(2026, 11, 10))
    store.connection.execute(
        "UPDATE cases SET improvement_action = ?, admissibility_reason = ? WHERE id = ?",
        ("Brochure revue", typed, case["id"]),
    )
    code, out, _ = run(capsys, "--db", "plaintes.db", "export", "--format", "csv")
    assert code == 0
    row = next(csv.DictReader(out.splitlines()))
    assert row["admissibility_reason"] == "'" + typed  # shown as typed, never run
    # Whether there was an improvement action, not its words: the export holds nobody's.
    assert row["improvement_action"] == "True"
    assert row["received"] == "2026-11-10"


def test_recompute_counts_from_the_same_day_as_intake(isolated: Path) -> None:
    """A call taken at 17:30 after closing time counts from the next working day at intake;
    recomputing under the same settings changes nothing."""
    from datetime import time

    rules = DeadlineRules(
        receipt_on_day_off=ReceiptOnDayOff.NEXT_WORKING_DAY, office_closes_at=time(17, 0)
    )
    after_hours = DeadlineCalculator(rules)
    store = new_store(isolated)
    case = create_case(
        store,
        person(),
        CaseInput(
            Channel.PHONE,
            date(2026, 11, 10),
            Category.OTHER,
            "Appel tardif",
            received_time=time(17, 30),
        ),
        actor=Actor("alice"),
        now=NOW,
        calculator=after_hours,
    )
    assert case["reply_due"] == "2026-12-14"  # from Thursday 12 (11/11 is a holiday)
    changed = recompute_due_dates(store, after_hours, actor=SUPERVISOR, now=NOW)
    assert changed == 0
    assert get_case(store, case["id"])["reply_due"] == "2026-12-14"


def test_a_letter_from_the_command_line_follows_the_same_rules(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mailroom prints a morning's acknowledgements with `plaintes letter`; what `l` would
    refuse is refused with one sentence and a non-zero exit."""
    (isolated / "data").mkdir()
    (isolated / "data" / "plaintes.toml").write_text('[agents]\nunlisted = "agent"\n')
    store = new_store(isolated / "data")
    case = add_case(store, date(2026, 11, 24))
    reference = case["reference"]
    store.close()
    assert main(["letter", reference, "acknowledgement", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["send"] == "held" and len(result["files"]) == 2
    assert all(Path(path).is_file() for path in result["files"])
    assert any("annuaire" in notice for notice in result["notices"])
    assert main(["letter", reference, "reply"]) == 2
    assert "vérifiez d'abord la recevabilité" in capsys.readouterr().err
    assert main(["letter", reference, "details_request"]) == 2
    assert "les coordonnées sont complètes" in capsys.readouterr().err


def test_long_commands_report_progress_and_stay_quiet_off_a_terminal(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from plaintes_tui.commands.progress import progress_bar

    seen: list[tuple[str, int, int]] = []
    store = new_store(isolated)
    generate_demo(
        store,
        cases=500,
        seed=2,
        today=date(2026, 11, 28),
        calculator=CALCULATOR,
        batch=100,
        progress=lambda *step: seen.append(step),
    )
    store.close()
    assert seen[0] == ("cases", 100, 500) and seen[-2] == ("cases", 500, 500)
    assert seen[-1][0] == "indexes"
    with progress_bar("démo") as report:  # stderr is not a terminal here: nothing drawn
        report("cases", 1, 2)
    code, out, err = run(capsys, "--db", str(isolated / "other.db"), "demo", "--cases", "50")
    assert code == 0 and err == "" and out.count("\n") == 1
