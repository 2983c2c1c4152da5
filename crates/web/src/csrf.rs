//! Cross-site request forgery: every state-changing request to a page must carry a token that
//! only this server can compute for the caller's own session cookie.
//!
//! The token is `SHA-256(key ‖ cookie name ‖ SHA-256(cookie value))` with a random key per
//! process, so it is bound to the session (a token stolen for one session is useless in
//! another) and needs no storage. [`guard`] checks it on every `POST` to a page before any
//! handler runs, so no handler can forget: forms send it as the field `_csrf`, multipart
//! forms (document uploads) in the query string of their `action`. Cookies are also
//! `SameSite=Strict`, a second line.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::WebState;
use crate::page::WebError;
use crate::session::{CITIZEN_COOKIE, LOGIN_COOKIE, WORKER_COOKIE};

/// The largest urlencoded form body the guard reads (multipart forms carry the token in the
/// query and are not read here).
const FORM_LIMIT: usize = 1 << 20;

/// The per-process secret that tokens are derived with.
#[derive(Clone)]
pub struct CsrfKey([u8; 32]);

impl std::fmt::Debug for CsrfKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfKey(..)")
    }
}

impl CsrfKey {
    /// A new random key.
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        CsrfKey(key)
    }

    /// The token for the session held in cookie `cookie` with value `value`.
    pub fn token(&self, cookie: &str, value: &str) -> String {
        let inner = Sha256::digest(value.as_bytes());
        let mut outer = Sha256::new();
        outer.update(self.0);
        outer.update(cookie.as_bytes());
        outer.update([0]);
        outer.update(inner);
        hex::encode(outer.finalize())
    }

    /// Whether `given` is the token of one of the session cookies in `jar`.
    pub fn accepts(&self, jar: &CookieJar, given: &str) -> bool {
        [WORKER_COOKIE, CITIZEN_COOKIE, LOGIN_COOKIE].iter().any(|name| {
            jar.get(name).is_some_and(|c| constant_time_eq(&self.token(name, c.value()), given))
        })
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token a request carries: `_csrf` in the query, else in an urlencoded body.
fn field(pairs: &[(String, String)]) -> Option<&str> {
    pairs.iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v.as_str())
}

/// Middleware: refuses every non-GET request to a page whose CSRF token does not match the
/// caller's session cookie. The body is read (up to 1 MiB) and handed on unchanged.
pub async fn guard(State(state): State<WebState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let jar = CookieJar::from_headers(request.headers());
    let query: Vec<(String, String)> =
        request.uri().query().and_then(|q| serde_urlencoded::from_str(q).ok()).unwrap_or_default();
    if let Some(given) = field(&query) {
        return if state.csrf.accepts(&jar, given) { next.run(request).await } else { forbidden() };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return forbidden();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
        return WebError::status(StatusCode::PAYLOAD_TOO_LARGE, crate::text::FORM_TOO_LARGE)
            .into_response();
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    match field(&pairs) {
        Some(given) if state.csrf.accepts(&jar, given) => {
            next.run(Request::from_parts(parts, Body::from(bytes))).await
        }
        _ => forbidden(),
    }
}

fn forbidden() -> Response {
    tracing::info!("form refused: missing or wrong CSRF token");
    WebError::status(StatusCode::FORBIDDEN, crate::text::CSRF_REFUSED).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum_extra::extract::cookie::Cookie;

    #[test]
    fn a_token_fits_only_its_own_session() {
        let key = CsrfKey::random();
        let mine = key.token(WORKER_COOKIE, "session-a");
        let jar = CookieJar::new().add(Cookie::new(WORKER_COOKIE, "session-a"));
        assert!(key.accepts(&jar, &mine));
        let other = CookieJar::new().add(Cookie::new(WORKER_COOKIE, "session-b"));
        assert!(!key.accepts(&other, &mine));
        // The same session under another process's key does not match either.
        assert!(!CsrfKey::random().accepts(&jar, &mine));
        // A token for the login cookie is not a token for a worker's session of that value.
        let login = key.token(LOGIN_COOKIE, "session-a");
        assert!(!key.accepts(&jar, &login));
        assert!(!key.accepts(&jar, ""));
    }
}
