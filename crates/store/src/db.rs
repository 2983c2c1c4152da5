//! The one place that knows which database backend is in use: SQLite through sqlx. Every
//! other module names the backend only through the aliases here ([`Db`], [`Tx`], [`DbRow`]),
//! so that a PostgreSQL twin of this module (with `migrations/postgres`) is what the
//! roadmap's second backend needs; the SQL elsewhere is written to run on both.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};

use crate::error::Result;

/// The backend.
pub(crate) type Db = sqlx::Sqlite;
/// A connection pool of the backend.
pub(crate) type Pool = sqlx::Pool<Db>;
/// An open transaction.
pub(crate) type Tx = sqlx::Transaction<'static, Db>;
/// A result row.
pub(crate) type DbRow = sqlx::sqlite::SqliteRow;
/// A connection (a transaction derefs to one).
pub(crate) type Conn = sqlx::SqliteConnection;

/// The ordered migrations, embedded at build time; each runs in its own transaction.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// When a commit is on disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// Every commit is synced before it returns (SQLite `synchronous = FULL`). The default.
    #[default]
    Full,
    /// Commits are synced at checkpoints (`synchronous = NORMAL` with WAL): several times
    /// faster; a power failure may lose the newest commits, each with its journal entries,
    /// but never leaves a half-written one. For bulk loads and benchmarks.
    Normal,
}

/// Opens the database at `url`, creating a file database when the URL asks for it
/// (`?mode=rwc`), and brings its schema up to date.
///
/// SQLite's `cache_size`: negative is in KiB.
const CACHE_SIZE: &str = "-32768";

/// File databases use WAL and a busy timeout; an in-memory database (`sqlite::memory:`) lives
/// in one connection that the pool never closes, since each connection would otherwise see
/// its own empty database.
pub(crate) async fn connect(url: &str, durability: Durability) -> Result<Pool> {
    let options = SqliteConnectOptions::from_str(url)?
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(10))
        // 32 MiB of page cache per connection (SQLite's default is 2 MiB): a batch of the
        // bulk loader touches the indexes of persons, enrolments and the journal all over,
        // and a small cache spills dirty pages to the WAL in the middle of the transaction.
        .pragma("cache_size", CACHE_SIZE);
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let pool = if in_memory {
        SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?
    } else {
        SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.journal_mode(SqliteJournalMode::Wal).synchronous(
                match durability {
                    Durability::Full => SqliteSynchronous::Full,
                    Durability::Normal => SqliteSynchronous::Normal,
                },
            ))
            .await?
    };
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Whether the database at `url` already holds PersonBase's journal, looked at read-only, so
/// that nothing migrates an empty file or another program's database.
pub(crate) async fn has_journal(url: &str) -> Result<bool> {
    let options = SqliteConnectOptions::from_str(url)?.create_if_missing(false).read_only(true);
    let mut conn = options.connect().await?;
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal'")
            .fetch_optional(&mut conn)
            .await?;
    conn.close().await?;
    Ok(found.is_some())
}

/// Begins a transaction that will write. SQLite takes the write lock at once
/// (`BEGIN IMMEDIATE`), so that the load, the rules' decision and the write of one operation
/// are serialised against every other writer. (PostgreSQL: `BEGIN` plus `SELECT ... FOR
/// UPDATE` on the person row.)
pub(crate) async fn begin_write(pool: &Pool) -> Result<Tx> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// Begins a read-only transaction, for a consistent view across several queries.
pub(crate) async fn begin_read(pool: &Pool) -> Result<Tx> {
    Ok(pool.begin().await?)
}

/// A moment as stored: RFC 3339 in UTC with microseconds, so that text order is time order
/// and the text round-trips exactly (the journal hashes it).
pub(crate) fn time_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A day as stored: `YYYY-MM-DD`.
pub(crate) fn date_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Parses [`time_text`].
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// Parses [`date_text`].
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}
