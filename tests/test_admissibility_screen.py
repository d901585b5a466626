"""Deciding admissibility on screen, one key an answer, right after intake or from the queue."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.cases import Language, Status
from plaintes_tui.settings import Settings
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.database import Store
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.admissibility import AdmissibilityScreen
from plaintes_tui.tui.screens.queue import QueueScreen
from tests.factories import TODAY, add_case, new_store, person
from tests.pilot import burst, settle
from tests.screen_text import rendered


@pytest.fixture
def store(isolated: Path) -> Store:
    store = new_store(isolated)
    add_case(
        store,
        date(2026, 11, 25),
        complainant=person(last_name="Peeters", language=Language.NL),
        language=Language.NL,
    )
    return store


def text_of(app: PlaintesApp, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return " ".join(rendered(widget).split()) if widget.display else ""


async def open_checklist(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AdmissibilityScreen)


async def test_an_admissible_complaint_with_its_kind(store: Store) -> None:
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_checklist(pilot)
        assert "Conteste-t-elle le contenu d'une décision" in text_of(app, "#adm-question")
        await pilot.press("n", "n", "n", "n", "o", "1")
        assert "Sur quoi porte la plainte" in text_of(app, "#adm-question")
        await pilot.press("2")
        assert "recevable" in text_of(app, "#adm-question")
        assert "6. Peut-on répondre au plaignant ? → oui : identifié" in text_of(app, "#adm-path")
        await pilot.press("enter")
        await settle(pilot)
        case = get_case(store, "P-2026-00001")
        assert case["admissibility"] == "admissible"
        assert case["category"] == "staff_conduct"
        assert case["status"] == Status.IN_PROGRESS
        assert "réponse motivée" in text_of(app, "#adm-answer")
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


async def test_a_contested_decision_picks_its_procedure_and_answers_in_dutch(
    store: Store,
) -> None:
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_checklist(pilot)
        await pilot.press("o")
        assert "Quelle procédure de recours" in text_of(app, "#adm-question")
        await pilot.press("enter")  # nothing picked yet: nothing recorded
        await settle(pilot)
        assert get_case(store, "P-2026-00001")["admissibility"] is None
        await pilot.press("1", "enter")
        await settle(pilot)
        case = get_case(store, "P-2026-00001")
        assert case["admissibility"] == "contested_decision"
        assert "arbeidsrechtbank" not in (case["admissibility_reason"] or "")
        assert "tribunal du travail" in case["admissibility_reason"]
        assert case["status"] == Status.OUT_OF_SCOPE and case["reply_due"] is None
        answer = text_of(app, "#adm-answer")
        assert "néerlandais" in answer
        assert "specifieke beroepsprocedure" in answer and "arbeidsrechtbank" in answer
        assert "P-2026-00001" in answer


async def test_going_back_and_re_running_keep_both_decisions(store: Store) -> None:
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_checklist(pilot)
        await pilot.press("n", "n", "o")  # DG Persons with disabilities…
        assert "DG Personnes handicapées" in text_of(app, "#adm-question")
        await pilot.press("backspace", "backspace", "o", "enter")  # …no: a dispute
        await settle(pilot)
        assert get_case(store, "P-2026-00001")["admissibility"] == "dispute"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("n", "n", "n", "n", "n")
        assert "transmettre" in text_of(app, "#adm-question")
        await pilot.press("2", "enter")
        await settle(pilot)
        case = get_case(store, "P-2026-00001")
        assert case["admissibility"] == "not_a_complaint"
        decisions = [
            e for e in journal_of(store, case["id"]) if e.action == "admissibility_decided"
        ]
        assert len(decisions) == 2
        assert decisions[1].changes["admissibility"] == ["dispute", "not_a_complaint"]


@pytest.mark.slow
async def test_every_outcome_of_the_default_checklist_on_screen(isolated: Path) -> None:
    paths = {
        "nnnnn1": "not_a_complaint",
        "nno": "redirected_dg_handicap",
        "o1": "contested_decision",
        "no": "dispute",
        "nnno2": "other_institution",
        "nnnno2": "incomplete",
        "nnnno11": "admissible",
        "nnnno33": "admissible",
    }
    store = new_store(isolated)
    for _ in paths:
        add_case(store, date(2026, 11, 25))
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        for number, (keys, expected) in enumerate(paths.items(), start=1):
            app.check_admissibility(number)
            await pilot.pause()
            await pilot.press(*keys, "enter")
            await settle(pilot)
            assert get_case(store, number)["admissibility"] == expected, keys
            await pilot.press("escape")
            await pilot.pause()


async def test_intake_offers_the_check_right_after_saving(store: Store) -> None:
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-last_name").value = "Maes"  # type: ignore[attr-defined]
        form.query_one("#f-subject").value = "Geen antwoord"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, AdmissibilityScreen)
        assert "P-2026-00002" in text_of(app, "#adm-case")


async def test_the_queue_counts_and_filters_cases_not_yet_checked(store: Store) -> None:
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        assert "À vérifier 1" in text_of(app, "#queue-counts")
        await pilot.press("a", *"nnnnn", "1", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "À vérifier 0" in text_of(app, "#queue-counts")
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.query_one("QueueTable").count == 0  # type: ignore[attr-defined]


async def test_sending_the_out_of_scope_answer_closes_the_case(store: Store) -> None:
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_checklist(pilot)
        await pilot.press("e")  # nothing decided yet: the key does nothing
        await pilot.press("n", "n", "o", "enter")  # a dispute
        await settle(pilot)
        assert "e : la réponse a été envoyée" in text_of(app, "#adm-question")
        await pilot.press("e")
        await settle(pilot)
        case = get_case(store, "P-2026-00001")
        assert case["status"] == Status.CLOSED
        assert case["acknowledgement_sent"] == TODAY.isoformat()
        assert case["acknowledgement_means"] == "email"
        assert case["next_due"] is None
        assert journal_of(store, case["id"])[-1].action == "answered_out_of_scope"
        await pilot.press("escape")
        await settle(pilot)
        assert "Ouverts 0" in text_of(app, "#queue-counts")


async def test_the_decision_and_its_answer_sent_in_one_go(store: Store) -> None:
    """``a n n o enter e`` sent at once (tmux, SSH): the answers wait for the checklist,
    the ``enter`` for the case it reads, the ``e`` until the decision is recorded, then says
    the answer was sent — the case closes as when typed slowly."""
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "a", "n", "n", "o", "enter", "e")  # from the queue: the checklist too
        await settle(pilot)
        assert get_case(store, "P-2026-00001")["status"] == Status.CLOSED


async def test_the_checklist_says_at_once_when_the_decision_can_no_longer_change(
    isolated: Path,
) -> None:
    from plaintes_tui.domain.workflow import Move
    from plaintes_tui.store.workflow import perform
    from tests.factories import CALCULATOR, NOW, add_admissible_case

    store = new_store(isolated)
    case = add_admissible_case(store, date(2026, 10, 20))
    perform(
        store,
        case["id"],
        case["version"],
        Move.REPLY,
        {
            "outcome": "unfounded",
            "network_category": "file_handling",
            "summary": "vu",
            "date": NOW.date(),
        },
        actor=Actor("alice"),
        now=NOW,
        calculator=CALCULATOR,
    )
    app = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        app.check_admissibility(case["id"])
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        messages = [n.message for n in app._notifications]
        assert any("la recevabilité ne change plus" in m for m in messages)


@pytest.mark.parametrize("language", ["fr", "nl"])
async def test_the_current_question_stays_in_view_at_80x24(store: Store, language: str) -> None:
    """However many answers pile up above it, the question and its keys are on screen, and
    so is the decision's line once every question is answered."""
    from plaintes_tui.domain.contacts import Person
    from plaintes_tui.settings import AgentSettings

    settings = Settings(
        agents=AgentSettings(directory={"alice": Person("Alice", "", "", language=language)})
    )
    app = PlaintesApp(settings, agent="alice", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checklist(pilot)
        question = app.screen.query_one("#adm-question", Static)
        body = app.screen.query_one("#adm-body")
        for keys in ("n", "n", "n", "n", "o", "1", "2"):
            await pilot.press(keys)
            await settle(pilot)
            shown = body.scrollable_content_region
            visible = question.region.intersection(shown)
            assert visible == question.region, (keys, question.region, shown)
