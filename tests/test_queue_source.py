"""The paged queue reads the same rows, in the same order, however it is walked."""

from pathlib import Path

import pytest

from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.demo import generate_demo
from plaintes_tui.store.queue import QueueFilter, iter_queue
from plaintes_tui.store.queue_source import PAGE_SIZE, QueueSort, QueueSource, QueueView
from tests.factories import CALCULATOR, TODAY


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path: Path = tmp_path_factory.mktemp("queue") / "q.db"
    store = open_store(path, create=True)
    generate_demo(store, cases=6000, seed=2, today=TODAY, calculator=CALCULATOR)
    return store


def references(store: Store, view: QueueView) -> list[str]:
    order = {
        QueueSort.URGENCY: lambda r: (r.next_due, r.reference),
        QueueSort.RECEIVED: lambda r: (r.received, r.reference),
        QueueSort.REFERENCE: lambda r: (r.reference,),
    }[view.sort]
    rows = sorted(iter_queue(store, view.filter, view.today), key=order, reverse=view.descending)
    return [row.reference for row in rows]


@pytest.mark.parametrize("sort", list(QueueSort))
@pytest.mark.parametrize("descending", [False, True])
def test_every_walk_reads_the_same_order(store: Store, sort: QueueSort, descending: bool) -> None:
    view = QueueView(QueueFilter(), TODAY, sort, descending)
    expected = references(store, view)
    assert len(expected) > 4 * PAGE_SIZE
    forward = QueueSource(store, view)
    assert forward.count() == len(expected)
    assert [r.reference for r in forward.rows(0, forward.count())] == expected
    backward = QueueSource(store, view)
    walked = [backward.row(i) for i in reversed(range(backward.count()))]
    assert [r.reference for r in reversed(walked) if r] == expected
    jumping = QueueSource(store, view)
    for index in (len(expected) - 1, len(expected) // 2, 3, len(expected) - PAGE_SIZE - 7):
        row = jumping.row(index)
        assert row is not None and row.reference == expected[index]


def test_index_of_finds_a_row_again(store: Store) -> None:
    source = QueueSource(store, QueueView(QueueFilter(), TODAY))
    for index in (0, 100, source.count() - 1):
        row = source.row(index)
        assert row is not None
        assert source.index_of(row) == index


def test_filters_apply_to_pages(store: Store) -> None:
    view = QueueView(QueueFilter(overdue_only=True, channel="email"), TODAY)
    source = QueueSource(store, view)
    rows = source.rows(0, source.count())
    assert rows and all(r.channel == "email" and r.next_due < TODAY for r in rows)
    assert [r.reference for r in rows] == references(store, view)


def test_out_of_range_rows_are_none(store: Store) -> None:
    source = QueueSource(store, QueueView(QueueFilter(search="zzzznotfound"), TODAY))
    assert source.count() == 0
    assert source.row(0) is None
