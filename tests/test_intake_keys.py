"""Fewer keys at intake: straight to the complaint, a subject by its number, the address first
for a letter, and no question the agent does not answer (the mailroom)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton

from plaintes_tui.domain.contacts import Person
from plaintes_tui.settings import AgentSettings, IntakeSettings, Settings
from plaintes_tui.store.cases import get_case
from plaintes_tui.store.database import Store
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.dialogs.confirm import ConfirmDialog
from plaintes_tui.tui.widgets.footer import KeyBar
from tests.factories import TODAY
from tests.pilot import burst, open_form, settle
from tests.pilot import intake_screen as screen


def app_for(store: Store, agent: str = "alice", **settings: object) -> PlaintesApp:
    return PlaintesApp(Settings(**settings), agent=agent, store=store, today=TODAY)  # type: ignore[arg-type]


async def test_a_call_typed_at_full_speed_with_the_short_keys(store: Store) -> None:
    """Name, first name, phone, e-mail, then page down to the complaint, its subject by
    number, the subject line, the description, save: 7 keys besides the text."""
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(pilot, *"Peeters", "enter", *"An", "enter", *"0477 84 86 64", "enter")
        burst(pilot, *"an@example.be", "pagedown", "3", *"Brochure", "enter", *"Illisible.")
        burst(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # the phone agent is offered the check
        case = get_case(store, 1)
        assert (case["subject"], case["description"]) == ("Brochure", "Illisible.")
        assert case["category"] == screen_category(3)
        assert case["complainant_email"] == "an@example.be"


def screen_category(number: int) -> str:
    from plaintes_tui.tui.screens.intake_form import CHOICES

    return CHOICES["category"][number - 1]


async def test_a_digit_elsewhere_is_typed_as_usual(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(pilot, *"Peeters2", "enter", *"3")
        await settle(pilot)
        form = screen(app).form()
        assert (form["last_name"], form["first_name"]) == ("Peeters2", "3")


async def test_a_letter_asks_for_its_date_then_the_address(store: Store) -> None:
    """The first letter of a tray starts on the stamped date; then name and postal address."""
    app = app_for(
        store, "courrier1", intake=IntakeSettings(channel_by_agent=(("courrier1", "letter"),))
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        form = screen(app)
        burst(
            pilot,
            *"20/11/2026",
            "enter",
            *"Maes",
            "enter",
            *"Jan",
            "enter",
            *"Kerkstraat 1",
            "enter",
            *"9000",
        )
        burst(pilot, "enter", *"Gent", "pagedown", "5", *"Brief")
        await settle(pilot)
        values = form.form()
        assert (values["street"], values["postal_code"], values["town"]) == (
            "Kerkstraat 1",
            "9000",
            "Gent",
        )
        assert values["phone"] == "" and values["subject"] == "Brief"
        assert values["received"] == "20/11/2026"


async def test_the_directory_says_who_is_offered_the_admissibility_check(store: Store) -> None:
    directory = {"alice": Person("Alice Martin", offer_admissibility=False)}
    app = app_for(store, agents=AgentSettings(directory=directory))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(pilot, *"Peeters", "enter", *"An", "enter", *"0477 84 86 64", "pagedown")
        burst(pilot, "enter", *"Brochure", "ctrl+s")
        await settle(pilot)
        assert get_case(store, 1)["subject"] == "Brochure"
        assert not isinstance(app.screen, ConfirmDialog)


async def test_the_channel_stays_and_each_new_caller_starts_in_the_agents_language(
    store: Store,
) -> None:
    """After a Dutch call, even one abandoned, the next caller is not addressed in Dutch."""
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        form = screen(app)
        form.query_one("#language-nl").value = True  # type: ignore[attr-defined]
        form.query_one("#channel-email").value = True  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        values = screen(app).form()
        assert (values["language"], values["channel"]) == ("fr", "email")
        assert values["received"] == "28/11/2026"


async def test_a_subject_typed_on_the_list_of_subjects_is_not_lost(store: Store) -> None:
    """Page down lands on the list of subjects; an agent who types the subject line at once
    (without its number) finds every letter in the subject field."""
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(pilot, *"Peeters", "pagedown", *"Retard de paiement")
        await settle(pilot)
        form = screen(app).form()
        assert form["subject"] == "Retard de paiement"
        assert form["category"] == "other"  # the list itself was left as it was


@pytest.mark.parametrize(
    ("code", "expected"), [("9000", "nl"), ("4700", "de"), ("5000", "fr"), ("1000", None)]
)
def test_the_postal_code_suggests_the_letters_language(code: str, expected: str | None) -> None:
    from plaintes_tui.domain.intake import language_for_postal_code

    assert language_for_postal_code(code) == expected
    assert language_for_postal_code("L-1234") is None


async def test_a_letters_language_follows_its_address_unless_the_agent_chose(
    store: Store,
) -> None:
    mailroom = IntakeSettings(channel_by_agent=(("courrier1", "letter"),))
    app = app_for(store, "courrier1", intake=mailroom)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        form = screen(app)
        burst(pilot, *"20/11/2026", "enter", *"Maes", "enter", "enter", "enter", *"9000", "enter")
        await settle(pilot)
        assert form.form()["language"] == "nl"  # Gent writes in Dutch
        assert any("proposée d'après le code postal 9000" in n.message for n in app._notifications)
        form.query_one("#language-fr", RadioButton).value = True  # the complainant asks French
        await settle(pilot)
        form.query_one("#f-postal_code", Input).value = "4700"
        form.check("postal_code")
        await settle(pilot)
        assert form.form()["language"] == "fr"  # the agent's choice stands
    phone = app_for(store)
    async with phone.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        form = screen(phone)
        form.query_one("#f-postal_code", Input).value = "9000"
        form.check("postal_code")
        await settle(pilot)
        assert form.form()["language"] == "fr"  # a call: the language the caller speaks


async def test_keys_typed_after_ctrl_s_are_for_what_follows_the_save(store: Store) -> None:
    """ctrl+s then n in one burst (SSH, a fast agent): the subject is saved as typed, and the
    n answers the question that follows the save (check admissibility now? no)."""
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(pilot, *"Peeters", "enter", *"An", "enter", *"0477 84 86 64", "pagedown")
        burst(pilot, "enter", *"Pas de réponse", "ctrl+s", "n")
        await settle(pilot)
        assert get_case(store, 1)["subject"] == "Pas de réponse"
        assert not isinstance(app.screen, ConfirmDialog)  # answered by the n
        assert screen(app).form()["subject"] == ""  # nothing typed into the next form


async def test_one_record_per_person(store: Store) -> None:
    """The same NISS links to its record (and says so); a phone already known asks before a
    second record is made; ctrl+l with nothing to link says so."""
    from datetime import date

    from tests.factories import add_case, person

    add_case(
        store,
        date(2026, 11, 2),
        complainant=person(last_name="Peeters", phone="+32477848664", niss="85073003328"),
    )
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert any("Aucune fiche connue à lier" in n.message for n in app._notifications)
        burst(pilot, *"Peeters", "enter", *"An", "enter", *"0477 84 86 64", "pagedown")
        burst(pilot, "enter", *"Toujours rien", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # already known by this phone
        assert "même téléphone" in str(app.screen.question)
        await pilot.press("n")  # no second record: back to the form, nothing saved
        await settle(pilot)
        assert store.connection.execute("SELECT count(*) FROM cases").fetchone() == (1,)
        assert screen(app).form()["subject"] == "Toujours rien"
        await pilot.press("ctrl+l", "ctrl+s")  # linked to the record, then saved
        await settle(pilot)
        await pilot.press("n")  # check admissibility now? no
        await settle(pilot)
        assert get_case(store, 2)["complainant_id"] == get_case(store, 1)["complainant_id"]
        # The same NISS is the same person: linked without a question, and said.
        form = screen(app)
        for name, text in (("last_name", "Peeters"), ("niss", "85.07.30-033.28")):
            form.query_one(f"#f-{name}", Input).value = text
        form.query_one("#f-subject", Input).focus()
        burst(pilot, *"Encore", "ctrl+s")
        await settle(pilot)
        assert "aucune fiche en double" in str(form.query_one("#intake-result").render())
        assert get_case(store, 3)["complainant_id"] == get_case(store, 1)["complainant_id"]
        count = store.connection.execute("SELECT count(*) FROM complainants").fetchone()
        assert count == (1,)


async def test_the_same_name_asks_before_a_second_record(store: Store) -> None:
    """A letter from "JAN PEETERS" of the same town as the Jan Peeters on record: saving asks
    before a second record is made. The panel, which shows what is certainly the person's,
    does not show a namesake."""
    from datetime import date

    from tests.factories import add_case, person

    add_case(
        store,
        date(2026, 11, 2),
        complainant=person(last_name="Peeters", first_name="Jan", phone=None, postal_code="9000"),
    )
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(pilot, *"PEETERS", "enter", *"jan", "enter")
        await settle(pilot)
        assert not screen(app).query_one("#intake-known").display
        burst(pilot, "pagedown", "1", *"Geen antwoord", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "même nom et prénom" in str(app.screen.question)
        await pilot.press("o")  # yes: a namesake, a record of their own
        await settle(pilot)
        await pilot.press("n")  # check admissibility now? no
        await settle(pilot)
        assert store.connection.execute("SELECT count(*) FROM complainants").fetchone() == (2,)


async def test_a_fresh_mailroom_form_shows_no_error_of_the_letter_before(store: Store) -> None:
    app = app_for(
        store, agent="mailroom", intake=IntakeSettings(channel_by_agent=(("mailroom", "letter"),))
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        burst(pilot, *"20/11/2026", "enter", *"Peeters", "enter", *"Jan", "enter")
        burst(pilot, *"Kerkstraat 14", "enter", *"9000", "enter", *"Gent", "pagedown", "1")
        burst(pilot, *"Geen antwoord", "ctrl+s")
        await settle(pilot)
        assert get_case(store, 1)["subject"] == "Geen antwoord"
        form = screen(app)
        assert form.form()["subject"] == ""
        assert str(form.query_one("#e-subject").render()) == ""  # no stale "obligatoire"


async def moved_caller_linked(pilot: Pilot[None]) -> None:
    """An Peeters calls from her known phone with her new address, typed, then the form
    linked to her record (ctrl+l)."""
    await open_form(pilot)
    burst(pilot, *"Peeters", "enter", *"An", "enter", *"0477 84 86 64", "enter", "enter")
    burst(pilot, *"Nieuwstraat 7", "enter", *"2000", "enter", *"Antwerpen")
    await settle(pilot)
    await pilot.press("ctrl+l")
    await settle(pilot)


async def test_linking_keeps_the_new_address_typed_and_the_record_takes_it(
    store: Store,
) -> None:
    """The caller has moved: the agent types the new address, then links (ctrl+l) to the
    record the phone found. The address typed stays on the form, and the save writes it in
    the record, journaled on each of the person's cases."""
    from datetime import date

    from plaintes_tui.store.cases import journal_of
    from tests.factories import add_case, person

    old = add_case(
        store,
        date(2026, 11, 2),
        complainant=person(
            last_name="Peeters", phone="+32477848664", street="Oude Baan 1", postal_code="9000"
        ),
    )
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await moved_caller_linked(pilot)
        form = screen(app).form()
        assert (form["street"], form["postal_code"], form["town"]) == (
            "Nieuwstraat 7",
            "2000",
            "Antwerpen",
        )
        burst(pilot, "pagedown", "1", *"Verhuisd", "ctrl+s", "n")
        await settle(pilot)
        assert any("Fiche du plaignant mise à jour" in n.message for n in app._notifications)
    record = store.connection.execute(
        "SELECT street, postal_code, town, (SELECT count(*) FROM complainants) "
        "FROM complainants WHERE id = ?",
        (old["complainant_id"],),
    ).fetchone()
    assert record == ("Nieuwstraat 7", "2000", "Antwerpen", 1)
    corrected = journal_of(store, old["id"])[-1]
    assert corrected.changes["street"] == ["Oude Baan 1", "Nieuwstraat 7"]


