//! The case workers' pages, driven as a browser would: the session cookie, the CSRF token
//! from each page's form, urlencoded and multipart posts. Each test starts from a fresh
//! province (`personbase_testkit::World`).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests: a failure is a test failure")]

mod support;

use axum::http::{Method, StatusCode};
use personbase_domain::{BusinessLine, PersonId, RequestId};
use personbase_identity::SocialSecurityNumber;
use personbase_testkit::{World, change, number};
use serde_json::json;
use sha2::{Digest, Sha256};
use support::Browser;

/// Employment and subsidy at the county employment agency, pension at the county social
/// insurance agency, medical at the prefecture's: a number change needs all three (R2.3).
async fn three_agencies(world: &World) -> i64 {
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    world.enrol(id, BusinessLine::InsuranceSubsidy, &world.employment).await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    world.enrol(id, BusinessLine::Medical, &world.prefecture_insurance).await;
    id
}

/// A person in pension and medical insurance at the county social insurance agency: a
/// natural-information change waits for the person (R2.4).
async fn two_lines(world: &World) -> i64 {
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    world.enrol(id, BusinessLine::Medical, &world.insurance).await;
    id
}

/// Proposes a change through the API; returns the request id.
async fn propose(
    world: &World,
    person: i64,
    clerk: &personbase_testkit::Clerk,
    changes: serde_json::Value,
) -> i64 {
    let path = format!("/api/v1/persons/{person}/changes");
    let (status, body) = world.post(&path, clerk, change("card_reader", changes)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["request"]["id"].as_i64().unwrap()
}

fn position(html: &str, needle: &str) -> usize {
    html.find(needle).unwrap_or_else(|| panic!("{needle} not in page"))
}

#[tokio::test]
async fn a_search_by_the_15_digit_number_finds_the_18_digit_record_masked() {
    let world = World::new().await;
    let full = number(230103, "19850312", 123);
    let id = world.enter(&full, "张三").await;
    let browser = Browser::new(&world);
    // The first-generation number: no century, no check character.
    let old = format!("{}{}", &full[..6], &full[8..17]);
    assert_eq!(old.len(), 15);

    let page = browser.submit("/search", "/search", &world.employment, &[("number", &old)]).await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let results = page.element("results").map(|_| ()).is_some();
    assert!(results, "{}", page.html);
    let masked = format!("2301**********{}", &full[14..]);
    assert!(page.html.contains(&masked), "{}", page.html);
    assert!(page.html.contains("张*"));
    assert!(!page.html.contains(&full), "the full number is never on a list");
    assert!(!page.html.contains("张三"));
    assert!(page.html.contains(&format!("class=\"person-link\" href=\"/persons/{id}\"")));

    // Full width and spaces are accepted as well.
    let spaced: String = full
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
        .collect();
    let page =
        browser.submit("/search", "/search", &world.employment, &[("number", &spaced)]).await;
    assert!(page.html.contains(&masked), "full-width digits: {}", page.html);
}

#[tokio::test]
async fn a_number_that_does_not_parse_shows_the_identity_crates_message() {
    let world = World::new().await;
    let browser = Browser::new(&world);
    let full = number(230103, "19850312", 123);
    let wrong = format!("{}{}", &full[..17], if full.ends_with('1') { '2' } else { '1' });
    let expected = SocialSecurityNumber::parse(&wrong).unwrap_err().message_zh();

    let page = browser.submit("/search", "/search", &world.employment, &[("number", &wrong)]).await;

    let error = page.element("search-error").expect("an error box");
    assert!(page.html.contains(&expected), "{expected} in {error}");
    assert!(!page.has("results"));
}

#[tokio::test]
async fn a_search_by_name_and_birth_date_lists_only_that_person() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enter(&number(230103, "19900101", 135), "张三").await;
    let browser = Browser::new(&world);

    let page = browser
        .submit(
            "/search",
            "/search",
            &world.employment,
            &[("name", "张三"), ("birth", "1985-03-12")],
        )
        .await;

    assert_eq!(page.html.matches("class=\"person-link\"").count(), 1, "{}", page.html);
    assert!(page.html.contains(&format!("href=\"/persons/{id}\"")));
}

