-- Citizens' self-service sessions (issue 4): the SHA-256 of the cookie's random token, never
-- the token itself. A session ends when it has been idle too long (last_seen_at), at its hard
-- expiry (expires_at), or at logout. Authentication state, not personal data: not journaled.
CREATE TABLE citizen_sessions (
    token_hash    TEXT    PRIMARY KEY,
    person_id     BIGINT  NOT NULL REFERENCES persons (id),
    created_at    TEXT    NOT NULL,
    last_seen_at  TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL
);

CREATE INDEX citizen_sessions_expires ON citizen_sessions (expires_at);
