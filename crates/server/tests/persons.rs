//! Entering and reading persons through the API: R2.5 and R2.7 on entry, R2.8, masking, the
//! journaled unmask, search, and R2.16 (no route writes the registry).

use personbase_testkit as common;

use axum::http::{Method, StatusCode};
use common::{World, entry, number};
use personbase_identity::SocialSecurityNumber;
use serde_json::json;

#[tokio::test]
async fn a_card_reader_entry_is_stored_masked_and_journaled() {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);

    let (status, body) =
        world.post("/api/v1/persons", &world.insurance, entry("card_reader", &ssn, "张三")).await;

    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["ssn"], format!("2301**********{}", &ssn[14..]));
    assert_eq!(body["name"], "张*");
    assert_eq!(body["gender"], "1", "gender derived from the odd 17th digit");
    assert_eq!(body["birth_year"], 1985);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(world.record(id).await.name.as_str(), "张三");
    assert_eq!(world.actions(id).await, ["person.created"]);
}

#[tokio::test]
async fn a_manual_entry_for_a_15_year_old_is_allowed() {
    let world = World::new().await;
    let ssn = number(230103, "20110601", 124);

    let (status, body) =
        world.post("/api/v1/persons", &world.insurance, entry("manual", &ssn, "李小花")).await;

    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(world.record(id).await.gender, personbase_identity::Gender::Female);
    assert_eq!(world.actions(id).await, ["person.created"]);
}

#[tokio::test]
async fn a_manual_entry_for_a_30_year_old_is_refused() {
    let world = World::new().await;
    let ssn = number(230103, "19960501", 125);

    let (status, body) =
        world.post("/api/v1/persons", &world.insurance, entry("manual", &ssn, "王五")).await;

    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "card_reader_required");
    assert_eq!(body["rule"], "card-reader-entry");
    assert_eq!(body["details"]["age"], 30);
    assert_eq!(body["details"]["notice"], "R2.7");
    let parsed = SocialSecurityNumber::parse(&ssn).unwrap();
    assert!(world.store.person_by_ssn(&parsed).await.unwrap().is_none(), "nothing stored");
    let journal = world.store.journal(0, 1000).await.unwrap();
    assert_eq!(journal.last().unwrap().action, "person.refused");
}

#[tokio::test]
async fn an_entry_whose_gender_contradicts_the_number_is_refused() {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);
    let mut body = entry("card_reader", &ssn, "张三");
    body["person"]["gender"] = json!("女");

    let (status, body) = world.post("/api/v1/persons", &world.insurance, body).await;

    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "gender_contradicts_number");
    assert_eq!(body["rule"], "number-implies-gender-birth");
    assert_eq!(body["details"]["implied"], "male");
    assert_eq!(body["details"]["proposed"], "female");
}

#[tokio::test]
async fn the_registry_overrides_the_card_reader_on_entry() {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 126);
    let csv = format!(
        "ssn,name,gender,birth_date,ethnicity,household_address\n{ssn},李莉,2,1985-03-12,01,黑龙江省哈尔滨市南岗区学府路1号\n"
    );
    world.store.load_registry_csv(csv.as_bytes()).await.unwrap();

    let (status, body) =
        world.post("/api/v1/persons", &world.insurance, entry("card_reader", &ssn, "李丽")).await;

    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(world.record(id).await.name.as_str(), "李莉", "the registry's name is stored");
    let actions = world.actions(id).await;
    assert!(actions.contains(&"person.registry_differs".to_owned()), "{actions:?}");
}

#[tokio::test]
async fn an_invalid_number_is_422_naming_the_field() {
    let world = World::new().await;
    let mut ssn = number(230103, "19850312", 123);
    let wrong = if ssn.ends_with('1') { '2' } else { '1' };
    ssn.pop();
    ssn.push(wrong);

    let (status, body) =
        world.post("/api/v1/persons", &world.insurance, entry("card_reader", &ssn, "张三")).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "invalid_value");
    assert_eq!(body["details"]["field"], "ssn");
    assert!(
        body["message"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    );
}

