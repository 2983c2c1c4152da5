//! Case workers' pages: search, a person's page, proposing a change with its live preview,
//! the agency's inbox of sign-offs, and the counter confirmation (R2.4).

use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::get;

use crate::WebState;
use crate::page::{Frame, render};
use crate::session::Worker;
use crate::text;

/// The worker pages' routes.
pub fn routes() -> Router<WebState> {
    Router::new().route("/search", get(search_page))
}

/// The search page.
#[derive(Template)]
#[template(path = "worker/search.html")]
struct SearchPage {
    frame: Frame,
}

async fn search_page(worker: Worker) -> Response {
    render(&SearchPage { frame: worker.frame(text::NAV_SEARCH) })
}
