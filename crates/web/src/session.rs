//! Case workers' login, logout and the [`Worker`] every worker page asks for.
//!
//! The session is the API's: a random token whose SHA-256 is in the sessions table, here
//! carried in the cookie [`WORKER_COOKIE`] (`HttpOnly`, `Secure`, `SameSite=Strict`, with
//! the `__Host-` prefix so no other host or path can set it). Browsers treat `localhost` and
//! `127.0.0.1` as secure, so the demo works on plain HTTP there; anywhere else the service
//! must be behind TLS.

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::Duration;
use personbase_domain::{Agency, AgencyKind, Operator};
use personbase_server::auth::{
    ClientAddress, LoginRefusal, SESSION_HOURS, new_token, password_login, token_hash,
};
use serde::Deserialize;

use crate::WebState;
use crate::page::{Frame, PageForm, PageQuery, WebError, WebResult, WorkerHeader, render};
use crate::text;

/// The cookie of a case worker's session.
pub const WORKER_COOKIE: &str = "__Host-pb-worker";
/// The cookie of a citizen's session.
pub const CITIZEN_COOKIE: &str = "__Host-pb-citizen";
/// The cookie that binds the login form's CSRF token before there is a session.
pub const LOGIN_COOKIE: &str = "__Host-pb-login";

/// A cookie with the flags every cookie of ours carries. It has no expiry of its own: it
/// ends with the browser, and the server ends the session behind it earlier (8 hours).
pub fn cookie(name: &'static str, value: String) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_http_only(true);
    c.set_secure(true);
    c.set_same_site(SameSite::Strict);
    c.set_path("/");
    c
}

/// A cookie that removes `name`.
pub fn removal(name: &'static str) -> Cookie<'static> {
    let mut c = cookie(name, String::new());
    c.make_removal();
    c
}

/// The logged-in case worker.
#[derive(Clone, Debug)]
pub struct Worker {
    /// The operator.
    pub operator: Operator,
    /// Their agency.
    pub agency: Agency,
    /// The CSRF token for this session's forms.
    pub csrf: String,
}

impl Worker {
    /// The frame of a page titled `title` for this worker.
    pub fn frame(&self, title: &str) -> Frame {
        let year = chrono::Datelike::year(&chrono::Utc::now());
        let region = personbase_identity::division::full_name(self.agency.division, year)
            .unwrap_or_default();
        Frame {
            title: title.to_owned(),
            worker: Some(WorkerHeader {
                name: self.operator.name.clone(),
                agency: self.agency.name.clone(),
                level: text::level(self.agency.level.code()).to_owned(),
                region: format!("{region}（{}）", self.agency.division),
                centre: self.agency.kind == AgencyKind::InformationCentre,
            }),
            citizen: None,
            csrf: self.csrf.clone(),
        }
    }
}

impl FromRequestParts<WebState> for Worker {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, WebError> {
        // Back to the page after logging in; a form's action is no page (a GET of it is a
        // 405), so after a form the worker starts at the search page.
        let next = match parts.method {
            axum::http::Method::GET => {
                parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default()
            }
            _ => String::new(),
        };
        let login = || WebError::WorkerLogin { next: next.clone() };
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(WORKER_COOKIE).map(|c| c.value().to_owned()).ok_or_else(login)?;
        let store = &state.app.store;
        let operator = store
            .session_operator(&token_hash(&token), store.clock().now())
            .await?
            .ok_or_else(login)?;
        let agency = store.agency(operator.agency).await?;
        let csrf = state.csrf.token(WORKER_COOKIE, &token);
        Ok(Worker { operator, agency, csrf })
    }
}

/// The login and logout routes.
pub fn routes() -> Router<WebState> {
    Router::new().route("/login", get(login_page).post(login)).route("/logout", post(logout))
}

/// The value of the browser's login cookie, when it has one that could be ours.
pub fn existing_login_cookie(jar: &CookieJar) -> Option<String> {
    let value = jar.get(LOGIN_COOKIE)?.value();
    (value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())).then(|| value.to_owned())
}

/// The login page.
#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    frame: Frame,
    next: String,
    error: Option<String>,
    login: String,
}

/// Where to go after logging in: only a path of this site.
#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// A path of this site: one slash, then no second slash or backslash, and no control
/// character (browsers drop tabs and line breaks from a URL, so `/\t/host` would become
/// `//host`, another site; a line break cannot even be a header value).
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.contains('\\')
            && !n.chars().any(char::is_control)
    })
    .unwrap_or_else(|| "/search".to_owned())
}

/// The login page; after a refused login, with its status and message.
fn login_form(
    state: &WebState,
    jar: CookieJar,
    next: String,
    error: Option<(StatusCode, String)>,
    login: String,
) -> Response {
    // The browser's login cookie is kept when it has one, so that a second login page (or
    // the citizens' one) does not void the form of the first.
    let value = existing_login_cookie(&jar).unwrap_or_else(new_token);
    let csrf = state.csrf.token(LOGIN_COOKIE, &value);
    let frame = Frame { title: text::LOGIN_TITLE.to_owned(), csrf, ..Frame::default() };
    let jar = jar.add(cookie(LOGIN_COOKIE, value));
    let (status, error) = match error {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    };
    let mut response = render(&LoginPage { frame, next, error, login });
    *response.status_mut() = status;
    (jar, response).into_response()
}

async fn login_page(
    State(state): State<WebState>,
    jar: CookieJar,
    PageQuery(q): PageQuery<NextQuery>,
) -> Response {
    login_form(&state, jar, safe_next(q.next), None, String::new())
}

/// The login form (the CSRF token was checked by the guard).
#[derive(Deserialize)]
struct LoginInput {
    login: String,
    password: String,
    next: Option<String>,
}

/// Logs a case worker in: the API's check ([`password_login`]: the same Argon2 work for an
/// unknown login, the store's count of failures and its lock), then a session in the cookie.
async fn login(
    State(state): State<WebState>,
    ClientAddress(address): ClientAddress,
    jar: CookieJar,
    PageForm(input): PageForm<LoginInput>,
) -> WebResult {
    let store = &state.app.store;
    let next = safe_next(input.next);
    let refused = match password_login(store, &input.login, input.password, address).await? {
        Ok(operator) => Ok(operator),
        Err(LoginRefusal::WrongCredentials) => {
            Err((StatusCode::UNAUTHORIZED, text::WRONG_CREDENTIALS.to_owned()))
        }
        Err(LoginRefusal::Locked(until)) => {
            Err((StatusCode::TOO_MANY_REQUESTS, text::login_locked(until)))
        }
    };
    let operator = match refused {
        Ok(operator) => operator,
        Err(error) => return Ok(login_form(&state, jar, next, Some(error), input.login)),
    };
    // A new login in this browser ends the session it held before.
    if let Some(old) = jar.get(WORKER_COOKIE) {
        store.delete_session(&token_hash(old.value())).await?;
    }
    let token = new_token();
    let expires = store.clock().now() + Duration::hours(SESSION_HOURS);
    store.create_session(&token_hash(&token), operator.id, expires).await?;
    tracing::info!(operator = operator.id.0, "page session opened");
    let jar = jar.add(cookie(WORKER_COOKIE, token)).add(removal(LOGIN_COOKIE));
    Ok((jar, Redirect::to(&next)).into_response())
}

async fn logout(State(state): State<WebState>, jar: CookieJar) -> WebResult {
    if let Some(token) = jar.get(WORKER_COOKIE) {
        state.app.store.delete_session(&token_hash(token.value())).await?;
    }
    Ok((jar.add(removal(WORKER_COOKIE)), Redirect::to("/login")).into_response())
}
