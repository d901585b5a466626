"""Continuous replication with a real Litestream process and a folder replica: a disk lost
while agents save cases loses at most the last sync interval; a restore to a moment gives
exactly the cases saved before it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from plaintes_tui.cli import main
from plaintes_tui.errors import UserError
from plaintes_tui.replication import (
    _alive,
    position,
    read_state,
    replica_of,
    restore_from_replica,
    state_path,
)
from plaintes_tui.settings import Settings, load_settings
from plaintes_tui.settings_sections import ReplicationSettings
from plaintes_tui.store.database import open_store
from plaintes_tui.store.verify import verify_store
from tests.factories import TODAY, add_case, new_store

ROOT = Path(__file__).resolve().parent.parent
WAIT = 60  # seconds: every wait below is bounded by it
SYNC = 1

# Saves cases through the door, one after the other, each line "reference epoch" once saved.
WRITER = """
import sys, time
from datetime import date
from plaintes_tui.store.database import open_store
from tests.factories import add_case
store = open_store(sys.argv[1])
while True:
    case = add_case(store, date(2026, 11, 20))
    print(case["reference"], time.time(), flush=True)
    time.sleep(0.05)
"""


def settings_file(folder: Path) -> Path:
    path = folder / "plaintes.toml"
    path.write_text(
        'store = "plaintes.db"\noutput = "output"\n'
        f'[replication]\nreplica = "standby"\nsync_seconds = {SYNC}\n',
        encoding="utf-8",
    )
    return path


def until(condition: Callable[[], bool], what: str) -> None:
    """Wait until ``condition`` holds, at most ``WAIT`` seconds (then the test fails)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {WAIT} s: {what}")
        time.sleep(0.05)


# A scanned letter's name as a scanner may give it: spaces, brackets, a star, a quote.
ODD = 'scan 2026-12-03 [1] *"a\\b".pdf'


