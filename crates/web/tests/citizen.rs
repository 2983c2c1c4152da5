//! The citizens' self-service pages with the development provider: login end to end, the
//! own record masked, a contact change with immediate effect, other fields refused by the
//! rule, confirming a request that waits for the person, escaping, CSRF, logout.

#![allow(clippy::unwrap_used, reason = "tests")]

mod citizen_support;

use axum::http::StatusCode;
use citizen_support::{Browser, dev_login, dev_pages, pages_with};
use personbase_domain::request::ConfirmationChannel;
use personbase_domain::{BusinessLine, PersonId, RequestId, RequestState};
use personbase_identity::SocialSecurityNumber;
use personbase_server::SELF_SERVICE_REASON;
use personbase_testkit::{World, change, number};
use personbase_web::citizen::Citizens;
use personbase_web::citizen::LoginError;
use personbase_web::citizen::dev::{CodeSink, DevProvider, RunMode};
use personbase_web::session::CITIZEN_COOKIE;
use personbase_web::text;
use serde_json::json;

/// A person in the test province: 张三, born 1985, Nangang.
async fn zhang(world: &World) -> (i64, String) {
    let ssn = number(230103, "19850312", 123);
    (world.enter(&ssn, "张三").await, ssn)
}

#[tokio::test]
async fn a_citizen_logs_in_with_a_one_time_code_and_sees_their_record_masked() {
    let world = World::new().await;
    let (_, ssn) = zhang(&world).await;
    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);

    let before = browser.get("/self").await;
    assert_eq!(before.status, StatusCode::SEE_OTHER);
    assert_eq!(before.location(), "/self/login");

    let login = browser.get("/self/login").await;
    for id in ["id=\"dev-form\"", "id=\"dev-number\"", "id=\"dev-name\"", "id=\"dev-send\""] {
        assert!(login.body.contains(id), "{id} missing");
    }
    assert!(login.body.contains("name=\"viewport\" content=\"width=device-width"));
    let sent = browser
        .post("/self/login/dev", &login, &[("number", &ssn.to_lowercase()), ("name", " 张三 ")])
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    for id in ["id=\"code-form\"", "id=\"dev-code\"", "id=\"dev-login\""] {
        assert!(sent.body.contains(id), "{id} missing");
    }
    let (masked, code) = codes.last().unwrap();
    assert_eq!(masked, SocialSecurityNumber::parse(&ssn).unwrap().masked());
    assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()), "{code}");

    let flow = sent.input("flow");
    let done = browser.post("/self/login/code", &sent, &[("flow", &flow), ("code", &code)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/self");
    let set = done.set_cookie(CITIZEN_COOKIE).unwrap();
    for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(flag), "{flag} missing from {set}");
    }

    let page = browser.get("/self").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for id in ["self-record", "self-history", "how-to-change", "self-pending", "contact-form"] {
        assert!(page.body.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    assert!(page.body.contains("2301**********123"), "the masked number");
    assert!(page.body.contains("张*"));
    assert!(!page.body.contains(&ssn), "never the full number");
    assert!(!page.body.contains("张三"), "never the full name");
    // The login form's token ended with the login: the used code cannot be posted again.
    let again = browser.post("/self/login/code", &sent, &[("flow", &flow), ("code", &code)]).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_login_whose_name_differs_from_the_record_or_whose_number_has_no_record_is_refused() {
    let world = World::new().await;
    let (_, ssn) = zhang(&world).await;
    let (app, codes) = dev_pages(&world.store);

    let mut browser = Browser::new(&app);
    let page = dev_login(&mut browser, &codes, &ssn, "张山").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains(text::CITIZEN_NAME_MISMATCH), "{}", page.body);
    assert!(!browser.cookies.contains_key(CITIZEN_COOKIE));

    let mut browser = Browser::new(&app);
    let unknown = number(230103, "19900101", 246);
    let page = dev_login(&mut browser, &codes, &unknown, "王芳").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains(text::CITIZEN_NO_RECORD), "{}", page.body);
    assert_eq!(browser.get("/self").await.location(), "/self/login");

    let mut browser = Browser::new(&app);
    let login = browser.get("/self/login").await;
    let page = browser
        .post("/self/login/dev", &login, &[("number", "2301031985"), ("name", "张三")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(text::CITIZEN_INVALID_NUMBER), "{}", page.body);
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_the_form_stays() {
    let world = World::new().await;
    let (_, ssn) = zhang(&world).await;
    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    let login = browser.get("/self/login").await;
    let sent = browser.post("/self/login/dev", &login, &[("number", &ssn), ("name", "张三")]).await;
    let (_, code) = codes.last().unwrap();
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);

    let flow = sent.input("flow");
    let page = browser.post("/self/login/code", &sent, &[("flow", &flow), ("code", &wrong)]).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains(text::CITIZEN_WRONG_CODE));
    assert!(page.body.contains("id=\"code-form\""));
    let page = browser.post("/self/login/code", &page, &[("flow", &flow), ("code", &code)]).await;
    assert_eq!(page.location(), "/self");
}

