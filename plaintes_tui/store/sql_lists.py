"""The domain's lists spelled as SQL, once: every query and trigger that names them uses these.

The schema's frozen migrations spelled them by hand; ``tests/test_schema_lists.py`` holds those
spellings to these.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from plaintes_tui.domain.cases import WAITING_FOR_COMPLAINANT


def sql_list(values: Iterable[StrEnum]) -> str:
    """``('a', 'b')``: enumeration values as an SQL list (they hold no quote)."""
    return "(" + ", ".join(f"'{value.value}'" for value in values) + ")"


# The statuses whose reply clock stands still while the complainant is awaited.
WAITING = sql_list(WAITING_FOR_COMPLAINANT)
