//! Changes through the API: R1.3, R2.1–R2.5, R2.8 on change, R2.10, the no-op, the frozen
//! payload, own-agency and ordered sign-off, the stale version, preview, reject, withdraw.

use personbase_testkit as common;

use axum::http::{Method, StatusCode};
use common::{World, change, number};
use personbase_domain::BusinessLine;
use serde_json::{Value, json};

/// A person enrolled in one line (employment) at the county employment agency.
async fn single_line(world: &World) -> i64 {
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    id
}

/// Employment and subsidy at the county employment agency, pension at the county social
/// insurance agency, medical at the prefecture's: three agencies, R2.3 applies.
async fn three_agencies(world: &World) -> i64 {
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    world.enrol(id, BusinessLine::InsuranceSubsidy, &world.employment).await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    world.enrol(id, BusinessLine::Medical, &world.prefecture_insurance).await;
    id
}

/// A one-time self-service token for `person`, issued at the counter.
async fn self_token(world: &World, person: i64) -> String {
    let path = format!("/api/v1/persons/{person}/self-service-token");
    let (status, body) = world.post(&path, &world.employment, Value::Null).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["token"].as_str().map(str::to_owned).unwrap_or_default()
}

/// The county social insurance agency proposes a new number; returns the request id.
async fn propose_number(world: &World, person: i64) -> i64 {
    let body = change("card_reader", json!({ "ssn": number(230103, "19850312", 135) }));
    let (status, body) = world.post(&changes_path(person), &world.insurance, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["request"]["id"].as_i64().unwrap_or_default()
}

fn changes_path(id: i64) -> String {
    format!("/api/v1/persons/{id}/changes")
}

fn count(actions: &[String], action: &str) -> usize {
    actions.iter().filter(|a| *a == action).count()
}

#[tokio::test]
async fn a_single_line_person_is_changed_at_once() {
    let world = World::new().await;
    let id = single_line(&world).await;
    let mut body = change("card_reader", json!({ "household_type": "20" }));
    body["expected_version"] = json!(1);

    let (status, body) = world.post(&changes_path(id), &world.employment, body).await;

    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["request"]["state"], "effective");
    assert!(body["request"]["rules"].as_array().unwrap().contains(&json!("single-line")));
    assert_eq!(body["person"]["version"], 2);
    assert_eq!(world.record(id).await.household_type.code(), "20");
    let actions = world.actions(id).await;
    assert_eq!(count(&actions, "change.requested"), 1);
    assert_eq!(count(&actions, "change.effective"), 1);
}

#[tokio::test]
async fn an_agency_outside_the_persons_business_is_refused() {
    let world = World::new().await;
    let id = single_line(&world).await;

    let body = change("card_reader", json!({ "household_type": "20" }));
    let (status, body) = world.post(&changes_path(id), &world.stranger, body).await;

    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "outside_business_scope");
    assert_eq!(body["rule"], "agency-scope");
    assert_eq!(body["details"]["notice"], "R1.3");
    assert_eq!(world.record(id).await.household_type.code(), "10");
    assert_eq!(world.actions(id).await.last().unwrap(), "change.refused");
}

#[tokio::test]
async fn an_identity_number_change_goes_employment_first_and_social_insurance_last() {
    let world = World::new().await;
    let id = three_agencies(&world).await;
    let old = world.record(id).await.ssn;
    let new = number(230103, "19850312", 135);

    // The county social insurance agency proposes; its turn has not come (R2.3).
    let body = change("card_reader", json!({ "ssn": new }));
    let (status, body) = world.post(&changes_path(id), &world.insurance, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let request = body["request"]["id"].as_i64().unwrap();
    assert_eq!(body["request"]["state"], "waiting_for_signoff");
    let rules = body["request"]["rules"].clone();
    assert!(rules.as_array().unwrap().contains(&json!("all-agencies-sign")), "{rules}");
    assert!(rules.as_array().unwrap().contains(&json!("employment-first")), "{rules}");
    let steps: Vec<(i64, u64)> = body["request"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["agency"].as_i64().unwrap(), s["order"].as_u64().unwrap()))
        .collect();
    assert_eq!(steps[0], (world.employment.agency.id.0, 1), "employment first: {steps:?}");
    assert_eq!(steps.len(), 3);
    let sign = |clerk| {
        let path = format!("/api/v1/requests/{request}/sign-off");
        let world = &world;
        async move { world.call(Method::POST, &path, Some(clerk), None).await }
    };

    let (status, body) = sign(&world.insurance).await;
    assert_eq!(status, StatusCode::CONFLICT, "social insurance may not sign first: {body}");
    assert_eq!(body["code"], "signoff_out_of_order");
    assert_eq!(body["rule"], "signoff-order");

    let (status, body) = sign(&world.employment).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "waiting_for_signoff");
    assert_eq!(world.record(id).await.ssn, old, "not effective before the last sign-off");

    let (status, body) = sign(&world.prefecture_insurance).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "waiting_for_signoff");
    assert_eq!(world.record(id).await.ssn, old);
    let (_, pending) = world.get(&format!("/api/v1/persons/{id}/details"), &world.insurance).await;
    assert_eq!(pending["open_requests"][0]["id"], request, "the record shows the pending request");

    let (status, body) = sign(&world.insurance).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "effective");
    assert_eq!(world.record(id).await.ssn.as_str(), new);
    let actions = world.actions(id).await;
    assert_eq!(count(&actions, "change.signed"), 3, "{actions:?}");
    assert_eq!(count(&actions, "change.refused"), 1, "{actions:?}");
    assert_eq!(actions.last().unwrap(), "change.effective");
}

