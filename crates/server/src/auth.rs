//! Who is calling: operators with a session token (`Authorization: Bearer`), business
//! systems with an API key (`X-Api-Key`), and — until the citizens' login of the portal
//! exists — a person with a one-time self-service token (`X-Self-Token`).
//!
//! Tokens and keys are random, shown once, and only their SHA-256 is kept.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::StatusCode;
use axum::http::request::Parts;
use chrono::{DateTime, Duration, Utc};
use personbase_domain::{Agency, Operator, PersonId};
use personbase_store::{ApiKey, Store};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

/// How long an operator's session lasts.
pub const SESSION_HOURS: i64 = 8;

/// How long a self-service token lasts.
pub const SELF_TOKEN_MINUTES: i64 = 30;

/// A new random token: 32 bytes from the operating system, as 64 hex characters.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The SHA-256 of a token, as hex: what the database keeps.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hashes a password with Argon2id and the library's default cost.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    hash_with(Argon2::default(), password)
}

/// Hashes a password with a deliberately low cost, for tests and benchmarks only: a hash
/// made here verifies like any other, just faster.
pub fn hash_password_cheap(password: &str) -> Result<String, argon2::password_hash::Error> {
    let params = Params::new(1024, 1, 1, None)?;
    hash_with(Argon2::new(Algorithm::Argon2id, Version::V0x13, params), password)
}

fn hash_with(argon: Argon2<'_>, password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Ok(argon.hash_password(password.as_bytes(), &salt)?.to_string())
}

/// An Argon2 hash of a random password with the default cost, made once: what a login that
/// does not exist is checked against, so that it costs as much time as a wrong password.
pub fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&new_token()).unwrap_or_default()).clone()
}

/// Whether `password` matches the stored Argon2 `hash` (parameters are read from the hash).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The client's address, when the server runs with connection info (`personbase serve`);
/// `None` for a router called without a socket (tests).
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        let address = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientAddress(address))
    }
}

/// Why a password login was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginRefusal {
    /// The login or the password is wrong (which one is not said): 401 `wrong_credentials`.
    WrongCredentials,
    /// Too many failures of the login or from the address: 429 `login_locked` until then.
    Locked(DateTime<Utc>),
}

impl From<LoginRefusal> for ApiError {
    fn from(refusal: LoginRefusal) -> Self {
        match refusal {
            LoginRefusal::WrongCredentials => {
                ApiError::new(StatusCode::UNAUTHORIZED, "wrong_credentials", "用户名或密码错误")
            }
            LoginRefusal::Locked(until) => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "login_locked",
                format!(
                    "登录失败次数过多，已暂停登录{}分钟，请稍后再试；忘记密码请联系本机构管理员",
                    personbase_store::LOGIN_LOCK_MINUTES
                ),
            )
            .with_details(json!({ "locked_until": until })),
        }
    }
}

/// Checks a case worker's password login, for the API and the pages alike: the operator, or
/// the refusal — locked when the store counted too many failures of this login (known or
/// not, so a lock does not tell which logins exist) or from this address. A locked login is
/// refused before its password is checked; the failure that reaches the limit is answered
/// as locked; a success clears the login's count.
pub async fn password_login(
    store: &Store,
    login: &str,
    password: String,
    address: Option<IpAddr>,
) -> Result<Result<Operator, LoginRefusal>, ApiError> {
    let login = login.trim();
    if let Some(until) = store.login_locked_until(login, address).await? {
        tracing::info!("login refused: locked");
        return Ok(Err(LoginRefusal::Locked(until)));
    }
    let found = store.operator_credentials(login).await?;
    // An unknown login costs the same Argon2 work as a wrong password, so that the answer's
    // timing does not tell which logins exist.
    let hash = found.as_ref().map(|(_, hash)| hash.clone()).unwrap_or_else(dummy_hash);
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| ApiError::internal(&e))?;
    match found {
        Some((operator, _)) if matches => {
            store.clear_login_failures(login).await?;
            Ok(Ok(operator))
        }
        found => {
            if let Some((operator, _)) = &found {
                tracing::info!(operator = operator.id.0, "login refused");
            }
            match store.record_login_failure(login, address).await? {
                Some(until) => {
                    tracing::info!("login locked after repeated failures");
                    Ok(Err(LoginRefusal::Locked(until)))
                }
                None => Ok(Err(LoginRefusal::WrongCredentials)),
            }
        }
    }
}

