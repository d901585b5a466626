"""Turning what an agent types into a full-text query over the ``cases_search`` index.

Each word matches as a prefix, accents folded by the index (``Hélène`` finds ``Helene`` and
back); a phone number typed any Belgian way matches the stored E.164 number, and a number
alone (``00958``) also the references that hold it.
"""

from __future__ import annotations

import re

from plaintes_tui.domain.validation import phone_search_digits


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
