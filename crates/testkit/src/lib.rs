//! The world every API and page test starts from: a fresh in-memory database on a fixed
//! clock (2026-12-03, noon in China), a small province, operators with session tokens,
//! business systems with API keys, and helpers that call the router without a socket.
//!
//! Test-only: no product crate depends on it (only their dev-dependencies do). The page tests
//! of `personbase-web` build their router on [`World::store`] and log in with a clerk's token.

#![allow(missing_docs, reason = "test harness; its items are named for what they are")]
#![allow(clippy::unwrap_used, reason = "test harness: a failure here is a test failure")]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::{Duration, NaiveDate};
use http_body_util::BodyExt;
use personbase_domain::{
    Agency, AgencyKind, BusinessLine, FixedClock, Level, Operator, PersonId, Policy, Role,
};
use personbase_server::auth::{hash_password_cheap, token_hash};
use personbase_server::{AppState, router};
use personbase_store::{ApiKey, Store};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The day every test runs on.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
}

/// A valid citizen number: division, birth date `YYYYMMDD`, three-digit sequence (odd: man).
pub fn number(division: u32, birth: &str, sequence: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let first = format!("{division:06}{birth}{sequence:03}");
    let sum: u32 = first.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first}{check}")
}

/// An operator with a live session.
#[derive(Clone, Debug)]
pub struct Clerk {
    pub operator: Operator,
    pub agency: Agency,
    pub token: String,
}

/// The test province.
pub struct World {
    pub app: Router,
    pub store: Store,
    /// Harbin prefecture information centre (230100).
    pub centre: Clerk,
    /// Nangang county employment agency (230103).
    pub employment: Clerk,
    /// Nangang county social insurance agency.
    pub insurance: Clerk,
    /// Harbin prefecture social insurance agency.
    pub prefecture_insurance: Clerk,
    /// Harbin prefecture arrears office.
    pub arrears: Clerk,
    /// Nangang county arrears office (below prefecture level).
    pub county_arrears: Clerk,
    /// Daoli county employment agency: holds none of the test persons' enrolments.
    pub stranger: Clerk,
    /// A supervisor without the handler role, at Nangang social insurance.
    pub supervisor: Clerk,
}

impl World {
    /// A fresh world.
    pub async fn new() -> World {
        World::with_policy(Policy::default()).await
    }

    /// A fresh world under `policy`.
    pub async fn with_policy(policy: Policy) -> World {
        let clock = FixedClock::at_noon(today());
        let store = Store::open("sqlite::memory:", policy, Arc::new(clock)).await.unwrap();
        let app = router(AppState::new(store.clone()));
        let clerk = |name: &'static str, kind, level, division, login: &'static str| {
            let store = store.clone();
            async move {
                let agency = store.create_agency(name, kind, level, division).await.unwrap();
                clerk_at(&store, &agency, login, &[Role::Handler]).await
            }
        };
        let centre = clerk(
            "哈尔滨市信息中心",
            AgencyKind::InformationCentre,
            Level::Prefecture,
            230100,
            "centre",
        )
        .await;
        let employment =
            clerk("南岗区就业服务中心", AgencyKind::Employment, Level::County, 230103, "emp").await;
        let insurance =
            clerk("南岗区社会保险事业局", AgencyKind::SocialInsurance, Level::County, 230103, "si")
                .await;
        let prefecture_insurance = clerk(
            "哈尔滨市社会保险事业管理局",
            AgencyKind::SocialInsurance,
            Level::Prefecture,
            230100,
            "pref-si",
        )
        .await;
        let arrears = clerk(
            "哈尔滨市解欠办",
            AgencyKind::ArrearsOffice,
            Level::Prefecture,
            230100,
            "arrears",
        )
        .await;
        let county_arrears = clerk(
            "南岗区解欠办",
            AgencyKind::ArrearsOffice,
            Level::County,
            230103,
            "county-arrears",
        )
        .await;
        let stranger =
            clerk("道里区就业服务中心", AgencyKind::Employment, Level::County, 230102, "stranger")
                .await;
        let supervisor =
            clerk_at(&store, &insurance.agency, "supervisor", &[Role::Supervisor]).await;
        World {
            app,
            store,
            centre,
            employment,
            insurance,
            prefecture_insurance,
            arrears,
            county_arrears,
            stranger,
            supervisor,
        }
    }

