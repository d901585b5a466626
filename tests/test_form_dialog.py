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
