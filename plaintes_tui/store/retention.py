"""Keeping personal data no longer than needed: anonymising old cases, deleting old drafts.

A person is anonymised once every one of their cases has been closed for longer than the
retention period (one case still open, or closed recently, keeps them all). Their name,
contact details, NISS and address go, with the free text of their cases (subject, description,
reasons, the journal's notes, letters' files); dates, channel, category, decisions, outcomes,
clocks and agents stay, so the yearly figures do not move.

Each batch of persons is one transaction, so a run can be interrupted and run again. Removed
text must leave no trace in the file: the connection writes with ``secure_delete`` (freed
space is overwritten with zeros), the full-text index is merged into one segment (its old
segments still held the words) and the WAL is checkpointed and truncated.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from plaintes_tui.domain.access import Actor
from plaintes_tui.domain.cases import ACTION_REDACTED
from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.case_writer import check_actor, write_cases
from plaintes_tui.store.database import Store
from plaintes_tui.store.housekeeping import recalled, remember
from plaintes_tui.store.person_file import EXPORT_PREFIX
from plaintes_tui.store.search_index import INDEX_IN_BULK, put_back, taken_out

BATCH = 200
# Journal values kept when an entry is redacted: dates and codes, which hold nobody's words.
KEPT_IN_JOURNAL = frozenset(
    {
        "channel",
        "received",
        "received_time",
        "language",
        "category",
        "urgent",
        "anonymous",
        "status",
        "admissibility",
        "assigned_to",
        "acknowledgement_due",
        "acknowledgement_sent",
        "acknowledgement_means",
        "reply_due_original",
        "reply_due",
        "reply_sent",
        "outcome",
        "network_category",
        "closed_at",
        "ombudsman_referred",
        "service",
        # the Ombudsman's file: its figures' dates and codes (their reference and words go)
        "ombudsman_due",
        "ombudsman_conclusion",
        "ombudsman_concluded",
        "ombudsman_request",
        "ombudsman_answer",
        "letter",
        "answers",  # the checklist's answers, as codes
        "paused_late",
        "merged_from",
        "unmerged",
        "complainant_id",
    }
)
_DIRTY_INDEX = "search_index_holds_removed_text"

# A case still counts as recent when it was closed after the cutoff, or is open and was
# changed after the inactivity cutoff: an open case nobody has touched since (waiting for
# details that never came, never answered) ends its retention at its last change.
_RECENT = "(closed_at >= :cutoff OR (closed_at IS NULL AND updated_at >= :inactive))"
_CANDIDATES = (
    "SELECT p.id FROM complainants AS p WHERE p.anonymised_at IS NULL AND p.id > :last "
    "AND EXISTS (SELECT 1 FROM cases WHERE complainant_id = p.id) "
    f"AND NOT EXISTS (SELECT 1 FROM cases WHERE complainant_id = p.id AND {_RECENT}) "
    "ORDER BY p.id LIMIT :limit"
)


@dataclass
class RetentionRun:
    """What a run did (or, dry, would do)."""

    cutoff: date  # cases closed before this day are past the period
    inactive_since: date  # so are open cases untouched since before this day
    persons: int = 0
    cases: int = 0
    letter_files: int = 0
    drafts: int = 0
    exports: int = 0  # persons' files made on request, deleted once old
    accesses: int = 0  # consultations older than the access log is kept, deleted
    kept_open: int = 0  # persons with a case past the period, kept for a case still open
    inactive_closed: int = 0  # open cases untouched past the period: closed as anonymised
    index_cleaned: bool = False
    wal_truncated: bool = True

    def as_json(self) -> dict[str, object]:
        return {
            "cutoff": self.cutoff.isoformat(),
            "persons": self.persons,
            "cases": self.cases,
            "letter_files": self.letter_files,
            "drafts": self.drafts,
            "exports": self.exports,
            "accesses": self.accesses,
            "kept_open": self.kept_open,
            "inactive_closed": self.inactive_closed,
            "inactive_since": self.inactive_since.isoformat(),
            "index_cleaned": self.index_cleaned,
            "wal_truncated": self.wal_truncated,
        }


def cutoff_for(today: date, years: int) -> date:
    """Cases closed before this day are past the retention period."""
    return today - relativedelta(years=years)


def _kept_open(connection: sqlite3.Connection, limits: dict[str, object]) -> int:
    """Persons with a case past the period kept for a recent one. One pass over the cases
    (NOT INDEXED: read in order of the complainant's index, the rows are fetched one by one
    from all over the table, twice as long at a million cases)."""
    (count,) = connection.execute(
        "SELECT count(*) FROM (SELECT complainant_id FROM cases NOT INDEXED "
        f"GROUP BY complainant_id HAVING max(closed_at < :cutoff) AND max({_RECENT})) AS kept "
        "JOIN complainants AS p ON p.id = kept.complainant_id WHERE p.anonymised_at IS NULL",
        limits,
    ).fetchone()
    return int(count)


def _limits(today: date, years: int, inactive_years: int | None) -> dict[str, object]:
    """The two cutoffs: closed before ``cutoff``, or open and untouched before ``inactive``."""
    inactive = cutoff_for(today, inactive_years if inactive_years is not None else years)
    return {"cutoff": cutoff_for(today, years).isoformat(), "inactive": inactive.isoformat()}


def _with_merged(connection: sqlite3.Connection, ids: list[int]) -> set[int]:
    """The persons' numbers and those of every record merged into them: an export made of a
    record before it was merged away is that person's data too."""
    marks = ", ".join("?" * len(ids))
    merged = connection.execute(
        "SELECT json_extract(journal.changes, '$.merged_from[0]') FROM journal "
        "JOIN cases ON cases.id = journal.case_id "
        f"WHERE journal.action = ? AND cases.complainant_id IN ({marks})",
        (Move.MERGE.value, *ids),
    )
    return {*ids, *(int(row[0]) for row in merged if row[0] is not None)}