#[tokio::test]
async fn the_full_record_needs_a_reason_and_the_view_is_journaled() {
    let world = World::new().await;
    let full = number(230103, "19850312", 123);
    let id = world.enter(&full, "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    let browser = Browser::new(&world);
    let path = format!("/persons/{id}");

    let page = browser.get(&path, &world.insurance).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.has("record") && page.has("enrolments") && page.has("card"));
    assert!(page.has("pending") && page.has("history") && page.has("unmask-form"));
    assert_eq!(page.element("record-name"), Some("张*"));
    assert!(!page.html.contains(&full));
    assert!(page.element("enrolments").is_some());
    let enrolments = page.block("enrolments", "table").unwrap();
    assert!(enrolments.contains("南岗区社会保险事业局"), "enrolment with its agency");

    let reason = "核对养老保险待遇申领材料";
    let page = browser
        .submit(&path, &format!("/persons/{id}/unmask"), &world.insurance, &[("reason", reason)])
        .await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.has("record-full"));
    assert_eq!(page.element("full-ssn"), Some(full.as_str()));
    assert_eq!(page.element("full-name"), Some("张三"));
    let viewed = world.store.history(PersonId(id)).await.unwrap();
    let last = viewed.last().unwrap();
    assert_eq!(last.action, "person.viewed");
    assert_eq!(last.reason, reason);
    assert_eq!(last.operator, Some(world.insurance.operator.id));
}

#[tokio::test]
async fn an_agency_without_the_persons_business_is_refused_the_full_record_on_the_page() {
    let world = World::new().await;
    let full = number(230103, "19850312", 123);
    let id = world.enter(&full, "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    let browser = Browser::new(&world);
    let path = format!("/persons/{id}");

    let page = browser
        .submit(&path, &format!("/persons/{id}/unmask"), &world.stranger, &[("reason", "核对")])
        .await;

    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
    assert!(page.has("unmask-refusal"));
    assert!(page.html.contains("need-to-know"), "{}", page.html);
    assert!(!page.has("record-full"));
    assert!(!page.html.contains(&full));
    assert_ne!(world.actions(id).await.last().unwrap(), "person.viewed");
}

#[tokio::test]
async fn a_blank_reason_shows_no_full_record() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    let browser = Browser::new(&world);
    let path = format!("/persons/{id}");

    let page = browser
        .submit(&path, &format!("/persons/{id}/unmask"), &world.insurance, &[("reason", "  ")])
        .await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!page.has("record-full"));
    assert!(!world.actions(id).await.contains(&"person.viewed".to_owned()));
}

