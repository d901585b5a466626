"""Replication to a standby (Litestream, a folder replica): the agents' writes with and without
it, how far behind the replica is at their write rate, and a million-case store restored from
the replica."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from pathlib import Path

from bench import load
from bench.harness import fmt, heading, percentile, row
from bench.stores import TODAY, demo_store, scratch
from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.cases import Category, Channel
from plaintes_tui.replication import position, replica_of, restore_from_replica
from plaintes_tui.settings import Settings, load_settings
from plaintes_tui.store.cases import CaseInput, ComplainantInput, create_case
from plaintes_tui.store.database import open_store


def _settings(store: Path, name: str) -> Settings:
    folder = scratch(name)
    folder.mkdir(exist_ok=True)
    config = folder / "plaintes.toml"
    config.write_text(
        f'store = "{store}"\noutput = "{folder / "output"}"\n'
        f'[replication]\nreplica = "{folder / "standby"}"\nsync_seconds = 1\n',
        encoding="utf-8",
    )
    return load_settings(config)


# The README's unit runs `plaintes replicate` with Nice=-5: replication is scheduled ahead of
# the agents' sessions. The follower stands for the standby, another machine: ahead too.
NICE = -5


def _ahead() -> None:
    if os.geteuid() == 0:
        os.nice(NICE)


@contextmanager
def replicating(settings: Settings) -> Iterator[None]:
    """`plaintes replicate` on the settings' store, until the block ends; the replica holds
    the whole store before the block starts."""
    assert settings.source is not None
    process = subprocess.Popen(
        [sys.executable, "-m", "plaintes_tui", "--config", str(settings.source), "replicate"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        preexec_fn=_ahead,
    )
    try:
        deadline = time.monotonic() + 1800
        while position(settings.store, replica_of(settings)) is None:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the replica never received the store")
            time.sleep(0.1)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=120)


class Probe:
    """A case saved every 100 ms through the door; a follower restored continuously from the
    replica (`litestream restore -f`, every 20 ms) tells when each reached the standby."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.saved: dict[str, float] = {}
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()

    def lags(self) -> list[float]:
        return [self.seen[ref] - at for ref, at in self.saved.items() if ref in self.seen]

    @contextmanager
    def running(self) -> Iterator[None]:
        follower = scratch("follower.db")
        for leftover in (follower, Path(f"{follower}-txid")):  # an earlier run's
            leftover.unlink(missing_ok=True)
        binary = str(Path(sys.executable).parent / "litestream")
        command = [binary, "restore", "-f", "-follow-interval", "20ms", "-o", str(follower)]
        process = subprocess.Popen(
            [*command, replica_of(self.settings).url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_ahead,
        )
        threads = [threading.Thread(target=self._write), threading.Thread(target=self._watch)]
        for thread in threads:
            thread.start()
        try:
            yield
        finally:
            time.sleep(3)  # the last probes reach the follower
            self.stop.set()
            for thread in threads:
                thread.join()
            process.terminate()
            process.wait(timeout=60)

    def _write(self) -> None:
        store = open_store(self.settings.store)
        while not self.stop.is_set():
            reference = create_case(
                store,
                ComplainantInput(last_name="Sonde", first_name="Réplique"),
                CaseInput(Channel.PHONE, TODAY, Category.SLOW_REACTION, "Sonde"),
                actor=Actor("sonde"),
                now=load.NOW,
                calculator=load.CALCULATOR,
            )["reference"]
            self.saved[reference] = time.time()
            time.sleep(0.1)
        store.close()

    def _watch(self) -> None:
        follower = scratch("follower.db")
        while not self.stop.is_set():
            if follower.exists():
                try:
                    with closing(sqlite3.connect(f"file:{follower}?mode=ro", uri=True)) as db:
                        for (reference,) in db.execute(
                            "SELECT reference FROM cases WHERE logged_by = 'sonde'"
                        ):
                            self.seen.setdefault(reference, time.time())
                except sqlite3.Error:
                    pass  # the follower being written: read at the next look
            time.sleep(0.01)


def _load(replicated: bool, *, probed: bool = False) -> tuple[list[float], list[float]]:
    """The agents' work on a store of their shared cases, replicated or not: the latency of
    each write, and (``probed``) the lag of each probe."""
    template = scratch("replication-template.db")
    if not template.exists():
        load._prepare(template)
    name = "probed" if probed else "replicated" if replicated else "alone"
    path = scratch(f"load-{name}.db")
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):  # an earlier run's
        leftover.unlink(missing_ok=True)
    shutil.rmtree(path.with_name(f".{path.name}-litestream"), ignore_errors=True)
    shutil.copy(template, path)
    if not replicated:
        _, tally, _ = load.run(load.AGENTS, path, path.name, copy=False)
        return tally.latencies, []
    settings = _settings(path, f"replication-{name}")
    probe = Probe(settings)
    with replicating(settings), probe.running() if probed else nullcontext():
        _, tally, _ = load.run(load.AGENTS, path, path.name, copy=False)
    return tally.latencies, probe.lags()


ROUNDS = 3


def main() -> None:
    heading(
        f"Replication: {load.AGENTS} agents × {load.OPERATIONS} actions, folder replica, 1 s "
        f"(best of {ROUNDS}, taken in turns)"
    )
    alone = replicated = float("inf")
    for _ in range(ROUNDS):  # a machine busy for a while slows both alike
        alone = min(alone, percentile(_load(False)[0], 99))
        replicated = min(replicated, percentile(_load(True)[0], 99))
    row("agents' write p99, no replication (baseline)", alone)
    row("agents' write p99, replicated (goal: 1.2×)", replicated, alone, 1.2)
    # The lag, in a run of its own: the standby's stand-in (a follower restoring from the
    # replica every 20 ms) is another machine in a service; here it takes this one's cores.
    writes, lags = _load(True, probed=True)
    row(
        "agents' write p99, replicated, the standby's stand-in on this machine",
        percentile(writes, 99),
    )
    if lags:
        p99 = percentile(lags, 99)
        print(
            f"  replica lag at that rate, {len(lags)} probes (a case saved every 100 ms; the "
            f"standby looked at every 20 ms; replication at nice {NICE}, as the README's "
            f"unit): p50 {fmt(percentile(lags, 50))}, p99 {fmt(p99)}"
            f"  {'ok' if p99 <= 1.0 else 'OVER LIMIT 1 s'}",
            flush=True,
        )
    heading("Replication: a 1,000,000-case store restored from the replica")
    path, _ = demo_store(1_000_000)
    settings = _settings(path, "replication-million")
    with replicating(settings):
        pass  # the replica holds the whole store
    began = time.perf_counter()
    shutil.copy(path, scratch("copied-million.db"))
    row("copying the store's file (baseline)", time.perf_counter() - began)
    began = time.perf_counter()
    done = restore_from_replica(settings, scratch("restored-million.db"))
    restored = time.perf_counter() - began
    assert done.verification.ok, done.verification.problems
    row("restore --from-replica, checked whole", restored)
    print(f"  goal 60 s: {'ok' if restored <= 60 else 'OVER LIMIT'} ({done.cases:,} cases)")