#[tokio::test]
async fn search_accepts_any_form_of_the_number_and_masks_the_results() {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);
    let id = world.enter(&ssn, "张三").await;
    let fifteen = format!("{}{}{}", &ssn[..6], &ssn[8..14], &ssn[14..17]);

    for form in [ssn.clone(), ssn.to_lowercase(), fifteen] {
        let (status, body) =
            world.post("/api/v1/persons/search", &world.insurance, json!({ "ssn": form })).await;
        assert_eq!(status, StatusCode::OK, "{form}: {body}");
        assert_eq!(body[0]["id"], id, "{form}");
        assert_eq!(body[0]["name"], "张*");
    }
    let by_name = json!({ "name": "张三", "birth_date": "1985-03-12" });
    let (status, body) = world.post("/api/v1/persons/search", &world.insurance, by_name).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body[0]["ssn"], format!("2301**********{}", &ssn[14..]));
}

#[tokio::test]
async fn the_full_record_needs_a_reason_and_the_view_is_journaled() {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);
    let id = world.enter(&ssn, "张三").await;
    let path = format!("/api/v1/persons/{id}/unmask");

    let (status, body) = world.post(&path, &world.insurance, json!({ "reason": " " })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["details"]["field"], "reason");

    let (status, body) =
        world.post(&path, &world.insurance, json!({ "reason": "核对参保信息" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ssn"], ssn);
    assert_eq!(body["name"], "张三");
    let history = world.store.history(personbase_domain::PersonId(id)).await.unwrap();
    let viewed = history.last().unwrap();
    assert_eq!(viewed.action, "person.viewed");
    assert_eq!(viewed.reason, "核对参保信息");
    assert_eq!(viewed.operator, Some(world.insurance.operator.id));

    let (_, masked) = world.get(&format!("/api/v1/persons/{id}"), &world.insurance).await;
    assert_eq!(masked["name"], "张*");
    let (_, history) = world.get(&format!("/api/v1/persons/{id}/history"), &world.insurance).await;
    assert!(!history.to_string().contains("张三"), "history is masked: {history}");
}

#[tokio::test]
async fn no_route_writes_the_registry() {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);
    let csv = format!(
        "ssn,name,gender,birth_date,ethnicity,household_address\n{ssn},张三,1,1985-03-12,01,黑龙江省哈尔滨市南岗区学府路1号\n"
    );
    world.store.load_registry_csv(csv.as_bytes()).await.unwrap();
    let parsed = SocialSecurityNumber::parse(&ssn).unwrap();
    let before = world.store.registry_record(&parsed).await.unwrap();
    let write = json!({ "ssn": ssn, "name": "李四" });

    for method in [Method::PUT, Method::POST, Method::PATCH, Method::DELETE] {
        let path = format!("/api/v1/registry/{ssn}");
        let (status, _) =
            world.call(method.clone(), &path, Some(&world.centre), Some(write.clone())).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        let (status, _) = world
            .call(method.clone(), "/api/v1/registry", Some(&world.centre), Some(write.clone()))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} /api/v1/registry");
    }

    assert_eq!(world.store.registry_record(&parsed).await.unwrap(), before);
    let (status, body) = world.get(&format!("/api/v1/registry/{ssn}"), &world.centre).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["name"], "张*");
}

#[tokio::test]
async fn the_history_shows_the_birth_year_only() {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);
    let id = world.enter(&ssn, "张三").await;
    let (status, history) =
        world.get(&format!("/api/v1/persons/{id}/history"), &world.insurance).await;
    assert_eq!(status, StatusCode::OK);
    let text = history.to_string();
    assert!(!text.contains("1985-03-12") && !text.contains("19850312"), "{history}");
    assert_eq!(history[0]["after"]["person"]["birth_date"], "1985-**-**");
}

#[tokio::test]
async fn a_number_missing_from_the_registry_is_named_in_chinese() {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);
    let (status, body) = world.get(&format!("/api/v1/registry/{ssn}"), &world.insurance).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
    assert_eq!(body["message"], "未找到户籍库记录（2301**********1239）");
}
