//! Checking the journal's hash chain, and reading the journal back.

use serde::Serialize;

use crate::Store;
use crate::db::begin_read;
use crate::error::{Result, StoreError};
use crate::journal::{GENESIS, JOURNAL_COLUMNS, JournalEntry, Stored};
use personbase_domain::{PersonId, RequestId};

/// What [`Store::verify_journal`] found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// How many entries were read.
    pub entries: u64,
    /// The first entry that breaks the chain, if any.
    pub first_bad: Option<JournalFault>,
}

impl VerifyReport {
    /// Whether the chain is intact.
    pub fn is_intact(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Where and how the chain is broken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JournalFault {
    /// The sequence number of the bad entry; for a removed entry, the missing number.
    pub seq: i64,
    /// What is wrong.
    pub kind: FaultKind,
    /// The facts, in English: the numbers, the hashes.
    pub detail: String,
}

/// How the chain is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// The entry's content no longer matches its hash.
    Edited,
    /// A sequence number is missing.
    Removed,
    /// The entry does not follow the entry before it.
    Reordered,
}

impl FaultKind {
    /// The reason as `personbase audit verify` prints it.
    pub fn reason(self) -> &'static str {
        match self {
            FaultKind::Edited => "hash mismatch (edited)",
            FaultKind::Removed => "sequence gap (removed)",
            FaultKind::Reordered => "previous-hash mismatch (reordered or removed)",
        }
    }
}

impl std::fmt::Display for JournalFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "entry {}: {}: {}", self.seq, self.kind.reason(), self.detail)
    }
}

/// Rows read per query while verifying.
const PAGE: i64 = 1000;

impl Store {
    /// Recomputes the hash chain from the first entry and reports the first entry that breaks
    /// it: an edited entry (its hash no longer matches), a removed one (a gap in the sequence)
    /// or one out of order (its `prev_hash` is not the previous entry's hash).
    ///
    /// Limitation: the chain is not keyed, so removing the newest entries, or rewriting every
    /// entry from some point on with recomputed hashes, leaves a chain that is intact; a
    /// [`Store::journal_head`] recorded outside the database finds that.
    pub async fn verify_journal(&self) -> Result<VerifyReport> {
        let mut tx = begin_read(&self.pool).await?;
        let sql =
            format!("SELECT {JOURNAL_COLUMNS} FROM journal WHERE seq > $1 ORDER BY seq LIMIT $2");
        let mut entries = 0u64;
        let mut expected = 1i64;
        let mut prev = GENESIS.to_owned();
        loop {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(expected - 1)
                .bind(PAGE)
                .fetch_all(&mut *tx)
                .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                entries += 1;
                let (stored, hash) = match Stored::read(row) {
                    Ok(read) => read,
                    Err(StoreError::Corrupt { field, detail, .. }) => {
                        // A column of the wrong type was written behind the store's back.
                        let seq = sqlx::Row::try_get::<i64, _>(row, "seq").unwrap_or(expected);
                        let detail = format!("column {field} does not read: {detail}");
                        let fault = JournalFault { seq, kind: FaultKind::Edited, detail };
                        return Ok(VerifyReport { entries, first_bad: Some(fault) });
                    }
                    Err(other) => return Err(other),
                };
                if let Some(fault) = check(&stored, &hash, expected, &prev) {
                    tracing::warn!(seq = fault.seq, kind = fault.kind.reason(), "journal broken");
                    return Ok(VerifyReport { entries, first_bad: Some(fault) });
                }
                expected = stored.seq + 1;
                prev = hash;
            }
        }
        tx.commit().await?;
        Ok(VerifyReport { entries, first_bad: None })
    }

    /// The newest entry's number and hash, `None` for an empty journal. Recording it outside
    /// the database (a printout, another system) lets a later [`Store::verify_journal`] run
    /// also notice removed newest entries or a chain rewritten from some entry on.
    pub async fn journal_head(&self) -> Result<Option<(i64, String)>> {
        let row = sqlx::query("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let f = crate::rows::Fields::keyed(&row, "journal", "head".to_owned());
        Ok(Some((f.int("seq")?, f.text("hash")?)))
    }

    /// The person's own audit trail, oldest first.
    pub async fn history(&self, person: PersonId) -> Result<Vec<JournalEntry>> {
        let sql =
            format!("SELECT {JOURNAL_COLUMNS} FROM journal WHERE person_id = $1 ORDER BY seq");
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person.0).fetch_all(&self.pool).await?;
        read_entries(&rows)
    }

    /// The audit trail of change request `request`, oldest first.
    pub async fn request_history(&self, request: RequestId) -> Result<Vec<JournalEntry>> {
        let sql =
            format!("SELECT {JOURNAL_COLUMNS} FROM journal WHERE request_id = $1 ORDER BY seq");
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(request.0).fetch_all(&self.pool).await?;
        read_entries(&rows)
    }

    /// Journal entries after `after_seq` (0 for the start), at most `limit`, oldest first.
    pub async fn journal(&self, after_seq: i64, limit: u32) -> Result<Vec<JournalEntry>> {
        let sql =
            format!("SELECT {JOURNAL_COLUMNS} FROM journal WHERE seq > $1 ORDER BY seq LIMIT $2");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        read_entries(&rows)
    }
}

fn read_entries(rows: &[crate::db::DbRow]) -> Result<Vec<JournalEntry>> {
    rows.iter()
        .map(|row| {
            let (stored, hash) = Stored::read(row)?;
            stored.into_entry(hash)
        })
        .collect()
}

/// The fault of one entry, given the sequence number and previous hash it should have.
fn check(stored: &Stored, hash: &str, expected: i64, prev: &str) -> Option<JournalFault> {
    if stored.seq != expected {
        let detail = format!("entry {expected} is missing; the next entry is {}", stored.seq);
        return Some(JournalFault { seq: expected, kind: FaultKind::Removed, detail });
    }
    let recomputed = stored.hash();
    if recomputed != hash {
        let detail = format!("stored hash {hash}, content hashes to {recomputed}");
        return Some(JournalFault { seq: stored.seq, kind: FaultKind::Edited, detail });
    }
    if stored.prev_hash != prev {
        let detail =
            format!("prev_hash {} but the previous entry's hash is {prev}", stored.prev_hash);
        return Some(JournalFault { seq: stored.seq, kind: FaultKind::Reordered, detail });
    }
    None
}
