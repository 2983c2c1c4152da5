//! Citizens' sessions: a random token in the cookie [`crate::session::CITIZEN_COOKIE`], of
//! which the database keeps only the SHA-256 (`citizen_sessions`). A session ends after
//! [`IDLE_MINUTES`] without a request, after [`MAX_HOURS`] in any case, or at logout.

use chrono::{DateTime, Duration, Utc};
use personbase_domain::PersonId;
use personbase_server::auth::{new_token, token_hash};
use personbase_store::{Store, StoreError};

/// Minutes without a request after which a session ends.
pub const IDLE_MINUTES: i64 = 30;
/// Hours after which a session ends however active.
pub const MAX_HOURS: i64 = 8;

fn idle() -> Duration {
    Duration::minutes(IDLE_MINUTES)
}

/// Opens a session for `person`; the token for the cookie.
pub async fn open(
    store: &Store,
    person: PersonId,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let token = new_token();
    let expires = now + Duration::hours(MAX_HOURS);
    store.create_citizen_session(&token_hash(&token), person, now, idle(), expires).await?;
    Ok(token)
}

/// The person of the session of `token`, if alive; a request keeps it alive.
pub async fn find(
    store: &Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<PersonId>, StoreError> {
    store.citizen_session(&token_hash(token), now, idle()).await
}

/// Ends the session of `token`.
pub async fn close(store: &Store, token: &str) -> Result<(), StoreError> {
    store.delete_citizen_session(&token_hash(token)).await
}
