//! The information centres' pages (R1.1): who may open them, the region's open and overdue
//! requests as the clock moves, same-day completion (R4.1) as tables and charts, the audit
//! trail of a person and an operator, and the Excel export of each table.

#![allow(clippy::unwrap_used, reason = "a failure here is a test failure")]

use std::io::Cursor;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use chrono::{NaiveDate, TimeZone, Utc};
use http_body_util::BodyExt;
use personbase_domain::clock::CHINA;
use personbase_domain::rules::{InputSource, Proposal};
use personbase_domain::{
    AgencyKind, BusinessLine, ChangeRequest, FieldChanges, FixedClock, Level, PersonId, PersonName,
    Role,
};
use personbase_identity::{HouseholdType, SocialSecurityNumber};
use personbase_server::AppState;
use personbase_store::{ActorRef, Store};
use personbase_testkit::{Clerk, World, clerk_at, number, today};
use personbase_web::citizen::Citizens;
use personbase_web::{WebState, pages};
use serde_json::json;
use tower::ServiceExt;

/// The pages on `store` (and its clock).
fn app(store: &Store) -> Router {
    pages(WebState::new(AppState::new(store.clone()), Citizens::default()))
}

/// GET `path` as `clerk`: status, headers, body bytes.
async fn get(app: &Router, path: &str, clerk: &Clerk) -> (StatusCode, HeaderMap, Vec<u8>) {
    let request = Request::get(path)
        .header(header::COOKIE, format!("__Host-pb-worker={}", clerk.token))
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

/// GET a page as `clerk`: status and HTML.
async fn page(app: &Router, path: &str, clerk: &Clerk) -> (StatusCode, String) {
    let (status, _, body) = get(app, path, clerk).await;
    (status, String::from_utf8(body).unwrap())
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start} not in page")) + start.len();
    let to = html[from..].find(end).unwrap() + from;
    &html[from..to]
}

/// Strips tags and decodes the entities askama writes.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#43;", "+").replace("&#40;", "(").replace("&#41;", ")").trim().to_owned()
}

/// The body rows of `table#id`, each as its cells' text.
fn rows(html: &str, id: &str) -> Vec<Vec<String>> {
    let table = between(html, &format!("<table id=\"{id}\">"), "</table>");
    let body = between(table, "<tbody>", "</tbody>");
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let cells = row.split("<td data-label=\"").skip(1);
            cells.map(|cell| plain(between(cell, ">", "</td>"))).collect()
        })
        .collect()
}

/// The column `header` of `table#id`.
fn column(html: &str, id: &str, header: &str) -> Vec<String> {
    let table = between(html, &format!("<table id=\"{id}\">"), "</table>");
    let head = between(table, "<thead>", "</thead>");
    let index = head.split("<th").skip(1).position(|h| h.contains(header)).unwrap();
    rows(html, id).into_iter().map(|r| r[index].clone()).collect()
}

/// The bars of `svg#id`.
fn bars(html: &str, id: &str) -> usize {
    between(html, &format!("<svg id=\"{id}\""), "</svg>").matches("<rect class=\"bar\"").count()
}

/// A store on the same database whose clock reads `hour` o'clock in China on `day`.
fn on(world: &World, day: NaiveDate, hour: u32) -> Store {
    let local = day.and_hms_opt(hour, 0, 0).unwrap();
    let at = CHINA.from_local_datetime(&local).unwrap().with_timezone(&Utc);
    world.store.with_clock(Arc::new(FixedClock(at)))
}

fn dec(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
}

fn documents() -> Vec<String> {
    vec!["居民身份证复印件".to_owned(), "户口簿复印件".to_owned()]
}

/// `clerk` proposes a new name for `person` on `store`'s clock.
async fn rename(store: &Store, clerk: &Clerk, person: i64, name: &str) -> ChangeRequest {
    let changes =
        FieldChanges { name: Some(PersonName::parse(name).unwrap()), ..FieldChanges::default() };
    let proposal = Proposal { changes, source: InputSource::CardReader, documents: documents() };
    let actor = ActorRef::Operator(&clerk.operator);
    store.propose_change(actor, PersonId(person), proposal, "本人申请更正", None).await.unwrap()
}

/// `clerk` changes the household type of a single-line person (effective at once).
async fn retype(store: &Store, clerk: &Clerk, person: i64, code: &str) -> ChangeRequest {
    let changes = FieldChanges {
        household_type: Some(HouseholdType::from_code(code).unwrap()),
        ..FieldChanges::default()
    };
    let proposal = Proposal { changes, source: InputSource::CardReader, documents: documents() };
    let actor = ActorRef::Operator(&clerk.operator);
    store.propose_change(actor, PersonId(person), proposal, "户口性质变更", None).await.unwrap()
}

