//! The routes of `/api/v1`, one module per resource.

pub(crate) mod business;
pub(crate) mod cards;
pub(crate) mod persons;
pub(crate) mod requests;
pub(crate) mod self_service;
pub(crate) mod session;

use axum::Json;
use axum::Router;
use axum::routing::{delete, get, post};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;

/// Every route of the API.
pub(crate) fn api() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/session", post(session::login).get(session::whoami).delete(session::logout))
        .route("/api/v1/agencies", get(session::agencies))
        .route("/api/v1/persons", post(persons::enter))
        .route("/api/v1/persons/search", post(persons::search))
        .route("/api/v1/persons/{id}", get(persons::get_masked))
        .route("/api/v1/persons/{id}/unmask", post(persons::unmask))
        .route("/api/v1/persons/{id}/details", get(persons::details))
        .route("/api/v1/persons/{id}/history", get(persons::history))
        .route("/api/v1/persons/{id}/changes/preview", post(requests::preview))
        .route("/api/v1/persons/{id}/changes", post(requests::propose))
        .route("/api/v1/persons/{id}/cards", post(cards::issue))
        .route("/api/v1/persons/{id}/self-service-token", post(self_service::issue_token))
        .route("/api/v1/registry/{number}", get(persons::registry_lookup))
        .route("/api/v1/requests/{id}", get(requests::get_request))
        .route("/api/v1/requests/{id}/sign-off", post(requests::sign_off))
        .route("/api/v1/requests/{id}/reject", post(requests::reject))
        .route("/api/v1/requests/{id}/confirm", post(requests::confirm))
        .route("/api/v1/requests/{id}/withdraw", post(requests::withdraw))
        .route("/api/v1/inbox", get(requests::inbox))
        .route("/api/v1/overdue", get(requests::overdue))
        .route("/api/v1/cards/{id}/void", post(cards::void))
        .route("/api/v1/cards/{id}/replacement", post(cards::replacement))
        .route("/api/v1/business/enrolments", post(business::enrol))
        .route("/api/v1/business/enrolments/{person_id}", delete(business::close_enrolment))
        .route("/api/v1/business/transactions", post(business::start_transaction))
        .route("/api/v1/business/transactions/{id}/finish", post(business::finish_transaction))
        .route("/api/v1/business/specials", post(business::add_special))
        .route("/api/v1/business/specials/{person_id}/{kind}", delete(business::cancel_special))
        .route("/api/v1/self/{person_id}/changes", post(self_service::change))
        .route("/api/v1/self/{person_id}/requests/{id}/confirm", post(self_service::confirm))
}

/// Liveness.
#[derive(Serialize, ToSchema)]
pub(crate) struct Health {
    /// Always `ok`.
    status: &'static str,
}

/// Whether the service answers.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, body = Health)))]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}
