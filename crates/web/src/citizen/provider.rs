//! The pluggable identity provider a citizen logs in through, and what a login yields.
//!
//! A provider runs a login in two steps: [`IdentityProvider::begin`] (send the browser to the
//! provider, or show a form) and [`IdentityProvider::complete`] (the provider's reply: the
//! callback's query, or the posted form) which yields the [`VerifiedCitizen`] — the identity
//! number and name the provider vouches for. Mapping that to a person's record is not the
//! provider's business: [`super::Citizens`] does it, the same for every provider.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use personbase_identity::SocialSecurityNumber;

use crate::text;

/// A boxed future, so that providers can be chosen at run time (`dyn IdentityProvider`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An identity provider: the province's unified identity service ([`super::oidc`]) or the
/// development provider ([`super::dev`]).
pub trait IdentityProvider: Send + Sync + fmt::Debug {
    /// How the login page starts a login with this provider.
    fn start(&self) -> LoginStart;

    /// Starts a login for the browser bound by `begin.binding`.
    fn begin<'a>(&'a self, begin: Begin<'a>) -> BoxFuture<'a, Result<Begun, LoginError>>;

    /// Finishes a login from the provider's reply; the browser must be the one that began it.
    fn complete<'a>(
        &'a self,
        reply: Reply<'a>,
    ) -> BoxFuture<'a, Result<VerifiedCitizen, LoginError>>;
}

/// How the login page starts a login.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginStart {
    /// A form asking for number and name (the development provider).
    NumberAndName,
    /// A link that sends the browser to the provider (OpenID Connect).
    Redirect,
}

/// The start of a login.
#[derive(Clone, Debug)]
pub struct Begin<'a> {
    /// A random value held in a cookie of the browser that logs in; the reply must come from
    /// the same browser.
    pub binding: &'a str,
    /// The number and name the citizen typed, for providers that ask for them.
    pub claimed: Option<Claimed>,
    /// Now.
    pub now: DateTime<Utc>,
}

/// The number and name a citizen typed.
#[derive(Clone, Debug)]
pub struct Claimed {
    /// The identity number.
    pub number: SocialSecurityNumber,
    /// The name, as typed (trimmed).
    pub name: String,
}

/// What the browser does next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Begun {
    /// Go to the provider at this address.
    Redirect(String),
    /// Show the one-time code form for the login `flow`.
    CodeForm {
        /// The login's id, sent back with the code.
        flow: String,
    },
}

/// The provider's reply.
#[derive(Clone, Debug)]
pub struct Reply<'a> {
    /// The binding cookie's value of the browser that sends the reply.
    pub binding: &'a str,
    /// The reply's parameters: the callback's query (`code`, `state`) or the posted form
    /// (`flow`, `code`).
    pub params: &'a [(String, String)],
    /// Now.
    pub now: DateTime<Utc>,
}

impl Reply<'_> {
    /// The parameter `name`, if present.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// The citizen as the provider vouches for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedCitizen {
    /// The identity number.
    pub number: SocialSecurityNumber,
    /// The name.
    pub name: String,
}

/// Why a login did not succeed. Each shows a Chinese message from the catalogue; the
/// English detail of a provider failure goes to the log only.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoginError {
    /// No provider is configured for this service.
    #[error("self-service login is not configured")]
    NotConfigured,
    /// The development provider was asked for outside demo or test mode.
    #[error("the development login refuses to run in production")]
    DevProviderInProduction,
    /// The typed number is not a valid identity number; the identity crate's Chinese
    /// explanation.
    #[error("invalid identity number")]
    InvalidNumber(String),
    /// The typed name is empty or too long.
    #[error("name missing or too long")]
    InvalidName,
    /// The one-time code is wrong; tries are left.
    #[error("wrong one-time code")]
    WrongCode,
    /// The code expired, was used, or its tries are spent: start again.
    #[error("one-time code expired, used or tried too often")]
    CodeSpent,
    /// Too many codes were asked for this number lately; try again in a few minutes.
    #[error("too many codes for this number")]
    TooManyCodes,
    /// Too many logins are under way; try again shortly.
    #[error("too many logins under way")]
    Busy,
    /// The provider's reply failed a check (state, nonce, signature, audience, expiry) or the
    /// provider could not be reached.
    #[error("identity provider: {0}")]
    Provider(String),
    /// No record carries the verified number.
    #[error("no record carries the verified number")]
    NoRecord,
    /// The record's name differs from the verified name.
    #[error("the record's name differs from the verified name")]
    NameMismatch,
    /// The record is merged or closed.
    #[error("the record is not active")]
    RecordInactive,
}

impl LoginError {
    /// What the citizen reads.
    pub fn message_zh(&self) -> String {
        let text = match self {
            LoginError::NotConfigured => text::CITIZEN_LOGIN_NOT_CONFIGURED,
            LoginError::DevProviderInProduction => text::CITIZEN_DEV_IN_PRODUCTION,
            LoginError::InvalidNumber(why) => {
                return format!("{}：{why}", text::CITIZEN_INVALID_NUMBER);
            }
            LoginError::InvalidName => text::CITIZEN_INVALID_NAME,
            LoginError::WrongCode => text::CITIZEN_WRONG_CODE,
            LoginError::CodeSpent => text::CITIZEN_CODE_SPENT,
            LoginError::Busy => text::CITIZEN_LOGIN_BUSY,
            LoginError::TooManyCodes => text::CITIZEN_TOO_MANY_CODES,
            LoginError::Provider(_) => text::CITIZEN_PROVIDER_FAILED,
            LoginError::NoRecord => text::CITIZEN_NO_RECORD,
            LoginError::NameMismatch => text::CITIZEN_NAME_MISMATCH,
            LoginError::RecordInactive => text::CITIZEN_RECORD_INACTIVE,
        };
        text.to_owned()
    }
}
