//! Rendering pages and the errors pages show.

use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use personbase_server::ApiError;
use personbase_store::StoreError;
use serde::de::DeserializeOwned;

use crate::text;

/// What every page's frame shows: the title, who is logged in, and the CSRF token for its
/// forms.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// The page's title.
    pub title: String,
    /// The logged-in case worker, for the header.
    pub worker: Option<WorkerHeader>,
    /// The logged-in citizen's masked name, for the self-service header.
    pub citizen: Option<String>,
    /// The CSRF token of the caller's session, for every form on the page.
    pub csrf: String,
}

/// The header of a case worker's page: operator, agency, level and region (R1.3).
#[derive(Clone, Debug)]
pub struct WorkerHeader {
    /// The operator's name.
    pub name: String,
    /// Their agency's name.
    pub agency: String,
    /// The agency's level, in Chinese.
    pub level: String,
    /// The agency's region: name and GB/T 2260 code.
    pub region: String,
    /// Whether the agency is an information centre (shows the centre's pages).
    pub centre: bool,
}

/// Renders a template as an HTML page (200).
pub fn render<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "template failed");
            WebError::status(StatusCode::INTERNAL_SERVER_ERROR, crate::text::INTERNAL_ERROR)
                .into_response()
        }
    }
}

/// Why a page could not be shown.
#[derive(Debug)]
pub enum WebError {
    /// No valid case worker's session: go to the login page, then back to `next`.
    WorkerLogin {
        /// The path to return to.
        next: String,
    },
    /// No valid citizen's session: go to the self-service login.
    CitizenLogin,
    /// Anything else: an error page with a status, a message and, when a rule refused,
    /// the rule's code.
    Page {
        /// The HTTP status.
        status: StatusCode,
        /// What is wrong and what to do, in Chinese.
        message: String,
        /// The refusing rule's code and its stable machine code, when a rule refused.
        rule: Option<String>,
    },
}

impl WebError {
    /// An error page with `status` and `message`.
    pub fn status(status: StatusCode, message: &str) -> Self {
        WebError::Page { status, message: message.to_owned(), rule: None }
    }
}

impl From<ApiError> for WebError {
    fn from(err: ApiError) -> Self {
        if err.status == StatusCode::UNAUTHORIZED {
            return WebError::Page {
                status: err.status,
                message: text::SESSION_EXPIRED.to_owned(),
                rule: None,
            };
        }
        WebError::Page { status: err.status, message: err.body.message, rule: err.body.rule }
    }
}

impl From<StoreError> for WebError {
    fn from(err: StoreError) -> Self {
        ApiError::from(err).into()
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    frame: Frame,
    message: String,
    rule: Option<String>,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::WorkerLogin { next } => {
                let next: String =
                    serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                Redirect::to(&format!("/login?{next}")).into_response()
            }
            WebError::CitizenLogin => Redirect::to("/self/login").into_response(),
            WebError::Page { status, message, rule } => {
                let frame = Frame { title: text::ERROR_TITLE.to_owned(), ..Frame::default() };
                let mut response = render(&ErrorPage { frame, message, rule });
                *response.status_mut() = status;
                response
            }
        }
    }
}

/// The result of a page handler.
pub type WebResult<T = Response> = Result<T, WebError>;

/// A form body whose rejection (a missing or repeated field, a wrong content type, a body
/// that does not decode) is the Chinese error page, never axum's English text.
#[derive(Debug)]
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for PageForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        match Form::<T>::from_request(req, state).await {
            Ok(Form(value)) => Ok(PageForm(value)),
            Err(rejection) => {
                tracing::info!(error = %rejection.body_text(), "form refused");
                let status = rejection.status();
                let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                    text::FORM_TOO_LARGE
                } else {
                    text::FORM_UNREADABLE
                };
                Err(WebError::status(status, message))
            }
        }
    }
}

/// A query string whose rejection (a repeated parameter, say) is the Chinese error page.
#[derive(Debug)]
pub struct PageQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for PageQuery<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(PageQuery(value)),
            Err(rejection) => {
                tracing::info!(error = %rejection.body_text(), "query refused");
                Err(WebError::status(StatusCode::BAD_REQUEST, text::QUERY_UNREADABLE))
            }
        }
    }
}