/// A person enrolled in employment only, at the county employment agency.
async fn single_line(world: &World, sequence: u32, name: &str) -> i64 {
    let id = world.enter(&number(230103, "19850312", sequence), name).await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    id
}

/// A person in employment (county employment agency) and pension (county social insurance):
/// a name change needs both agencies' sign-off.
async fn two_agencies(world: &World, sequence: u32, name: &str) -> i64 {
    let id = world.enter(&number(230103, "19900101", sequence), name).await;
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    world.enrol(id, BusinessLine::Pension, &world.insurance).await;
    id
}

#[tokio::test]
async fn only_information_centres_see_the_centre_pages() {
    let world = World::new().await;
    let app = app(&world.store);

    for path in ["/centre", "/centre/audit", "/centre/export/open-requests?format=xlsx"] {
        let (status, html) = page(&app, path, &world.employment).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(html.contains("仅供信息中心人员"), "{path}: {html}");
        assert!(html.contains("need-to-know"), "the refusing rule is named: {html}");
    }
    let (status, html) = page(&app, "/centre", &world.supervisor).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a handling agency's supervisor is not a centre");
    assert!(html.contains("仅供信息中心人员"));

    let (status, html) = page(&app, "/centre", &world.centre).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("哈尔滨市信息中心"));
}

