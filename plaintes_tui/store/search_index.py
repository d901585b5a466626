"""The full-text index of the cases (``cases_search``) kept by a bulk writer itself.

Retention (schema 26) takes its batch's cases out of the full-text index and puts them back
itself, once each, in order of id: row by row, the triggers take a case out and put it
back, and a contentless index writes its pending entries to disk each time a row id does
not increase (ten milliseconds a case). While ``housekeeping`` names the index as
written in bulk (set and cleared inside that writer's transaction, so never seen by
another), the update triggers leave it alone.
"""

from __future__ import annotations

# The ``housekeeping`` name under which a writer keeps the index itself.
INDEX_IN_BULK = "index-in-bulk"

# 26 — the update triggers, standing aside while ``INDEX_IN_BULK`` is set.
INDEX_TRIGGERS = f"""
DROP TRIGGER cases_search_update;
DROP TRIGGER cases_search_complainant;
CREATE TRIGGER cases_search_update
    AFTER UPDATE OF reference, subject, description, complainant_id ON cases
    WHEN NOT EXISTS (SELECT 1 FROM housekeeping WHERE name = '{INDEX_IN_BULK}')
BEGIN
    INSERT INTO cases_search(cases_search, rowid, reference, name, email, phone, subject,
                             description)
    SELECT 'delete', old.id, old.reference, c.last_name || ' ' || c.first_name, c.email,
           c.phone, old.subject, old.description
    FROM complainants AS c WHERE c.id = old.complainant_id;
    INSERT INTO cases_search(rowid, reference, name, email, phone, subject, description)
    SELECT new.id, new.reference, c.last_name || ' ' || c.first_name, c.email, c.phone,
           new.subject, new.description
    FROM complainants AS c WHERE c.id = new.complainant_id;
END;
CREATE TRIGGER cases_search_complainant
    AFTER UPDATE OF last_name, first_name, email, phone ON complainants
    WHEN NOT EXISTS (SELECT 1 FROM housekeeping WHERE name = '{INDEX_IN_BULK}')
BEGIN
    INSERT INTO cases_search(cases_search, rowid, reference, name, email, phone, subject,
                             description)
    SELECT 'delete', cases.id, cases.reference, old.last_name || ' ' || old.first_name,
           old.email, old.phone, cases.subject, cases.description
    FROM cases WHERE cases.complainant_id = old.id;
    INSERT INTO cases_search(rowid, reference, name, email, phone, subject, description)
    SELECT cases.id, cases.reference, new.last_name || ' ' || new.first_name, new.email,
           new.phone, cases.subject, cases.description
    FROM cases WHERE cases.complainant_id = new.id;
END;
"""
