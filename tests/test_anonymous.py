"""Anonymous complaints: logged without a name, flagged, no acknowledgement owed when there is
no way to answer, counted in the figures."""

from __future__ import annotations

from datetime import date

import pytest

from plaintes_tui.domain.intake import check_form
from plaintes_tui.domain.letters import LetterKind
from plaintes_tui.domain.workflow import Move
from plaintes_tui.letters import choices_for
from plaintes_tui.settings import Settings
from plaintes_tui.store.case_writer import MoveRefused
from plaintes_tui.store.cases import get_case, journal_of, read_case
from plaintes_tui.store.database import Store
from plaintes_tui.store.report import Period, build_report
from plaintes_tui.tui.app import PlaintesApp
from tests.factories import TODAY, add_case, decide, do, person
from tests.pilot import burst, open_form, settle
from tests.pilot import intake_screen as screen


def test_an_anonymous_complaint_needs_no_name() -> None:
    raw = {"last_name": "", "subject": "Guichet fermé", "received": "28/11/2026"}
    assert check_form(raw, TODAY).errors == {"last_name": "intake.error_last_name"}
    checked = check_form({**raw, "anonymous": "1"}, TODAY)
    assert checked.errors == {} and checked.anonymous


def test_with_no_way_to_answer_no_acknowledgement_is_owed(store: Store) -> None:
    nobody = person(last_name="", first_name="", phone=None, email=None)
    case = add_case(store, date(2026, 11, 20), complainant=nobody, anonymous=True)
    assert case["anonymous"] == 1
    assert case["acknowledgement_sent"] == "2026-11-20"
    assert case["acknowledgement_means"] == "not_owed"
    assert case["reply_due"] is None  # no reply can be sent: no reply clock runs
    [logged] = journal_of(store, case["id"])
    assert logged.changes["acknowledgement_means"] == [None, "not_owed"]


def test_an_anonymous_complaint_with_an_e_mail_is_acknowledged_as_usual(store: Store) -> None:
    reachable = person(last_name="", first_name="", phone=None)
    case = add_case(store, date(2026, 11, 20), complainant=reachable, anonymous=True)
    assert case["acknowledgement_sent"] is None and case["next_due"] == case["acknowledgement_due"]


def test_the_figures_count_anonymous_complaints_and_no_acknowledgement_not_owed(
    store: Store,
) -> None:
    nobody = person(last_name="", first_name="", phone=None, email=None)
    add_case(store, date(2026, 11, 2), complainant=nobody, anonymous=True)
    add_case(store, date(2026, 11, 2))
    report = build_report(store, Period.year(2026), TODAY)
    assert report["received_total"] == 2 and report["anonymous_received"] == 1
    assert report["acknowledgements_due"] == 1  # the named one only


async def test_logged_on_screen_with_the_anonymous_box(store: Store) -> None:
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        form = screen(app)
        form.query_one("#f-anonymous").value = True  # type: ignore[attr-defined]
        form.query_one("#f-subject").focus()
        burst(pilot, *"Guichet fermé", "ctrl+s")
        await settle(pilot)
        case = get_case(store, 1)
        assert case["anonymous"] == 1 and case["complainant_last_name"] == ""
        assert case["acknowledgement_means"] == "not_owed"
        result = str(form.query_one("#intake-result").render())
        assert "pas d'accusé de réception" in result


def test_an_anonymous_complaint_nobody_can_be_reached_for_has_its_own_route(
    store: Store,
) -> None:
    """Logged, decided, assessed and closed, counted — never asked for details nor answered."""
    nobody = person(last_name="", first_name="", phone=None, email=None)
    case = add_case(store, date(2026, 11, 2), complainant=nobody, anonymous=True)
    with pytest.raises(MoveRefused, match="personne à qui demander"):
        decide(store, case["id"], "incomplete")
    decided = decide(store, case["id"], "admissible")
    assert decided["status"] == "in_progress" and decided["reply_due"] is None
    choices = choices_for(store, read_case(store, case["id"]))
    assert {c.kind: c.why_not for c in choices} == dict.fromkeys(
        LetterKind, "letters.why_unreachable"
    )
    assessed = do(store, case["id"], Move.REPLY, outcome="founded", summary="Guichet rouvert.")
    assert assessed["reply_sent"] is None
    closed = do(store, case["id"], Move.CLOSE, date=date(2026, 11, 25))
    assert closed["status"] == "closed" and closed["outcome"] == "founded"
    report = build_report(store, Period.year(2026), TODAY)
    assert report["received_total"] == report["anonymous_received"] == 1
    assert report["replies_due"] == 0 and report["replied_within_deadline"] == 0  # none owed
    assert report["outcomes"]["unclassified"]["founded"] == 1  # its assessment counts
