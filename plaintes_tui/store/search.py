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


def _scan_terms(text: str) -> list[str]:
    """The words looked for in the scanned letters: none for a phone number (a letter's
    digits are not stored as a number), the cases' own phones being searched for it."""
    text = text.strip()
    if not text or (phone_search_digits(text) and not text.isdigit()):
        return []
    return [f"{_quoted(term)}*" for term in re.split(r"\s+", text) if re.search(r"\w", term)]


# The cases a search finds by their own fields; by what a scanned letter says; or, a case
# with a letter, each word in one or the other ("Lejeune Krankenkasse": the complainant's name
# in the case, the word in the letter): looked at for the few cases a letter names a word of.
_BY_FIELDS = "SELECT rowid FROM cases_search WHERE cases_search MATCH ?"
_BY_LETTERS = (
    "SELECT case_id FROM mail_messages WHERE case_id IS NOT NULL AND id IN "
    "(SELECT rowid FROM scans_search WHERE scans_search MATCH ?)"
)
_WORD_IN_EITHER = (
    " AND (EXISTS (SELECT 1 FROM cases_search WHERE cases_search MATCH ? "
    f"AND rowid = m.case_id) OR m.case_id IN ({_BY_LETTERS}))"
)


def found_clause(text: str) -> tuple[str, list[str]]:
    """``cases.id IN (…)`` for the cases a search finds, and its parameters; ("", []) when
    there is nothing to search."""
    expression, terms = match_expression(text), _scan_terms(text)
    if not expression:
        return "", []
    if not terms:
        return f"cases.id IN ({_BY_FIELDS})", [expression]
    found, params = f"{_BY_FIELDS} UNION {_BY_LETTERS}", [expression, " AND ".join(terms)]
    if len(terms) > 1:
        found += (
            " UNION SELECT m.case_id FROM mail_messages AS m WHERE m.case_id IS NOT NULL "
            "AND m.id IN (SELECT rowid FROM scans_search WHERE scans_search MATCH ?)"
            + _WORD_IN_EITHER
            * len(terms)
        )
        params += [" OR ".join(terms), *(word for term in terms for word in (term, term))]
    return f"cases.id IN ({found})", params


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
