//! The web pages of PersonBase, served by the same `personbase serve` as the API:
//!
//! - case workers (经办人员) and information-centre staff: [`worker`] and [`centre`], behind
//!   an operator session kept in a cookie (the same sessions table as the API's tokens);
//! - citizens: [`citizen`], behind a login through a pluggable identity provider.
//!
//! Pages are rendered on the server with askama templates (`templates/`), in Chinese from
//! one catalogue ([`text`]), and work without JavaScript; htmx (vendored in `static/`) adds
//! the live preview of a change as the operator types. No rule is decided here: handlers
//! parse the form, call the store (which asks the rules in its transaction) and show the
//! outcome, refusals with the rule's own explanation.
//!
//! Every page carries a content security policy that allows only this origin's scripts and
//! styles, and every form a CSRF token ([`csrf`]).

pub mod centre;
pub mod citizen;
pub mod csrf;
pub mod page;
pub mod session;
pub mod text;
pub mod worker;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use personbase_server::{ApiError, AppState};

/// What the pages share: the API's state (store, clock) and the web's own settings.
#[derive(Clone, Debug)]
pub struct WebState {
    /// The API's state: the store and its clock.
    pub app: AppState,
    /// The secret that CSRF tokens are derived with (random per process).
    pub csrf: csrf::CsrfKey,
    /// The citizens' login: the identity provider and the sessions it opened.
    pub citizens: citizen::Citizens,
}

impl WebState {
    /// The pages' state around the API's, with citizens logging in through `citizens`.
    pub fn new(app: AppState, citizens: citizen::Citizens) -> Self {
        WebState { app, csrf: csrf::CsrfKey::random(), citizens }
    }
}

/// The content security policy of every page: scripts, styles and forms of this origin only,
/// no frames, no plugins. Charts are inline SVG, which needs no exception.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// The headers every page carries, error pages included.
const PAGE_HEADERS: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
    (HeaderName::from_static("x-frame-options"), "DENY"),
];

/// Sets [`PAGE_HEADERS`] on a page's response, replacing any a handler set.
async fn page_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in PAGE_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Every page, for merging beside the API's router (see [`site`] for the whole service). A
/// page route asked with a method it does not answer (`GET /logout`) is the Chinese error
/// page (405).
pub fn pages(state: WebState) -> Router {
    let guard = axum::middleware::from_fn_with_state(state.clone(), csrf::guard);
    Router::new()
        .route("/", get(home))
        .route("/static/app.css", get(app_css))
        .route("/static/htmx.min.js", get(htmx_js))
        .merge(session::routes())
        .merge(worker::routes())
        .merge(centre::routes())
        .merge(citizen::routes())
        .method_not_allowed_fallback(method_not_allowed)
        .layer(guard)
        .with_state(state)
        .layer(axum::middleware::map_response(page_headers))
}

/// The whole service `personbase serve` answers: the API (`personbase_server::router`) and
/// the pages on one port. A path that nothing answers is the API's JSON 404 under `/api` and
/// the pages' Chinese error page, with the pages' headers, anywhere else.
pub fn site(state: WebState) -> Router {
    personbase_server::router(state.app.clone()).merge(pages(state)).fallback(not_found)
}

/// Whether `path` is the API's (`/api`, `/api/…`).
fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

async fn not_found(uri: Uri) -> Response {
    if is_api(uri.path()) {
        return ApiError::no_route().into_response();
    }
    page_headers(page::WebError::status(StatusCode::NOT_FOUND, text::NOT_FOUND).into_response())
        .await
}

async fn method_not_allowed() -> page::WebError {
    page::WebError::status(StatusCode::METHOD_NOT_ALLOWED, text::METHOD_NOT_ALLOWED)
}

/// `/`: case workers start at the search page (which sends them to log in first).
async fn home() -> Redirect {
    Redirect::to("/search")
}

const APP_CSS: &str = include_str!("../static/app.css");
const HTMX_JS: &str = include_str!("../static/htmx.min.js");

async fn app_css() -> Response {
    static_asset("text/css; charset=utf-8", APP_CSS)
}

async fn htmx_js() -> Response {
    static_asset("text/javascript; charset=utf-8", HTMX_JS)
}

fn static_asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        body,
    )
        .into_response()
}