#[tokio::test]
async fn a_contact_change_takes_effect_at_once_and_is_journaled_as_self_service() {
    let world = World::new().await;
    let (id, ssn) = zhang(&world).await;
    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    dev_login(&mut browser, &codes, &ssn, "张三").await;

    let page = browser.get("/self").await;
    for id in ["id=\"f-home_address\"", "id=\"f-phone\"", "id=\"contact-submit\""] {
        assert!(page.body.contains(id), "{id} missing");
    }
    let version = page.input("expected_version");
    let form = [
        ("expected_version", version.as_str()),
        ("home_address", "黑龙江省哈尔滨市南岗区红旗大街88号"),
        ("phone", "13912341234"),
    ];
    let done = browser.post("/self/contact", &page, &form).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/self?done=contact");

    let record = world.record(id).await;
    assert_eq!(record.phone.unwrap().as_str(), "13912341234");
    assert_eq!(record.home_address.unwrap().as_str(), "黑龙江省哈尔滨市南岗区红旗大街88号");
    let history = world.store.history(PersonId(id)).await.unwrap();
    let effective = history.last().unwrap();
    assert_eq!(effective.action, "change.effective");
    assert_eq!(effective.reason, SELF_SERVICE_REASON);
    assert_eq!(effective.operator, None);

    let page = browser.get("/self?done=contact").await;
    assert!(page.body.contains(text::CITIZEN_CONTACT_SAVED));
    let history = &page.body[page.body.find("id=\"self-history\"").unwrap()..];
    assert!(history.contains("139****1234"), "{history}");
    assert!(history.contains(text::CITIZEN_BY_SELF));
    assert!(!page.body.contains("13912341234"), "the phone masked");
}