#[tokio::test]
async fn the_preview_shows_the_in_transit_refusal_with_the_rule_and_the_transaction() {
    let world = World::new().await;
    let id = two_lines(&world).await;
    let key = world.key_for(BusinessLine::Pension, &world.insurance).await;
    let start =
        json!({ "person_id": id, "reference": "YL2026000001", "description": "养老保险关系转移" });
    let (status, tx) = world
        .call_with(
            Method::POST,
            "/api/v1/business/transactions",
            &[("x-api-key", &key)],
            Some(start),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{tx}");
    let browser = Browser::new(&world);
    let form = format!("/persons/{id}/change");
    let csrf = browser.get(&form, &world.insurance).await.csrf();
    let fields = [("_csrf", csrf.as_str()), ("household_type", "20"), ("source", "card_reader")];
    let before = world.actions(id).await;

    let fragment = browser
        .post_with(&format!("{form}/preview"), &world.insurance, &fields, &[("HX-Request", "true")])
        .await;

    assert_eq!(fragment.status, StatusCode::OK, "{}", fragment.html);
    assert!(!fragment.html.contains("<html"), "htmx gets the fragment only");
    assert!(fragment.html.contains("class=\"refusal\""), "{}", fragment.html);
    assert_eq!(fragment.element("preview-rule"), Some("in-transit-blocks"));
    let message = fragment.element("preview-message").unwrap();
    assert!(message.contains("YL2026000001") && message.contains("养老保险关系转移"), "{message}");
    assert_eq!(world.actions(id).await, before, "a preview writes nothing");

    // Without JavaScript the preview button renders the whole page with the same preview.
    let page = browser.post(&format!("{form}/preview"), &world.insurance, &fields).await;
    assert!(page.html.contains("<html") && page.has("change-form"));
    assert_eq!(page.element("preview-rule"), Some("in-transit-blocks"));
    assert!(page.html.contains("value=\"20\""), "the typed value is kept");
}

#[tokio::test]
async fn ethnicity_and_household_type_are_chosen_from_the_code_tables() {
    let world = World::new().await;
    let id = two_lines(&world).await;
    let browser = Browser::new(&world);
    let form = format!("/persons/{id}/change");
    let page = browser.get(&form, &world.insurance).await;

    for (code, current, option) in [
        ("ethnicity", "汉族", "<option value=\"03\">回族</option>"),
        ("household_type", "非农业户口", "<option value=\"20\">农业户口</option>"),
    ] {
        assert!(!page.html.contains(&format!("<input id=\"f-{code}\"")), "{code}: no free text");
        let select = page.block(&format!("f-{code}"), "select").expect("a select");
        let first = format!("<option value=\"\" selected>（不修改）（{current}）</option>");
        assert!(select.contains(&first), "{select}");
        assert!(select.contains(option), "{select}");
    }
    let ethnicities = page.block("f-ethnicity", "select").unwrap();
    assert_eq!(ethnicities.matches("<option ").count(), 1 + 58, "unchanged and GB 3304");
    assert!(ethnicities.contains("<option value=\"98\">外国血统中国籍人士</option>"));
    let types = page.block("f-household_type", "select").unwrap();
    assert_eq!(types.matches("<option ").count(), 1 + 13);

    // The live preview reads the chosen code as before.
    let csrf = page.csrf();
    let fields = [("_csrf", csrf.as_str()), ("household_type", "20"), ("ethnicity", "")];
    let fragment = browser
        .post_with(&format!("{form}/preview"), &world.insurance, &fields, &[("HX-Request", "true")])
        .await;
    assert!(fragment.html.contains("data-outcome=\"person_confirms\""), "{}", fragment.html);
    // Before and after by their names, not their codes (10 → 20).
    let named = "<td class=\"before\">非农业户口</td><td class=\"after\">农业户口</td>";
    assert!(fragment.html.contains(named), "{}", fragment.html);

    // The page again (without JavaScript) keeps the choice selected, also when a client sent
    // the name rather than the code.
    let fields = [("_csrf", csrf.as_str()), ("household_type", "农业"), ("ethnicity", "03")];
    let again = browser.post(&format!("{form}/preview"), &world.insurance, &fields).await;
    let types = again.block("f-household_type", "select").unwrap();
    assert!(types.contains("<option value=\"20\" selected>农业户口</option>"), "{types}");
    assert!(types.contains("<option value=\"\">（不修改）"), "{types}");
    let ethnicities = again.block("f-ethnicity", "select").unwrap();
    assert!(ethnicities.contains("<option value=\"03\" selected>回族</option>"));
}

#[tokio::test]
async fn a_wrong_value_in_the_preview_names_the_field() {
    let world = World::new().await;
    let id = two_lines(&world).await;
    let browser = Browser::new(&world);
    let form = format!("/persons/{id}/change");
    let csrf = browser.get(&form, &world.insurance).await.csrf();
    let fields = [("_csrf", csrf.as_str()), ("phone", "12")];

    let fragment = browser
        .post_with(&format!("{form}/preview"), &world.insurance, &fields, &[("HX-Request", "true")])
        .await;

    assert!(fragment.html.contains("data-outcome=\"invalid\""), "{}", fragment.html);
    assert_eq!(fragment.element("preview-field"), Some("联系电话"));
}

#[tokio::test]
async fn a_three_agency_number_change_is_previewed_submitted_with_documents_and_signed_in_order() {
    let world = World::new().await;
    let id = three_agencies(&world).await;
    let new = number(230103, "19850312", 135);
    let browser = Browser::new(&world);
    let form_path = format!("/persons/{id}/change");
    let form = browser.get(&form_path, &world.insurance).await;
    assert!(
        form.has("change-form") && form.has("f-ssn") && form.has("f-name") && form.has("f-phone")
    );
    // Typing previews, and so does choosing from a select (which fires `change`).
    assert!(form.html.contains("hx-trigger=\"input changed delay:400ms, change delay:400ms\""));
    let csrf = form.csrf();

    // The preview: three agencies, employment first, the social insurance agencies after it.
    let typed = [("_csrf", csrf.as_str()), ("ssn", new.as_str()), ("source", "card_reader")];
    let preview = browser
        .post_with(
            &format!("{form_path}/preview"),
            &world.insurance,
            &typed,
            &[("HX-Request", "true")],
        )
        .await;
    assert!(preview.html.contains("class=\"pending\""), "{}", preview.html);
    let steps = preview.block("preview-steps", "ol").expect("the steps");
    let employment = position(steps, "南岗区就业服务中心");
    let prefecture = position(steps, "哈尔滨市社会保险事业管理局");
    let county = position(steps, "南岗区社会保险事业局");
    assert!(employment < prefecture && employment < county, "{steps}");
    assert!(
        steps.contains("第1步") && steps.contains("第2步") && !steps.contains("第3步"),
        "{steps}"
    );
    assert_eq!(steps.matches("<li").count(), 3);
    let documents = preview.element("preview-documents").unwrap();
    assert!(documents.contains("居民身份证复印件") && documents.contains("户口簿复印件"));

    // Submitted without the documents: the store refuses and the form says which.
    let action = format!("{form_path}?_csrf={csrf}");
    let fields = [
        ("ssn", new.as_str()),
        ("source", "card_reader"),
        ("reason", "身份证号码登记错误，本人申请更正"),
        ("expected_version", "1"),
    ];
    let refused = browser.post_multipart(&action, &world.insurance, &fields, &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.html);
    assert_eq!(refused.element("preview-rule"), Some("documents-required"));

    // With both documents: a request waiting for the three agencies.
    let card_copy: &[u8] = b"%PDF-1.4 card copy";
    let booklet: &[u8] = b"\xff\xd8\xff\xe0 household booklet";
    let files = [
        ("doc_0", "身份证.pdf", "application/pdf", card_copy),
        ("doc_1", "户口簿.jpg", "image/jpeg", booklet),
    ];
    let done = browser.post_multipart(&action, &world.insurance, &fields, &files).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let location = done.location.unwrap();
    let request: i64 = location.trim_start_matches("/requests/").parse().unwrap();

    let page = browser.get(&location, &world.employment).await;
    assert!(page.html.contains("id=\"request-status\" data-status=\"waiting_for_signoff\""));
    assert!(page.has("signoff-form") && page.has("reject-form"));
    assert!(!page.has("confirm-form"));
    assert!(page.html.contains("身份证.pdf") && page.html.contains("户口簿.jpg"));
    assert!(page.html.contains(&hex::encode(Sha256::digest(card_copy))));
    assert!(page.html.contains(&hex::encode(Sha256::digest(booklet))));
    let attached = world.actions(id).await.iter().filter(|a| *a == "document.attached").count();
    assert_eq!(attached, 2);
    let stored =
        world.store.request_documents(personbase_domain::RequestId(request)).await.unwrap();
    assert_eq!(stored[0].size, card_copy.len() as i64);
    assert_eq!(stored[1].content_type, "image/jpeg");

    // The inbox of the agency whose turn it is lists it.
    let inbox = browser.get("/inbox", &world.employment).await;
    assert!(inbox.html.contains(&format!("data-request=\"{request}\"")), "{}", inbox.html);
    let inbox = browser.get("/inbox", &world.insurance).await;
    assert!(!inbox.html.contains(&format!("data-request=\"{request}\"")), "not its turn yet");

    // Signing out of order is refused with the rule.
    let signoff = format!("/requests/{request}/sign-off");
    let early = browser.submit(&location, &signoff, &world.insurance, &[]).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.html);
    let refusal = early.block("action-refusal", "div").expect("the refusal on the request's page");
    assert!(refusal.contains("signoff-order"), "{refusal}");
    assert!(early.html.contains("data-status=\"waiting_for_signoff\""));

    for clerk in [&world.employment, &world.prefecture_insurance, &world.insurance] {
        let signed = browser.submit(&location, &signoff, clerk, &[]).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.html);
        assert_eq!(signed.location.as_deref(), Some(location.as_str()));
    }

    let page = browser.get(&location, &world.insurance).await;
    assert!(page.html.contains("data-status=\"effective\""), "{}", page.html);
    assert!(!page.has("signoff-form"));
    assert_eq!(world.record(id).await.ssn.as_str(), new);
    let person = browser.get(&format!("/persons/{id}"), &world.insurance).await;
    let history = person.block("history", "section").unwrap();
    assert!(
        history.contains(&format!("data-request=\"{request}\" data-field=\"ssn\"")),
        "{history}"
    );
    assert!(history.contains(&format!("2301**********{}", &new[14..])));
    assert!(!person.html.contains(&new), "the history is masked too");
}

