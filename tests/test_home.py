from datetime import date

from plaintes_tui.settings import Settings
from plaintes_tui.tui.app import PlaintesApp


def screen_text(app: PlaintesApp) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query("Static"))


async def test_home_screen_shows_title_date_and_keys() -> None:
    app = PlaintesApp(Settings(), agent="alice", today=date(2026, 11, 28))
    async with app.run_test(size=(100, 30)):
        text = screen_text(app)
        assert "Bienvenue" in text
        assert "samedi 28 novembre 2026" in text
        assert "F2" in text and "ctrl+q" in text


async def test_ctrl_q_quits() -> None:
    app = PlaintesApp(Settings(), agent="alice", today=date(2026, 11, 28))
    async with app.run_test() as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