def _old_drafts(now: datetime, days: int) -> str:
    return (now.date() - timedelta(days=days)).isoformat()


def plan(
    store: Store,
    *,
    today: date,
    now: datetime,
    years: int,
    draft_days: int,
    inactive_years: int | None = None,
) -> RetentionRun:
    """What ``apply`` would do today, without writing anything."""
    limits = _limits(today, years, inactive_years)
    connection = store.connection
    run = RetentionRun(
        cutoff_for(today, years),
        kept_open=_kept_open(connection, limits),
        inactive_since=date.fromisoformat(str(limits["inactive"])),
    )
    last = 0
    while rows := connection.execute(
        _CANDIDATES, {**limits, "last": last, "limit": 5000}
    ).fetchall():
        last = rows[-1][0]
        ids = [row[0] for row in rows]
        marks = ", ".join("?" for _ in ids)
        (cases, pdfs, emls, inactive) = connection.execute(
            f"SELECT count(DISTINCT cases.id), count(letters.pdf), count(letters.eml), "
            f"count(DISTINCT CASE WHEN cases.closed_at IS NULL THEN cases.id END) FROM cases "
            f"LEFT JOIN letters ON letters.case_id = cases.id WHERE complainant_id IN ({marks})",
            ids,
        ).fetchone()
        run.persons += len(ids)
        run.cases += cases
        run.inactive_closed += inactive
        run.letter_files += pdfs + emls
    (run.drafts,) = connection.execute(
        "SELECT (SELECT count(*) FROM drafts WHERE updated_at < ?1) "
        "+ (SELECT count(*) FROM dialog_drafts WHERE updated_at < ?1)",
        (_old_drafts(now, draft_days),),
    ).fetchone()
    return run


def apply(
    store: Store,
    *,
    today: date,
    now: datetime,
    years: int,
    draft_days: int,
    actor: Actor,
    exports: Path | None = None,
    after_batch: Callable[[RetentionRun], None] | None = None,
    batch: int = BATCH,
    access_years: int | None = None,
    inactive_years: int | None = None,
) -> RetentionRun:
    """Anonymise every person past the retention period and delete old drafts; in
    ``exports`` (the folder of persons' files made on request), delete the files of the
    persons anonymised and any older than the drafts. The log of who consulted whose data
    keeps ``access_years`` (the NISS a search was for is blanked with the person).

    ``after_batch`` is told after each committed batch (a progress bar). Interrupted, a run
    leaves whole batches done and the rest for the next run, which also finishes cleaning the
    full-text index if the interrupted one had not.
    """
    check_actor(actor, Move.ANONYMISE)
    limits = _limits(today, years, inactive_years)
    connection = store.connection
    connection.execute("PRAGMA secure_delete = ON")  # this connection's freed space is zeroed
    run = RetentionRun(
        cutoff_for(today, years),
        kept_open=_kept_open(connection, limits),
        inactive_since=date.fromisoformat(str(limits["inactive"])),
    )
    with _checkpoints_spaced(connection):
        _anonymise_all(
            store,
            limits,
            run,
            actor=actor,
            now=now,
            exports=exports,
            batch=batch,
            after_batch=after_batch,
        )
    with store.write() as connection:
        run.drafts = sum(
            connection.execute(
                f"DELETE FROM {table} WHERE updated_at < ?", (_old_drafts(now, draft_days),)
            ).rowcount
            for table in ("drafts", "dialog_drafts")
        )
        # E-mails set aside (not a complaint, spam) or unreadable: kept as long as drafts.
        _forget_mail(
            connection,
            "state IN ('dismissed', 'quarantined') AND imported_at < ?",
            [_old_drafts(now, draft_days)],
            run,
        )
        if access_years is not None:
            run.accesses = connection.execute(
                "DELETE FROM access_log WHERE at < ?",
                (cutoff_for(today, access_years).isoformat(),),
            ).rowcount
    if exports is not None:
        run.exports = _remove_old_exports(exports, now, draft_days)
    run.index_cleaned = clean_search_index(store)
    (busy, _, _) = store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    run.wal_truncated = not busy
    return run


