"""The checklist as data: every path of the default one, and each kind of broken file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import plaintes_tui
from plaintes_tui.cli import main
from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.admissibility import (
    ChecklistError,
    Outcome,
    Walk,
    answer_text,
    answers_in_language,
    load_checklist,
    load_reference,
)
from plaintes_tui.domain.cases import Admissibility, Category, Status
from plaintes_tui.i18n import set_language
from plaintes_tui.store.cases import get_case, journal_of
from plaintes_tui.store.workflow import record_decision
from tests.factories import CALCULATOR, NOW, add_case, new_store

# The keys as typed on a French screen: o (oui) and n (non), or a number.
WORDS = {"o": "yes", "n": "no"}


def press(walk: Walk, key: str) -> bool:
    return walk.answer(WORDS.get(key, key))


# The out-of-scope questions come first, in the procedure's order (contested decision,
# dispute, DG Persons with disabilities, another institution), then "a complaint about the
# way the service was delivered?".
PATHS = [
    ("o", Outcome(Admissibility.CONTESTED_DECISION)),
    ("no", Outcome(Admissibility.DISPUTE)),
    ("nno", Outcome(Admissibility.REDIRECTED_DG_HANDICAP)),
    ("nnno", Outcome(Admissibility.OTHER_INSTITUTION)),
    ("nnnnn", Outcome(Admissibility.NOT_A_COMPLAINT)),
    ("nnnno2", Outcome(Admissibility.INCOMPLETE)),
    ("nnnno31", Outcome(Admissibility.ADMISSIBLE, Category.SLOW_REACTION)),  # anonymous
    ("nnnno11", Outcome(Admissibility.ADMISSIBLE, Category.SLOW_REACTION)),
    ("nnnno12", Outcome(Admissibility.ADMISSIBLE, Category.STAFF_CONDUCT)),
    ("nnnno13", Outcome(Admissibility.ADMISSIBLE, Category.IMPRECISE_INFORMATION)),
    ("nnnno14", Outcome(Admissibility.ADMISSIBLE, Category.UNCLEAR_PUBLICATION)),
]


@pytest.mark.parametrize(("keys", "outcome"), PATHS)
def test_every_path_of_the_default_checklist(keys: str, outcome: Outcome) -> None:
    walk = Walk(load_checklist())
    for key in keys:
        assert press(walk, key), key
    assert walk.position == outcome
    assert not press(walk, "o")  # nothing more to answer


def test_the_questions_come_in_the_procedures_order() -> None:
    """A citizen contesting a decision of the DG Persons with disabilities gets the appeal
    route (which a complaint does not suspend), not a redirection: the decision is asked first."""
    walk = Walk(load_checklist())
    asked = []
    while not isinstance(walk.position, Outcome):
        asked.append(walk.position.id)
        press(walk, "n")
    assert asked == [
        "contested_decision",
        "dispute",
        "dg_handicap",
        "other_institution",
        "about_service",
    ]


def test_going_back_changes_an_answer() -> None:
    walk = Walk(load_checklist())
    press(walk, "o")
    press(walk, "o")
    assert walk.position == Outcome(Admissibility.CONTESTED_DECISION)
    walk.back()
    press(walk, "n")
    assert walk.summary("fr", "oui", "non")[-1][1] == "non"
    assert not press(walk, "7")  # not one of the answers


def test_wording_is_in_french_and_dutch() -> None:
    checklist = load_checklist()
    for step in checklist.steps.values():
        assert step.question["fr"] and step.question["nl"]
        assert step.help_text("fr")


def write(folder: Path, text: str) -> Path:
    (folder / "checklist.toml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "named", "problem"),
    [
        (
            'start = "a"\n[steps.a]\nfr = "A ?"\nyes = "b"\nno = "outcome:dispute"\n'
            '[steps.b]\nfr = "B ?"\nyes = "a"\nno = "outcome:dispute"\n',
            "« a »",
            "boucle",
        ),
        (
            'start = "a"\n[steps.a]\nfr = "A ?"\nyes = "z"\nno = "outcome:dispute"\n',
            "« a »",
            "étape inexistante « z »",
        ),
        ('start = "a"\n[steps.a]\nfr = "A ?"\n', "« a »", "mène nulle part"),
        (
            'start = "a"\n[steps.a]\nfr = "A ?"\nyes = "outcome:maybe"\nno = "outcome:dispute"\n',
            "« a »",
            "issue inconnue",
        ),
        (
            'start = "a"\n[steps.a]\nfr = "A ?"\nyes = "outcome:admissible:other"\n'
            'no = "outcome:dispute"\n',
            "« a »",
            "issue inconnue",
        ),
        (
            'start = "a"\n[steps.a]\nnl = "A?"\nyes = "outcome:dispute"\nno = "outcome:dispute"\n',
            "« a »",
            "sans libellé en français",
        ),
        (
            'start = "x"\n[steps.a]\nfr = "A ?"\nyes = "outcome:dispute"\nno = "outcome:dispute"\n',
            "« x »",
            "départ",
        ),
        (
            'start = "a"\n[steps.a]\nfr = "A ?"\n[[steps.a.choices]]\nfr = "un"\n',
            "« a »",
            "ne mène nulle part",
        ),
        ("start = \n", "checklist.toml", "TOML non valable"),
    ],
)
def test_a_broken_checklist_is_refused_naming_file_and_step(
    isolated: Path, text: str, named: str, problem: str
) -> None:
    folder = write(isolated, text)
    with pytest.raises(ChecklistError) as refused:
        load_checklist(folder)
    assert named in str(refused.value)
    assert problem in str(refused.value)
    assert "checklist.toml" in str(refused.value)


def test_the_service_can_replace_the_checklist(isolated: Path) -> None:
    folder = write(
        isolated,
        'start = "q"\n[steps.q]\nfr = "Question ?"\nyes = "outcome:admissible:slow_reaction"\n'
        'no = "outcome:not_a_complaint"\n',
    )
    checklist = load_checklist(folder)
    assert list(checklist.steps) == ["q"]
    assert str(folder / "checklist.toml") in checklist.source


def test_the_app_refuses_to_start_on_a_broken_checklist(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (isolated / "data").mkdir()
    write(isolated / "data", 'start = "a"\n[steps.a]\nfr = "A ?"\n')
    assert main(["--db", "x.db"]) == 2
    err = capsys.readouterr().err
    assert "data/checklist.toml" in err and "« a »" in err


def test_reference_data_is_marked_as_examples() -> None:
    reference = load_reference()
    assert reference.appeal_procedures and reference.forward_services
    assert all("exemple" in e.in_language("fr") for e in reference.appeal_procedures)
    assert "exemple" in reference.dg_handicap.in_language("fr")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "procédure de recours spécifique"),
        ("nl", "specifieke beroepsprocedure"),
        ("de", "besonderes Rechtsmittelverfahren"),
        ("en", "specific appeal procedure"),
    ],
)
def test_the_answer_follows_the_case_language(language: str, expected: str) -> None:
    text = answer_text(
        Outcome(Admissibility.CONTESTED_DECISION),
        language=language,
        reference="P-2026-00001",
        received="5 janvier 2026",
        where="TRIBUNAL",
    )
    assert expected in text and "P-2026-00001" in text and "TRIBUNAL" in text


def test_decisions_change_status_and_clocks_and_are_journaled(isolated: Path) -> None:
    store = new_store(isolated)
    case = add_case(store, date(2026, 11, 10))
    decided = record_decision(
        store,
        case["id"],
        1,
        Outcome(Admissibility.DISPUTE),
        reason="",
        answers=[("dispute", "yes")],
        actor=Actor("alice"),
        now=NOW,
        calculator=CALCULATOR,
    )
    assert decided["status"] == Status.OUT_OF_SCOPE
    assert decided["reply_due"] is None and decided["reply_due_original"] is None
    assert decided["next_due"] == decided["acknowledgement_due"]
    again = record_decision(
        store,
        case["id"],
        2,
        Outcome(Admissibility.ADMISSIBLE, Category.UNCLEAR_PUBLICATION),
        reason="",
        answers=[("dispute", "no")],
        actor=Actor("bob"),
        now=NOW,
        calculator=CALCULATOR,
    )
    assert again["status"] == Status.IN_PROGRESS
    assert again["category"] == "unclear_publication"
    assert again["reply_due"] == "2026-12-10"  # the reply clock is back
    decisions = [e for e in journal_of(store, case["id"]) if e.action == "admissibility_decided"]
    assert [d.agent for d in decisions] == ["alice", "bob"]
    assert decisions[0].changes["admissibility"] == [None, "dispute"]
    # The answers are kept as codes, and read in each reader's language.
    assert decisions[0].changes["answers"] == [None, [["dispute", "yes"]]]
    checklist = load_checklist()
    set_language("nl")
    ((question, answer),) = answers_in_language(checklist, [["dispute", "yes"]])
    assert (
        question == "Gaat het om een administratief of gerechtelijk geschil met de administratie?"
    )
    assert answer == "ja"
    set_language("fr")
    assert answers_in_language(checklist, [["dispute", "yes"]])[0][1] == "oui"
    assert answers_in_language(checklist, [["gone", "no"]]) == [("gone", "no")]
    incomplete = record_decision(
        store,
        case["id"],
        3,
        Outcome(Admissibility.INCOMPLETE),
        reason="",
        answers=[],
        actor=Actor("bob"),
        now=NOW,
        calculator=CALCULATOR,
    )
    assert incomplete["status"] == Status.INCOMPLETE
    assert get_case(store, case["id"])["admissibility"] == "incomplete"


def test_broken_reference_data_is_refused(isolated: Path) -> None:
    (isolated / "reference.toml").write_text(
        '[[appeal_procedures]]\nid = "x"\nnl = "alleen Nederlands"\n', encoding="utf-8"
    )
    with pytest.raises(ChecklistError, match="sans texte en français"):
        load_reference(isolated)


SHIPPED_REFERENCE = Path(plaintes_tui.__file__).parent / "resources" / "admissibility"


def with_address(folder: Path, address: str) -> None:
    """The shipped reference, its first address replaced by ``address``."""
    shipped = (SHIPPED_REFERENCE / "reference.toml").read_text(encoding="utf-8")
    changed = shipped.replace('email = "info@minsoc.fed.be"', f'email = "{address}"', 1)
    assert changed != shipped
    (folder / "reference.toml").write_text(changed, encoding="utf-8")


@pytest.mark.parametrize("address", ["plaintes@@spf.be", "plaintes spf@spf.be", "plaintes@spf"])
def test_a_service_address_that_is_no_address_is_refused(isolated: Path, address: str) -> None:
    with_address(isolated, address)
    with pytest.raises(ChecklistError, match="adresse e-mail non valable"):
        load_reference(isolated)


def test_a_service_address_is_kept_with_its_domain_in_lower_case(isolated: Path) -> None:
    with_address(isolated, "Info@MinSoc.Fed.BE")
    emails = [entry.email for entry in load_reference(isolated).forward_services]
    assert "Info@minsoc.fed.be" in emails


@pytest.mark.parametrize(
    "keys",
    ["o", "no", "nno", "nnno"],
    ids=["contested decision", "dispute", "DG Persons with disabilities", "another institution"],
)
def test_every_out_of_scope_case_is_reached_before_is_it_a_complaint(keys: str) -> None:
    """Someone contesting a decision is unhappy, but not with the way the service was
    delivered: asked that first, they would honestly answer no and get the wrong answer."""
    walk = Walk(load_checklist())
    for key in keys:
        press(walk, key)
    asked = [question for question, _ in walk.summary("fr", "oui", "non")]
    assert not any("manière dont le SPF a rendu service" in q for q in asked)
    assert walk.position.admissibility is not Admissibility.NOT_A_COMPLAINT  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "autre institution"),
        ("nl", "andere instelling"),
        ("de", "andere Einrichtung"),
        ("en", "an institution other than"),
    ],
)
def test_a_complaint_about_another_institution_gets_its_own_answer(
    language: str, words: str
) -> None:
    where = load_reference().other_institutions[0].in_language(language)
    text = answer_text(
        Outcome(Admissibility.OTHER_INSTITUTION),
        language=language,
        reference="P-2026-00001",
        received="1",
        where=where,
    )
    assert words in text and where in text
    not_a_complaint = answer_text(
        Outcome(Admissibility.NOT_A_COMPLAINT),
        language=language,
        reference="P-2026-00001",
        received="1",
        where=where,
    )
    assert text != not_a_complaint
