"""The schema, as an ordered list of migrations: migration N brings a store to version N.

A store records its version in ``PRAGMA user_version``. Never edit a migration that has shipped:
add the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from sqlite3 import Connection

from plaintes_tui.store.figures import MIGRATION as FIGURES
from plaintes_tui.store.figures import MIGRATION_18 as FIGURES_18
from plaintes_tui.store.figures import MIGRATION_27 as FIGURES_27
from plaintes_tui.store.improvements_schema import MIGRATION as IMPROVEMENTS
from plaintes_tui.store.journal import MIGRATION as JOURNAL_CHAIN
from plaintes_tui.store.journal import seal
from plaintes_tui.store.ombudsman import MIGRATION as OMBUDSMAN
from plaintes_tui.store.schema_version import MARKED_FROM, SCHEMA_VERSION
from plaintes_tui.store.search_index import INDEX_TRIGGERS

__all__ = ["AFTER", "MARKED_FROM", "MIGRATIONS", "SCHEMA_VERSION"]

MIGRATIONS: list[str] = [
    # 1 — complainants, cases, the journal, reference counters.
    """
    CREATE TABLE complainants (
        id INTEGER PRIMARY KEY,
        last_name TEXT NOT NULL DEFAULT '',
        first_name TEXT NOT NULL DEFAULT '',
        phone TEXT,                 -- E.164, e.g. +32477848664
        email TEXT,
        street TEXT,
        postal_code TEXT,
        town TEXT,
        language TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'nl', 'de', 'en')),
        niss TEXT,                  -- 11 digits
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    );
    CREATE INDEX complainants_phone ON complainants(phone) WHERE phone IS NOT NULL;
    CREATE INDEX complainants_email ON complainants(email) WHERE email IS NOT NULL;
    CREATE INDEX complainants_niss ON complainants(niss) WHERE niss IS NOT NULL;

    CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        complainant_id INTEGER NOT NULL REFERENCES complainants(id),
        channel TEXT NOT NULL CHECK (channel IN ('phone', 'letter', 'email', 'web_form')),
        received TEXT NOT NULL,             -- date of receipt: the clocks start from it
        received_time TEXT,                 -- HH:MM when known (a phone call)
        logged_at TEXT NOT NULL,            -- when the record was typed, service-local time
        logged_by TEXT NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('fr', 'nl', 'de', 'en')),
        category TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        urgent INTEGER NOT NULL DEFAULT 0,
        contact_incomplete INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        admissibility TEXT,                 -- NULL: not checked yet
        admissibility_reason TEXT,
        assigned_to TEXT,
        acknowledgement_due TEXT NOT NULL,
        acknowledgement_sent TEXT,
        acknowledgement_means TEXT,
        reply_due_original TEXT,            -- NULL: no reply clock (out of scope)
        reply_due TEXT,                     -- after pauses
        reply_sent TEXT,
        outcome TEXT,
        network_category TEXT,
        improvement_action TEXT,
        closed_at TEXT,
        ombudsman_referred TEXT,
        next_due TEXT,                      -- earliest running due date; NULL once closed
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    CREATE INDEX cases_complainant ON cases(complainant_id);
    CREATE INDEX cases_received ON cases(received);
    CREATE INDEX cases_queue ON cases(next_due, reference) WHERE next_due IS NOT NULL;
    CREATE INDEX cases_queue_agent ON cases(assigned_to, next_due, reference)
        WHERE next_due IS NOT NULL;
    CREATE INDEX cases_queue_channel ON cases(channel, next_due, reference)
        WHERE next_due IS NOT NULL;
    CREATE INDEX cases_queue_status ON cases(status, next_due, reference)
        WHERE next_due IS NOT NULL;
    CREATE INDEX cases_queue_unchecked ON cases(next_due, reference)
        WHERE next_due IS NOT NULL AND admissibility IS NULL;
    CREATE INDEX cases_acknowledgement_pending ON cases(acknowledgement_due)
        WHERE next_due IS NOT NULL AND acknowledgement_sent IS NULL;
    CREATE INDEX cases_reply_pending ON cases(reply_due)
        WHERE next_due IS NOT NULL AND reply_sent IS NULL
            AND status NOT IN ('paused', 'incomplete');

    CREATE TABLE reply_pauses (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        started TEXT NOT NULL,
        ended TEXT,                 -- NULL while the pause lasts
        reason TEXT NOT NULL,
        agent TEXT NOT NULL
    );
    CREATE INDEX reply_pauses_case ON reply_pauses(case_id);

    CREATE TABLE reference_counters (
        year INTEGER PRIMARY KEY,
        last_number INTEGER NOT NULL
    );

    CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        case_version INTEGER NOT NULL,       -- the case's version after this change
        at TEXT NOT NULL,
        agent TEXT NOT NULL,
        action TEXT NOT NULL,
        changes TEXT NOT NULL DEFAULT '{}',  -- JSON {field: [old, new]}
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX journal_case ON journal(case_id, id);
    CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
    CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
    """,
    # 2 — full-text search over reference, name, contacts, subject and description, accents
    # folded. Kept in step by triggers, so no writer can forget it.
    """
    CREATE VIRTUAL TABLE cases_search USING fts5(
        reference, name, email, phone, subject, description,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO cases_search(rowid, reference, name, email, phone, subject, description)
        SELECT cases.id, cases.reference,
               complainants.last_name || ' ' || complainants.first_name,
               complainants.email, complainants.phone, cases.subject, cases.description
        FROM cases JOIN complainants ON complainants.id = cases.complainant_id;

    CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
        INSERT INTO cases_search(rowid, reference, name, email, phone, subject, description)
        SELECT new.id, new.reference, c.last_name || ' ' || c.first_name, c.email, c.phone,
               new.subject, new.description
        FROM complainants AS c WHERE c.id = new.complainant_id;
    END;
    CREATE TRIGGER cases_search_update
        AFTER UPDATE OF subject, description, complainant_id ON cases BEGIN
        DELETE FROM cases_search WHERE rowid = old.id;
        INSERT INTO cases_search(rowid, reference, name, email, phone, subject, description)
        SELECT new.id, new.reference, c.last_name || ' ' || c.first_name, c.email, c.phone,
               new.subject, new.description
        FROM complainants AS c WHERE c.id = new.complainant_id;
    END;
    CREATE TRIGGER cases_search_complainant
        AFTER UPDATE OF last_name, first_name, email, phone ON complainants BEGIN
        DELETE FROM cases_search
            WHERE rowid IN (SELECT id FROM cases WHERE complainant_id = new.id);
        INSERT INTO cases_search(rowid, reference, name, email, phone, subject, description)
        SELECT cases.id, cases.reference, new.last_name || ' ' || new.first_name, new.email,
               new.phone, cases.subject, cases.description
        FROM cases WHERE cases.complainant_id = new.id;
    END;
    """,
    # 3 — the queue sorted by date of receipt or by reference, still an index range.
    """
    CREATE INDEX cases_open_received ON cases(received, reference) WHERE next_due IS NOT NULL;
    CREATE INDEX cases_open_reference ON cases(reference) WHERE next_due IS NOT NULL;
    """,
    # 4 — the intake form kept as the agent types, one draft per agent, so that nothing typed
    # is lost when the terminal closes.
    """
    CREATE TABLE drafts (
        agent TEXT PRIMARY KEY,
        form TEXT NOT NULL,                 -- JSON {field: text}
        updated_at TEXT NOT NULL
    );
    """,
    # 5 — the full-text index keeps only the index, not a second copy of every text
    # (contentless), and no per-column sizes (nothing ranks by bm25): a fifth smaller store and
    # much faster bulk loads. A contentless index forgets a row only when told the exact values
    # it indexed, so the triggers hand it the old ones.
    """
    DROP TRIGGER cases_search_insert;
    DROP TRIGGER cases_search_update;
    DROP TRIGGER cases_search_complainant;
    DROP TABLE cases_search;
    CREATE VIRTUAL TABLE cases_search USING fts5(
        reference, name, email, phone, subject, description,
        tokenize = 'unicode61 remove_diacritics 2', content = '', columnsize = 0
    );
    INSERT INTO cases_search(rowid, reference, name, email, phone, subject, description)
        SELECT cases.id, cases.reference,
               complainants.last_name || ' ' || complainants.first_name,
               complainants.email, complainants.phone, cases.subject, cases.description
        FROM cases JOIN complainants ON complainants.id = cases.complainant_id;

    CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
        INSERT INTO cases_search(rowid, reference, name, email, phone, subject, description)
        SELECT new.id, new.reference, c.last_name || ' ' || c.first_name, c.email, c.phone,
               new.subject, new.description
        FROM complainants AS c WHERE c.id = new.complainant_id;
    END;
    CREATE TRIGGER cases_search_update
        AFTER UPDATE OF reference, subject, description, complainant_id ON cases BEGIN
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
        AFTER UPDATE OF last_name, first_name, email, phone ON complainants BEGIN
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
    """,
    # 6 — a case, once logged, is never deleted and keeps its reference: the numbering stays
    # gapless, the journal never loses its case, and no reference can be rewritten into a
    # path. Every new reference has the P-YYYY-NNNNN shape.
    """
    CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
        BEGIN SELECT RAISE(ABORT, 'a case is never deleted'); END;
    CREATE TRIGGER cases_reference_fixed BEFORE UPDATE OF reference ON cases
        WHEN new.reference IS NOT old.reference
        BEGIN SELECT RAISE(ABORT, 'a case keeps its reference'); END;
    CREATE TRIGGER cases_reference_shape BEFORE INSERT ON cases
        WHEN new.reference NOT GLOB 'P-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]*'
            OR substr(new.reference, 13) GLOB '*[^0-9]*'
        BEGIN SELECT RAISE(ABORT, 'a reference reads P-YYYY-NNNNN'); END;
    """,
    # 7 — every letter produced, its files and its e-mail: an outbox. A letter is recorded in
    # the transaction that journals it; the e-mail leaves only after that commit, once: a
    # sender claims it ('sending') before handing it to the mail server.
    """
    CREATE TABLE letters (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL,
        language TEXT NOT NULL,
        produced_at TEXT NOT NULL,
        agent TEXT NOT NULL,
        pdf TEXT NOT NULL,
        eml TEXT,                   -- NULL: the complainant has no e-mail address
        recipient TEXT,             -- the address the e-mail goes to
        send TEXT NOT NULL CHECK (send IN ('none', 'held', 'pending', 'sending', 'sent',
                                           'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_at TEXT,            -- when a sender took it
        sent_at TEXT,
        error TEXT                  -- the mail server's reason, after a failed attempt
    );
    CREATE INDEX letters_case ON letters(case_id, id);
    CREATE UNIQUE INDEX letters_pdf ON letters(pdf);
    CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
        BEGIN SELECT RAISE(ABORT, 'a produced letter stays recorded'); END;
    """,
    # 8 — anonymous complaints: logged without a name, counted in the figures. With no way to
    # answer (no phone, e-mail or postal address) no acknowledgement is owed: it is recorded
    # at intake as "not owed" and left out of the acknowledgement figures.
    """
    ALTER TABLE cases ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
    """,
    # 9 — every reasoned reply sent, a reopened case's second one included, found without
    # reading the whole journal: the report counts replies, not cases.
    """
    CREATE INDEX journal_replies ON journal(case_id) WHERE action = 'reply';
    """,
    # 10 — a complainant living abroad: the country of the postal address (ISO 3166 code;
    # NULL: Belgium).
    """
    ALTER TABLE complainants ADD COLUMN country TEXT;
    """,
    # 11 — who has which case open right now, one row per running app (its session): written
    # every few seconds while the case is open, removed when it closes; a row not refreshed for
    # a while is a session that was killed, ignored and then swept.
    """
    CREATE TABLE presence (
        session TEXT PRIMARY KEY,
        login TEXT NOT NULL,
        case_id INTEGER NOT NULL,
        activity TEXT NOT NULL CHECK (activity IN ('viewing', 'typing')),
        seen TEXT NOT NULL          -- UTC, ISO 8601
    ) WITHOUT ROWID;
    """,
    # 12 — personal data kept no longer than needed. A case and its complainant anonymised after
    # the retention period say when; the journal stays append-only except for one redaction of
    # an entry's personal content (its note, the values of its free-text fields), which keeps
    # who did what and when. ``housekeeping`` remembers work a run must finish (the full-text
    # index still holding anonymised words) so that an interrupted run resumes.
    """
    ALTER TABLE cases ADD COLUMN anonymised_at TEXT;
    ALTER TABLE complainants ADD COLUMN anonymised_at TEXT;
    ALTER TABLE journal ADD COLUMN redacted TEXT;
    DROP TRIGGER journal_no_update;
    CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
        WHEN NOT (old.redacted IS NULL AND new.redacted IS NOT NULL AND new.id = old.id
                  AND new.case_id = old.case_id AND new.case_version = old.case_version
                  AND new.at = old.at AND new.agent = old.agent AND new.action = old.action)
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
    CREATE TABLE housekeeping (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 13 — the service's mailbox: every message imported once (its Message-ID, or a hash of
    # it, is unique, so two imports at once never take one twice). A message waits in the
    # inbox until it becomes a case or is dismissed; a reply goes straight to its case; one
    # that cannot be read waits in quarantine with its reason. Its .eml and attachments are
    # kept in ``folder`` (under the letters' root).
    """
    CREATE TABLE mail_messages (
        id INTEGER PRIMARY KEY,
        message_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('inbox', 'case', 'attached', 'dismissed',
                                             'quarantined')),
        received TEXT NOT NULL,             -- the date of receipt, service-local
        arrived_at TEXT NOT NULL,           -- when it reached the service's server
        date_trusted INTEGER NOT NULL DEFAULT 1,
        sender_name TEXT NOT NULL DEFAULT '',
        sender_email TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        attachments TEXT NOT NULL DEFAULT '[]',  -- JSON [{"name", "type", "size"}]
        web_form INTEGER NOT NULL DEFAULT 0,
        auto_reply INTEGER NOT NULL DEFAULT 0,
        folder TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        case_id INTEGER REFERENCES cases(id),
        reason TEXT NOT NULL DEFAULT '',    -- why quarantined or dismissed (a code)
        note TEXT NOT NULL DEFAULT '',
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        handled_at TEXT,
        handled_by TEXT
    );
    CREATE INDEX mail_messages_waiting ON mail_messages(state, received)
        WHERE state IN ('inbox', 'quarantined');
    CREATE INDEX mail_messages_case ON mail_messages(case_id) WHERE case_id IS NOT NULL;
    """,
    # 14 — the report's figures of settled cases, kept by triggers: see ``store/figures.py``.
    FIGURES,
    # 15 — the journal proves itself: see ``store/journal.py``.
    JOURNAL_CHAIN,
    # 16 — who consulted whose data: see ``store/access_log.py``.
    """
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    login TEXT NOT NULL,
    what TEXT NOT NULL CHECK (what IN ('case', 'person', 'export', 'niss_search')),
    case_id INTEGER,
    complainant_id INTEGER,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_person ON access_log(complainant_id, at)
    WHERE complainant_id IS NOT NULL;
CREATE INDEX access_log_at ON access_log(at);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
    WHEN NOT (new.detail = '' AND new.id = old.id AND new.at = old.at
              AND new.login = old.login AND new.what = old.what)
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
""",
    # 17 — the store says it is one: its header's application id is "PLT1" (another program's
    # SQLite file, whatever its user_version, is refused).
    "PRAGMA application_id = 1347179569;",
    # 18 — figures by the definitions: complaints by channel, replies that left, Ombudsman
    # referrals by the day of referral (see ``store/figures.py``).
    FIGURES_18,
    # 19 — a complainant found by name at intake, and by e-mail, whatever the capitals typed
    # (one record per person; an access request answered for every record of the address).
    """
    CREATE INDEX complainants_name ON complainants
        (last_name COLLATE NOCASE, first_name COLLATE NOCASE);
    DROP INDEX complainants_email;
    CREATE INDEX complainants_email ON complainants(email COLLATE NOCASE)
        WHERE email IS NOT NULL;
    """,
    # 20 — each letter's e-mail keeps its Message-ID: a citizen's answer to it (In-Reply-To,
    # References) goes to its case, from whatever address they answer.
    """
    ALTER TABLE letters ADD COLUMN message_id TEXT;
    CREATE INDEX letters_message_id ON letters(message_id) WHERE message_id IS NOT NULL;
    """,
    # 21 — the part of the FPS a complaint is about (a code of the settings' [services]): the
    # yearly report and the Ombudsman ask how many per DG. In each case's state digest when
    # set (``journal.LATER_COLUMNS``).
    """
    ALTER TABLE cases ADD COLUMN service TEXT;
    CREATE INDEX cases_service ON cases(service, received) WHERE service IS NOT NULL;
    """,
    # 22 — the Ombudsman's file: referral, requests with their deadline (a clock), answers,
    # conclusion (see ``store/ombudsman.py``).
    OMBUDSMAN,
    # 23 — improvement actions: records of their own, linked to the cases that led to them,
    # with a journal that proves itself (see ``store/improvements.py``).
    IMPROVEMENTS,
    # 24 — the mailroom's scans wait in the inbox beside the e-mails: what the OCR found in
    # the letter (JSON: the fields, each one's confidence, the pages), NULL for an e-mail.
    "ALTER TABLE mail_messages ADD COLUMN scan TEXT;",
    # 25 — a scanned letter's text is searched like a description: the case it became or
    # joined is found by what the letter says (kept in step with the reading; retention,
    # which blanks the reading, takes it out).
    """
CREATE VIRTUAL TABLE scans_search USING fts5(
    text, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO scans_search(rowid, text)
    SELECT id, json_extract(scan, '$.text') FROM mail_messages
    WHERE json_extract(scan, '$.text') IS NOT NULL;
CREATE TRIGGER scans_search_reading AFTER UPDATE OF scan ON mail_messages BEGIN
    DELETE FROM scans_search WHERE rowid = old.id;
    INSERT INTO scans_search(rowid, text)
        SELECT new.id, json_extract(new.scan, '$.text')
        WHERE json_extract(new.scan, '$.text') IS NOT NULL;
END;
""",
    # 26 — retention keeps the full-text index itself for its batches: see
    # ``store/search_index.py``.
    INDEX_TRIGGERS,
    # 27 — the figures' update triggers stand aside when no column they watch changed: see
    # ``store/figures.py``.
    FIGURES_27,
    # 28 — what is typed in a case's dialogs (a move's form, the letter editor) kept as the
    # agent types, per agent, case and dialog, as the intake form is (4): nothing typed there is
    # lost when the terminal closes. Gone once the dialog is left, saved or not.
    """
    CREATE TABLE case_drafts (
        agent TEXT NOT NULL,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        dialog TEXT NOT NULL,               -- the move, or letter-<kind>
        fields TEXT NOT NULL,               -- JSON {field: text}
        updated_at TEXT NOT NULL,
        PRIMARY KEY (agent, case_id, dialog)
    );
    """,
    # 29 — the other dialogs keep their drafts too: an improvement action typed on its own
    # screen, a message set aside in the inbox. One table for all: a draft is one agent's, of
    # one dialog (which names what it is typed on when that is not a case), on a case or not.
    """
    CREATE TABLE dialog_drafts (
        agent TEXT NOT NULL,
        dialog TEXT NOT NULL,               -- the move, letter-<kind>, improvement-<id>, …
        case_id INTEGER REFERENCES cases(id),  -- the case it is typed on, if any
        fields TEXT NOT NULL,               -- JSON {field: text}
        updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX dialog_drafts_key ON dialog_drafts (agent, dialog, ifnull(case_id, 0));
    CREATE INDEX dialog_drafts_case ON dialog_drafts (case_id) WHERE case_id IS NOT NULL;
    INSERT INTO dialog_drafts (agent, dialog, case_id, fields, updated_at)
        SELECT agent, dialog, case_id, fields, updated_at FROM case_drafts;
    DROP TABLE case_drafts;
    """,
]

# Work a migration does in Python, in its transaction, after its SQL: the migration's number →
# what it runs.
AFTER: dict[int, Callable[[Connection], object]] = {15: seal}
