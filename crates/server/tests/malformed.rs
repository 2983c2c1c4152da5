//! Malformed requests: every one gets the JSON error body with a stable code, never a bare
//! text or an empty body, and a value of the wrong type is named by its field.

use personbase_testkit as common;

use axum::http::{Method, StatusCode};
use common::World;
use serde_json::json;

#[tokio::test]
async fn an_id_that_is_not_a_number_is_a_json_not_found() {
    let world = World::new().await;
    for path in [
        "/api/v1/persons/abc",
        "/api/v1/persons/99999999999999999999999/history",
        "/api/v1/requests/x",
    ] {
        let (status, body) = world.get(path, &world.insurance).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["code"], "not_found", "{path}");
    }
    let (status, body) =
        world.post("/api/v1/requests/1%27/sign-off", &world.insurance, json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
}

#[tokio::test]
async fn a_path_that_is_not_a_route_is_a_json_not_found() {
    let world = World::new().await;
    for path in ["/api/v1/nonexistent", "/api/v2/persons/1", "/"] {
        let (status, body) = world.call(Method::GET, path, None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn a_value_of_the_wrong_type_names_its_field_not_its_value() {
    let world = World::new().await;
    let (status, body) = world
        .post("/api/v1/persons/search", &world.insurance, json!({"ssn": 230103198407121853u64}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["details"]["field"], "ssn");
    let (status, body) = world
        .post("/api/v1/persons/1/changes", &world.insurance, json!({"source": 1, "changes": {}}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["details"]["field"], "source");
    let (_, body) = world
        .post(
            "/api/v1/persons/1/changes",
            &world.insurance,
            json!({"source": "card_reader", "changes": {"zzz": 1}, "reason": "x"}),
        )
        .await;
    assert_eq!(body["details"]["field"], "zzz");
    let (_, body) = world.post("/api/v1/persons/1/unmask", &world.insurance, json!({})).await;
    assert_eq!(body["details"]["field"], "reason");
}

#[tokio::test]
async fn a_body_that_is_an_array_is_refused_though_serde_would_read_the_struct_from_it() {
    let world = World::new().await;
    // `[login, password]` would otherwise log in, and `["reason"]` would unmask.
    let (status, body) =
        world.call(Method::POST, "/api/v1/session", None, Some(json!(["si", "password"]))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"]["field"], "body", "{body}");
    let (status, body) =
        world.post("/api/v1/persons/1/unmask", &world.insurance, json!(["核对"])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}