async def test_a_colleagues_correction_made_while_the_form_was_linked_is_not_undone(
    store: Store,
) -> None:
    """Linked to the record (ctrl+l), the form is filled in with its e-mail. A colleague
    corrects that e-mail before the save: the save writes the new address the agent typed,
    and leaves the colleague's e-mail as it is, not the one the form was filled with."""
    from datetime import date

    from plaintes_tui.domain.access import Actor
    from plaintes_tui.store.rectify import person_record, rectify
    from tests.factories import NOW, add_case, person

    old = add_case(
        store,
        date(2026, 11, 2),
        complainant=person(
            last_name="Peeters", phone="+32477848664", email="an.peeters@example.be"
        ),
    )
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await moved_caller_linked(pilot)
        assert screen(app).form()["email"] == "an.peeters@example.be"
        seen, _ = person_record(store, old["complainant_id"])
        new_email = {"email": "an.peeters@nieuw.be"}
        rectify(store, old["complainant_id"], seen, new_email, actor=Actor("bob"), now=NOW)
        burst(pilot, "pagedown", "1", *"Verhuisd", "ctrl+s", "n")
        await settle(pilot)
    record = store.connection.execute(
        "SELECT email, street FROM complainants WHERE id = ?", (old["complainant_id"],)
    ).fetchone()
    assert record == ("an.peeters@nieuw.be", "Nieuwstraat 7")


def bar_keys(app: PlaintesApp) -> list[tuple[str, str]]:
    bar = app.screen.query_one(KeyBar)
    return [(key.key, key.description) for key in bar.keys]


async def test_the_key_bar_stays_as_it_is_from_field_to_field(store: Store) -> None:
    """Every field of the form offers the same keys: the key bar keeps its keys (it is not
    built again at each enter, which made the first key typed in a field wait), and still
    shows the form's keys wherever the cursor is."""
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        keys = app.screen.query_one(KeyBar).keys
        shown = bar_keys(app)
        assert ("ctrl+s", "Enregistrer") in shown
        burst(pilot, *"Peeters", "enter", *"An", "enter", "pagedown", "3", "tab")
        await settle(pilot)
        assert app.screen.query_one(KeyBar).keys is keys  # the very same keys, not read again
        assert bar_keys(app) == shown