#[tokio::test]
async fn open_requests_become_overdue_the_next_day_unless_in_transit_business_blocks_them() {
    let world = World::new().await;
    let waiting = two_agencies(&world, 123, "张伟").await;
    let blocked = two_agencies(&world, 135, "李娜").await;
    let done = single_line(&world, 147, "王芳").await;
    let open = rename(&world.store, &world.employment, waiting, "张卫").await;
    let held = rename(&world.store, &world.employment, blocked, "李娅").await;
    retype(&world.store, &world.employment, done, "20").await;
    // A pension transfer starts after the request: it is blocked, not late (R4.1).
    let key = world.key_for(BusinessLine::Pension, &world.insurance).await;
    let (status, body) = world
        .call_with(
            axum::http::Method::POST,
            "/api/v1/business/transactions",
            &[("x-api-key", &key)],
            Some(json!({ "person_id": blocked, "reference": "ZY-2026-001", "description": "养老保险关系转移" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let (status, html) = page(&app(&world.store), "/centre", &world.centre).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        column(&html, "open-requests", "申请号"),
        [open.id.0.to_string(), held.id.0.to_string()]
    );
    assert_eq!(column(&html, "open-requests", "在途业务"), ["否", "是"]);
    let masked = SocialSecurityNumber::parse(&number(230103, "19900101", 123)).unwrap().masked();
    assert_eq!(column(&html, "open-requests", "人员")[0], format!("张*（{masked}）"));
    assert!(rows(&html, "overdue-requests").is_empty(), "nothing is late on its own day");

    let tomorrow = on(&world, dec(4), 9);
    let (status, html) = page(&app(&tomorrow), "/centre", &world.centre).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&html, "open-requests").len(), 2);
    assert_eq!(column(&html, "overdue-requests", "申请号"), [open.id.0.to_string()]);
    assert_eq!(column(&html, "overdue-requests", "逾期天数"), ["1"]);
    assert_eq!(column(&html, "overdue-requests", "等待办理"), ["南岗区社会保险事业局"]);
    let api = tomorrow.overdue(dec(4), Some(&world.centre.agency)).await.unwrap();
    assert_eq!(
        api.iter().map(|r| r.id).collect::<Vec<_>>(),
        [open.id],
        "the same list as the API's"
    );

    // A centre of another prefecture sees none of Harbin's requests.
    let other = world
        .store
        .create_agency(
            "齐齐哈尔市信息中心",
            AgencyKind::InformationCentre,
            Level::Prefecture,
            230200,
        )
        .await
        .unwrap();
    let elsewhere = clerk_at(&world.store, &other, "qqhr-centre", &[Role::Handler]).await;
    let (status, html) = page(&app(&tomorrow), "/centre", &elsewhere).await;
    assert_eq!(status, StatusCode::OK);
    assert!(rows(&html, "open-requests").is_empty() && rows(&html, "overdue-requests").is_empty());
}

/// Five requests over three days with known outcomes, read on 3 December:
/// - 1 Dec, employment: effective at once (same day); a name change signed on 2 Dec (late);
/// - 2 Dec, employment: a name change signed the same day (same day); one whose person's
///   pension transfer started after it and is still in transit (excused);
/// - 2 Dec, social insurance: a name change still waiting (overdue);
/// - 3 Dec, employment: a name change waiting (today: not decided yet).
async fn known_month(world: &World) {
    let (dec1, dec2, dec3) = (on(world, dec(1), 10), on(world, dec(2), 10), on(world, dec(3), 10));
    let quick = single_line(world, 201, "赵磊").await;
    let slow = two_agencies(world, 203, "钱敏").await;
    let prompt = two_agencies(world, 205, "孙静").await;
    let stuck = two_agencies(world, 207, "周强").await;
    let held = two_agencies(world, 209, "吴霞").await;

    retype(&dec1, &world.employment, quick, "20").await;
    let late = rename(&dec1, &world.employment, slow, "钱雯").await;
    dec2.sign_off(&world.insurance.operator, late.id).await.unwrap();

    let fast = rename(&dec2, &world.employment, prompt, "孙晶").await;
    let signed = dec2.sign_off(&world.insurance.operator, fast.id).await.unwrap();
    assert_eq!(signed.state.code(), "effective");
    rename(&dec2, &world.insurance, stuck, "周刚").await;
    rename(&dec2, &world.employment, held, "吴霏").await;
    let key = world.key_for(BusinessLine::Pension, &world.insurance).await;
    let api_key =
        world.store.api_key(&personbase_server::auth::token_hash(&key)).await.unwrap().unwrap();
    dec2.start_transaction(&api_key, PersonId(held), "ZY-2026-002", "养老保险关系转移")
        .await
        .unwrap();

    rename(&dec3, &world.employment, slow, "钱雪").await;
}

#[tokio::test]
async fn same_day_completion_is_counted_per_agency_and_per_day() {
    let world = World::new().await;
    known_month(&world).await;

    let (status, html) = page(&app(&world.store), "/centre", &world.centre).await;
    assert_eq!(status, StatusCode::OK);

    let agencies = rows(&html, "completion-agency");
    // accepted, same day, late, overdue, excused, pending, rate
    assert_eq!(
        agencies,
        [
            ["南岗区就业服务中心", "5", "2", "1", "0", "1", "1", "66.7%"],
            ["南岗区社会保险事业局", "1", "0", "0", "1", "0", "0", "0.0%"],
        ]
    );
    let days = rows(&html, "completion-day");
    assert_eq!(days.len(), 30, "every day of the last 30, newest first");
    assert_eq!(days[0], ["2026年12月3日", "1", "0", "0", "0", "0", "1", "—"]);
    assert_eq!(days[1], ["2026年12月2日", "3", "1", "0", "1", "1", "0", "50.0%"]);
    assert_eq!(days[2], ["2026年12月1日", "2", "1", "1", "0", "0", "0", "50.0%"]);
    assert_eq!(days[29][0], "2026年11月4日");
    assert_eq!(&days[3][1..], ["0", "0", "0", "0", "0", "0", "—"]);

    assert_eq!(bars(&html, "chart-agency"), 2, "one bar per agency");
    assert_eq!(bars(&html, "chart-day"), 30, "one bar per day");
    let chart = between(&html, "<svg id=\"chart-agency\"", "</svg>");
    assert!(chart.contains("<title id=\"chart-agency-title\">"), "{chart}");
    assert!(chart.contains("<title>南岗区就业服务中心：66.7%（2/3）</title>"), "{chart}");
    assert!(!html.contains("style="), "no inline style under the CSP");
}

#[tokio::test]
async fn a_persons_audit_trail_lists_their_changes_in_order_masked() {
    let world = World::new().await;
    let person = single_line(&world, 311, "欧阳明华").await;
    retype(&world.store, &world.employment, person, "20").await;
    let request = rename(&world.store, &world.employment, person, "欧阳明").await;
    assert_eq!(request.state.code(), "effective");
    let app = app(&world.store);

    let path = format!("/centre/audit?person={person}");
    let (status, html) = page(&app, &path, &world.centre).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let actions = column(&html, "audit-trail", "操作");
    assert_eq!(
        actions,
        ["新增人员", "参保登记", "提出修改申请", "修改生效", "提出修改申请", "修改生效"]
    );
    let seq: Vec<i64> =
        column(&html, "audit-trail", "序号").iter().map(|s| s.parse().unwrap()).collect();
    assert!(seq.windows(2).all(|w| w[0] < w[1]), "oldest first: {seq:?}");
    let operators = column(&html, "audit-trail", "经办人");
    assert_eq!(operators[2], "emp");
    let after = column(&html, "audit-trail", "修改后（脱敏）");
    assert!(after[4].contains("姓名：欧*** → 欧**"), "{}", after[4]);
    assert!(!html.contains("欧阳明"), "no name in full anywhere on the page");
    assert!(!html.contains(&number(230103, "19850312", 311)), "no number in full");
    // Reading the masked trail is not a view of unmasked data: nothing is journaled.
    let actions_after = world.actions(person).await;
    assert_eq!(actions_after.len(), 6);

    // An operator's trail: their own actions, in order.
    let path = format!("/centre/audit?operator={}", world.employment.operator.id);
    let (status, html) = page(&app, &path, &world.centre).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(
        column(&html, "audit-trail", "操作"),
        ["提出修改申请", "修改生效", "提出修改申请", "修改生效"]
    );

    // Outside the centre's region: refused with the rule's reason.
    let other = world
        .store
        .create_agency(
            "齐齐哈尔市信息中心",
            AgencyKind::InformationCentre,
            Level::Prefecture,
            230200,
        )
        .await
        .unwrap();
    let elsewhere = clerk_at(&world.store, &other, "qqhr-centre", &[Role::Handler]).await;
    let (status, _) = page(&app, &format!("/centre/audit?person={person}"), &elsewhere).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let path = format!("/centre/audit?operator={}", world.employment.operator.id);
    let (status, html) = page(&app, &path, &elsewhere).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("不在本信息中心的监督地区内"));

    // The trail's own route gives the same file as its export link.
    let (status, headers, _) =
        get(&app, &format!("/centre/audit?person={person}&format=xlsx"), &world.centre).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("audit-trail-"));
    let (status, _) = page(&app, "/centre/export/open-requests?format=csv", &world.centre).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = page(&app, "/centre/export/nothing?format=xlsx", &world.centre).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, html) = page(&app, "/centre/audit?person=abc", &world.centre).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("请填写人员编号或经办人编号"));
}