#[tokio::test]
async fn a_document_is_downloaded_by_an_agency_that_needs_to_know_and_the_view_is_journaled() {
    let world = World::new().await;
    let id = three_agencies(&world).await;
    let browser = Browser::new(&world);
    let form_path = format!("/persons/{id}/change");
    let csrf = browser.get(&form_path, &world.insurance).await.csrf();
    let new = number(230103, "19850312", 135);
    let fields =
        [("ssn", new.as_str()), ("reason", "身份证号码登记错误"), ("source", "card_reader")];
    let scan: &[u8] = b"%PDF-1.4 scan";
    let page: &[u8] = b"<script>alert(1)</script>";
    let files = [
        ("doc_0", "身份证.pdf", "application/pdf", scan),
        ("doc_1", "户口簿.html", "text/html", page),
    ];
    let done = browser
        .post_multipart(&format!("{form_path}?_csrf={csrf}"), &world.insurance, &fields, &files)
        .await;
    let location = done.location.expect("redirected to the request");
    let shown = browser.get(&location, &world.employment).await;
    let links: Vec<&str> = shown
        .html
        .split("class=\"document-link\" href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(links.len(), 2, "{}", shown.html);

    let file = browser.get(links[0], &world.employment).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.html.as_bytes(), scan);
    assert_eq!(file.content_type.as_deref(), Some("application/pdf"));
    assert!(file.disposition.as_deref().unwrap().starts_with("attachment"));
    let viewed = world.store.history(PersonId(id)).await.unwrap();
    let last = viewed.last().unwrap();
    assert_eq!(last.action, "document.viewed");
    assert_eq!(last.operator, Some(world.employment.operator.id));

    // An uploaded page is never served as a page of this origin.
    let other = browser.get(links[1], &world.employment).await;
    assert_eq!(other.content_type.as_deref(), Some("application/octet-stream"));

    // An agency without the person's business is refused, and nothing is journaled.
    let viewed = world.store.history(PersonId(id)).await.unwrap();
    let refused = browser.get(links[0], &world.stranger).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.html.contains("need-to-know"), "{}", refused.html);
    assert_eq!(world.store.history(PersonId(id)).await.unwrap().len(), viewed.len());
}

