//! What the citizens' page tests share: the pages on a test world's store, and a browser that
//! keeps cookies and reads the CSRF token and hidden fields from the pages.

#![allow(dead_code, reason = "each test file uses part of the support")]

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum_extra::extract::cookie::Cookie;
use http_body_util::BodyExt;
use personbase_server::AppState;
use personbase_store::Store;
use personbase_web::citizen::Citizens;
use personbase_web::citizen::dev::{CapturedCodes, CodeSink, DevProvider, RunMode};
use personbase_web::{WebState, pages};
use tower::ServiceExt;

/// The pages with the development provider, and the codes it sent.
pub fn dev_pages(store: &Store) -> (Router, CapturedCodes) {
    let codes = CapturedCodes::default();
    let dev = DevProvider::new(RunMode::Test, CodeSink::Capture(codes.clone())).unwrap();
    let citizens = Citizens::with_provider(Arc::new(dev));
    (pages_with(store, citizens), codes)
}

/// The pages with `citizens`.
pub fn pages_with(store: &Store, citizens: Citizens) -> Router {
    pages(WebState::new(AppState::new(store.clone()), citizens))
}

/// A response as the browser saw it.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    /// Where a redirect goes.
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The value of the hidden or filled input `name` on the page (the first one).
    pub fn input(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker).unwrap_or_else(|| panic!("no {name}: {}", self.body));
        let rest = &self.body[start + marker.len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }

    /// The `Set-Cookie` header for `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }
}

/// A browser: keeps cookies between requests.
pub struct Browser {
    app: Router,
    pub cookies: HashMap<String, String>,
}

impl Browser {
    pub fn new(app: &Router) -> Self {
        Browser { app: app.clone(), cookies: HashMap::new() }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = Request::get(path).header(header::COOKIE, self.cookie_header());
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// Posts a form as is (no token added).
    pub async fn post_raw(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(form).unwrap();
        let req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Posts a form with the CSRF token `page` carries.
    pub async fn post(&mut self, path: &str, page: &Page, form: &[(&str, &str)]) -> Page {
        let token = page.input("_csrf");
        let mut fields = vec![("_csrf", token.as_str())];
        fields.extend_from_slice(form);
        self.post_raw(path, &fields).await
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn send(&mut self, req: Request<Body>) -> Page {
        let response = self.app.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let cookie = Cookie::parse(value.to_str().unwrap().to_owned()).unwrap();
            if cookie.value().is_empty() {
                self.cookies.remove(cookie.name());
            } else {
                self.cookies.insert(cookie.name().to_owned(), cookie.value().to_owned());
            }
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Page { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }
}

/// Logs `browser` in with the development provider as `number` and `name`; the last page.
pub async fn dev_login(
    browser: &mut Browser,
    codes: &CapturedCodes,
    number: &str,
    name: &str,
) -> Page {
    let login = browser.get("/self/login").await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    let sent = browser.post("/self/login/dev", &login, &[("number", number), ("name", name)]).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let (_, code) = codes.last().unwrap();
    let flow = sent.input("flow");
    browser.post("/self/login/code", &sent, &[("flow", &flow), ("code", &code)]).await
}
