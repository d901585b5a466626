"""A queue read a page at a time: what the queue screen scrolls over, at any store size.

Pages come from the indexed order by key (after the last row of the page before, or before the
first row of the page after), so scrolling costs the same at the top, in the middle or at the
end of a million cases. A jump far from any loaded page reads from whichever end is nearer.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from plaintes_tui.store.database import Store
from plaintes_tui.store.queue import QUEUE_COLUMNS, QueueFilter, QueueRow, filter_clause

PAGE_SIZE = 64
CACHED_PAGES = 64


class QueueSort(StrEnum):
    """The queue's orders; each is an index range over the open cases."""

    URGENCY = "urgency"  # the earliest running due date: worst band first
    RECEIVED = "received"
    REFERENCE = "reference"

    @property
    def columns(self) -> tuple[str, ...]:
        return _SORT_COLUMNS[self]

    def key(self, row: QueueRow) -> tuple[str, ...]:
        values = {
            "cases.next_due": row.next_due.isoformat(),
            "cases.received": row.received.isoformat(),
            "cases.reference": row.reference,
        }
        return tuple(values[column] for column in self.columns)


_SORT_COLUMNS = {
    QueueSort.URGENCY: ("cases.next_due", "cases.reference"),
    QueueSort.RECEIVED: ("cases.received", "cases.reference"),
    QueueSort.REFERENCE: ("cases.reference",),
}
_FROM = "FROM cases JOIN complainants ON complainants.id = cases.complainant_id"


@dataclass(frozen=True)
class QueueView:
    """What is asked of the queue: which cases, on which day, in which order."""

    filter: QueueFilter = field(default_factory=QueueFilter)
    today: date = date.min
    sort: QueueSort = QueueSort.URGENCY
    descending: bool = False


class QueueSource:
    """The rows of one queue view, fetched a page at a time and kept in a small cache."""

    def __init__(self, store: Store, view: QueueView) -> None:
        self.store = store
        self.view = view
        self._where, self._params = filter_clause(view.filter, view.today)
        self._count: int | None = None
        self._pages: OrderedDict[int, list[QueueRow]] = OrderedDict()

    # -- size ----------------------------------------------------------------------------------

    def count(self) -> int:
        if self._count is None:
            join = _FROM if "complainants." in self._where else "FROM cases"
            (count,) = self.store.connection.execute(
                f"SELECT count(*) {join} WHERE {self._where}", self._params
            ).fetchone()
            self._count = int(count)
        return self._count

    def invalidate(self) -> None:
        """Forget what was read: the store changed."""
        self._count = None
        self._pages.clear()

    # -- rows ----------------------------------------------------------------------------------

    def row(self, index: int) -> QueueRow | None:
        if index < 0 or index >= self.count():
            return None
        page = self._page(index // PAGE_SIZE)
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def rows(self, start: int, stop: int) -> list[QueueRow]:
        found = (self.row(index) for index in range(max(0, start), min(stop, self.count())))
        return [row for row in found if row is not None]

    def index_of(self, row: QueueRow) -> int:
        """Where ``row`` stands in this view now (where it would stand, if it has left)."""
        columns = self.view.sort.columns
        before = "<" if not self.view.descending else ">"
        (position,) = self.store.connection.execute(
            f"SELECT count(*) {_FROM} WHERE {self._where} "
            f"AND ({', '.join(columns)}) {before} ({', '.join('?' * len(columns))})",
            (*self._params, *self.view.sort.key(row)),
        ).fetchone()
        return int(position)

    # -- pages ---------------------------------------------------------------------------------

    def _page(self, number: int) -> list[QueueRow]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        before, after = self._pages.get(number - 1), self._pages.get(number + 1)
        if before and len(before) == PAGE_SIZE:
            page = self._fetch(after_key=self.view.sort.key(before[-1]))
        elif after:
            page = self._fetch(before_key=self.view.sort.key(after[0]))
        else:
            start = number * PAGE_SIZE
            from_end = self.count() - start - PAGE_SIZE
            if from_end < start:
                size = min(PAGE_SIZE, self.count() - start)
                page = self._fetch(from_end=max(0, from_end), size=size)
            else:
                page = self._fetch(offset=start)
        self._pages[number] = page
        if len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return page

    def _fetch(
        self,
        *,
        offset: int = 0,
        after_key: tuple[str, ...] | None = None,
        before_key: tuple[str, ...] | None = None,
        from_end: int | None = None,
        size: int = PAGE_SIZE,
    ) -> list[QueueRow]:
        columns = self.view.sort.columns
        backwards = before_key is not None or from_end is not None
        ascending = self.view.descending == backwards
        direction = "ASC" if ascending else "DESC"
        where, params = self._where, list[Any](self._params)
        key = after_key or before_key
        if key is not None:
            where += f" AND ({', '.join(columns)}) {'>' if ascending else '<'} "
            where += f"({', '.join('?' * len(columns))})"
            params.extend(key)
        if key is not None:
            skip = 0
        elif from_end is not None:
            skip = from_end
        else:
            skip = offset
        order = ", ".join(f"{column} {direction}" for column in columns)
        cursor = self.store.connection.execute(
            f"SELECT {QUEUE_COLUMNS} {_FROM} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, size, skip),
        )
        rows = [QueueRow.from_tuple(values) for values in cursor]
        return rows[::-1] if backwards else rows
