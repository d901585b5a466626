"""The drawing process: ``python -m plaintes_tui.store.demo.worker``.

Reads a plan and a list of jobs (which batches to draw, in order) pickled on its standard
input, and writes each batch's rows, pickled, on its standard output as soon as it is drawn.
A plain child process rather than ``multiprocessing``: nothing of the parent (its open
transaction, its main module) is carried over or run again.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from plaintes_tui.store.demo.draws import Plan, cases_batch, people_batch, set_plan

BATCHES: dict[str, Callable[[int], list[tuple[object, ...]]]] = {
    "people": people_batch,
    "cases": cases_batch,
}


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    plan, jobs = pickle.load(source)
    set_plan(plan)
    for name, count in jobs:
        for index in range(count):
            pickle.dump(BATCHES[name](index), sink, protocol=pickle.HIGHEST_PROTOCOL)
            sink.flush()


class WorkerError(RuntimeError):
    """The drawing process stopped before giving every batch."""


def command() -> list[str]:
    return [sys.executable, "-m", __name__]


@contextmanager
def drawing_process(
    plan: Plan, jobs: list[tuple[str, int]]
) -> Iterator[Iterator[list[tuple[object, ...]]]]:
    """Start a drawing process for ``jobs``; yield its batches, in order, as they come."""

    process = subprocess.Popen(
        command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        pickle.dump((plan, jobs), process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        process.stdin.close()
        yield _batches(process, sum(count for _, count in jobs))
    finally:
        process.kill()
        process.wait()
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()


def _batches(process: subprocess.Popen[bytes], count: int) -> Iterator[list[tuple[object, ...]]]:
    assert process.stdout is not None and process.stderr is not None
    for _ in range(count):
        try:
            yield pickle.load(process.stdout)
        except EOFError:
            process.wait()
            detail = process.stderr.read().decode(errors="replace").strip().splitlines()
            raise WorkerError(detail[-1] if detail else f"exit {process.returncode}") from None


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
