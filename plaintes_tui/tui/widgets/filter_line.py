"""The queue's filter line: what the list holds, in which order, and how many are marked."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from plaintes_tui.i18n import tr
from plaintes_tui.store.queue_source import QueueView


class FilterLine(Static):
    def show(
        self,
        view: QueueView,
        parts: list[str],
        marked: int,
        closed: tuple[int, list[str]] | None = None,
    ) -> None:
        """``parts``: the filter in words (``filter_words.filter_parts``), none for every case;
        ``closed``: the closed cases a search also found (how many, the latest references),
        which the queue of open cases does not list."""
        filters = " · ".join(parts) if parts else tr("queue_screen.filter_none")
        sort = tr(f"queue_screen.sort_{view.sort.value}")
        if view.descending:
            sort += tr("queue_screen.sort_descending")
        line = Text(tr("queue_screen.filter_label", filters=filters), style="bold" if parts else "")
        line.append(f" │ {tr('queue_screen.sort_label', sort=sort)}", style="dim")
        if marked:
            line.append(f" │ {tr('queue_screen.marked', count=marked)}")
        if closed is not None and closed[0]:
            count, latest = closed
            more = " …" if count > len(latest) else ""
            said = tr("queue_screen.closed_found", count=count, references=", ".join(latest) + more)
            line.append(f"\n{said}", style="italic")
        self.update(line)