#[tokio::test]
async fn a_change_against_a_stale_version_comes_back_on_the_current_record() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    let browser = Browser::new(&world);
    let form_path = format!("/persons/{id}/change");
    let form = browser.get(&form_path, &world.employment).await;
    assert!(form.html.contains("id=\"f-expected-version\" value=\"1\""));
    // Another worker changes the record first.
    propose(&world, id, &world.employment, json!({ "household_type": "20" })).await;

    let fields =
        [("phone", "13812345678"), ("reason", "本人申请更新联系电话"), ("expected_version", "1")];
    let stale = browser
        .post_multipart(
            &format!("{form_path}?_csrf={}", form.csrf()),
            &world.employment,
            &fields,
            &[],
        )
        .await;

    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.html);
    assert!(stale.element("preview-message").unwrap().contains("当前版本 2"), "{}", stale.html);
    assert!(stale.html.contains("id=\"f-expected-version\" value=\"2\""));
    assert!(stale.html.contains("value=\"13812345678\""), "the typed value is kept");
    assert!(world.record(id).await.phone.is_none());
}

#[tokio::test]
async fn a_signing_agency_rejects_with_a_comment() {
    let world = World::new().await;
    let id = three_agencies(&world).await;
    let request =
        propose(&world, id, &world.insurance, json!({ "ssn": number(230103, "19850312", 135) }))
            .await;
    let browser = Browser::new(&world);
    let page = format!("/requests/{request}");
    let reject = format!("/requests/{request}/reject");

    let blank = browser.submit(&page, &reject, &world.employment, &[("comment", " ")]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);

    let done = browser
        .submit(&page, &reject, &world.employment, &[("comment", "户口簿复印件不清晰")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);

    let shown = browser.get(&page, &world.employment).await;
    assert!(shown.html.contains("data-status=\"rejected\""));
    assert_eq!(shown.element("request-comment"), Some("户口簿复印件不清晰"));
    assert!(!shown.has("signoff-form") && !shown.has("reject-form"));
    assert!(world.actions(id).await.contains(&"change.rejected".to_owned()));
}

#[tokio::test]
async fn the_persons_answer_is_recorded_at_the_counter_with_the_forms_reference() {
    let world = World::new().await;
    let id = two_lines(&world).await;
    let request = propose(&world, id, &world.insurance, json!({ "household_type": "20" })).await;
    let browser = Browser::new(&world);
    let page = format!("/requests/{request}");
    let confirm = format!("/requests/{request}/confirm");

    let shown = browser.get(&page, &world.insurance).await;
    assert!(shown.html.contains("data-status=\"waiting_for_person\""));
    assert!(shown.has("confirm-form") && shown.has("confirm-reference"));
    assert!(shown.has("confirm-yes") && shown.has("confirm-no"));
    assert!(!shown.has("signoff-form"));

    // Without the signed form's reference the store refuses (R2.4).
    let none = browser
        .submit(&page, &confirm, &world.insurance, &[("reference", " "), ("decision", "yes")])
        .await;
    assert_eq!(none.status, StatusCode::CONFLICT, "{}", none.html);
    let refusal = none.block("action-refusal", "div").expect("the refusal on the request's page");
    assert!(refusal.contains("data-code=\"form_reference_required\""), "{refusal}");
    assert!(none.has("confirm-form"), "the form is still there");

    let done = browser
        .submit(
            &page,
            &confirm,
            &world.insurance,
            &[("reference", "QR-2026-0001"), ("decision", "yes")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let shown = browser.get(&page, &world.insurance).await;
    assert!(shown.html.contains("data-status=\"effective\""), "{}", shown.html);
    assert_eq!(shown.element("confirmation-reference"), Some("QR-2026-0001"));
    assert_eq!(world.record(id).await.household_type.code(), "20");
}

#[tokio::test]
async fn the_counter_confirmation_is_offered_only_to_whom_the_store_lets_record_it() {
    let world = World::new().await;
    let id = two_lines(&world).await;
    let request = propose(&world, id, &world.insurance, json!({ "household_type": "20" })).await;
    let browser = Browser::new(&world);
    let page = format!("/requests/{request}");
    let confirm = format!("{page}/confirm");
    let answer = [("reference", "QR-2026-0003"), ("decision", "yes")];

    // The requesting agency's handler; not a supervisor without the handler role, nor an
    // agency that neither made the request nor holds the person's business.
    let clerks = [
        (&world.insurance, true),
        (&world.supervisor, false),
        (&world.stranger, false),
        (&world.prefecture_insurance, false),
        (&world.centre, false),
    ];
    for (clerk, allowed) in clerks {
        let who = &clerk.operator.login;
        let shown = browser.get(&page, clerk).await;
        assert_eq!(shown.status, StatusCode::OK, "{who}: {}", shown.html);
        assert!(shown.html.contains("data-status=\"waiting_for_person\""), "{who}");
        let named = "<td class=\"before\">非农业户口</td><td class=\"after\">农业户口</td>";
        assert!(shown.html.contains(named), "{who}: {}", shown.html);
        assert_eq!(shown.has("confirm-form"), allowed, "{who}");
        let may = world.store.may_record_confirmation(&clerk.operator, RequestId(request));
        assert_eq!(may.await.unwrap(), allowed, "{who}: the store's answer");
        if !allowed {
            // The store refuses what the page did not offer, and nothing changes.
            let refused = browser.submit(&page, &confirm, clerk, &answer).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{who}: {}", refused.html);
            assert_eq!(world.record(id).await.household_type.code(), "10", "{who}");
        }
    }

    let done = browser.submit(&page, &confirm, &world.insurance, &answer).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let shown = browser.get(&page, &world.insurance).await;
    assert!(shown.html.contains("data-status=\"effective\""), "{}", shown.html);
    assert!(!shown.has("confirm-form"), "answered: nothing left to record");
    let may = world.store.may_record_confirmation(&world.insurance.operator, RequestId(request));
    assert!(!may.await.unwrap());
}

#[tokio::test]
async fn the_persons_refusal_at_the_counter_ends_the_request() {
    let world = World::new().await;
    let id = two_lines(&world).await;
    let request = propose(&world, id, &world.insurance, json!({ "household_type": "20" })).await;
    let browser = Browser::new(&world);
    let page = format!("/requests/{request}");

    let done = browser
        .submit(
            &page,
            &format!("{page}/confirm"),
            &world.insurance,
            &[("reference", "QR-2026-0002"), ("decision", "no")],
        )
        .await;

    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let shown = browser.get(&page, &world.insurance).await;
    assert!(shown.html.contains("data-status=\"rejected\""), "{}", shown.html);
    assert_eq!(world.record(id).await.household_type.code(), "10");
}

#[tokio::test]
async fn user_supplied_markup_is_shown_as_text() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    let key = world.key_for(BusinessLine::Pension, &world.insurance).await;
    let markup = "\"><b>转移</b><script>alert(1)</script>";
    let start = json!({ "person_id": id, "reference": "YL2026000009", "description": markup });
    let (status, body) = world
        .call_with(
            Method::POST,
            "/api/v1/business/transactions",
            &[("x-api-key", &key)],
            Some(start),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let browser = Browser::new(&world);

    let page = browser.get(&format!("/persons/{id}"), &world.insurance).await;
    assert!(!page.html.contains("<script>alert"), "{}", page.html);
    assert!(!page.html.contains("<b>转移"));
    assert!(page.html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{}", page.html);

    // Echoed search terms too: a name that does not parse is shown back as typed, escaped.
    let page = browser.submit("/search", "/search", &world.insurance, &[("name", markup)]).await;
    assert!(!page.html.contains("<script>alert"), "{}", page.html);
    assert!(!page.html.contains("\"><b>"));
    assert!(page.html.contains("&#34;&#62;&#60;b&#62;"), "{}", page.html);
}

#[tokio::test]
async fn a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    let browser = Browser::new(&world);

    let page = browser
        .post(&format!("/persons/{id}/unmask"), &world.insurance, &[("reason", "核对")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let forged = browser
        .post(
            &format!("/persons/{id}/unmask"),
            &world.insurance,
            &[("_csrf", "0000"), ("reason", "核对")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let upload = browser
        .post_multipart(
            &format!("/persons/{id}/change"),
            &world.insurance,
            &[("household_type", "20")],
            &[],
        )
        .await;
    assert_eq!(upload.status, StatusCode::FORBIDDEN);

    let actions = world.actions(id).await;
    assert!(!actions.contains(&"person.viewed".to_owned()), "{actions:?}");
    assert!(!actions.contains(&"change.requested".to_owned()), "{actions:?}");
}

#[tokio::test]
async fn pages_without_a_session_send_to_the_login() {
    let world = World::new().await;
    let browser = Browser::new(&world);
    let mut nobody = world.employment.clone();
    nobody.token = "expired".to_owned();

    let page = browser.get("/inbox", &nobody).await;

    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/login?next=%2Finbox"));
}

#[tokio::test]
async fn the_persons_page_shows_every_agencys_enrolment_the_card_the_pending_request_and_who_changed_what()
 {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    // One line: effective at once (R2.1), by the social insurance agency.
    propose(&world, id, &world.insurance, json!({ "household_type": "20" })).await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    let card = world.store.issue_card(&world.centre.operator, PersonId(id), "HLJ2301000001").await;
    card.unwrap();
    // Two lines now: a natural-information change waits for the person (R2.4).
    let waiting = propose(&world, id, &world.insurance, json!({ "ethnicity": "03" })).await;
    let browser = Browser::new(&world);

    let page = browser.get(&format!("/persons/{id}"), &world.insurance).await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let enrolments = page.block("enrolments", "table").unwrap();
    let rows: Vec<&str> = enrolments.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 2, "{enrolments}");
    assert!(
        rows.iter().any(|r| r.contains("就业") && r.contains("南岗区就业服务中心")),
        "{enrolments}"
    );
    assert!(rows.iter().any(|r| r.contains("养老") && r.contains("南岗区社会保险事业局")));
    let cards = page.block("card", "section").unwrap();
    assert!(cards.contains("HLJ2301000001") && cards.contains("正常"), "{cards}");
    let pending = page.block("pending", "section").unwrap();
    assert!(pending.contains(&format!("href=\"/requests/{waiting}\"")), "{pending}");
    assert_eq!(pending.matches("class=\"request-link\"").count(), 1, "{pending}");
    let history = page.block("history", "section").unwrap();
    let changed = history
        .split("<tr class=\"history-entry\"")
        .find(|r| r.contains("data-field=\"household_type\""))
        .unwrap_or_else(|| panic!("the change is in the history: {history}"));
    assert!(changed.contains("si（南岗区社会保险事业局）"), "who: {changed}");
    assert!(changed.contains("<td class=\"before\">非农业户口</td>"), "before: {changed}");
    assert!(changed.contains("<td class=\"after\">农业户口</td>"), "after: {changed}");
}

#[tokio::test]
async fn a_search_by_the_number_with_a_lower_case_x_finds_the_record() {
    let world = World::new().await;
    let full = number(230103, "19850312", 123);
    let mut seq = 123;
    let full = if full.ends_with('X') {
        full
    } else {
        // Find a sequence whose check character is X.
        loop {
            seq += 1;
            let n = number(230103, "19850312", seq);
            if n.ends_with('X') {
                break n;
            }
        }
    };
    let id = world.enter(&full, "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    let browser = Browser::new(&world);

    let typed = full.to_lowercase();
    let page = browser.submit("/search", "/search", &world.insurance, &[("number", &typed)]).await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert_eq!(page.html.matches("class=\"person-link\"").count(), 1, "{}", page.html);
    assert!(page.html.contains(&format!("href=\"/persons/{id}\"")));
    let masked = format!("{}**********{}", &full[..4], &full[14..]);
    assert!(page.html.contains(&masked), "masked {masked}: {}", page.html);
    assert!(!page.html.contains(&full));
}

#[tokio::test]
async fn the_preview_says_when_a_change_takes_effect_at_once() {
    let world = World::new().await;
    let id = world.enter(&number(230103, "19850312", 123), "张三").await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    let browser = Browser::new(&world);
    let form = browser.get(&format!("/persons/{id}/change"), &world.insurance).await;
    let csrf = form.csrf();

    let preview = browser
        .post_with(
            &format!("/persons/{id}/change/preview"),
            &world.insurance,
            &[("_csrf", csrf.as_str()), ("household_type", "20"), ("source", "card_reader")],
            &[("HX-Request", "true")],
        )
        .await;

    assert_eq!(preview.status, StatusCode::OK, "{}", preview.html);
    assert!(preview.html.contains("data-outcome=\"immediate\""), "{}", preview.html);
    assert!(preview.html.contains(personbase_web::text::PREVIEW_IMMEDIATE), "{}", preview.html);
    assert!(!preview.html.contains("preview-steps") && !preview.html.contains("preview-person"));
}

#[tokio::test]
async fn the_inbox_lists_the_oldest_request_first_with_the_day_it_is_due() {
    let world = World::new().await;
    let first = three_agencies(&world).await;
    let second = world.enter(&number(230103, "19900101", 135), "李四").await;
    for line in [BusinessLine::Employment, BusinessLine::InsuranceSubsidy] {
        world.enrol(second, line, &world.employment).await;
    }
    world.enrol(second, BusinessLine::Pension, &world.insurance).await;
    let older = propose(&world, first, &world.insurance, json!({ "name": "张山" })).await;
    let newer = propose(&world, second, &world.insurance, json!({ "name": "李思" })).await;
    let browser = Browser::new(&world);

    // Employment signs first (R2.3): both wait in its inbox.
    let inbox = browser.get("/inbox", &world.employment).await;

    assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.html);
    let (a, b) = (format!("/requests/{older}\""), format!("/requests/{newer}\""));
    assert!(position(&inbox.html, &a) < position(&inbox.html, &b), "{}", inbox.html);
    let due = personbase_web::text::date(personbase_testkit::today());
    let due_cell = format!("<td class=\"due\">{due}</td>");
    assert_eq!(inbox.html.matches(&due_cell).count(), 2, "due today, twice: {}", inbox.html);
}

#[tokio::test]
async fn logging_out_ends_the_case_workers_session() {
    let world = World::new().await;
    let browser = Browser::new(&world);
    let search = browser.get("/search", &world.insurance).await;
    assert_eq!(search.status, StatusCode::OK);

    let out = browser.submit("/search", "/logout", &world.insurance, &[]).await;

    assert!(out.status.is_redirection(), "{} {}", out.status, out.html);
    let after = browser.get("/search", &world.insurance).await;
    assert!(after.status.is_redirection(), "the session is gone: {}", after.status);
    let (status, _) = world.get("/api/v1/persons/1", &world.insurance).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the token is void for the API too");
}

#[tokio::test]
async fn a_sign_off_keeps_what_the_agency_noted_on_its_step_and_in_the_journal() {
    let world = World::new().await;
    let id = three_agencies(&world).await;
    let request = propose(&world, id, &world.insurance, json!({ "name": "张山" })).await;
    let browser = Browser::new(&world);
    let location = format!("/requests/{request}");
    let note = "已核对户口簿<原件>";

    let form = browser.get(&location, &world.employment).await;
    assert!(form.has("signoff-comment"), "{}", form.html);
    let signed = browser
        .submit(&location, &format!("{location}/sign-off"), &world.employment, &[("comment", note)])
        .await;

    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.html);
    let page = browser.get(&location, &world.insurance).await;
    let steps = page.block("steps", "section").unwrap();
    let employment = steps
        .split("<tr class=\"step")
        .find(|r| r.contains(&format!("data-agency=\"{}\"", world.employment.agency.id.0)))
        .unwrap();
    assert!(
        employment.contains("<td class=\"step-comment\">已核对户口簿&#60;原件&#62;</td>"),
        "{employment}"
    );
    let entries = world.store.history(PersonId(id)).await.unwrap();
    let entry = entries.iter().rev().find(|e| e.action == "change.signed").unwrap();
    assert_eq!(entry.after["step"]["signed"]["comment"], note);
    let (_, view) = world.get(&format!("/api/v1/requests/{request}"), &world.insurance).await;
    let commented: Vec<_> =
        view["steps"].as_array().unwrap().iter().filter_map(|s| s["comment"].as_str()).collect();
    assert_eq!(commented, vec![note]);
}

#[tokio::test]
async fn a_blank_sign_off_comment_is_none() {
    let world = World::new().await;
    let id = three_agencies(&world).await;
    let request = propose(&world, id, &world.insurance, json!({ "name": "张山" })).await;
    let browser = Browser::new(&world);
    let location = format!("/requests/{request}");

    let signed = browser
        .submit(&location, &format!("{location}/sign-off"), &world.employment, &[("comment", "  ")])
        .await;

    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.html);
    let entries = world.store.history(PersonId(id)).await.unwrap();
    let entry = entries.iter().rev().find(|e| e.action == "change.signed").unwrap();
    assert!(entry.after["step"]["signed"].get("comment").is_none(), "{}", entry.after);
}
