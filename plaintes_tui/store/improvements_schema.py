"""The tables of improvement actions (migration 23): the actions, the cases linked to them,
and their journal, chained as the cases' is (see ``store/improvements.py``)."""

MIGRATION = """
CREATE TABLE improvements (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,     -- A-2026-001
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    service TEXT,                       -- a code of the settings' [services]
    owner TEXT,                         -- a login
    due TEXT,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'decided', 'in_progress', 'done',
                                           'dropped')),
    proposed_on TEXT NOT NULL,
    decided_on TEXT,
    started_on TEXT,
    done_on TEXT,
    dropped_on TEXT,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX improvements_status ON improvements(status, due);
CREATE TABLE improvement_cases (
    improvement_id INTEGER NOT NULL REFERENCES improvements(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    PRIMARY KEY (improvement_id, case_id)
) WITHOUT ROWID;
CREATE INDEX improvement_cases_case ON improvement_cases(case_id);
CREATE TABLE improvement_journal (
    id INTEGER PRIMARY KEY,
    improvement_id INTEGER NOT NULL REFERENCES improvements(id),
    version INTEGER NOT NULL,
    at TEXT NOT NULL,
    agent TEXT NOT NULL,
    action TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX improvement_journal_action ON improvement_journal(improvement_id, id);
CREATE TRIGGER improvement_journal_no_update BEFORE UPDATE ON improvement_journal
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER improvement_journal_no_delete BEFORE DELETE ON improvement_journal
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER improvements_no_delete BEFORE DELETE ON improvements
    BEGIN SELECT RAISE(ABORT, 'an improvement action is kept'); END;
CREATE TRIGGER improvement_cases_no_delete BEFORE DELETE ON improvement_cases
    BEGIN SELECT RAISE(ABORT, 'a case linked to an action stays linked'); END;
"""
