//! Information centres' pages (R1.1): the region's open and overdue requests, same-day
//! completion per agency and day, the audit trail of a person or operator, Excel export.

use axum::Router;

use crate::WebState;

/// The centre pages' routes.
pub fn routes() -> Router<WebState> {
    Router::new()
}
