//! Citizens' self-service (R2.10, R2.4): login through an identity provider, the own record
//! masked, contact changes with immediate effect, confirming or refusing requests.

use axum::Router;

use crate::WebState;

/// The citizens' login: which identity provider, and the sessions it opened.
#[derive(Clone, Debug, Default)]
pub struct Citizens {}

/// The self-service routes.
pub fn routes() -> Router<WebState> {
    Router::new()
}
