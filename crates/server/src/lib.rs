//! The HTTP API of PersonBase under `/api/v1`: JSON in and out, errors as
//! `{code, message, rule, details}` (see [`error`] for the status of each), an OpenAPI
//! document at `/api/v1/openapi.json` and its Swagger UI at `/api/docs`.
//!
//! Who calls:
//! - operators, with a session token from `POST /api/v1/session` (8 hours);
//! - business systems, with an API key scoped to one business line at one agency;
//! - a person on the self-service routes, with a one-time token (a development stand-in for
//!   the portal login, see [`auth::SelfTokens`]).
//!
//! This crate never decides a rule: it parses input into domain types, calls the store (which
//! asks the rules inside its transaction), and shows the outcome. Lists and GETs are masked;
//! the full record only comes from the journaled unmask route. Logs carry ids only.

pub mod auth;
pub mod error;
pub mod input;
mod openapi;
mod routes;
pub mod views;

use axum::Router;
use axum::extract::MatchedPath;
use axum::http::Request;
use personbase_store::Store;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa_swagger_ui::SwaggerUi;

pub use error::{ApiError, ErrorBody};
pub use openapi::ApiDoc;
pub use routes::self_service::{SELF_SERVICE_REASON, answer_as_person, change_own_contact};

/// What every handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// One-time self-service tokens (in memory).
    pub self_tokens: auth::SelfTokens,
}

impl AppState {
    /// State around `store`.
    pub fn new(store: Store) -> Self {
        AppState { store, self_tokens: auth::SelfTokens::default() }
    }
}

/// The whole service: the API, its OpenAPI document, the Swagger UI and `/healthz`.
pub fn router(state: AppState) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<_>| {
            // The matched route only (`/api/v1/persons/{id}`): never the query string or a body.
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "unmatched".to_owned());
            tracing::info_span!("http", method = %req.method(), route)
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    routes::api()
        .with_state(state)
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", openapi::document()))
        .fallback(|| async { error::ApiError::no_route() })
        .layer(trace)
}
