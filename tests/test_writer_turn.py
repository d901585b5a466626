"""Writers take their turn in order (``store/writer_turn.py``): the second waits for the first
to finish, a turn held too long is waited for no longer than its time, and a writer that dies
gives its turn up."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from plaintes_tui.store.database import Store
from plaintes_tui.store.writer_turn import end_turn, take_turn


def test_a_second_writer_waits_for_the_first_to_finish(store: Store) -> None:
    first = take_turn(store.path)
    assert first is not None
    order: list[str] = []
    second_started = threading.Event()

    def second() -> None:
        second_started.set()
        with store.write() as connection:
            order.append("second")
            connection.execute("INSERT INTO housekeeping (name, value) VALUES ('turn', 'second')")

    thread = threading.Thread(target=second)
    thread.start()
    assert second_started.wait(10)
    thread.join(0.3)  # bounded: it must still be waiting
    assert thread.is_alive() and order == []
    order.append("first")
    end_turn(first)
    thread.join(10)
    assert not thread.is_alive()
    assert order == ["first", "second"]
    (value,) = store.connection.execute(
        "SELECT value FROM housekeeping WHERE name = 'turn'"
    ).fetchone()
    assert value == "second"


def test_a_turn_held_too_long_is_waited_for_no_longer_than_its_time(store: Store) -> None:
    held = take_turn(store.path)
    try:
        began = time.monotonic()
        assert take_turn(store.path, seconds=0.2) is None  # SQLite's own lock, then
        assert time.monotonic() - began < 5
    finally:
        end_turn(held)
    again = take_turn(store.path, seconds=5)  # the abandoned wait gave the turn back
    assert again is not None
    end_turn(again)


def test_a_writer_that_dies_gives_its_turn_up(store: Store) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from plaintes_tui.store.writer_turn import take_turn; "
            "assert take_turn(Path(sys.argv[1])) is not None; print('held', flush=True); "
            "time.sleep(60)",
            str(store.path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert take_turn(store.path, seconds=0.1) is None
    finally:
        holder.kill()
        holder.wait(10)
    turn = take_turn(store.path, seconds=5)
    assert turn is not None
    end_turn(turn)


def test_a_folder_where_no_turn_can_be_kept_leaves_sqlite_s_lock_alone(tmp_path: Path) -> None:
    assert take_turn(tmp_path / "missing-folder" / "store.db") is None
    end_turn(None)
