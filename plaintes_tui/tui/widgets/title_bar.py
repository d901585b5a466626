"""The title bar: the screen's title on one line, drawn as one widget.

It looks and answers like Textual's header: the palette's icon on the left (a click opens the
palette), the title and sub-title centred, the room of a clock on the right, three lines tall
after a click elsewhere. Textual's header is four widgets, each styled and laid out (5 ms
before the first screen shows).
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # the icon's room on the left, as Textual's header gives it
CLOCK_WIDTH = 10  # the clock's room on the right (no clock is shown)


class TitleBar(Widget, can_focus=False):
    COMPONENT_CLASSES = {"title-bar--icon-hover"}
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: left middle;
        &.-tall {
            height: 3;
        }
        & > .title-bar--icon-hover {
            background: $foreground 10%;
        }
    }
    """
    ALLOW_SELECT = False

    def __init__(self) -> None:
        super().__init__()
        self._hover = False

    def on_mount(self) -> None:
        for obj in (self.app, self.screen):
            self.watch(obj, "title", self._retitle, init=False)
            self.watch(obj, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = app.format_title(
            app.title if screen.title is None else screen.title,
            app.sub_title if screen.sub_title is None else screen.sub_title,
        )
        middle = max(0, self.size.width - ICON_WIDTH - CLOCK_WIDTH)
        icon = Content(f" {ICON}".ljust(ICON_WIDTH))
        if self._hover:
            icon = icon.stylize(self.get_visual_style("title-bar--icon-hover", partial=True))
        return Content.assemble(icon, title.center(middle, ellipsis=True), " " * CLOCK_WIDTH)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = event.x < ICON_WIDTH
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self) -> None:
        if self._hover:
            self._hover = False
            self.refresh()

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        if event.x < ICON_WIDTH:
            await self.run_action("app.command_palette")
        else:
            self.toggle_class("-tall")