    /// Calls the API as `clerk` (or anonymously).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        clerk: Option<&Clerk>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(clerk) = clerk {
            req = req.header("authorization", format!("Bearer {}", clerk.token));
        }
        send(&self.app, req, body).await
    }

    /// Calls the API with extra headers and no session.
    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        send(&self.app, req, body).await
    }

    /// GET as `clerk`.
    pub async fn get(&self, path: &str, clerk: &Clerk) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(clerk), None).await
    }

    /// POST as `clerk`.
    pub async fn post(&self, path: &str, clerk: &Clerk, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(clerk), Some(body)).await
    }

    /// A business system's API key for `line` at `clerk`'s agency.
    pub async fn key(&self, line: BusinessLine, clerk: &Clerk) -> String {
        let key = format!("key-{}-{}", line.code(), clerk.agency.id);
        let _: ApiKey = self
            .store
            .create_api_key(&token_hash(&key), "测试业务系统", line, clerk.agency.id)
            .await
            .unwrap();
        key
    }

    /// Enrols `person` in `line` at `clerk`'s agency through the business API.
    pub async fn enrol(&self, person: i64, line: BusinessLine, clerk: &Clerk) {
        let key = self.key_for(line, clerk).await;
        let (status, body) = self
            .call_with(
                Method::POST,
                "/api/v1/business/enrolments",
                &[("x-api-key", &key)],
                Some(json!({ "person_id": person })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    /// The key for `line` at `clerk`'s agency, created on first use.
    pub async fn key_for(&self, line: BusinessLine, clerk: &Clerk) -> String {
        let key = format!("key-{}-{}", line.code(), clerk.agency.id);
        if self.store.api_key(&token_hash(&key)).await.unwrap().is_none() {
            self.key(line, clerk).await;
        }
        key
    }

    /// Enters a person through the API (card reader) and returns the id.
    pub async fn enter(&self, ssn: &str, name: &str) -> i64 {
        let (status, body) =
            self.post("/api/v1/persons", &self.insurance, entry("card_reader", ssn, name)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_i64().unwrap()
    }

    /// The journal actions about `person`, oldest first.
    pub async fn actions(&self, person: i64) -> Vec<String> {
        self.store.history(PersonId(person)).await.unwrap().into_iter().map(|e| e.action).collect()
    }

    /// The stored record.
    pub async fn record(&self, person: i64) -> personbase_domain::Person {
        self.store.person(PersonId(person)).await.unwrap()
    }
}

/// A new operator with `roles` at `agency`, with a session valid for a day.
pub async fn clerk_at(store: &Store, agency: &Agency, login: &str, roles: &[Role]) -> Clerk {
    let hash = hash_password_cheap("password").unwrap();
    let operator = store.create_operator(login, login, agency.id, roles, &hash).await.unwrap();
    let token = format!("token-{login}");
    let expires = store.clock().now() + Duration::days(1);
    store.create_session(&token_hash(&token), operator.id, expires).await.unwrap();
    Clerk { operator, agency: agency.clone(), token }
}

/// An entry body.
pub fn entry(source: &str, ssn: &str, name: &str) -> Value {
    json!({
        "source": source,
        "reason": "新参保登记",
        "person": {
            "ssn": ssn,
            "name": name,
            "ethnicity": "汉族",
            "household_address": "黑龙江省哈尔滨市南岗区学府路1号",
            "household_type": "10",
        },
    })
}

/// A change body.
pub fn change(source: &str, changes: Value) -> Value {
    json!({ "source": source, "changes": changes, "reason": "本人申请更正", "documents": ["居民身份证复印件", "户口簿复印件"] })
}

async fn send(
    app: &Router,
    req: axum::http::request::Builder,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let req = match body {
        Some(body) => {
            req.header("content-type", "application/json").body(Body::from(body.to_string()))
        }
        None => req.body(Body::empty()),
    }
    .unwrap();
    let response = app.clone().oneshot(req).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, value)
}
