//! Where the identity-card fields of a change come from (R2.7): the card reader, the
//! registry (only when it has the person), or typing — for a person under 16, or for fields
//! the card does not carry.

use personbase_testkit as common;

use axum::http::StatusCode;
use common::{World, change, entry, number};
use personbase_domain::BusinessLine;
use serde_json::json;

async fn enrolled(world: &World, ssn: &str, name: &str, source: &str) -> i64 {
    let (status, body) =
        world.post("/api/v1/persons", &world.insurance, entry(source, ssn, name)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap_or_default();
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    id
}

#[tokio::test]
async fn typing_a_card_field_of_an_adult_is_refused() {
    let world = World::new().await;
    let id = enrolled(&world, &number(230103, "19960501", 123), "王五", "card_reader").await;

    let body = change("manual", json!({ "name": "王伍" }));
    let (status, body) =
        world.post(&format!("/api/v1/persons/{id}/changes"), &world.employment, body).await;

    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "card_reader_required");
    assert_eq!(body["rule"], "card-reader-entry");
    assert_eq!(body["details"]["fields"], json!(["name"]));
    assert_eq!(world.record(id).await.name.as_str(), "王五");
}

#[tokio::test]
async fn typing_a_card_field_of_a_child_is_allowed() {
    let world = World::new().await;
    let id = enrolled(&world, &number(230103, "20160501", 124), "王小五", "manual").await;

    let body = change("manual", json!({ "name": "王晓五" }));
    let (status, body) =
        world.post(&format!("/api/v1/persons/{id}/changes"), &world.employment, body).await;

    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["request"]["state"], "effective");
    assert_eq!(world.record(id).await.name.as_str(), "王晓五");
}

#[tokio::test]
async fn fields_the_card_does_not_carry_may_be_typed_for_anyone() {
    let world = World::new().await;
    let id = enrolled(&world, &number(230103, "19600501", 123), "王五", "card_reader").await;

    let body = change("manual", json!({ "household_type": "20", "phone": "0451-86123456" }));
    let (status, body) =
        world.post(&format!("/api/v1/persons/{id}/changes"), &world.employment, body).await;

    assert_eq!(status, StatusCode::CREATED, "{body}");
    let stored = world.record(id).await;
    assert_eq!(stored.household_type.code(), "20");
    assert_eq!(stored.phone.unwrap().as_str(), "0451-86123456");
}

#[tokio::test]
async fn the_registry_as_source_needs_a_registry_record() {
    let world = World::new().await;
    let id = enrolled(&world, &number(230103, "19600501", 123), "王五", "card_reader").await;

    let body = change("registry", json!({ "name": "王伍" }));
    let (status, body) =
        world.post(&format!("/api/v1/persons/{id}/changes"), &world.employment, body).await;

    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "registry_record_missing");
    assert_eq!(body["rule"], "card-reader-entry");
}
