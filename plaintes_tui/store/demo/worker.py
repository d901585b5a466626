"""The drawing process: ``python -m plaintes_tui.store.demo.worker``.

While the store's own process writes, this one draws cases and writes them, as stored rows,
into chunk files the store's process copies from (SQLite does that copy in C, with no Python
value in between), with their journal rows digested (``journal_bulk``): the store's process
only chains them in. It reads what to draw and the chunks to fill, pickled, on its standard
input, and prints each chunk's number when that chunk is complete.

A plain child process rather than ``multiprocessing``: nothing of the parent (its open
transaction, its main module) is carried over or run again.
"""

from __future__ import annotations

import pickle
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, BinaryIO, TextIO

from plaintes_tui.store.demo.draws import Plan, cases_batch, set_plan
from plaintes_tui.store.demo.expand import load_cases, staging
from plaintes_tui.store.demo.history import journal_rows, moves_table
from plaintes_tui.store.demo.vocabulary import DEMO_NOTE
from plaintes_tui.store.journal_bulk import digest_rows, digesting

# The table of a chunk file that holds its journal rows, digested (``STAGING_TABLE``).
STAGED = "journal_bulk"


@dataclass(frozen=True)
class Chunk:
    """A file to fill with cases of batches ``first_batch`` to ``end_batch`` (excluded)."""

    path: Path
    first_batch: int
    end_batch: int


@dataclass(frozen=True)
class Drawing:
    """What to draw, who loads it, and the file of the complainants (the cases' states cover
    them): the store's process fills it while this one draws the first cases."""

    plan: Plan
    agent: str
    people: Path | None  # none when this process draws nothing


# What the store's process writes once the complainants' file is complete.
PEOPLE_READY = b"people\n"


def serve(source: BinaryIO, sink: TextIO) -> None:
    drawing, chunks = pickle.load(source)
    plan = drawing.plan
    set_plan(plan)
    connection = sqlite3.connect(":memory:", isolation_level=None)
    with (
        closing(connection),
        staging(connection, plan),
        moves_table(connection),
        digesting(connection),
    ):
        for number, chunk in enumerate(chunks):
            connection.execute("ATTACH ? AS chunk", (str(chunk.path),))
            connection.execute("PRAGMA chunk.journal_mode = OFF")
            connection.execute("PRAGMA chunk.synchronous = OFF")
            with _transaction(connection):
                for index in range(chunk.first_batch, chunk.end_batch):
                    load_cases(connection, cases_batch(index), agent=drawing.agent, schema="chunk")
            if not number:
                assert drawing.people is not None, "a drawing process reads the complainants"
                _attach_people(connection, drawing.people, source)
            first, last = plan.case_ids(chunk.first_batch, chunk.end_batch)
            span = {"agent": drawing.agent, "note": DEMO_NOTE, "first": first, "last": last}
            with _transaction(connection):
                rows = journal_rows("chunk.cases", "people.complainants")
                digest_rows(connection, rows, span, into=f"chunk.{STAGED}")
            connection.execute("DETACH chunk")
            print(number, file=sink, flush=True)


def _attach_people(connection: sqlite3.Connection, path: Path, source: BinaryIO) -> None:
    """Wait for the complainants' file, then read it as ``people``."""
    told = source.readline()
    if told != PEOPLE_READY:
        raise WorkerError(f"the complainants were not drawn ({told!r})")
    connection.execute("ATTACH ? AS people", (str(path),))


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    connection.execute("BEGIN")
    yield
    connection.execute("COMMIT")


class WorkerError(RuntimeError):
    """The drawing process stopped before filling every chunk."""


def command() -> list[str]:
    return [sys.executable, "-m", __name__]


@contextmanager
def drawing_process(
    drawing: Drawing, chunks: list[Chunk]
) -> Iterator[tuple[Iterator[int], Callable[[], None]]]:
    """Start a drawing process; yield the chunks' numbers, in order, as each is complete, and
    what to call once the complainants' file is complete."""
    process = subprocess.Popen(
        command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None
    try:
        with suppress(BrokenPipeError):  # it died first: _completed says why
            pickle.dump((drawing, chunks), process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.flush()
        yield _completed(process, len(chunks)), partial(_people_ready, process.stdin)
    finally:
        process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream:
                with suppress(BrokenPipeError):
                    stream.close()


def _people_ready(stdin: IO[bytes]) -> None:
    with suppress(BrokenPipeError):  # it died first: _completed says why
        stdin.write(PEOPLE_READY)
        stdin.close()


def _completed(process: subprocess.Popen[bytes], count: int) -> Iterator[int]:
    assert process.stdout is not None and process.stderr is not None
    for expected in range(count):
        line = process.stdout.readline()
        if line.strip() != str(expected).encode():
            process.wait()
            detail = process.stderr.read().decode(errors="replace").strip().splitlines()
            raise WorkerError(detail[-1] if detail else f"exit {process.returncode}")
        yield expected


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout)
