"""The full-text index of the cases (``cases_search``): one row a case, and who keeps it.

The triggers keep it row by row as agents save (schema 5, then 26). Retention instead takes
its batch's cases out of the index and puts them back itself, once each, in order of id: row
by row, the triggers take a case out and put it back, and a contentless index writes its
pending entries to disk each time a row id does not increase (ten milliseconds a case).
While ``housekeeping`` names the index as written in bulk (set and cleared inside that
writer's transaction, so never seen by another), the update triggers leave it alone.
"""

from __future__ import annotations

# The ``housekeeping`` name under which a writer keeps the index itself.
INDEX_IN_BULK = "index-in-bulk"
_COLUMNS = "rowid, reference, name, email, phone, subject, description"


def _row(case: str, person: str) -> str:
    """A case's index row, ``case`` and ``person`` the aliases of its row and its
    complainant's."""
    return (
        f"{case}.id, {case}.reference, {person}.last_name || ' ' || {person}.first_name, "
        f"{person}.email, {person}.phone, {case}.subject, {case}.description"
    )


def _take_out(case: str, person: str) -> str:
    """The index forgets a row only when told the exact values it indexed."""
    return (
        f"INSERT INTO cases_search(cases_search, {_COLUMNS}) SELECT 'delete', {_row(case, person)}"
    )


def _put_in(case: str, person: str) -> str:
    return f"INSERT INTO cases_search({_COLUMNS}) SELECT {_row(case, person)}"


def _each_case(where: str) -> str:
    return (
        " FROM cases JOIN complainants AS p ON p.id = cases.complainant_id "
        f"WHERE {where} ORDER BY cases.id"
    )


def taken_out(where: str) -> str:
    """The index rows of the cases ``where`` selects, taken out as they stand, in order."""
    return _take_out("cases", "p") + _each_case(where)


def put_back(where: str) -> str:
    """The same rows put back as the cases now stand, in order."""
    return _put_in("cases", "p") + _each_case(where)


_STANDS_ASIDE = f"WHEN NOT EXISTS (SELECT 1 FROM housekeeping WHERE name = '{INDEX_IN_BULK}')"

# 26 — the update triggers, standing aside while ``INDEX_IN_BULK`` is set.
INDEX_TRIGGERS = f"""
DROP TRIGGER cases_search_update;
DROP TRIGGER cases_search_complainant;
CREATE TRIGGER cases_search_update
    AFTER UPDATE OF reference, subject, description, complainant_id ON cases
    {_STANDS_ASIDE}
BEGIN
    {_take_out("old", "c")}
    FROM complainants AS c WHERE c.id = old.complainant_id;
    {_put_in("new", "c")}
    FROM complainants AS c WHERE c.id = new.complainant_id;
END;
CREATE TRIGGER cases_search_complainant
    AFTER UPDATE OF last_name, first_name, email, phone ON complainants
    {_STANDS_ASIDE}
BEGIN
    {_take_out("cases", "old")}
    FROM cases WHERE cases.complainant_id = old.id;
    {_put_in("cases", "new")}
    FROM cases WHERE cases.complainant_id = new.id;
END;
"""
