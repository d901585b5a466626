"""Turning what an agent types into a full-text query over the ``cases_search`` index, and
over ``scans_search`` (what the scanned letters of a case say).

Each word matches as a prefix, accents folded by the index (``Hélène`` finds ``Helene`` and
back); a phone number typed any Belgian way matches the stored E.164 number, and a number
alone (``00958``) also the references that hold it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from plaintes_tui.domain.validation import phone_search_digits

if TYPE_CHECKING:
    from plaintes_tui.store.database import Store


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(text: str) -> str:
    """An FTS5 MATCH expression for ``text``, or "" when there is nothing to search."""
    text = text.strip()
    if not text:
        return ""
    digits = phone_search_digits(text)
    if digits and text.isdigit():  # "00958": a reference's number as well as a phone's start
        return f"(phone : {_quoted(digits)}*) OR {_quoted(text)}*"
    if digits:
        return f"phone : {_quoted(digits)}*"
    terms = [term for term in re.split(r"\s+", text) if re.search(r"\w", term)]
    return " AND ".join(f"{_quoted(term)}*" for term in terms)


def scan_match_expression(text: str) -> str:
    """The same words over the scanned letters' text: a phone number is looked for in the
    cases' own phones only (a letter's digits are not stored as a number)."""
    text = text.strip()
    if not text or (phone_search_digits(text) and not text.isdigit()):
        return ""
    terms = [term for term in re.split(r"\s+", text) if re.search(r"\w", term)]
    return " AND ".join(f"{_quoted(term)}*" for term in terms)


# The cases a search finds by their own fields; or by those, or what a scanned letter says.
_BY_FIELDS = "SELECT rowid FROM cases_search WHERE cases_search MATCH ?"
_BY_FIELDS_OR_LETTERS = (
    f"{_BY_FIELDS} UNION SELECT case_id FROM mail_messages WHERE case_id IS NOT NULL AND id IN "
    "(SELECT rowid FROM scans_search WHERE scans_search MATCH ?)"
)


def found_clause(text: str) -> tuple[str, list[str]]:
    """``cases.id IN (…)`` for the cases a search finds, and its parameters; ("", []) when
    there is nothing to search."""
    expression, in_scans = match_expression(text), scan_match_expression(text)
    if expression and in_scans:
        return f"cases.id IN ({_BY_FIELDS_OR_LETTERS})", [expression, in_scans]
    if expression:
        return f"cases.id IN ({_BY_FIELDS})", [expression]
    return "", []


def closed_matching(store: Store, text: str, shown: int = 3) -> tuple[int, list[str]]:
    """The closed cases (no clock left) a search also finds, which the queue of open cases
    does not list: how many, and the references of the latest ``shown``."""
    clause, params = found_clause(text)
    if not clause:
        return 0, []
    where = f"cases.next_due IS NULL AND {clause}"
    connection = store.connection
    (count,) = connection.execute(f"SELECT count(*) FROM cases WHERE {where}", params).fetchone()
    latest = connection.execute(
        f"SELECT reference FROM cases WHERE {where} ORDER BY received DESC, id DESC LIMIT ?",
        [*params, shown],
    ).fetchall()
    return int(count), [str(row[0]) for row in latest]
