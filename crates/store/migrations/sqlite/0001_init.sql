-- PersonBase schema, first version.
-- Portable SQL: the PostgreSQL twin in migrations/postgres differs only in id columns
-- (BIGINT GENERATED ALWAYS AS IDENTITY instead of INTEGER PRIMARY KEY).
-- Times are RFC 3339 text in UTC, dates are YYYY-MM-DD text, codes are the domain's codes.

CREATE TABLE agencies (
    id        INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    level     TEXT    NOT NULL,
    division  INTEGER NOT NULL
);

CREATE TABLE operators (
    id             INTEGER PRIMARY KEY,
    login          TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    agency_id      INTEGER NOT NULL REFERENCES agencies (id),
    roles          TEXT    NOT NULL,   -- comma-separated role codes
    password_hash  TEXT    NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,  -- SHA-256 hex of the token; the token itself is never stored
    operator_id  INTEGER NOT NULL REFERENCES operators (id),
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL
);

CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY,
    key_hash    TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    line        TEXT    NOT NULL,
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    created_at  TEXT    NOT NULL
);

CREATE TABLE persons (
    id                 INTEGER PRIMARY KEY,
    ssn                TEXT    NOT NULL UNIQUE,
    name               TEXT    NOT NULL,
    gender             TEXT    NOT NULL,
    birth_date         TEXT    NOT NULL,
    ethnicity          TEXT    NOT NULL,
    household_address  TEXT    NOT NULL,
    household_type     TEXT    NOT NULL,
    home_address       TEXT,
    phone              TEXT,
    status             TEXT    NOT NULL,   -- active | merged | closed
    merged_into        INTEGER REFERENCES persons (id),
    entered_by         INTEGER NOT NULL REFERENCES agencies (id),
    version            BIGINT  NOT NULL,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
CREATE INDEX persons_name_birth ON persons (name, birth_date);

CREATE TABLE enrolments (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons (id),
    line       TEXT    NOT NULL,
    agency_id  INTEGER NOT NULL REFERENCES agencies (id),
    active     BOOLEAN NOT NULL,
    opened_at  TEXT    NOT NULL,
    closed_at  TEXT
);
CREATE INDEX enrolments_person ON enrolments (person_id);

CREATE TABLE transactions (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons (id),
    line         TEXT    NOT NULL,
    agency_id    INTEGER NOT NULL REFERENCES agencies (id),
    reference    TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    started_at   TEXT    NOT NULL,
    finished_at  TEXT
);
CREATE INDEX transactions_person ON transactions (person_id);

CREATE TABLE specials (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES persons (id),
    kind          TEXT    NOT NULL,
    agency_id     INTEGER NOT NULL REFERENCES agencies (id),
    reference     TEXT    NOT NULL,
    active        BOOLEAN NOT NULL,
    added_at      TEXT    NOT NULL,
    cancelled_at  TEXT
);
CREATE INDEX specials_person ON specials (person_id);

CREATE TABLE cards (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES persons (id),
    card_number   TEXT    NOT NULL UNIQUE,
    status        TEXT    NOT NULL,
    printed_name  TEXT    NOT NULL,
    printed_ssn   TEXT    NOT NULL,
    issued_at     TEXT    NOT NULL
);
CREATE INDEX cards_person ON cards (person_id);

CREATE TABLE change_requests (
    id                    INTEGER PRIMARY KEY,
    person_id             INTEGER NOT NULL REFERENCES persons (id),
    state                 TEXT    NOT NULL,
    changes_json          TEXT    NOT NULL,
    diff_json             TEXT    NOT NULL,
    source                TEXT    NOT NULL,
    steps_json            TEXT    NOT NULL,
    needs_confirmation    BOOLEAN NOT NULL,
    confirmation_json     TEXT,
    rules_json            TEXT    NOT NULL,
    registry_diff_json    TEXT    NOT NULL,
    documents_json        TEXT    NOT NULL,
    reason                TEXT    NOT NULL,
    created_by            INTEGER REFERENCES operators (id),
    agency_id             INTEGER REFERENCES agencies (id),
    created_at            TEXT    NOT NULL,
    due_on                TEXT    NOT NULL,
    closed_at             TEXT,
    comment               TEXT
);
CREATE INDEX change_requests_person ON change_requests (person_id);
CREATE INDEX change_requests_state_due ON change_requests (state, due_on);

-- The agencies that must sign a request, so that an agency's inbox is an indexed lookup.
CREATE TABLE request_signers (
    request_id  INTEGER NOT NULL REFERENCES change_requests (id),
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (request_id, agency_id)
);
CREATE INDEX request_signers_agency ON request_signers (agency_id);

-- Snapshot of the public security household registry (R2.16): replaced only by the loader.
CREATE TABLE registry (
    ssn                TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    gender             TEXT NOT NULL,
    birth_date         TEXT NOT NULL,
    ethnicity          TEXT NOT NULL,
    household_address  TEXT NOT NULL
);

-- The hash-chained audit journal (R4.2). Rows are only ever appended.
CREATE TABLE journal (
    seq          INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,
    operator_id  INTEGER,
    agency_id    INTEGER,
    action       TEXT    NOT NULL,
    person_id    INTEGER,
    request_id   INTEGER,
    before_json  TEXT    NOT NULL,
    after_json   TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);
CREATE INDEX journal_person ON journal (person_id);
CREATE INDEX journal_request ON journal (request_id);
