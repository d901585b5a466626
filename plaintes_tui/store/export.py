"""Streaming every case out as JSON or CSV, without personal data, a row at a time."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from plaintes_tui.store.database import Store

EXPORT_COLUMNS = (
    "reference",
    "channel",
    "received",
    "logged_at",
    "logged_by",
    "language",
    "category",
    "service",
    "urgent",
    "status",
    "admissibility",
    "admissibility_reason",
    "assigned_to",
    "acknowledgement_due",
    "acknowledgement_sent",
    "acknowledgement_means",
    "reply_due",
    "reply_due_original",
    "reply_sent",
    "outcome",
    "network_category",
    "improvement_action",
    "closed_at",
    "ombudsman_referred",
    "ombudsman_concluded",
    "ombudsman_conclusion",
)
# Beside the case's columns: the references of the improvement actions it led to (";"-joined).
LINKED = (
    "(SELECT group_concat(reference, ';') FROM (SELECT i.reference FROM improvement_cases AS l "
    "JOIN improvements AS i ON i.id = l.improvement_id WHERE l.case_id = cases.id "
    "ORDER BY i.reference))"
)
COLUMNS = (*EXPORT_COLUMNS, "improvements")


def iter_export_rows(store: Store) -> Iterator[dict[str, Any]]:
    cursor = store.connection.execute(
        f"SELECT {', '.join(EXPORT_COLUMNS)}, {LINKED} FROM cases ORDER BY id"
    )
    for values in cursor:
        row = dict(zip(COLUMNS, values, strict=True))
        row["improvements"] = row["improvements"] or ""
        row["urgent"] = bool(row["urgent"])
        # Whether the case led to an improvement action, not its words (free text may name
        # someone); the yearly report lists the actions.
        row["improvement_action"] = bool(row["improvement_action"])
        yield row


def write_json(store: Store, out: TextIO) -> None:
    out.write("[")
    separator = "\n"
    for row in iter_export_rows(store):
        out.write(separator)
        out.write(json.dumps(row, ensure_ascii=False))
        separator = ",\n"
    out.write("\n]\n")


# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula, prefixed with ' so it shows as typed."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(store: Store, out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in iter_export_rows(store):
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
