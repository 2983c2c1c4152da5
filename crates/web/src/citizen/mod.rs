//! Citizens' self-service (R2.10, R2.4): login through a pluggable identity provider, the own
//! record masked, contact changes with immediate effect, confirming or refusing requests.
//!
//! - [`provider`]: the [`IdentityProvider`] trait; [`oidc`] (the province's unified identity
//!   service) and [`dev`] (a one-time code on the console, demo and tests only) implement it.
//! - [`sessions`]: the citizens' sessions behind the cookie [`CITIZEN_COOKIE`], kept in the
//!   database.
//! - [`login`]: `/self/login` and its steps, `/self/logout`.
//! - [`pages`]: `/self`, the contact change and the answers to requests.
//!
//! A login yields the number and name the provider vouches for; the citizen is the person
//! whose record carries that number, and only if the record's name is the same.

pub mod dev;
pub mod login;
pub mod oidc;
pub mod pages;
pub mod provider;
pub mod sessions;

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use personbase_domain::{Person, PersonId, PersonName, PersonStatus};
use personbase_store::Store;

use crate::WebState;
use crate::page::{Frame, WebError, WebResult};
use crate::session::CITIZEN_COOKIE;
pub use provider::{IdentityProvider, LoginError, VerifiedCitizen};

/// The citizens' login: which identity provider (the sessions it opens are in the database).
#[derive(Clone, Default)]
pub struct Citizens {
    provider: Option<Arc<dyn IdentityProvider>>,
}

impl std::fmt::Debug for Citizens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Citizens").field("provider", &self.provider).finish_non_exhaustive()
    }
}

impl Citizens {
    /// Self-service without a login: `/self/login` says it is not configured.
    pub fn not_configured() -> Self {
        Citizens::default()
    }

    /// Citizens log in through `provider`.
    pub fn with_provider(provider: Arc<dyn IdentityProvider>) -> Self {
        Citizens { provider: Some(provider) }
    }

    /// The identity provider, when one is configured.
    pub fn provider(&self) -> Option<&dyn IdentityProvider> {
        self.provider.as_deref()
    }
}

/// The person whose record carries the verified number, if the names agree and the record is
/// in use. `Ok(Err(..))` is a refused login; `Err(..)` a failure of the store.
pub async fn person_for(
    store: &Store,
    citizen: &VerifiedCitizen,
) -> WebResult<Result<Person, LoginError>> {
    let Some(person) = store.person_by_ssn(&citizen.number).await? else {
        return Ok(Err(LoginError::NoRecord));
    };
    let same_name = PersonName::parse(&citizen.name).is_ok_and(|name| name == person.name);
    if !same_name {
        return Ok(Err(LoginError::NameMismatch));
    }
    if person.status != PersonStatus::Active {
        return Ok(Err(LoginError::RecordInactive));
    }
    Ok(Ok(person))
}

/// The logged-in citizen, for every self-service page; without a live session the page
/// sends the browser to `/self/login`.
#[derive(Clone, Debug)]
pub struct Citizen {
    /// The person's record.
    pub person: PersonId,
    /// The person's masked name, for the header.
    pub masked_name: String,
    /// The CSRF token of this session's forms.
    pub csrf: String,
}

impl Citizen {
    /// The frame of a page titled `title` for this citizen.
    pub fn frame(&self, title: &str) -> Frame {
        Frame {
            title: title.to_owned(),
            worker: None,
            citizen: Some(self.masked_name.clone()),
            csrf: self.csrf.clone(),
        }
    }
}

impl FromRequestParts<WebState> for Citizen {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, WebError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(CITIZEN_COOKIE).map(|c| c.value().to_owned());
        let token = token.ok_or(WebError::CitizenLogin)?;
        let store = &state.app.store;
        let person = sessions::find(store, &token, store.clock().now()).await?;
        let person = store.person(person.ok_or(WebError::CitizenLogin)?).await?;
        let csrf = state.csrf.token(CITIZEN_COOKIE, &token);
        Ok(Citizen { person: person.id, masked_name: person.name.masked(), csrf })
    }
}

/// The self-service routes.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/self", get(pages::self_page))
        .route("/self/contact", post(pages::change_contact))
        .route("/self/requests/{id}/confirm", post(pages::answer))
        .route("/self/login", get(login::login_page))
        .route("/self/login/dev", post(login::dev_begin))
        .route("/self/login/code", post(login::dev_complete))
        .route("/self/login/oidc", get(login::oidc_begin))
        .route("/self/login/callback", get(login::oidc_callback))
        .route("/self/logout", post(login::logout))
}
