//! `/self/login` and its steps, and `/self/logout`.
//!
//! The development provider's two forms post to `/self/login/dev` (number and name) and
//! `/self/login/code` (the one-time code); both are bound to the browser by the login cookie
//! that also carries their CSRF token. OpenID Connect starts at `/self/login/oidc`, which
//! sends the browser to the provider with a binding cookie of its own (`SameSite=Lax`, since
//! the provider's redirect back is a cross-site navigation), and returns at
//! `/self/login/callback`. The session cookie is `SameSite=Strict`, which a browser does not
//! send on a navigation that began at the provider: the callback therefore answers with a
//! page of this site that moves on to `/self` itself.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use personbase_identity::SocialSecurityNumber;
use personbase_server::auth::new_token;
use serde::Deserialize;

use super::person_for;
use super::provider::{Begin, Begun, Claimed, LoginError, LoginStart, Reply, VerifiedCitizen};
use super::sessions;
use crate::WebState;
use crate::page::{Frame, PageForm, PageQuery, WebResult, render};
use crate::session::{CITIZEN_COOKIE, LOGIN_COOKIE, cookie, removal};
use crate::text;

/// The cookie that binds an OpenID Connect login to the browser that began it.
pub const OIDC_COOKIE: &str = "__Host-pb-oidc";
/// The longest name the login form takes, in characters.
const NAME_MAX: usize = 50;

/// Which form the login page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// No provider configured.
    NotConfigured,
    /// Number and name (development provider).
    NumberAndName,
    /// The one-time code (development provider).
    Code,
    /// The link to the identity service.
    Redirect,
}

/// The login page.
#[derive(Template)]
#[template(path = "citizen/login.html")]
struct LoginPage {
    frame: Frame,
    step: Step,
    error: Option<String>,
    number: String,
    name: String,
    flow: String,
}

/// The page the OpenID Connect callback answers with: it moves on to `/self`.
#[derive(Template)]
#[template(path = "citizen/continue.html")]
struct ContinuePage {}

struct Shown {
    step: Step,
    error: Option<LoginError>,
    number: String,
    name: String,
    flow: String,
}

impl Shown {
    fn step(step: Step) -> Self {
        Shown { step, error: None, number: String::new(), name: String::new(), flow: String::new() }
    }

    fn refused(step: Step, error: LoginError) -> Self {
        Shown { error: Some(error), ..Shown::step(step) }
    }
}

fn first_step(state: &WebState) -> Step {
    match state.citizens.provider().map(|p| p.start()) {
        None => Step::NotConfigured,
        Some(LoginStart::NumberAndName) => Step::NumberAndName,
        Some(LoginStart::Redirect) => Step::Redirect,
    }
}

/// Renders the login page for the browser whose login cookie is `binding` (a new one is set
/// when `binding` is `None`).
fn login_form(state: &WebState, jar: CookieJar, binding: Option<&str>, shown: Shown) -> Response {
    let (jar, value) = match binding {
        Some(value) => (jar, value.to_owned()),
        None => {
            let value = new_token();
            (jar.add(cookie(LOGIN_COOKIE, value.clone())), value)
        }
    };
    let csrf = state.csrf.token(LOGIN_COOKIE, &value);
    let frame = Frame { title: text::CITIZEN_LOGIN_TITLE.to_owned(), csrf, ..Frame::default() };
    let status = match &shown.error {
        None => StatusCode::OK,
        Some(LoginError::NotConfigured) => StatusCode::SERVICE_UNAVAILABLE,
        Some(LoginError::Busy | LoginError::TooManyCodes) => StatusCode::TOO_MANY_REQUESTS,
        Some(LoginError::InvalidNumber(_) | LoginError::InvalidName) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some(_) => StatusCode::UNAUTHORIZED,
    };
    if let Some(err) = &shown.error {
        tracing::info!(reason = %err, "citizen login refused");
    }
    let page = LoginPage {
        frame,
        step: shown.step,
        error: shown.error.as_ref().map(LoginError::message_zh),
        number: shown.number,
        name: shown.name,
        flow: shown.flow,
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    (jar, response).into_response()
}

/// `GET /self/login`: the first step of the configured provider.
pub(super) async fn login_page(State(state): State<WebState>, jar: CookieJar) -> Response {
    let step = first_step(&state);
    let binding = crate::session::existing_login_cookie(&jar);
    login_form(&state, jar, binding.as_deref(), Shown::step(step))
}

/// The number-and-name form.
#[derive(Deserialize)]
pub(super) struct NumberAndName {
    number: String,
    name: String,
}

/// `POST /self/login/dev`: sends a one-time code.
pub(super) async fn dev_begin(
    State(state): State<WebState>,
    jar: CookieJar,
    PageForm(input): PageForm<NumberAndName>,
) -> Response {
    let Some(binding) = jar.get(LOGIN_COOKIE).map(|c| c.value().to_owned()) else {
        return Redirect::to("/self/login").into_response();
    };
    let Some(provider) = state.citizens.provider() else {
        return login_form(
            &state,
            jar,
            None,
            Shown::refused(Step::NotConfigured, LoginError::NotConfigured),
        );
    };
    let refill = |error: LoginError| Shown {
        number: input.number.clone(),
        name: input.name.clone(),
        ..Shown::refused(Step::NumberAndName, error)
    };
    let number = match SocialSecurityNumber::parse(&input.number) {
        Ok(number) => number,
        Err(err) => {
            let shown = refill(LoginError::InvalidNumber(err.message_zh()));
            return login_form(&state, jar, Some(&binding), shown);
        }
    };
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return login_form(&state, jar, Some(&binding), refill(LoginError::InvalidName));
    }

    let now = state.app.store.clock().now();
    let claimed = Some(Claimed { number, name });
    let begun = provider.begin(Begin { binding: &binding, claimed, now }).await;
    let shown = match begun {
        Ok(Begun::CodeForm { flow }) => Shown { flow, ..Shown::step(Step::Code) },
        Ok(Begun::Redirect(_)) => Shown::step(first_step(&state)),
        Err(err) => refill(err),
    };
    login_form(&state, jar, Some(&binding), shown)
}

