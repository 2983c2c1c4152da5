//! Regression tests for what a hostile or careless user found: a `next=` that leaves the site
//! through a tab, forms and links that axum could not read answered in English, and the
//! development login giving a guesser fresh codes without end.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests: a failure is a test failure")]

mod citizen_support;
mod support;

use axum::http::StatusCode;
use citizen_support::{Browser, dev_pages};
use personbase_domain::BusinessLine;
use personbase_testkit::{World, number};
use personbase_web::session::WORKER_COOKIE;
use personbase_web::text;

/// Logs the Nangang insurance clerk in through the login form with `next`; the answer.
async fn login_with_next(next: &str) -> citizen_support::Page {
    let world = World::new().await;
    let (app, _) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    let login = world.insurance.operator.login.clone();
    let form = browser.get("/login").await;
    let fields = [("login", login.as_str()), ("password", "password"), ("next", next)];
    browser.post("/login", &form, &fields).await
}

#[tokio::test]
async fn a_next_with_a_tab_or_a_line_break_does_not_leave_the_site() {
    // Browsers drop tabs from a URL: `/\t/evil.example` would be `//evil.example`.
    let tab = login_with_next("/\t/evil.example").await;
    assert_eq!(tab.status, StatusCode::SEE_OTHER);
    assert_eq!(tab.location(), "/search");

    // A line break is no header value: it was a 500 with axum's English text.
    let line_break = login_with_next("/\r\n/evil.example").await;
    assert_eq!(line_break.status, StatusCode::SEE_OTHER);
    assert_eq!(line_break.location(), "/search");

    let fine = login_with_next("/persons/1?x=1").await;
    assert_eq!(fine.location(), "/persons/1?x=1");
}

#[tokio::test]
async fn a_form_or_link_that_cannot_be_read_gets_the_chinese_error_page() {
    let world = World::new().await;
    let (app, _) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);

    // A parameter given twice.
    let twice = browser.get("/login?next=/a&next=/b").await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    assert!(twice.body.contains(text::QUERY_UNREADABLE), "{}", twice.body);
    assert!(!twice.body.contains("deserialize"), "{}", twice.body);

    // The login form without its password field (the CSRF token is right).
    let form = browser.get("/login").await;
    let missing = browser.post("/login", &form, &[("login", "someone")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains(text::FORM_UNREADABLE), "{}", missing.body);
    assert!(!missing.body.contains("missing field"), "{}", missing.body);
}

#[tokio::test]
async fn one_number_gets_three_codes_and_then_waits() {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);
    world.enter(&ssn, "张三").await;
    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    let login = browser.get("/self/login").await;
    let fields = [("number", ssn.as_str()), ("name", "张三")];

    for _ in 0..3 {
        let sent = browser.post("/self/login/dev", &login, &fields).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    }
    let (_, third) = codes.last().unwrap();
    let refused = browser.post("/self/login/dev", &login, &fields).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body.contains(text::CITIZEN_TOO_MANY_CODES), "{}", refused.body);
    assert_eq!(codes.last().unwrap().1, third, "no fourth code was sent");
}

#[tokio::test]
async fn a_day_that_does_not_exist_is_named_as_such() {
    let world = World::new().await;
    let (app, _) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    let login = world.insurance.operator.login.clone();
    let form = browser.get("/login").await;
    let fields = [("login", login.as_str()), ("password", "password")];
    browser.post("/login", &form, &fields).await;

    let search = browser.get("/search").await;
    let fields = [("name", "张三"), ("birth", "2026-02-30")];
    let found = browser.post("/search", &search, &fields).await;
    assert!(found.body.contains("实际存在的日期"), "{}", found.body);
}

#[tokio::test]
async fn a_form_too_large_for_its_handler_says_so_in_chinese() {
    let world = World::new().await;
    let (app, _) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    let login = world.insurance.operator.login.clone();
    let form = browser.get("/login").await;
    let fields = [("login", login.as_str()), ("password", "password")];
    browser.post("/login", &form, &fields).await;

    // The token in the query lets the guard pass the body on unread; axum's own limit (2 MB)
    // refuses it in the handler's form.
    let search = browser.get("/search").await;
    let token = search.input("_csrf");
    let name = "张".repeat(1 << 20);
    let big = browser.post_raw(&format!("/search?_csrf={token}"), &[("name", &name)]).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(big.body.contains(text::FORM_TOO_LARGE), "{}", big.body);
}

#[tokio::test]
async fn an_input_that_is_no_record_field_is_named_in_chinese() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    let browser = support::Browser::new(&world);
    let form_path = format!("/persons/{id}/change");
    let csrf = browser.get(&form_path, &world.insurance).await.csrf();

    let action = format!("{form_path}?_csrf={csrf}");
    let fields = [("phone", "13900001111"), ("reason", "更正"), ("expected_version", "abc")];
    let page = browser.post_multipart(&action, &world.insurance, &fields, &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    assert!(page.html.contains("id=\"preview-field\">记录版本<"), "{}", page.html);
    assert!(page.html.contains(text::FORM_UNREADABLE), "{}", page.html);
}