#[tokio::test]
async fn an_operator_signs_only_for_their_own_agency() {
    let world = World::new().await;
    let id = three_agencies(&world).await;
    let body = change("card_reader", json!({ "ssn": number(230103, "19850312", 135) }));
    let (_, body) = world.post(&changes_path(id), &world.insurance, body).await;
    let path = format!("/api/v1/requests/{}/sign-off", body["request"]["id"]);

    let (status, body) = world.call(Method::POST, &path, Some(&world.stranger), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "not_a_signing_agency");
    assert_eq!(body["rule"], "sign-own-agency");

    let (status, body) = world.call(Method::POST, &path, Some(&world.supervisor), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["rule"], "handler-role");
}

#[tokio::test]
async fn another_field_of_a_person_in_several_lines_waits_for_the_person() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    world.enrol(id, BusinessLine::Medical, &world.insurance).await;

    let body = change("card_reader", json!({ "household_type": "20" }));
    let (status, body) = world.post(&changes_path(id), &world.insurance, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["request"]["state"], "waiting_for_person");
    assert!(body["request"]["rules"].as_array().unwrap().contains(&json!("person-confirms")));
    assert_eq!(world.record(id).await.household_type.code(), "10");
    let confirm = format!("/api/v1/requests/{}/confirm", body["request"]["id"]);

    let no_form = json!({ "accepted": true, "form_reference": " " });
    let (status, body) = world.post(&confirm, &world.insurance, no_form).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "form_reference_required");

    let signed = json!({ "accepted": true, "form_reference": "QR-2026-0001" });
    let (status, body) = world.post(&confirm, &world.insurance, signed).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "effective");
    assert_eq!(body["confirmation"]["channel"]["form_reference"], "QR-2026-0001");
    assert_eq!(world.record(id).await.household_type.code(), "20");
    let actions = world.actions(id).await;
    assert!(actions.ends_with(&["change.confirmed".to_owned(), "change.effective".to_owned()]));
}

#[tokio::test]
async fn a_gender_that_contradicts_the_number_is_refused() {
    let world = World::new().await;
    let id = single_line(&world).await;

    let body = change("card_reader", json!({ "gender": "女" }));
    let (status, body) = world.post(&changes_path(id), &world.employment, body).await;

    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "gender_contradicts_number");
    assert_eq!(body["rule"], "number-implies-gender-birth");
    assert_eq!(body["details"]["implied"], "male");
    assert_eq!(body["details"]["proposed"], "female");
    assert_eq!(world.record(id).await.gender, personbase_identity::Gender::Male);
    assert_eq!(world.actions(id).await.last().unwrap(), "change.refused");
}

#[tokio::test]
async fn the_registry_overrides_the_card_reader_on_change() {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);
    let id = world.enter(&ssn, "王伟").await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    let csv = format!(
        "ssn,name,gender,birth_date,ethnicity,household_address\n{ssn},王玮,1,1985-03-12,01,黑龙江省哈尔滨市南岗区学府路1号\n"
    );
    world.store.load_registry_csv(csv.as_bytes()).await.unwrap();

    let body = change("card_reader", json!({ "name": "王伟伟" }));
    let (status, body) = world.post(&changes_path(id), &world.employment, body).await;

    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["request"]["state"], "effective");
    assert_eq!(body["request"]["registry_differences"][0]["field"], "name");
    assert!(body["request"]["rules"].as_array().unwrap().contains(&json!("registry-prevails")));
    assert_eq!(world.record(id).await.name.as_str(), "王玮", "the registry's value is stored");
    assert!(world.actions(id).await.contains(&"person.registry_differs".to_owned()));
}

