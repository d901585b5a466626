"""`plaintes report` for a year of a million-case store, beside the plainest aggregate."""

from __future__ import annotations

from bench.harness import best_of, heading, row
from bench.stores import TODAY, demo_store
from plaintes_tui.store.database import open_store
from plaintes_tui.store.report import Period, build_report


def main() -> None:
    path, _ = demo_store(1_000_000)
    store = open_store(path, create=True)
    period = Period.year(TODAY.year)
    heading("Report: the yearly figures at 1,000,000 cases")

    def plain() -> None:
        store.connection.execute(
            "SELECT channel, count(*) FROM cases WHERE received BETWEEN ? AND ? GROUP BY channel",
            period.params,
        ).fetchall()

    baseline = best_of(plain, repeat=3)
    row("SELECT count(*) … GROUP BY channel for the year (baseline)", baseline)
    row(
        "plaintes report --year, = the dashboard's read (goal: 3×)",
        best_of(lambda: build_report(store, period, TODAY), 3),
        baseline,
        limit=3,
    )
    store.close()