# Pages the WAL may hold before a retention run's commit copies them into the store (the
# default is 1,000): a batch writes about 1,500 pages, spread over the file, and each copy
# ends by flushing the store to disk. Spaced out, a page written by several batches is
# copied once, and the run flushes a few dozen times instead of once a batch.
_RUN_CHECKPOINT_PAGES = 20_000


@contextmanager
def _checkpoints_spaced(connection: sqlite3.Connection) -> Iterator[None]:
    """This connection's automatic checkpoints spaced out while the block runs."""
    (pages,) = connection.execute("PRAGMA wal_autocheckpoint").fetchone()
    connection.execute(f"PRAGMA wal_autocheckpoint = {_RUN_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")


def _anonymise_all(
    store: Store,
    limits: dict[str, object],
    run: RetentionRun,
    *,
    actor: Actor,
    now: datetime,
    exports: Path | None,
    batch: int,
    after_batch: Callable[[RetentionRun], None] | None,
) -> None:
    """Anonymise every person past the period, ``batch`` persons a transaction."""
    last = 0
    while True:
        with store.write() as connection:
            ids = [
                row[0]
                for row in connection.execute(_CANDIDATES, {**limits, "last": last, "limit": batch})
            ]
            if not ids:
                break
            last = ids[-1]
            records = _with_merged(connection, ids)  # read before the journal is redacted
            with _index_kept_here(connection, ids):
                _anonymise(connection, ids, run, actor=actor, now=now)
            if exports is not None:
                for person_id in records:
                    for folder in exports.glob(f"{EXPORT_PREFIX}{person_id}-*"):
                        shutil.rmtree(folder)
            remember(connection, _DIRTY_INDEX, now.isoformat(timespec="seconds"))
        if after_batch is not None:
            after_batch(run)


def _remove_old_exports(exports: Path, now: datetime, days: int) -> int:
    oldest = (now - timedelta(days=days)).timestamp()
    removed = 0
    for folder in exports.glob(f"{EXPORT_PREFIX}*"):
        if folder.is_dir() and folder.stat().st_mtime < oldest:
            shutil.rmtree(folder)
            removed += 1
    return removed


def _forget_mail(
    connection: sqlite3.Connection, where: str, parameters: list[Any], run: RetentionRun
) -> None:
    """Blank the e-mails ``where`` selects and delete their files (the row, counted, stays)."""
    folders = connection.execute(
        "UPDATE mail_messages SET sender_name = '', sender_email = '', subject = '', body = '', "
        "attachments = '[]', note = '', source = '', scan = iif(scan IS NULL, NULL, '{}') "
        f"WHERE {where} AND folder != '' RETURNING folder",
        parameters,
    ).fetchall()
    connection.execute(f"UPDATE mail_messages SET folder = '' WHERE {where}", parameters)
    for (folder,) in folders:
        path = Path(folder)
        if path.is_dir():
            run.letter_files += sum(1 for p in path.iterdir() if p.is_file())
            shutil.rmtree(path)


def clean_search_index(store: Store) -> bool:
    """Merge the full-text indexes into one segment each when anonymised words may still sit
    in their older segments (a deleted row is only marked deleted); True when it did."""
    with store.write() as connection:
        if recalled(connection, _DIRTY_INDEX) is None:
            return False
        connection.execute("INSERT INTO cases_search (cases_search) VALUES ('optimize')")
        connection.execute("INSERT INTO scans_search (scans_search) VALUES ('optimize')")
        connection.execute("DELETE FROM housekeeping WHERE name = ?", (_DIRTY_INDEX,))
    return True


# A journal entry's changes with the values of free-text and personal fields removed (the
# field's name stays: the journal still says what changed, not to what).
_REDACT_JOURNAL = (
    "UPDATE journal SET note = '', redacted = ?, changes = (SELECT coalesce(json_group_object("
    "key, CASE WHEN key IN (SELECT value FROM json_each(?)) THEN json(value) "
    "ELSE json('[null, null]') END), '{{}}') FROM json_each(journal.changes)) "
    "WHERE case_id IN ({cases}) AND redacted IS NULL"
)