#[tokio::test]
async fn any_other_field_is_refused_by_the_self_service_rule_and_says_how_to_change_it() {
    let world = World::new().await;
    let (id, ssn) = zhang(&world).await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    world.enrol(id, BusinessLine::Medical, &world.insurance).await;
    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    dev_login(&mut browser, &codes, &ssn, "张三").await;

    let page = browser.get("/self").await;
    let how_to = &page.body[page.body.find("id=\"how-to-change\"").unwrap()..];
    assert_eq!(how_to.matches("南岗区社会保险事业局").count(), 1, "each counter once");
    assert!(how_to.contains("南岗区就业服务中心"), "every agency holding the person");
    assert!(how_to.contains("data-field=\"ssn\""));
    assert!(how_to.contains("户口簿复印件"), "the policy's documents for a number change");
    assert!(!how_to.contains("data-field=\"phone\""), "contact fields change online");

    let refused =
        browser.post("/self/contact", &page, &[("name", "张四"), ("phone", "13912341234")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(refused.body.contains("id=\"self-refusal\""));
    assert!(refused.body.contains("self-service-contact-only"), "{}", refused.body);
    let record = world.record(id).await;
    assert_eq!(record.name.as_str(), "张三");
    assert!(record.phone.is_none(), "nothing half-written");
    assert_eq!(world.actions(id).await.last().unwrap(), "change.refused");

    let bad = browser.post("/self/contact", &page, &[("phone", "12")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"self-refusal\""));
}

#[tokio::test]
async fn the_person_confirms_a_request_that_waits_for_them() {
    let world = World::new().await;
    let (id, ssn) = zhang(&world).await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    world.enrol(id, BusinessLine::Medical, &world.insurance).await;
    let path = format!("/api/v1/persons/{id}/changes");
    let body = change("card_reader", json!({ "household_type": "20" }));
    let (status, body) = world.post(&path, &world.insurance, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let request = body["request"]["id"].as_i64().unwrap();
    let (_, other) = world
        .post(&path, &world.insurance, change("card_reader", json!({ "ethnicity": "03" })))
        .await;
    let other = other["request"]["id"].as_i64().unwrap();

    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    dev_login(&mut browser, &codes, &ssn, "张三").await;
    let page = browser.get("/self").await;
    let pending = &page.body[page.body.find("id=\"self-pending\"").unwrap()..];
    assert!(pending.contains(&format!("class=\"confirm-form\" data-request=\"{request}\"")));
    assert!(pending.contains("class=\"confirm-yes\"") && pending.contains("class=\"confirm-no"));
    assert!(pending.contains("非农业") && pending.contains("农业"), "before and after, named");
    assert!(pending.contains("南岗区社会保险事业局"));

    let confirm = format!("/self/requests/{request}/confirm");
    let done = browser.post(&confirm, &page, &[("answer", "yes")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(world.record(id).await.household_type.code(), "20");
    let stored = world.store.request(RequestId(request)).await.unwrap();
    assert_eq!(stored.state, RequestState::Effective);
    let channel = stored.confirmation.unwrap().channel;
    assert!(matches!(channel, ConfirmationChannel::SelfService), "{channel:?}");
    let actions = world.actions(id).await;
    assert!(actions.ends_with(&["change.confirmed".to_owned(), "change.effective".to_owned()]));

    let page = browser.get("/self?done=confirmed").await;
    assert!(page.body.contains(text::CITIZEN_CONFIRMED));
    assert!(!page.body.contains(&format!("data-request=\"{request}\"")), "answered");
    let declined =
        browser.post(&format!("/self/requests/{other}/confirm"), &page, &[("answer", "no")]).await;
    assert_eq!(declined.location(), "/self?done=declined");
    let stored = world.store.request(RequestId(other)).await.unwrap();
    assert_eq!(stored.state, RequestState::Rejected);
    assert_eq!(world.record(id).await.ethnicity.code(), "01", "refused: unchanged");
}

#[tokio::test]
async fn a_pending_change_labels_the_value_before_and_after() {
    let world = World::new().await;
    let (id, ssn) = zhang(&world).await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    world.enrol(id, BusinessLine::Medical, &world.insurance).await;
    let path = format!("/api/v1/persons/{id}/changes");
    let body = change("card_reader", json!({ "household_type": "20" }));
    let (status, body) = world.post(&path, &world.insurance, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    dev_login(&mut browser, &codes, &ssn, "张三").await;
    let page = browser.get("/self").await;
    let pending = &page.body[page.body.find("id=\"self-pending\"").unwrap()..];
    let item = &pending[pending.find("class=\"pending-change\"").unwrap()..];
    let item = &item[..item.find("</li>").unwrap()];
    assert!(item.contains(&format!("<p class=\"change-field\">{}</p>", text::HOUSEHOLD_TYPE)));
    let before =
        format!("<dt>{}</dt><dd class=\"before\">非农业户口</dd>", text::CITIZEN_OLD_VALUE);
    let after = format!("<dt>{}</dt><dd class=\"after\">农业户口</dd>", text::CITIZEN_NEW_VALUE);
    assert!(item.contains(&before), "{item}");
    assert!(item.contains(&after), "{item}");
    assert!(item.find(&before) < item.find(&after), "old value first");
}

#[tokio::test]
async fn a_citizen_cannot_answer_another_persons_request() {
    let world = World::new().await;
    let (_, ssn) = zhang(&world).await;
    let li = world.enter(&number(230103, "19700101", 242), "李秀英").await;
    world.enrol(li, BusinessLine::Pension, &world.insurance).await;
    world.enrol(li, BusinessLine::Medical, &world.insurance).await;
    let body = change("card_reader", json!({ "household_type": "20" }));
    let (_, body) =
        world.post(&format!("/api/v1/persons/{li}/changes"), &world.insurance, body).await;
    let request = body["request"]["id"].as_i64().unwrap();

    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    dev_login(&mut browser, &codes, &ssn, "张三").await;
    let page = browser.get("/self").await;
    let refused = browser
        .post(&format!("/self/requests/{request}/confirm"), &page, &[("answer", "yes")])
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert!(refused.body.contains("id=\"self-refusal\""));
    let stored = world.store.request(RequestId(request)).await.unwrap();
    assert_eq!(stored.state, RequestState::WaitingForPerson);
}

#[tokio::test]
async fn markup_typed_in_a_name_or_an_address_is_shown_as_text() {
    let world = World::new().await;
    let (_, ssn) = zhang(&world).await;
    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);

    let markup = "<script>alert(1)</script>张三";
    let login = browser.get("/self/login").await;
    let page =
        browser.post("/self/login/dev", &login, &[("number", "123"), ("name", markup)]).await;
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    assert!(page.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{}", page.body);

    dev_login(&mut browser, &codes, &ssn, "张三").await;
    let page = browser.get("/self").await;
    let address = "<img src=x onerror=alert(1)>哈尔滨市南岗区";
    let done = browser.post("/self/contact", &page, &[("home_address", address)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = browser.get("/self").await;
    assert!(!page.body.contains("<img"), "{}", page.body);
    let refused = browser.post("/self/contact", &page, &[("name", "<b>张四</b>")]).await;
    assert!(refused.body.contains("id=\"self-refusal\""));
    assert!(!refused.body.contains("<b>"), "{}", refused.body);
}

#[tokio::test]
async fn a_form_without_this_sessions_csrf_token_is_refused() {
    let world = World::new().await;
    let (id, ssn) = zhang(&world).await;
    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    dev_login(&mut browser, &codes, &ssn, "张三").await;

    let none = browser.post_raw("/self/contact", &[("phone", "13912341234")]).await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    let mut other = Browser::new(&app);
    let foreign = other.get("/self/login").await.input("_csrf");
    let forged =
        browser.post_raw("/self/contact", &[("_csrf", &foreign), ("phone", "13912341234")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains(text::CSRF_REFUSED));
    assert!(world.record(id).await.phone.is_none());
    let logout = browser.post_raw("/self/logout", &[]).await;
    assert_eq!(logout.status, StatusCode::FORBIDDEN);
    assert_eq!(browser.get("/self").await.status, StatusCode::OK, "still logged in");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let world = World::new().await;
    let (_, ssn) = zhang(&world).await;
    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    dev_login(&mut browser, &codes, &ssn, "张三").await;
    let token = browser.cookies[CITIZEN_COOKIE].clone();

    let page = browser.get("/self").await;
    assert!(page.body.contains("action=\"/self/logout\""));
    let out = browser.post("/self/logout", &page, &[]).await;
    assert_eq!(out.location(), "/self/login");
    assert!(!browser.cookies.contains_key(CITIZEN_COOKIE));

    // The old token no longer opens the page, even if the browser kept it.
    browser.cookies.insert(CITIZEN_COOKIE.to_owned(), token);
    assert_eq!(browser.get("/self").await.location(), "/self/login");
}

#[tokio::test]
async fn without_a_provider_the_login_page_says_self_service_is_not_configured() {
    let world = World::new().await;
    let app = pages_with(&world.store, Citizens::not_configured());
    let mut browser = Browser::new(&app);
    let page = browser.get("/self/login").await;
    assert!(page.body.contains("id=\"login-not-configured\""));
    assert!(page.body.contains(text::CITIZEN_LOGIN_NOT_CONFIGURED));
    assert!(!page.body.contains("id=\"dev-form\""));
}

#[test]
fn the_development_provider_refuses_production_mode() {
    let refused = DevProvider::new(RunMode::Production, CodeSink::Console).unwrap_err();
    assert!(matches!(refused, LoginError::DevProviderInProduction));
    assert_eq!(refused.message_zh(), text::CITIZEN_DEV_IN_PRODUCTION);
    assert!(DevProvider::new(RunMode::Test, CodeSink::Console).is_ok());
}

#[tokio::test]
async fn logging_in_again_ends_the_browsers_previous_session() {
    let world = World::new().await;
    let (_, ssn) = zhang(&world).await;
    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    dev_login(&mut browser, &codes, &ssn, "张三").await;
    let first = browser.cookies[CITIZEN_COOKIE].clone();

    dev_login(&mut browser, &codes, &ssn, "张三").await;
    assert_ne!(browser.cookies[CITIZEN_COOKIE], first, "a new token at each login");
    assert_eq!(browser.get("/self").await.status, StatusCode::OK);
    browser.cookies.insert(CITIZEN_COOKIE.to_owned(), first);
    assert_eq!(browser.get("/self").await.location(), "/self/login");
}
