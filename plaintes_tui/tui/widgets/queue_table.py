"""The queue as a table that renders only the lines on screen.

Rows come from a ``QueueSource`` a page at a time; the table never holds the whole queue, so
its cost follows the terminal's height, not the store's size. Each due date shows its band three
ways: a colour from the theme, a symbol and the days left or late, so it reads without colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from plaintes_tui.domain.deadlines import Band, DeadlineCalculator
from plaintes_tui.i18n import tr, tr_or
from plaintes_tui.store.queue import QueueRow
from plaintes_tui.store.queue_source import QueueSource
from plaintes_tui.tui.text import one_line

BAND_SYMBOLS = {
    Band.OVERDUE: "✗",
    Band.DUE_SOON: "!",
    Band.ON_TRACK: "·",
    Band.MET: "✓",
    Band.MET_LATE: "✓",
}


@dataclass(frozen=True)
class Column:
    """A column of the table, and the widths of table it shows at."""

    key: str
    width: int  # 0: takes the room left
    drop_below: int = 0  # hidden when the table is narrower than this
    only_below: int = 0  # shown only when the table is narrower than this (0: always)


WIDE = 110  # from this width on, both clocks have a column
COLUMNS = (
    Column("flags", 4),
    Column("reference", 13),  # P-2026-123456: a sixth digit past 99,999 cases a year
    Column("received", 8, drop_below=100),
    Column("channel", 10, drop_below=120),
    Column("complainant", 0),
    Column("category", 13, drop_below=140),
    Column("agent", 10),
    Column("status", 13, drop_below=90),
    Column("ack", 19, drop_below=WIDE),  # "✗ 19/10/26* +40 j": an extended date, late, whole
    Column("reply", 19, drop_below=WIDE),
    # Narrower, the clock that runs: the acknowledgement until it is sent, then the reply.
    Column("next", 24, only_below=WIDE),
)
MIN_FLEX = 12


def layout(width: int) -> list[tuple[str, int]]:
    """Which columns fit in ``width`` cells, and how wide each is."""
    shown = [
        column
        for column in COLUMNS
        if width >= column.drop_below and (not column.only_below or width < column.only_below)
    ]
    fixed = sum(column.width + 1 for column in shown if column.width)
    flex = max(MIN_FLEX, width - fixed - 1)
    return [(column.key, column.width or flex) for column in shown]


def due_cell(
    due: date | None,
    band: Band | None,
    sent: date | None,
    paused: bool,
    today: date,
    extended: bool = False,
) -> tuple[str, str]:
    """The text of a due-date cell and the band class it takes its colour from."""
    if due is None:
        return tr("queue_screen.no_clock"), "met"
    if paused:
        return tr("queue_screen.paused"), "met"
    if band is None:
        return tr("queue_screen.no_clock"), "met"
    if sent is not None:  # a met clock shows when it was met
        return f"{BAND_SYMBOLS[band]} {sent:%d/%m/%y}", band.value
    text = f"{BAND_SYMBOLS[band]} {due:%d/%m/%y}{'*' if extended else ''}"
    days = (due - today).days
    if days < 0:
        suffix = tr("queue_screen.days_late", days=-days)
    elif days == 0:
        suffix = tr("queue_screen.due_today")
    else:
        suffix = tr("queue_screen.days_left", days=days)
    return f"{text} {suffix}", band.value


# A cell: its text, its width, and its colour (None: the row's).
Cell = tuple[str, int, Style | None]


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: cut, ending with "…", or padded with spaces."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    return text + " " * (width - length)


def cells_strip(cells: Sequence[Cell], width: int, base: Style) -> Strip:
    """A line of ``width`` cells: each on one line, fitted to its width and followed by a
    space, on the ``base`` style (a row's cursor or mark); cells of the base style alone are
    one segment. A line wider than ``width`` (a very narrow table) ends with "…"."""
    segments: list[Segment] = []
    plain: list[str] = []
    used = 0
    for text, size, style in cells:
        fitted = fit(one_line(text), size) + " "
        used += size + 1
        if style is None:
            plain.append(fitted)
            continue
        if plain:
            segments.append(Segment("".join(plain), base))
            plain = []
        segments.append(Segment(fitted, base + style))
    if used < width:
        plain.append(" " * (width - used))
    if plain:
        segments.append(Segment("".join(plain), base))
    strip = Strip(segments, max(used, width))
    if used <= width:
        return strip
    cut = strip.crop(width - 1, width)  # the cell where "…" goes gives its colour
    ellipsis = Strip([Segment("…", next(iter(cut)).style)], 1)
    return Strip.join([strip.crop(0, width - 1), ellipsis])


class QueueTable(ScrollView, can_focus=True):
    """Open cases, one per line, under a header line; a cursor and marks for bulk actions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "open", "queue_keys.open", id="queue.open"),
        Binding("space", "mark", "queue_keys.mark", show=False, id="queue.mark"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "queue-table--header",
        "queue-table--cursor",
        "queue-table--marked",
        "queue-table--overdue",
        "queue-table--due-soon",
        "queue-table--on-track",
        "queue-table--met",
        "queue-table--met-late",
        "queue-table--flag",
        "queue-table--empty",
    }
    DEFAULT_CSS = """
    QueueTable {
        height: 1fr;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    QueueTable > .queue-table--header { text-style: bold; background: $panel; }
    QueueTable > .queue-table--cursor { background: $block-cursor-blurred-background; }
    QueueTable:focus > .queue-table--cursor {
        background: $block-cursor-background; text-style: bold;
    }
    QueueTable > .queue-table--marked { color: $accent; text-style: bold; }
    QueueTable > .queue-table--overdue { color: $text-error; text-style: bold; }
    QueueTable > .queue-table--due-soon { color: $text-warning; text-style: bold; }
    QueueTable > .queue-table--on-track { color: $text-success; }
    QueueTable > .queue-table--met { color: $text-muted; }
    QueueTable > .queue-table--met-late { color: $text-muted; }
    QueueTable > .queue-table--flag { color: $text-warning; text-style: bold; }
    QueueTable > .queue-table--empty { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, init=False)

    class MarksChanged(Message):
        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def __init__(
        self,
        calculator: DeadlineCalculator,
        opens: Callable[[QueueRow], None],
        *,
        id: str | None = None,
    ) -> None:
        self._foregrounds: dict[str, Style] = {}  # a band's colour, read once from the theme
        super().__init__(id=id)
        self.calculator = calculator
        # Opening a case is a call, not a message: the case file is on screen before the next
        # key typed is applied (a message would come after it; see tui/desk.py).
        self.opens = opens
        self.source: QueueSource | None = None
        self.today = date.min
        self.marked: dict[int, QueueRow] = {}
        self.present: dict[int, str] = {}  # case id → the colleagues who have it open
        self.empty_message = tr("queue_screen.empty")

    # -- data ----------------------------------------------------------------------------------

    def show(self, source: QueueSource, cursor: int = 0, empty_message: str = "") -> None:
        """Show ``source``, with the cursor on row ``cursor``."""
        self.source = source
        self.today = source.view.today
        self.empty_message = empty_message or tr("queue_screen.empty")
        self._resize()
        self.set_reactive(QueueTable.cursor, self._clamp(cursor))
        self._scroll_to_cursor()
        self.refresh()

    @property
    def count(self) -> int:
        return self.source.count() if self.source else 0

    @property
    def current(self) -> QueueRow | None:
        return self.source.row(self.cursor) if self.source else None

    def visible_rows(self) -> list[QueueRow]:
        if self.source is None:
            return []
        top = round(self.scroll_offset.y)
        return self.source.rows(top, top + self._body_height())

    def _resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.count + 1)

    def on_resize(self) -> None:
        self._resize()

    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _clamp(self, index: int) -> int:
        return max(0, min(index, self.count - 1))

    # -- moving --------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_offset.y)
        height = self._body_height()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.cursor = self._clamp(self.cursor + step)

    def action_page(self, direction: int) -> None:
        height = self._body_height()
        self.cursor = self._clamp(self.cursor + direction * height)
        self.scroll_to(y=self.scroll_offset.y + direction * height, animate=False, immediate=True)

    def action_jump(self, where: int) -> None:
        self.cursor = self._clamp(where if where >= 0 else self.count - 1)

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the row; a double click opens it."""
        if event.y < 1 or self.count == 0:
            return
        index = round(self.scroll_offset.y) + event.y - 1
        if index < self.count:
            self.cursor = index
            if event.chain == 2:
                self.action_open()

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.opens(row)

    def action_mark(self) -> None:
        row = self.current
        if row is None:
            return
        if row.id in self.marked:
            del self.marked[row.id]
        else:
            self.marked[row.id] = row
        self.post_message(self.MarksChanged(len(self.marked)))
        self.action_cursor(1)
        self.refresh()

    def mark_all(self, rows: list[QueueRow]) -> None:
        """Mark these rows; if they all are already, unmark them."""
        if rows and all(row.id in self.marked for row in rows):
            self.marked.clear()
        else:
            self.marked.update((row.id, row) for row in rows)
        self.post_message(self.MarksChanged(len(self.marked)))
        self.refresh()

    def clear_marks(self) -> None:
        self.marked.clear()
        self.post_message(self.MarksChanged(0))
        self.refresh()

    # -- drawing -------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"queue-table--{name}")

    def _foreground(self, name: str) -> Style:
        """A component's colour and weight only, so the cursor's background shows under it."""
        style = self._foregrounds.get(name)
        if style is None:
            full = self._style(name)
            style = self._foregrounds[name] = Style(color=full.color, bold=full.bold, dim=full.dim)
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._foregrounds.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        columns = layout(width)
        if y == 0:
            titles = []
            for key, size in columns:
                title = tr(f"queue_screen.column_{key}")
                if len(title) > size:  # shorter words rather than a cut one
                    title = tr_or(f"queue_screen.column_{key}_short", title)
                titles.append((title, size, None))
            return cells_strip(titles, width, self._style("header"))
        if self.source is None:
            return Strip.blank(width)
        index = round(self.scroll_offset.y) + y - 1
        if self.count == 0:
            if y == 2:
                empty = fit(f"  {self.empty_message}", width)
                return Strip([Segment(empty, self._style("empty"))], width)
            return Strip.blank(width)
        row = self.source.row(index)
        if row is None:
            return Strip.blank(width)
        base = Style()
        if row.id in self.marked:
            base += self._style("marked")
        if index == self.cursor:
            base += self._style("cursor")
        return cells_strip(self._cells(row, columns), width, base)

    def show_presence(self, present: dict[int, str]) -> None:
        """case id → who else has it open: shown before the complainant's name."""
        if present != self.present:
            self.present = present
            self.refresh()

    def _with_presence(self, row: QueueRow) -> str:
        name = row.complainant or tr("queue_screen.anonymous")
        who = self.present.get(row.id)
        return f"◆{who} · {name}" if who else name

    def _cells(self, row: QueueRow, columns: list[tuple[str, int]]) -> list[Cell]:
        calculator, today = self.calculator, self.today
        clocks = row.clocks
        ack_text, ack_band = due_cell(
            clocks.acknowledgement_due,
            row.acknowledgement_band(calculator, today),
            clocks.acknowledgement_sent,
            False,
            today,
        )
        reply_label = tr("queue.reply")
        if row.ombudsman_first:  # the Ombudsman waits for an answer: their clock first
            reply_label = "⚖"  # the legend's sign for the Ombudsman: the column is narrow
            reply_text, reply_class = due_cell(
                clocks.ombudsman_due,
                clocks.ombudsman_band(calculator, today),
                None,
                False,
                today,
            )
            reply_text = f"{reply_label} {reply_text}"
        else:
            reply_band = row.reply_band(calculator, today)
            reply_text, reply_class = due_cell(
                clocks.reply_due,
                reply_band,
                clocks.reply_sent,
                clocks.reply_due is not None and reply_band is None,
                today,
                extended=clocks.reply_due is not None
                and row.reply_due_original is not None
                and clocks.reply_due != row.reply_due_original,
            )
        flags = (
            ("●" if row.id in self.marked else " ")
            + ("⚑" if row.urgent else "?" if row.admissibility is None else " ")
            + ("⚖" if row.ombudsman else " ")
            + ("✉" if row.contact_incomplete else " ")
        )
        values = {
            "flags": (flags, self._foreground("flag")),
            "reference": (row.reference, None),
            "received": (f"{row.received:%d/%m/%y}", None),
            "channel": (tr(f"channel.{row.channel}"), None),
            "complainant": (self._with_presence(row), None),
            "category": (tr(f"category_short.{row.category}"), None),
            "agent": (row.assigned_to or "—", None),
            "status": (tr(f"status_short.{row.status}"), None),
            "ack": (ack_text, self._foreground(ack_band)),
            "reply": (reply_text, self._foreground(reply_class)),
            "next": (
                (f"{tr('queue.ack')} {ack_text}", self._foreground(ack_band))
                if clocks.acknowledgement_due is not None and clocks.acknowledgement_sent is None
                else (reply_text, self._foreground(reply_class))
                if row.ombudsman_first
                else (f"{reply_label} {reply_text}", self._foreground(reply_class))
            ),
        }
        return [(values[key][0], size, values[key][1]) for key, size in columns]
