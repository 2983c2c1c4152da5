//! What blocks a change whoever asks, and who alone may change some persons: R2.11 pension
//! merger, R2.12 in-transit business, R2.13 arrears persons, R2.14 active card, R2.17
//! persons registered outside the province.

use personbase_testkit as common;

use axum::http::{Method, StatusCode};
use common::{World, change, number};
use personbase_domain::{AgencyKind, BusinessLine, Level, Role};
use serde_json::json;

fn changes_path(id: i64) -> String {
    format!("/api/v1/persons/{id}/changes")
}

/// A person enrolled in pension at the county social insurance agency.
async fn pensioner(world: &World) -> i64 {
    let id = world.enter(&number(230103, "19600101", 123), "赵六").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    id
}

#[tokio::test]
async fn in_transit_business_blocks_and_names_the_transaction() {
    let world = World::new().await;
    let id = pensioner(&world).await;
    let key = world.key_for(BusinessLine::Pension, &world.insurance).await;
    let headers = [("x-api-key", key.as_str())];
    let start =
        json!({ "person_id": id, "reference": "YL2026000001", "description": "养老保险关系转移" });
    let (status, tx) =
        world.call_with(Method::POST, "/api/v1/business/transactions", &headers, Some(start)).await;
    assert_eq!(status, StatusCode::CREATED, "{tx}");

    let body = change("card_reader", json!({ "household_type": "20" }));
    let (status, refused) = world.post(&changes_path(id), &world.insurance, body.clone()).await;

    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["code"], "in_transit_business");
    assert_eq!(refused["rule"], "in-transit-blocks");
    assert_eq!(refused["details"]["transaction_id"], tx["id"]);
    assert_eq!(refused["details"]["reference"], "YL2026000001");
    assert_eq!(refused["details"]["line"], "pension");
    assert!(refused["message"].as_str().unwrap().contains("YL2026000001"));
    assert_eq!(world.record(id).await.household_type.code(), "10");

    let finish = format!("/api/v1/business/transactions/{}/finish", tx["id"]);
    let (status, _) = world.call_with(Method::POST, &finish, &headers, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = world.post(&changes_path(id), &world.insurance, body).await;
    assert_eq!(status, StatusCode::CREATED, "finished business no longer blocks: {body}");
    let actions = world.actions(id).await;
    assert!(actions.contains(&"transaction.started".to_owned()));
    assert!(actions.contains(&"change.refused".to_owned()));
}