#[tokio::test]
async fn a_document_without_a_file_name_still_has_a_link_to_click() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    let browser = support::Browser::new(&world);
    let form_path = format!("/persons/{id}/change");
    let csrf = browser.get(&form_path, &world.insurance).await.csrf();

    let new = number(230103, "19850312", 135);
    let action = format!("{form_path}?_csrf={csrf}");
    let fields = [("ssn", new.as_str()), ("reason", "号码登记错误"), ("expected_version", "1")];
    let files: [(&str, &str, &str, &[u8]); 2] = [
        ("doc_0", "", "application/pdf", b"%PDF-1.4 id card"),
        ("doc_1", "hukou.pdf", "application/pdf", b"%PDF-1.4 hukou"),
    ];
    let done = browser.post_multipart(&action, &world.insurance, &fields, &files).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let request = browser.get(done.location.as_deref().unwrap(), &world.insurance).await;
    assert!(request.html.contains(text::NO_FILE_NAME), "{}", request.html);
    assert!(request.html.contains(">hukou.pdf</a>"), "{}", request.html);
}

#[tokio::test]
async fn opening_another_login_page_does_not_void_the_first_ones_form() {
    let world = World::new().await;
    let (app, _) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    let login = world.insurance.operator.login.clone();

    let first = browser.get("/login").await;
    browser.get("/self/login").await;
    browser.get("/login").await;
    let fields = [("login", login.as_str()), ("password", "password")];
    let done = browser.post("/login", &first, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/search");
}

#[tokio::test]
async fn a_new_login_ends_the_session_the_browser_held_before() {
    let world = World::new().await;
    let (app, _) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    let login = world.insurance.operator.login.clone();
    let fields = [("login", login.as_str()), ("password", "password")];

    let form = browser.get("/login").await;
    browser.post("/login", &form, &fields).await;
    let old = browser.cookies.get(WORKER_COOKIE).cloned().unwrap();
    let form = browser.get("/login").await;
    browser.post("/login", &form, &fields).await;
    let new = browser.cookies.get(WORKER_COOKIE).cloned().unwrap();
    assert_ne!(old, new);

    assert_eq!(browser.get("/search").await.status, StatusCode::OK);
    browser.cookies.insert(WORKER_COOKIE.to_owned(), old);
    let stale = browser.get("/search").await;
    assert_eq!(stale.status, StatusCode::SEE_OTHER, "the old session is over");
}

#[tokio::test]
async fn a_form_sent_after_the_session_ended_does_not_return_to_its_action() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    let browser = support::Browser::new(&world);
    let page = format!("/persons/{id}");
    let csrf = browser.get(&page, &world.insurance).await.csrf();
    let token = personbase_server::auth::token_hash(&world.insurance.token);
    world.store.delete_session(&token).await.unwrap();

    let fields = [("_csrf", csrf.as_str()), ("reason", "核对")];
    let sent = browser.post(&format!("{page}/unmask"), &world.insurance, &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let location = sent.location.unwrap();
    assert!(location.starts_with("/login") && !location.contains("unmask"), "{location}");
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_page_login_with_a_chinese_message() {
    let world = World::new().await;
    let (app, _) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    let login = world.insurance.operator.login.clone();
    let form = browser.get("/login").await;
    let wrong = [("login", login.as_str()), ("password", "wrong"), ("next", "/search")];

    for _ in 0..4 {
        let refused = browser.post("/login", &form, &wrong).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
        assert!(refused.body.contains(text::WRONG_CREDENTIALS));
    }
    let locked = browser.post("/login", &form, &wrong).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{}", locked.body);
    // The store's clock is 12:00 China time: locked until 12:15.
    let until = world.store.clock().now() + chrono::Duration::minutes(15);
    let message = text::login_locked(until);
    assert!(message.contains("2026年12月3日 12:15"), "{message}");
    assert!(locked.body.contains(&message), "{}", locked.body);
    assert!(locked.body.contains("id=\"login-error\""));

    // The right password is refused while locked; no session is opened.
    let right = [("login", login.as_str()), ("password", "password"), ("next", "/search")];
    let still = browser.post("/login", &locked, &right).await;
    assert_eq!(still.status, StatusCode::TOO_MANY_REQUESTS, "{}", still.body);
    assert!(still.set_cookie(WORKER_COOKIE).is_none());

    // A login that does not exist is locked with the same words.
    let nobody = [("login", "nobody"), ("password", "wrong"), ("next", "/search")];
    let mut last = None;
    for _ in 0..5 {
        last = Some(browser.post("/login", &still, &nobody).await);
    }
    let last = last.unwrap();
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(last.body.contains(&message), "{}", last.body);
}
