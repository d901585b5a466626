"""The queue table draws its lines itself: cell for cell as Rich's Text would draw them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from plaintes_tui.printable import one_line
from plaintes_tui.tui.widgets.queue_table import Cell, cells_strip, fit

STYLES = [None, Style(color="red", bold=True), Style(color="green", dim=True)]
texts = st.text(
    st.sampled_from([*"abcéÉ [red]/x", "漢", "字", "\x1b", "\n", "\t", "\u202e", "…", "👍"]),
    max_size=30,
)
cells = st.lists(
    st.tuples(texts, st.integers(4, 30), st.sampled_from(STYLES)), min_size=1, max_size=8
)


def as_rich(row: list[Cell], width: int, base: Style) -> list[Segment]:
    """The same line through Rich's Text: each cell truncated with "…" and padded."""
    line = Text(no_wrap=True, end="")
    for value, size, style in row:
        cell = Text(one_line(value), style=style or "", no_wrap=True, end="")
        cell.truncate(size, overflow="ellipsis", pad=True)
        cell.append(" ")
        line.append(cell)
    line.truncate(width, overflow="ellipsis", pad=True)
    return [
        Segment(segment.text, base + segment.style if segment.style else base)
        for segment in line.render(Console())
    ]


def cells_of(segments: list[Segment]) -> list[tuple[str, Style | None]]:
    return [(character, segment.style) for segment in segments for character in segment.text]


@given(cells, st.integers(10, 200), st.sampled_from([Style(), Style(bgcolor="blue")]))
def test_a_line_is_drawn_as_rich_draws_it(row: list[Cell], width: int, base: Style) -> None:
    strip = cells_strip(row, width, base)
    assert strip.cell_length == width
    assert cells_of(list(strip)) == cells_of(as_rich(row, width, base))


def test_a_cell_too_long_ends_with_an_ellipsis_and_a_wide_character_is_never_halved() -> None:
    assert fit("VAN DEN BROECK", 8) == "VAN DEN…"
    assert fit("漢字漢字", 6) == "漢字 …"
    assert fit("Jan", 6) == "Jan   "
