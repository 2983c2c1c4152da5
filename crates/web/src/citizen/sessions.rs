//! Citizens' sessions: a random token in the cookie [`crate::session::CITIZEN_COOKIE`], of
//! which the server keeps only the SHA-256. A session ends after [`IDLE_MINUTES`] without a
//! request, after [`MAX_HOURS`] in any case, or at logout.
//!
//! Kept in the server's memory (see `docs/limitations.md`): a restart logs every citizen out,
//! and two instances do not share sessions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use personbase_domain::PersonId;
use personbase_server::auth::{new_token, token_hash};

/// Minutes without a request after which a session ends.
pub const IDLE_MINUTES: i64 = 30;
/// Hours after which a session ends however active.
pub const MAX_HOURS: i64 = 8;
/// How many sessions may be open at once (a bound on memory).
const MAX_SESSIONS: usize = 100_000;

/// Who a session belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionOf {
    /// The person's record.
    pub person: PersonId,
    /// The person's masked name, for the header.
    pub masked_name: String,
}

#[derive(Debug)]
struct Entry {
    of: SessionOf,
    started: DateTime<Utc>,
    last_seen: DateTime<Utc>,
}

impl Entry {
    fn alive(&self, now: DateTime<Utc>) -> bool {
        now < self.last_seen + Duration::minutes(IDLE_MINUTES)
            && now < self.started + Duration::hours(MAX_HOURS)
    }
}

/// The open sessions, by token hash.
#[derive(Clone, Debug, Default)]
pub struct CitizenSessions(Arc<Mutex<HashMap<String, Entry>>>);

impl CitizenSessions {
    /// Opens a session for `of`; returns the token for the cookie, or `None` when too many
    /// sessions are open.
    pub fn open(&self, of: SessionOf, now: DateTime<Utc>) -> Option<String> {
        let token = new_token();
        let mut sessions = self.lock();
        if sessions.len() >= MAX_SESSIONS {
            sessions.retain(|_, e| e.alive(now));
            if sessions.len() >= MAX_SESSIONS {
                return None;
            }
        }
        sessions.insert(token_hash(&token), Entry { of, started: now, last_seen: now });
        Some(token)
    }

    /// The session of `token`, if alive; a request keeps it alive.
    pub fn find(&self, token: &str, now: DateTime<Utc>) -> Option<SessionOf> {
        let hash = token_hash(token);
        let mut sessions = self.lock();
        let entry = sessions.get_mut(&hash)?;
        if !entry.alive(now) {
            sessions.remove(&hash);
            return None;
        }
        entry.last_seen = now;
        Some(entry.of.clone())
    }

    /// Ends the session of `token`.
    pub fn close(&self, token: &str) {
        self.lock().remove(&token_hash(token));
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000) + Duration::minutes(minutes)
    }

    #[test]
    fn a_session_ends_after_thirty_idle_minutes_or_eight_hours_or_at_logout() {
        let sessions = CitizenSessions::default();
        let of = SessionOf { person: PersonId(7), masked_name: "李*".to_owned() };
        let token = sessions.open(of.clone(), at(0)).unwrap();
        assert!(!sessions.lock().contains_key(&token), "only the hash is kept");

        assert_eq!(sessions.find(&token, at(29)), Some(of.clone()));
        assert_eq!(sessions.find(&token, at(58)), Some(of.clone()), "kept alive by use");
        assert_eq!(sessions.find(&token, at(88)), None, "idle for 30 minutes");

        let token = sessions.open(of.clone(), at(0)).unwrap();
        let mut minute = 0;
        while minute < MAX_HOURS * 60 - 20 {
            minute += 20;
            assert!(sessions.find(&token, at(minute)).is_some());
        }
        assert_eq!(sessions.find(&token, at(MAX_HOURS * 60)), None, "eight hours at most");

        let token = sessions.open(of, at(0)).unwrap();
        sessions.close(&token);
        assert_eq!(sessions.find(&token, at(1)), None);
    }
}