/// The one-time code form.
#[derive(Deserialize)]
pub(super) struct CodeInput {
    flow: String,
    code: String,
}

/// `POST /self/login/code`: checks the code and opens the session.
pub(super) async fn dev_complete(
    State(state): State<WebState>,
    jar: CookieJar,
    PageForm(input): PageForm<CodeInput>,
) -> WebResult {
    let Some(binding) = jar.get(LOGIN_COOKIE).map(|c| c.value().to_owned()) else {
        return Ok(Redirect::to("/self/login").into_response());
    };
    let Some(provider) = state.citizens.provider() else {
        return Ok(Redirect::to("/self/login").into_response());
    };
    let now = state.app.store.clock().now();
    let params = [("flow".to_owned(), input.flow.clone()), ("code".to_owned(), input.code)];
    let verified = provider.complete(Reply { binding: &binding, params: &params, now }).await;
    let verified = match verified {
        Ok(verified) => verified,
        Err(LoginError::WrongCode) => {
            let shown =
                Shown { flow: input.flow, ..Shown::refused(Step::Code, LoginError::WrongCode) };
            return Ok(login_form(&state, jar, Some(&binding), shown));
        }
        Err(err) => {
            return Ok(login_form(
                &state,
                jar,
                Some(&binding),
                Shown::refused(Step::NumberAndName, err),
            ));
        }
    };
    match open_session(&state, &verified).await? {
        Ok(token) => {
            close_previous(&state, &jar).await?;
            let jar = jar.add(cookie(CITIZEN_COOKIE, token)).add(removal(LOGIN_COOKIE));
            Ok((jar, Redirect::to("/self")).into_response())
        }
        Err(err) => {
            let shown = Shown::refused(Step::NumberAndName, err);
            Ok(login_form(&state, jar, Some(&binding), shown))
        }
    }
}

/// Maps the verified citizen to their record and opens a session; the token for the cookie.
async fn open_session(
    state: &WebState,
    verified: &VerifiedCitizen,
) -> WebResult<Result<String, LoginError>> {
    let person = match person_for(&state.app.store, verified).await? {
        Ok(person) => person,
        Err(err) => return Ok(Err(err)),
    };
    let store = &state.app.store;
    let token = sessions::open(store, person.id, store.clock().now()).await?;
    tracing::info!(person = person.id.0, "citizen session opened");
    Ok(Ok(token))
}

/// Ends the session the browser held before this login, if any.
async fn close_previous(state: &WebState, jar: &CookieJar) -> WebResult<()> {
    if let Some(old) = jar.get(CITIZEN_COOKIE) {
        sessions::close(&state.app.store, old.value()).await?;
    }
    Ok(())
}

fn binding_cookie(value: String) -> Cookie<'static> {
    let mut c = cookie(OIDC_COOKIE, value);
    c.set_same_site(SameSite::Lax);
    c
}

/// `GET /self/login/oidc`: sends the browser to the identity service.
pub(super) async fn oidc_begin(State(state): State<WebState>, jar: CookieJar) -> Response {
    let Some(provider) = state.citizens.provider() else {
        return Redirect::to("/self/login").into_response();
    };
    if provider.start() != LoginStart::Redirect {
        return Redirect::to("/self/login").into_response();
    }
    let binding = new_token();
    let now = state.app.store.clock().now();
    match provider.begin(Begin { binding: &binding, claimed: None, now }).await {
        Ok(Begun::Redirect(url)) => {
            (jar.add(binding_cookie(binding)), Redirect::to(&url)).into_response()
        }
        Ok(Begun::CodeForm { .. }) => Redirect::to("/self/login").into_response(),
        Err(err) => login_form(&state, jar, None, Shown::refused(Step::Redirect, err)),
    }
}

/// `GET /self/login/callback`: the identity service's answer.
pub(super) async fn oidc_callback(
    State(state): State<WebState>,
    jar: CookieJar,
    PageQuery(params): PageQuery<Vec<(String, String)>>,
) -> WebResult {
    let Some(provider) = state.citizens.provider() else {
        return Ok(Redirect::to("/self/login").into_response());
    };
    let binding = jar.get(OIDC_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    let jar = jar.add(removal(OIDC_COOKIE));
    let now = state.app.store.clock().now();
    let refused = |jar, err| Ok(login_form(&state, jar, None, Shown::refused(Step::Redirect, err)));
    if binding.is_empty() {
        return refused(jar, LoginError::Provider("no binding cookie".to_owned()));
    }
    let verified = match provider.complete(Reply { binding: &binding, params: &params, now }).await
    {
        Ok(verified) => verified,
        Err(err) => return refused(jar, err),
    };
    match open_session(&state, &verified).await? {
        Ok(token) => {
            close_previous(&state, &jar).await?;
            let jar = jar.add(cookie(CITIZEN_COOKIE, token));
            Ok((jar, render(&ContinuePage {})).into_response())
        }
        Err(err) => refused(jar, err),
    }
}

/// `POST /self/logout`.
pub(super) async fn logout(State(state): State<WebState>, jar: CookieJar) -> WebResult {
    if let Some(token) = jar.get(CITIZEN_COOKIE) {
        sessions::close(&state.app.store, token.value()).await?;
        tracing::info!("citizen session closed");
    }
    Ok((jar.add(removal(CITIZEN_COOKIE)), Redirect::to("/self/login")).into_response())
}