/// The logged-in operator and their agency.
#[derive(Clone, Debug)]
pub struct CurrentOperator {
    /// The operator.
    pub operator: Operator,
    /// Their agency.
    pub agency: Agency,
    /// The hash of the session token used.
    pub token_hash: String,
}

impl FromRequestParts<AppState> for CurrentOperator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(ApiError::unauthenticated)?;
        let hash = token_hash(token);
        let now = state.store.clock().now();
        let operator = state
            .store
            .session_operator(&hash, now)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        let agency = state.store.agency(operator.agency).await?;
        tracing::debug!(operator = operator.id.0, agency = agency.id.0, "operator authenticated");
        Ok(CurrentOperator { operator, agency, token_hash: hash })
    }
}

/// A business system, by its API key: one business line at one agency.
#[derive(Clone, Debug)]
pub struct BusinessSystem(pub ApiKey);

impl FromRequestParts<AppState> for BusinessSystem {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let key = parts
            .headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .ok_or_else(ApiError::unauthenticated)?;
        let found = state.store.api_key(&token_hash(key)).await?;
        let key = found.ok_or_else(ApiError::unauthenticated)?;
        tracing::debug!(api_key = key.id, "business system authenticated");
        Ok(BusinessSystem(key))
    }
}

/// One-time self-service tokens, kept in memory: a development stand-in for the citizens'
/// portal login (issue 4). A token belongs to one person, expires after
/// [`SELF_TOKEN_MINUTES`], and is spent by the first action that uses it; a restart forgets
/// them all.
#[derive(Clone, Debug, Default)]
pub struct SelfTokens {
    tokens: Arc<Mutex<TokenMap>>,
}

/// Token hash → (person, expiry).
type TokenMap = HashMap<String, (PersonId, DateTime<Utc>)>;

impl SelfTokens {
    /// Issues a token for `person`, valid from `now`.
    pub fn issue(&self, person: PersonId, now: DateTime<Utc>) -> (String, DateTime<Utc>) {
        let token = new_token();
        let expires = now + Duration::minutes(SELF_TOKEN_MINUTES);
        if let Ok(mut map) = self.tokens.lock() {
            map.retain(|_, (_, exp)| *exp > now);
            map.insert(token_hash(&token), (person, expires));
        }
        (token, expires)
    }

    /// Spends `token` if it is valid for `person` at `now`.
    pub fn spend(&self, token: &str, person: PersonId, now: DateTime<Utc>) -> bool {
        let Ok(mut map) = self.tokens.lock() else { return false };
        let hash = token_hash(token);
        match map.get(&hash) {
            Some((owner, expires)) if *owner == person && *expires > now => {
                map.remove(&hash);
                true
            }
            _ => false,
        }
    }
}

/// The self-service token of a request, unchecked (the handler spends it for the person in
/// the path).
#[derive(Clone, Debug)]
pub struct SelfToken(pub String);

impl FromRequestParts<AppState> for SelfToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        parts
            .headers
            .get("x-self-token")
            .and_then(|v| v.to_str().ok())
            .map(|v| SelfToken(v.trim().to_owned()))
            .ok_or_else(ApiError::unauthenticated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password_cheap("秘密-123").unwrap();
        assert!(verify_password("秘密-123", &hash));
        assert!(!verify_password("秘密-124", &hash));
        assert!(!verify_password("秘密-123", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash("abc").len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn a_self_token_is_spent_once_by_its_person() {
        let tokens = SelfTokens::default();
        let now = Utc::now();
        let (token, _) = tokens.issue(PersonId(7), now);
        assert!(!tokens.spend(&token, PersonId(8), now));
        assert!(tokens.spend(&token, PersonId(7), now));
        assert!(!tokens.spend(&token, PersonId(7), now));
        let (late, _) = tokens.issue(PersonId(7), now);
        assert!(!tokens.spend(&late, PersonId(7), now + Duration::minutes(31)));
    }
}