#[tokio::test]
async fn a_pension_merger_confirmation_blocks_until_the_pension_agency_cancels_it() {
    let world = World::new().await;
    let id = pensioner(&world).await;
    let key = world.key_for(BusinessLine::Pension, &world.insurance).await;
    let headers = [("x-api-key", key.as_str())];
    let special = json!({ "person_id": id, "kind": "pension_merged_contribution", "reference": "BG2026000001" });
    let (status, body) =
        world.call_with(Method::POST, "/api/v1/business/specials", &headers, Some(special)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let body = change("card_reader", json!({ "household_type": "20" }));
    let (status, refused) = world.post(&changes_path(id), &world.insurance, body.clone()).await;

    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["code"], "pension_merger_pending");
    assert_eq!(refused["rule"], "pension-merger-first");
    assert_eq!(refused["details"]["reference"], "BG2026000001");
    assert_eq!(refused["details"]["notice"], "R2.11");

    let cancel = format!("/api/v1/business/specials/{id}/pension_merged_contribution");
    let (status, _) = world.call_with(Method::DELETE, &cancel, &headers, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = world.post(&changes_path(id), &world.insurance, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(world.record(id).await.household_type.code(), "20");
}

#[tokio::test]
async fn an_arrears_person_is_changed_only_by_an_arrears_office_of_prefecture_level() {
    let world = World::new().await;
    let id = pensioner(&world).await;
    world.enrol(id, BusinessLine::ArrearsSettlement, &world.arrears).await;
    let body = change("card_reader", json!({ "household_type": "20" }));

    for clerk in [&world.insurance, &world.county_arrears] {
        let (status, refused) = world.post(&changes_path(id), clerk, body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}: {refused}", clerk.agency.name);
        assert_eq!(refused["code"], "arrears_office_only");
        assert_eq!(refused["rule"], "arrears-office-only");
        assert_eq!(refused["details"]["agency_id"], world.arrears.agency.id.0);
    }

    let (status, accepted) = world.post(&changes_path(id), &world.arrears, body).await;
    assert_eq!(status, StatusCode::CREATED, "{accepted}");
    assert!(
        accepted["request"]["rules"].as_array().unwrap().contains(&json!("arrears-office-only"))
    );
    assert_eq!(accepted["request"]["state"], "waiting_for_person", "two lines: R2.4");
    let actions = world.actions(id).await;
    assert_eq!(actions.iter().filter(|a| *a == "change.refused").count(), 2);
}

#[tokio::test]
async fn an_active_card_blocks_a_printed_field_until_the_centre_voids_it() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    let (status, card) = world
        .post(
            &format!("/api/v1/persons/{id}/cards"),
            &world.centre,
            json!({ "card_number": "HL0000001" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{card}");
    assert_eq!(card["printed_name"], "张*");

    let body = change("card_reader", json!({ "name": "张山" }));
    let (status, refused) = world.post(&changes_path(id), &world.employment, body.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["code"], "active_card");
    assert_eq!(refused["rule"], "card-void-first");
    assert_eq!(refused["details"]["card_number"], "HL0000001");
    assert_eq!(world.record(id).await.name.as_str(), "张三");

    let void = format!("/api/v1/cards/{}/void", card["id"]);
    let (status, denied) =
        world.post(&void, &world.employment, json!({ "reason": "卡面姓名有误" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only an information centre voids: {denied}");
    assert_eq!(denied["rule"], "cards-by-centre");
    let (status, voided) =
        world.post(&void, &world.centre, json!({ "reason": "卡面姓名有误" })).await;
    assert_eq!(status, StatusCode::OK, "{voided}");
    assert_eq!(voided["status"], "voided");

    let (status, body) = world.post(&changes_path(id), &world.employment, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(world.record(id).await.name.as_str(), "张山");
    let history = world.store.history(personbase_domain::PersonId(id)).await.unwrap();
    let voided = history.iter().find(|e| e.action == "card.voided").unwrap();
    assert_eq!(voided.after["details"]["fee_fen"], 2000, "the replacement fee is recorded");
}

#[tokio::test]
async fn a_centre_handles_the_cards_of_its_region_and_a_person_holds_one_card_in_use() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    let qiqihar = world
        .store
        .create_agency(
            "齐齐哈尔市信息中心",
            AgencyKind::InformationCentre,
            Level::Prefecture,
            230200,
        )
        .await
        .unwrap();
    let far = common::clerk_at(&world.store, &qiqihar, "qqhr-centre", &[Role::Handler]).await;
    let issue = format!("/api/v1/persons/{id}/cards");

    let (status, refused) = world.post(&issue, &far, json!({ "card_number": "HL0000009" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["code"], "card_outside_region");
    assert_eq!(refused["rule"], "cards-by-centre");

    let (status, card) =
        world.post(&issue, &world.centre, json!({ "card_number": "HL0000001" })).await;
    assert_eq!(status, StatusCode::CREATED, "{card}");
    let (status, second) =
        world.post(&issue, &world.centre, json!({ "card_number": "HL0000002" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{second}");
    assert_eq!(second["code"], "active_card_exists");
    assert_eq!(second["rule"], "card-void-first");
    assert_eq!(second["details"]["card_number"], "HL0000001");

    let void = format!("/api/v1/cards/{}/void", card["id"]);
    let (status, refused) = world.post(&void, &far, json!({ "reason": "卡面姓名有误" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["code"], "card_outside_region");
    let (status, _) = world.post(&void, &world.centre, json!({ "reason": "卡面姓名有误" })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, replacement) =
        world.post(&issue, &world.centre, json!({ "card_number": "HL0000002" })).await;
    assert_eq!(status, StatusCode::CREATED, "after the void, a new card: {replacement}");
    let issued = world.actions(id).await.iter().filter(|a| *a == "card.issued").count();
    assert_eq!(issued, 2);
}

#[tokio::test]
async fn a_person_registered_outside_the_province_is_changed_by_the_entering_agency() {
    let world = World::new().await;
    let id = world.enter(&number(220102, "19850312", 123), "金七").await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    let body = change("card_reader", json!({ "household_type": "20" }));

    let (status, refused) = world.post(&changes_path(id), &world.employment, body.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["code"], "out_of_province_scope");
    assert_eq!(refused["rule"], "out-of-province");

    let (status, accepted) = world.post(&changes_path(id), &world.insurance, body).await;
    assert_eq!(status, StatusCode::CREATED, "the entering agency may: {accepted}");
    assert!(accepted["request"]["rules"].as_array().unwrap().contains(&json!("out-of-province")));
    assert_eq!(world.record(id).await.household_type.code(), "20");
}