def start_replicate(config: Path) -> subprocess.Popen[bytes]:
    """`plaintes replicate` in its own process group (killed whole, Litestream with it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "plaintes_tui", "--config", str(config), "replicate"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )


def lost_and_restored(config: Path, arrived: Callable[[], bool], where: str) -> None:
    """Three cases saved and two files written (a letter, a scan oddly named), replicated
    until ``arrived`` says they are ``where``; then the disk dies (the replicator killed) and
    the store is restored from the replica: every case, checked whole, and both files."""
    settings = load_settings(config)
    store = new_store(config.parent)
    saved = [add_case(store, date(2026, 11, 20))["reference"] for _ in range(3)]
    store.close()
    (settings.output / saved[0]).mkdir(parents=True)
    (settings.output / saved[0] / "accuse-fr.pdf").write_bytes(b"%PDF-1.4 letter")
    (settings.output / "scans").mkdir()
    (settings.output / "scans" / ODD).write_bytes(b"%PDF-1.4 scan")
    process = start_replicate(config)
    try:
        until(arrived, f"the store and the files {where}")
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the disk dies
        process.wait(timeout=WAIT)
    done = restore_from_replica(settings, config.parent / "restored.db")
    assert done.verification.ok, done.verification.problems
    assert set(saved) <= set(references(done.path))
    assert done.files is not None and done.file_count == 2 and done.files_failed is None
    assert (done.files / saved[0] / "accuse-fr.pdf").read_bytes() == b"%PDF-1.4 letter"
    assert (done.files / "scans" / ODD).read_bytes() == b"%PDF-1.4 scan"


@pytest.fixture
def replicating(isolated: Path) -> Iterator[tuple[Settings, subprocess.Popen[bytes]]]:
    """A new store, and `plaintes replicate` running on it (its own process group: killed
    whole at the end, Litestream with it)."""
    config = settings_file(isolated)
    settings = load_settings(config)
    new_store(isolated).close()
    process = start_replicate(config)
    try:
        until(
            lambda: position(settings.store, replica_of(settings)) is not None,
            "the replica's first copy of the store",
        )
        yield settings, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=WAIT)


def local_position(settings: Settings) -> int:
    found = position(settings.store, replica_of(settings))
    return found.local if found is not None else 0


def replicated(settings: Settings, write: Callable[[], list[str]]) -> list[str]:
    """``write`` done, then waited for: Litestream has taken it from the WAL (its local
    position moved on) and the replica holds it."""
    before = local_position(settings)
    written = write()

    def held() -> bool:
        found = position(settings.store, replica_of(settings))
        return found is not None and found.local > before and found.replica >= found.local

    until(held, "the replica to hold what was written")
    return written


def saved(settings: Settings, count: int, day: date) -> Callable[[], list[str]]:
    def write() -> list[str]:
        store = open_store(settings.store)
        try:
            return [add_case(store, day)["reference"] for _ in range(count)]
        finally:
            store.close()

    return write


def references(path: Path) -> list[str]:
    store = open_store(path, upgrade=False)
    try:
        return [row[0] for row in store.connection.execute("SELECT reference FROM cases")]
    finally:
        store.close()


def test_a_disk_lost_mid_afternoon_loses_only_the_last_seconds(
    replicating: tuple[Settings, subprocess.Popen[bytes]], isolated: Path
) -> None:
    settings, replicator = replicating
    (settings.output / "P-2026-00001").mkdir(parents=True)
    (settings.output / "P-2026-00001" / "accuse.pdf").write_bytes(b"%PDF-1.4 letter")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(settings.store)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
    )
    saved: list[tuple[str, float]] = []
    try:
        assert writer.stdout is not None
        deadline = time.monotonic() + WAIT
        while len(saved) < 60 or saved[-1][1] - saved[0][1] < 4 * SYNC:
            assert time.monotonic() < deadline, "the writer saved too little"
            reference, at = writer.stdout.readline().split()
            saved.append((reference, float(at)))
    finally:
        os.killpg(replicator.pid, signal.SIGKILL)  # the disk dies: Litestream with it
        killed = time.time()
        writer.kill()
        writer.wait(timeout=WAIT)
    target = isolated / "restored.db"
    done = restore_from_replica(settings, target)
    held = set(references(target))
    # The promise: no more than the sync interval lost (a quarter second more allowed for a
    # busy machine's scheduling).
    older = [reference for reference, at in saved if at < killed - SYNC - 0.25]
    assert older and set(older) <= held
    assert done.verification.ok, done.verification.problems
    assert verify_store(open_store(target)).ok
    assert (done.files is not None) and (done.files / "P-2026-00001" / "accuse.pdf").read_bytes()
    assert oct(target.stat().st_mode & 0o777) == "0o600"


async def test_the_restored_store_opens_in_the_app(
    replicating: tuple[Settings, subprocess.Popen[bytes]], isolated: Path
) -> None:
    from plaintes_tui.tui.app import PlaintesApp
    from tests.pilot import settle
    from tests.screen_text import rendered
    from tests.test_queue_screen import table

    settings, _ = replicating
    [reference] = replicated(settings, saved(settings, 1, date(2026, 11, 20)))
    target = isolated / "restored.db"
    restore_from_replica(settings, target)
    app = PlaintesApp(Settings(), agent="alice", store=open_store(target), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert reference in rendered(table(app))


def test_a_restore_to_a_moment_gives_exactly_the_cases_saved_before_it(
    replicating: tuple[Settings, subprocess.Popen[bytes]],
    isolated: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings, _ = replicating
    before = replicated(settings, saved(settings, 5, date(2026, 11, 20)))
    # A whole second after they are on the replica (Litestream dates its files finer than
    # the second a restore is asked for), and the next cases a second later still.
    moment = datetime.now(settings.zone).replace(microsecond=0) + timedelta(seconds=1)
    until(lambda: time.time() > moment.timestamp() + 1.2, "a second past the moment")
    after = replicated(settings, saved(settings, 3, date(2026, 11, 21)))
    config = str(isolated / "plaintes.toml")
    at = moment.strftime("%Y-%m-%d %H:%M:%S")
    then, latest = isolated / "then.db", isolated / "latest.db"
    assert main(["--config", config, "restore", "--from-replica", "--at", at, str(then)]) == 0
    assert "vérifiée" in capsys.readouterr().out
    assert main(["--config", config, "restore", "--from-replica", str(latest)]) == 0
    assert sorted(references(then)) == sorted(before)
    assert sorted(references(latest)) == sorted(before + after)


def test_status_tells_the_lag_and_a_stopped_replication(
    replicating: tuple[Settings, subprocess.Popen[bytes]],
    isolated: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings, replicator = replicating
    config = str(isolated / "plaintes.toml")
    replicated(settings, saved(settings, 1, date(2026, 11, 20)))
    assert main(["--config", config, "status"]) == 0
    assert "dernière synchronisation" in capsys.readouterr().out
    os.killpg(replicator.pid, signal.SIGKILL)
    replicator.wait(timeout=WAIT)
    assert main(["--config", config, "status"]) == 1  # killed: stopped at once
    assert "ARRÊTÉE" in capsys.readouterr().out
    later = datetime.now(settings.zone).timestamp() + 120
    state = read_state(settings, settings.store, datetime.fromtimestamp(later, settings.zone))
    assert state is not None and not state.running


def test_litestream_stops_with_a_replicator_killed(
    replicating: tuple[Settings, subprocess.Popen[bytes]],
) -> None:
    """`plaintes replicate` killed outright (not its process group): its Litestream stops
    too, and never ships alone beside the one the next start runs."""
    _, replicator = replicating
    children = Path(f"/proc/{replicator.pid}/task/{replicator.pid}/children").read_text()
    (litestream,) = (int(pid) for pid in children.split())
    replicator.kill()
    replicator.wait(timeout=WAIT)

    until(lambda: not _alive(litestream), "Litestream stopping after its replicator")


def test_a_replicator_killed_and_not_yet_reaped_is_stopped(isolated: Path) -> None:
    """The state's process gone, or a zombie its parent has not reaped: stopped at once."""
    settings = _with_state(isolated, datetime.now(UTC))
    now = datetime.now(UTC)
    child = subprocess.Popen(["true"])
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # it ended; not reaped yet
    state = json.loads(state_path(settings.store).read_text(encoding="utf-8"))
    state_path(settings.store).write_text(json.dumps({**state, "pid": child.pid}), "utf-8")
    read = read_state(settings, settings.store, now)
    assert read is not None and not read.running
    child.wait()
    read = read_state(settings, settings.store, now)
    assert read is not None and not read.running
    state_path(settings.store).write_text(json.dumps({**state, "pid": os.getpid()}), "utf-8")
    read = read_state(settings, settings.store, now)
    assert read is not None and read.running


