-- Case workers' failed password logins, counted per subject: `login:<name>` for the login
-- typed (whether or not such an operator exists, so that a lock tells nothing about which
-- logins exist) and `address:<ip>` for the client's address. `failures` counts within the
-- window that began at `window_start`; `locked_until` is set when the count reached the
-- limit. Authentication state, not personal data: not journaled, like the sessions.
CREATE TABLE login_failures (
    subject       TEXT    PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  TEXT    NOT NULL,
    locked_until  TEXT
);
