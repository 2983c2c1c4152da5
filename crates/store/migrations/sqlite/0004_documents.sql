-- Supporting documents (证明材料, R4.3) uploaded with a change request: the file itself and
-- what identifies it. Written only in the transaction that opens the request, with a
-- `document.attached` journal entry each (name, type, size and SHA-256, never the bytes).
CREATE TABLE request_documents (
    id            INTEGER PRIMARY KEY,
    request_id    INTEGER NOT NULL REFERENCES change_requests (id),
    kind          TEXT    NOT NULL,  -- the document's name in the policy, e.g. 户口簿复印件
    file_name     TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    content       BLOB    NOT NULL,
    uploaded_by   INTEGER REFERENCES operators (id),
    uploaded_at   TEXT    NOT NULL
);
CREATE INDEX request_documents_request ON request_documents (request_id);
