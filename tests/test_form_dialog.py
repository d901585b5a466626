"""The small forms of the case file and the inbox: a choice made and saved in one burst of
keys is the choice saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from plaintes_tui.settings import Settings
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.dialogs.form import Field, FormDialog
from tests.factories import new_store
from tests.pilot import burst, settle


async def test_a_choice_then_ctrl_s_typed_at_once_saves_that_choice(isolated: Path) -> None:
    app = PlaintesApp(Settings(), agent="a", store=new_store(isolated), today=date(2026, 11, 28))
    answers: list[object] = []
    fields = (
        Field("reason", "Motif", "choice", (("a", "A"), ("b", "B"), ("c", "C"))),
        Field("note", "Précision", required=False),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(FormDialog("Écarter", fields), answers.append)
        await settle(pilot)
        burst(pilot, "down", "space", "ctrl+s")  # as tmux or a fast hand sends them
        await settle(pilot)
    assert answers and isinstance(answers[0], dict) and answers[0]["reason"] == "b"


async def test_every_field_is_typed_in_view_at_80x24(isolated: Path) -> None:
    """The reply's form and the complainant's record are taller than 24 lines: the fields
    scroll inside the dialog, and the one typed in is always on screen."""
    from textual.widgets import Input

    from plaintes_tui.domain.workflow import Move
    from plaintes_tui.tui.screens.case_forms import action_fields

    store = new_store(isolated)
    app = PlaintesApp(Settings(), agent="alice", store=store, today=date(2026, 12, 3))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = FormDialog("Réponse motivée", action_fields(Move.REPLY, "nl"))
        await app.push_screen(dialog)
        await settle(pilot)
        assert dialog.query_one("Vertical").region.bottom <= 24
        for _ in range(len(action_fields(Move.REPLY, "nl"))):
            focused = app.focused
            assert focused is not None
            if isinstance(focused, Input):
                burst(pilot, *"abc")
                await settle(pilot)
                top = dialog.query_one(".form-title").region.bottom
                hint = dialog.query_one(".form-hint").region.y  # above the hint, on screen
                assert top <= focused.region.y and focused.region.bottom <= hint, focused.id
            await pilot.press("tab")
            await settle(pilot)
        assert dialog.query_one("#form-date", Input).value == "abc"  # the last field, typed