@contextmanager
def _index_kept_here(connection: sqlite3.Connection, persons: list[int]) -> Iterator[None]:
    """The persons' cases out of the full-text index once, in order, the index's triggers
    standing aside while the block changes them, and back in as it left them (schema 26)."""
    where = f"cases.complainant_id IN ({', '.join('?' for _ in persons)})"
    remember(connection, INDEX_IN_BULK, "retention")
    connection.execute(taken_out(where), persons)
    yield
    connection.execute(put_back(where), persons)
    connection.execute("DELETE FROM housekeeping WHERE name = ?", (INDEX_IN_BULK,))


def _anonymise(
    connection: sqlite3.Connection,
    persons: list[int],
    run: RetentionRun,
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """Anonymise these persons and their cases, in the caller's transaction."""
    stamp = now.isoformat(timespec="seconds")
    marks = ", ".join("?" for _ in persons)
    connection.execute(  # who consulted them stays; the NISS they were searched by goes
        f"UPDATE access_log SET detail = '' WHERE complainant_id IN ({marks})", persons
    )
    connection.execute(
        "UPDATE complainants SET last_name = '', first_name = '', phone = NULL, email = NULL, "
        "street = NULL, postal_code = NULL, town = NULL, country = NULL, niss = NULL, "
        f"anonymised_at = ? WHERE id IN ({marks})",
        (stamp, *persons),
    )
    ids = [
        row[0]
        for row in connection.execute(
            f"SELECT id FROM cases WHERE complainant_id IN ({marks}) ORDER BY id", persons
        )
    ]
    in_cases = ", ".join("?" for _ in ids)
    connection.execute(
        _REDACT_JOURNAL.format(cases=in_cases), (stamp, json.dumps(sorted(KEPT_IN_JOURNAL)), *ids)
    )
    connection.execute(f"UPDATE reply_pauses SET reason = '' WHERE case_id IN ({in_cases})", ids)
    connection.execute(f"DELETE FROM dialog_drafts WHERE case_id IN ({in_cases})", ids)
    files = connection.execute(
        f"UPDATE letters SET recipient = NULL, error = NULL WHERE case_id IN ({in_cases}) "
        "RETURNING pdf, eml",
        ids,
    ).fetchall()
    for name in (name for pair in files for name in pair if name):
        path = Path(name)
        if path.is_file():
            path.unlink()
            run.letter_files += 1
        if path.parent.is_dir() and not any(path.parent.iterdir()):
            path.parent.rmdir()
    _forget_mail(connection, f"case_id IN ({in_cases})", ids, run)
    (inactive,) = connection.execute(
        f"SELECT count(*) FROM cases WHERE complainant_id IN ({marks}) AND closed_at IS NULL",
        persons,
    ).fetchone()
    run.inactive_closed += int(inactive)
    write_cases(  # last: each journal row states the case as anonymised
        connection,
        actor=actor,
        move=Move.ANONYMISE,
        where=f"complainant_id IN ({marks})",
        parameters=persons,
        now=now,
        values={"subject": "", "description": "", "anonymised_at": stamp},
        computed={
            "admissibility_reason": (
                "CASE WHEN admissibility_reason IS NULL THEN NULL ELSE '' END",
                (),
            ),
            "improvement_action": (
                "CASE WHEN coalesce(improvement_action, '') = '' THEN improvement_action "
                "ELSE ? END",
                (ACTION_REDACTED,),
            ),
            # the report counts the conclusions that came with a recommendation
            "ombudsman_recommendation": (
                "CASE WHEN coalesce(ombudsman_recommendation, '') = '' "
                "THEN ombudsman_recommendation ELSE ? END",
                (ACTION_REDACTED,),
            ),
            "ombudsman_reference": ("NULL", ()),
            # An open case left untouched past the period ends here: closed, no clock runs.
            "status": ("CASE WHEN closed_at IS NULL THEN ? ELSE status END", ("closed",)),
            "closed_at": ("coalesce(closed_at, ?)", (now.date().isoformat(),)),
            "next_due": ("CASE WHEN closed_at IS NULL THEN NULL ELSE next_due END", ()),
        },
    )
    connection.execute(  # allowed by its trigger once the case is anonymised (just above)
        "UPDATE ombudsman_requests SET asked = '', answer_summary = '' "
        f"WHERE case_id IN ({in_cases})",
        ids,
    )
    run.persons += len(persons)
    run.cases += len(ids)
