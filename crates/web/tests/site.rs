//! The whole service as `personbase serve` answers it (`personbase_web::site`): a path that
//! nothing answers is the Chinese error page with the pages' headers, or the API's JSON 404
//! under `/api`; a page route asked with the wrong method is the Chinese 405 page.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests: a failure is a test failure")]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use personbase_server::AppState;
use personbase_testkit::World;
use personbase_web::citizen::Citizens;
use personbase_web::{CONTENT_SECURITY_POLICY, WebState, site, text};
use tower::ServiceExt;

async fn call(world: &World, method: Method, path: &str) -> (StatusCode, HeaderMap, String) {
    let state = WebState::new(AppState::new(world.store.clone()), Citizens::default());
    let request = Request::builder().method(method).uri(path).body(Body::empty()).unwrap();
    let response = site(state).oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// The headers every page carries.
fn assert_page_headers(headers: &HeaderMap) {
    assert_eq!(header(headers, "content-security-policy"), CONTENT_SECURITY_POLICY);
    assert_eq!(header(headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(headers, "referrer-policy"), "no-referrer");
    assert_eq!(header(headers, "x-frame-options"), "DENY");
    assert!(header(headers, "content-type").starts_with("text/html"), "{headers:?}");
}

#[tokio::test]
async fn a_page_path_that_does_not_exist_is_the_chinese_error_page_with_the_pages_headers() {
    let world = World::new().await;
    for path in ["/persnos/1", "/self/nothing", "/apix", "/static/missing.js"] {
        let (status, headers, body) = call(&world, Method::GET, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_page_headers(&headers);
        assert!(body.contains(text::NOT_FOUND), "{path}: {body}");
        assert!(body.contains("<html"), "{path}");
    }
    let (status, headers, _) = call(&world, Method::POST, "/persnos/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_page_headers(&headers);
}

#[tokio::test]
async fn an_api_path_that_does_not_exist_keeps_the_apis_json_404() {
    let world = World::new().await;
    for path in ["/api", "/api/v1/persnos/1", "/api/v2/persons"] {
        let (status, headers, body) = call(&world, Method::GET, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(header(&headers, "content-type").starts_with("application/json"), "{path}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["code"], "not_found", "{path}: {body}");
    }
}

#[tokio::test]
async fn a_get_on_a_post_only_page_is_the_chinese_405_page() {
    let world = World::new().await;
    for path in ["/logout", "/persons/1/unmask", "/requests/1/sign-off", "/self/contact"] {
        let (status, headers, body) = call(&world, Method::GET, path).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_page_headers(&headers);
        assert!(body.contains(text::METHOD_NOT_ALLOWED), "{path}: {body}");
    }
    // The pages themselves still answer, with the same headers.
    let (status, headers, body) = call(&world, Method::GET, "/login").await;
    assert_eq!(status, StatusCode::OK);
    assert_page_headers(&headers);
    assert!(body.contains(text::LOGIN_TITLE));
    let (status, _, body) = call(&world, Method::GET, "/healthz").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