def test_without_a_replica_the_commands_say_what_to_set(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_store(isolated).close()
    assert main(["--db", str(isolated / "plaintes.db"), "replicate"]) == 2
    assert "[replication] replica" in capsys.readouterr().err
    assert main(["--db", str(isolated / "plaintes.db"), "status"]) == 0
    assert "non réglée" in capsys.readouterr().out
    assert main(["--db", str(isolated / "plaintes.db"), "restore", str(isolated / "x.db")]) == 2
    assert "restore attend deux chemins" in capsys.readouterr().err
    settings = Settings(replication=ReplicationSettings(replica=str(isolated / "standby")))
    with pytest.raises(UserError, match="n'a pas pu restaurer"):
        restore_from_replica(settings, isolated / "r.db")
    assert not (isolated / "r.db").exists()


def _with_state(isolated: Path, written: datetime | None) -> Settings:
    """A store whose replication is set, its state file as `plaintes replicate` left it (or
    none: it never ran)."""
    store = new_store(isolated)
    store.close()
    settings = Settings(
        store=isolated / "plaintes.db",
        replication=ReplicationSettings(replica=str(isolated / "standby")),
    )
    if written is not None:
        moment = written.isoformat()
        state = {"pid": 1, "written": moment, "last_sync": moment, "behind_since": ""}
        state_path(settings.store).write_text(json.dumps(state), encoding="utf-8")
    return settings


async def test_a_coordinator_is_told_at_start_and_on_the_dashboard(isolated: Path) -> None:
    """Stopped: a warning at start and in red on the dashboard; running: the last sync."""
    from plaintes_tui.domain.access import Actor, Role
    from plaintes_tui.tui.app import PlaintesApp
    from plaintes_tui.tui.screens.dashboard import DashboardScreen
    from tests.pilot import settle
    from tests.screen_text import rendered

    for written, expected in ((None, "ARRÊTÉE"), (datetime.now(UTC), "dernière synchronisation")):
        settings = _with_state(isolated, written)
        store = open_store(settings.store)
        app = PlaintesApp(settings, agent=Actor("emuller", Role.COORDINATOR), store=store)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            told = [n.message for n in app._notifications]
            assert any("ARRÊTÉE" in m for m in told) is (written is None), told
            await pilot.press("d")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            lines = rendered(app.screen.query_one("#dash-summary")).splitlines()
            summary = " ".join(" ".join(line.strip("│╭╮╰╯─ ") for line in lines).split())
            assert expected in summary
        store.close()


def test_the_digest_warns_when_replication_stopped(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _with_state(isolated, None)
    config = isolated / "plaintes.toml"
    config.write_text(
        f'store = "plaintes.db"\n[replication]\nreplica = "{settings.replication.replica}"\n',
        encoding="utf-8",
    )
    assert main(["--config", str(config), "digest"]) == 0
    assert "ARRÊTÉE" in capsys.readouterr().out
