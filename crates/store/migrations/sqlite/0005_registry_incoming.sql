-- The registry snapshot being loaded: filled row by row inside the loader's transaction,
-- compared with `registry` (new, changed, removed), merged into it and emptied before commit.
-- A table rather than memory, so that a snapshot of tens of millions of rows is diffed and
-- checked for numbers that appear twice in bounded memory.
CREATE TABLE registry_incoming (
    ssn                TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    gender             TEXT NOT NULL,
    birth_date         TEXT NOT NULL,
    ethnicity          TEXT NOT NULL,
    household_address  TEXT NOT NULL
);
