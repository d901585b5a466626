"""`python -m bench [NAME ...]`: run every benchmark, or the ones named."""

from __future__ import annotations

import sys

from bench import (
    deadlines,
    intake,
    integrity,
    keystrokes,
    load,
    mail,
    queue_screen,
    replication,
    report,
    retention,
    scan,
    scan_tray,
    startup,
    store,
)

BENCHMARKS = {
    "startup": startup.main,
    "deadlines": deadlines.main,
    "store": store.main,
    "queue": queue_screen.main,
    "intake": intake.main,
    "keystrokes": keystrokes.main,
    "report": report.main,
    "load": load.main,
    "retention": retention.main,
    "mail": mail.main,
    "scan": scan.main,
    "scan-tray": scan_tray.main,
    "integrity": integrity.main,
    "replication": replication.main,
}


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    print("# plaintes-tui benchmarks (ratios compare figures measured in this same run)")
    for name in names or list(BENCHMARKS):
        BENCHMARKS[name]()
    return 0


raise SystemExit(main(sys.argv[1:]))
