//! Who may call: operator sessions (argon2 login, hashed tokens, logout), business-system
//! keys, the OpenAPI document and the health check.

use personbase_testkit as common;

use axum::http::{Method, StatusCode};
use common::{World, clerk_at};
use personbase_domain::Role;
use personbase_domain::clock::FixedClock;
use personbase_server::{AppState, router};
use serde_json::json;

#[tokio::test]
async fn a_login_gives_a_token_that_works_until_logout() {
    let world = World::new().await;
    clerk_at(&world.store, &world.employment.agency, "zhangsan", &[Role::Handler]).await;

    let login = json!({ "login": "zhangsan", "password": "password" });
    let (status, body) = world.call(Method::POST, "/api/v1/session", None, Some(login)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(body["operator"]["login"], "zhangsan");
    assert_eq!(body["expires_at"], "2026-12-03T12:00:00Z", "8 hours after 04:00 UTC");

    let bearer = format!("Bearer {token}");
    let headers = [("authorization", bearer.as_str())];
    let (status, body) = world.call_with(Method::GET, "/api/v1/session", &headers, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["agency_kind"], "employment");
    let (status, agencies) = world.call_with(Method::GET, "/api/v1/agencies", &headers, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(agencies.as_array().unwrap().len(), 7);

    let (status, _) = world.call_with(Method::DELETE, "/api/v1/session", &headers, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = world.call_with(Method::GET, "/api/v1/session", &headers, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthenticated");
}

#[tokio::test]
async fn a_wrong_password_is_refused() {
    let world = World::new().await;
    clerk_at(&world.store, &world.employment.agency, "lisi", &[Role::Handler]).await;

    for login in [
        json!({ "login": "lisi", "password": "wrong" }),
        json!({ "login": "nobody", "password": "x" }),
    ] {
        let (status, body) = world.call(Method::POST, "/api/v1/session", None, Some(login)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["code"], "wrong_credentials");
    }
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_login_alike_whether_it_exists_or_not() {
    let mut world = World::new().await;
    clerk_at(&world.store, &world.employment.agency, "lisi", &[Role::Handler]).await;
    let wrong = |login: &str| json!({ "login": login, "password": "wrong" });

    let mut locked = Vec::new();
    for login in ["lisi", "nobody"] {
        for _ in 0..4 {
            let (status, body) =
                world.call(Method::POST, "/api/v1/session", None, Some(wrong(login))).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{login}: {body}");
            assert_eq!(body["code"], "wrong_credentials");
        }
        let (status, body) =
            world.call(Method::POST, "/api/v1/session", None, Some(wrong(login))).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{login}: {body}");
        assert_eq!(body["code"], "login_locked");
        assert_eq!(body["details"]["locked_until"], "2026-12-03T04:15:00Z", "15 minutes");
        locked.push(body);
    }
    assert_eq!(locked[0], locked[1], "a lock does not tell which logins exist");

    // While locked, even the right password is refused, without being checked.
    let right = json!({ "login": "lisi", "password": "password" });
    let (status, body) =
        world.call(Method::POST, "/api/v1/session", None, Some(right.clone())).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["code"], "login_locked");

    // The store's clock, 15 minutes on: the lock has ended.
    let later = chrono::Duration::minutes(15);
    let clock = FixedClock(world.store.clock().now() + later);
    world.app = router(AppState::new(world.store.with_clock(std::sync::Arc::new(clock))));
    let (status, body) = world.call(Method::POST, "/api/v1/session", None, Some(right)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn every_person_route_needs_a_session() {
    let world = World::new().await;
    for (method, path) in [
        (Method::GET, "/api/v1/persons/1"),
        (Method::POST, "/api/v1/persons/search"),
        (Method::POST, "/api/v1/persons/1/changes"),
        (Method::GET, "/api/v1/inbox"),
    ] {
        let (status, body) = world.call(method, path, None, Some(json!({}))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(body["code"], "unauthenticated");
        let headers = [("authorization", "Bearer made-up")];
        let (status, _) = world.call_with(Method::GET, "/api/v1/inbox", &headers, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn business_routes_need_a_valid_key() {
    let world = World::new().await;
    let body = json!({ "person_id": 1 });
    let (status, _) =
        world.call(Method::POST, "/api/v1/business/enrolments", None, Some(body.clone())).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let headers = [("x-api-key", "not-a-key")];
    let (status, _) =
        world.call_with(Method::POST, "/api/v1/business/enrolments", &headers, Some(body)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_openapi_document_and_health_are_served() {
    let world = World::new().await;
    let (status, doc) = world.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    for path in
        ["/api/v1/persons/{id}/changes", "/api/v1/requests/{id}/sign-off", "/api/v1/session"]
    {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("ErrorBody").is_some());
    let (status, _) = world.call(Method::GET, "/api/docs/", None, None).await;
    assert_eq!(status, StatusCode::OK, "the Swagger UI is vendored");
    let (status, body) = world.call(Method::GET, "/healthz", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn an_expired_session_is_refused() {
    let world = World::new().await;
    let clerk = &world.employment;
    let past = world.store.clock().now() - chrono::Duration::minutes(1);
    let hash = personbase_server::auth::token_hash("expired-token");
    world.store.create_session(&hash, clerk.operator.id, past).await.unwrap();

    let headers = [("authorization", "Bearer expired-token")];
    let (status, body) = world.call_with(Method::GET, "/api/v1/session", &headers, None).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthenticated");
}
