"""Turning what an agent types into a full-text query over the ``cases_search`` index.

Each word matches as a prefix, accents folded by the index (``Hélène`` finds ``Helene`` and
back); a phone number typed any Belgian way matches the stored E.164 number.
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
    if digits:
        return f"phone : {_quoted(digits)}*"
    terms = [term for term in re.split(r"\s+", text) if re.search(r"\w", term)]
    return " AND ".join(f"{_quoted(term)}*" for term in terms)