#[tokio::test]
async fn self_service_changes_contact_fields_only() {
    let world = World::new().await;
    let id = single_line(&world).await;
    let self_path = format!("/api/v1/self/{id}/changes");

    let phone = self_token(&world, id).await;
    let body = json!({ "changes": { "phone": "13812345678" } });
    let headers = [("x-self-token", phone.as_str())];
    let (status, body) = world.call_with(Method::POST, &self_path, &headers, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["state"], "effective");
    assert_eq!(world.record(id).await.phone.unwrap().as_str(), "13812345678");

    let again = json!({ "changes": { "phone": "13900000000" } });
    let (status, _) = world.call_with(Method::POST, &self_path, &headers, Some(again)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a token is spent by one action");

    let name = self_token(&world, id).await;
    let body = json!({ "changes": { "name": "张四" } });
    let headers = [("x-self-token", name.as_str())];
    let (status, body) = world.call_with(Method::POST, &self_path, &headers, Some(body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "self_service_field_not_allowed");
    assert_eq!(body["rule"], "self-service-contact-only");
    assert_eq!(world.record(id).await.name.as_str(), "张三");
}

#[tokio::test]
async fn a_stale_version_is_409_with_the_current_record() {
    let world = World::new().await;
    let id = single_line(&world).await;
    let mut first = change("card_reader", json!({ "household_type": "20" }));
    first["expected_version"] = json!(1);
    let (status, _) = world.post(&changes_path(id), &world.employment, first).await;
    assert_eq!(status, StatusCode::CREATED);

    let mut stale = change("card_reader", json!({ "household_type": "10" }));
    stale["expected_version"] = json!(1);
    let (status, body) = world.post(&changes_path(id), &world.employment, stale).await;

    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "version_conflict");
    assert_eq!(body["details"]["current_version"], 2);
    assert_eq!(body["details"]["current"]["household_type"], "20");
    assert_eq!(body["details"]["current"]["name"], "张*");
    assert_eq!(world.record(id).await.household_type.code(), "20");
}

#[tokio::test]
async fn a_change_that_changes_nothing_is_refused() {
    let world = World::new().await;
    let id = single_line(&world).await;

    let body = change("card_reader", json!({ "household_type": "10", "name": "张三" }));
    let (status, body) = world.post(&changes_path(id), &world.employment, body).await;

    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "nothing_changes");
    assert_eq!(body["rule"], "nothing-changes");
    assert_eq!(world.record(id).await.version, 1);
}

#[tokio::test]
async fn a_preview_decides_without_writing() {
    let world = World::new().await;
    let id = single_line(&world).await;
    let before = world.store.journal(0, 10_000).await.unwrap().len();

    let body = change("card_reader", json!({ "household_type": "20" }));
    let path = format!("/api/v1/persons/{id}/changes/preview");
    let (status, accepted) = world.post(&path, &world.employment, body.clone()).await;
    let (_, refused) = world.post(&path, &world.stranger, body).await;

    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted["accepted"], true);
    assert_eq!(accepted["path"], "immediate");
    assert_eq!(refused["accepted"], false);
    assert_eq!(refused["refusal"]["rule"], "agency-scope");
    assert_eq!(world.record(id).await.household_type.code(), "10");
    assert_eq!(world.store.journal(0, 10_000).await.unwrap().len(), before, "nothing journaled");
}