/// A cell of the workbook as the page shows it.
fn shown(cell: &Data, page_text: &str) -> String {
    match cell {
        Data::Float(f) if page_text.ends_with('%') => format!("{:.1}%", f * 100.0),
        Data::Float(f) => format!("{f}"),
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn each_table_exports_to_an_excel_file_with_the_same_rows() {
    let world = World::new().await;
    known_month(&world).await;
    let app = app(&world.store);
    let (_, html) = page(&app, "/centre", &world.centre).await;
    let person = two_agencies(&world, 411, "郑洁").await;
    let (_, trail) = page(&app, &format!("/centre/audit?person={person}"), &world.centre).await;

    let tables = [
        ("open-requests", &html, "未办结申请"),
        ("overdue-requests", &html, "逾期未办结申请"),
        ("completion-agency", &html, "各机构当日办结率"),
        ("completion-day", &html, "每日当日办结率"),
        ("audit-trail", &trail, "操作记录"),
    ];
    for (id, page_html, title) in tables {
        let section = between(page_html, "", &format!("<table id=\"{id}\">"));
        let href = section.rsplit("class=\"export-xlsx\" href=\"").next().unwrap();
        let href = between(href, "", "\"").replace("&amp;", "&");
        assert!(
            href.starts_with(&format!("/centre/export/{id}?")) && href.contains("format=xlsx"),
            "{href}"
        );

        let (status, headers, bytes) = get(&app, &href, &world.centre).await;
        assert_eq!(status, StatusCode::OK, "{id}: {}", String::from_utf8_lossy(&bytes));
        assert_eq!(
            headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(
            disposition.starts_with(&format!("attachment; filename=\"{id}-2026-12-03.xlsx\"")),
            "{disposition}"
        );
        let encoded: String = format!("{title}-2026-12-03.xlsx")
            .bytes()
            .map(|b| if b.is_ascii() { char::from(b).to_string() } else { format!("%{b:02X}") })
            .collect();
        assert!(disposition.ends_with(&format!("filename*=UTF-8''{encoded}")), "{disposition}");

        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let sheet_name = workbook.sheet_names()[0].clone();
        assert_eq!(sheet_name, title);
        let range = workbook.worksheet_range(&sheet_name).unwrap();
        let mut sheet = range.rows();
        let head: Vec<String> = sheet.next().unwrap().iter().map(|c| c.to_string()).collect();
        let page_head = between(page_html, &format!("<table id=\"{id}\">"), "</thead>");
        let page_head: Vec<String> = page_head
            .split("<th scope=\"col\">")
            .skip(1)
            .map(|h| plain(between(h, "", "</th>")))
            .collect();
        assert_eq!(head, page_head, "{id}: Chinese headers");
        let page_rows = rows(page_html, id);
        let sheet_rows: Vec<Vec<String>> = sheet
            .zip(&page_rows)
            .map(|(cells, page_row)| cells.iter().zip(page_row).map(|(c, t)| shown(c, t)).collect())
            .collect();
        assert!(!page_rows.is_empty(), "{id} has rows to compare");
        assert_eq!(range.height() - 1, page_rows.len(), "{id}: as many rows");
        assert_eq!(sheet_rows, page_rows, "{id}: the same rows");
    }
}

#[test]
fn the_fixed_day_is_the_testkits() {
    assert_eq!(today(), dec(3));
}