#[tokio::test]
async fn a_submitted_request_cannot_be_edited() {
    let world = World::new().await;
    let id = three_agencies(&world).await;
    let body = change("card_reader", json!({ "ssn": number(230103, "19850312", 135) }));
    let (_, body) = world.post(&changes_path(id), &world.insurance, body).await;
    let request = body["request"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/requests/{request}");
    let (_, before) = world.get(&path, &world.insurance).await;

    let edit = json!({ "changes": { "ssn": number(230103, "19850312", 137) } });
    for method in [Method::PUT, Method::PATCH] {
        let (status, _) =
            world.call(method, &path, Some(&world.insurance), Some(edit.clone())).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    }

    let stored = world.store.request(personbase_domain::RequestId(request)).await.unwrap();
    assert_eq!(stored.changes.ssn.unwrap().as_str(), number(230103, "19850312", 135));
    assert_eq!(world.get(&path, &world.insurance).await.1, before);
}

#[tokio::test]
async fn a_signing_agency_rejects_and_the_requester_withdraws() {
    let world = World::new().await;
    let id = three_agencies(&world).await;
    let first = propose_number(&world, id).await;
    let (_, inbox) = world.get("/api/v1/inbox", &world.employment).await;
    assert_eq!(inbox[0]["id"], first, "employment's turn");
    let (_, inbox) = world.get("/api/v1/inbox", &world.insurance).await;
    assert_eq!(inbox, json!([]), "social insurance waits for employment");
    let reject = json!({ "comment": "号码有误，请核实" });
    let (status, body) =
        world.post(&format!("/api/v1/requests/{first}/reject"), &world.employment, reject).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "rejected");

    let second = propose_number(&world, id).await;
    let path = format!("/api/v1/requests/{second}/withdraw");
    let (status, body) = world.call(Method::POST, &path, Some(&world.employment), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the requester withdraws: {body}");
    let (status, body) = world.call(Method::POST, &path, Some(&world.insurance), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "withdrawn");
    let actions = world.actions(id).await;
    assert_eq!(count(&actions, "change.rejected"), 1);
    assert_eq!(count(&actions, "change.withdrawn"), 1);
}

#[tokio::test]
async fn a_name_change_of_a_person_in_two_lines_waits_for_both_agencies() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;

    let body = change("card_reader", json!({ "name": "张山" }));
    let (status, body) = world.post(&changes_path(id), &world.insurance, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let rules = body["request"]["rules"].as_array().unwrap().clone();
    assert!(rules.contains(&json!("all-agencies-sign")), "{rules:?}");
    assert!(!rules.contains(&json!("employment-first")), "no subsidy line: no order: {rules:?}");
    assert_eq!(body["request"]["state"], "waiting_for_signoff", "the proposer signed its own step");
    assert_eq!(world.record(id).await.name.as_str(), "张三", "old values until the last sign-off");

    let path = format!("/api/v1/requests/{}/sign-off", body["request"]["id"]);
    let (status, body) = world.call(Method::POST, &path, Some(&world.employment), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "effective");
    assert_eq!(world.record(id).await.name.as_str(), "张山");
    assert_eq!(count(&world.actions(id).await, "change.signed"), 2);
}

#[tokio::test]
async fn a_number_held_by_another_record_is_not_taken_over() {
    let world = World::new().await;
    let id = single_line(&world).await;
    let other = number(230103, "19850312", 135);
    world.enter(&other, "李四").await;

    let body = change("card_reader", json!({ "ssn": other }));
    let (status, body) = world.post(&changes_path(id), &world.employment, body).await;

    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "number_occupied");
    assert_eq!(body["rule"], "occupied-number");
    assert_eq!(world.record(id).await.ssn.as_str(), number(230103, "19850312", 123));
}

#[tokio::test]
async fn the_person_may_decline_on_the_portal_and_the_request_ends() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    world.enrol(id, BusinessLine::Medical, &world.insurance).await;
    let body = change("card_reader", json!({ "household_type": "20" }));
    let (_, body) = world.post(&changes_path(id), &world.insurance, body).await;
    let request = body["request"]["id"].as_i64().unwrap();
    let token = self_token(&world, id).await;
    let path = format!("/api/v1/self/{id}/requests/{request}/confirm");

    let headers = [("x-self-token", token.as_str())];
    let answer = json!({ "accepted": false });
    let (status, body) = world.call_with(Method::POST, &path, &headers, Some(answer)).await;

    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "rejected");
    assert_eq!(body["confirmation"]["channel"]["kind"], "self_service");
    assert_eq!(world.record(id).await.household_type.code(), "10");
    assert_eq!(world.actions(id).await.last().unwrap(), "change.rejected");
}

#[tokio::test]
async fn a_sign_off_may_carry_a_comment_and_nothing_else() {
    let world = World::new().await;
    let id = three_agencies(&world).await;
    let body = change("card_reader", json!({ "name": "张山" }));
    let (status, body) = world.post(&changes_path(id), &world.insurance, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let path = format!("/api/v1/requests/{}/sign-off", body["request"]["id"]);

    for wrong in [json!({ "note": "x" }), json!(["材料齐全"]), json!([]), json!("材料齐全")]
    {
        let (status, body) = world.post(&path, &world.employment, wrong.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong}: {body}");
    }
    // A body that is not sent as JSON is refused, not guessed at.
    let plain = axum::http::Request::post(&path)
        .header("authorization", format!("Bearer {}", world.employment.token))
        .header("content-type", "text/plain")
        .body(axum::body::Body::from(r#"{"comment":"x"}"#))
        .unwrap();
    let response = tower::ServiceExt::oneshot(world.app.clone(), plain).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let id: i64 = path.split('/').nth(4).unwrap().parse().unwrap();
    let refused = world.store.request(personbase_domain::RequestId(id)).await;
    assert!(refused.unwrap().steps.iter().all(|s| s.signed.is_none()), "nothing was signed");
    let (status, signed) =
        world.post(&path, &world.employment, json!({ "comment": " 材料齐全 " })).await;

    assert_eq!(status, StatusCode::OK, "{signed}");
    let step = signed["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["agency"] == world.employment.agency.id.0)
        .unwrap()
        .clone();
    assert_eq!(step["comment"], "材料齐全");
    assert_eq!(step["signed_by"], world.employment.operator.id.0);
}
