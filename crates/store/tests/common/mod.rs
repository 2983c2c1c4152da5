//! A small province for the store's tests: agencies of each kind, their operators, business
//! systems' keys, and helpers to make numbers and persons. Every test gets a fresh database.

#![allow(dead_code, reason = "each test file uses a part of the helpers")]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail the test")]

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use personbase_domain::rules::{InputSource, Proposal};
use personbase_domain::values::Address;
use personbase_domain::{
    Agency, AgencyKind, BusinessLine, FieldChanges, FixedClock, Level, NewPerson, Operator, Person,
    PersonName, Policy, Role,
};
use personbase_identity::{Ethnicity, HouseholdType, SocialSecurityNumber};
use personbase_store::{ApiKey, Store};

/// The day every test runs on.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
}

/// A citizen number from its first 17 characters, with the check character computed.
pub fn ssn(first17: &str) -> SocialSecurityNumber {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    let check = CHECK[(sum % 11) as usize] as char;
    SocialSecurityNumber::parse(&format!("{first17}{check}")).unwrap()
}

pub fn name(text: &str) -> PersonName {
    PersonName::parse(text).unwrap()
}

pub fn address(text: &str) -> Address {
    Address::parse(text).unwrap()
}

/// A new person with the number `first17` and `name_text`; gender and birth date left to
/// the number.
pub fn new_person(first17: &str, name_text: &str) -> NewPerson {
    NewPerson {
        ssn: ssn(first17),
        name: name(name_text),
        gender: None,
        birth_date: None,
        ethnicity: Ethnicity::from_code("01").unwrap(),
        household_address: address("黑龙江省哈尔滨市南岗区学府路1号"),
        household_type: HouseholdType::from_code("11").unwrap(),
        home_address: None,
        phone: None,
    }
}

/// A proposal read by the card reader.
pub fn proposal(changes: FieldChanges) -> Proposal {
    Proposal { changes, source: InputSource::CardReader, documents: Vec::new() }
}

pub struct World {
    pub store: Store,
    pub centre: Agency,
    pub employment: Agency,
    pub insurance: Agency,
    pub centre_op: Operator,
    pub employment_op: Operator,
    pub insurance_op: Operator,
    pub employment_key: ApiKey,
    pub subsidy_key: ApiKey,
    pub pension_key: ApiKey,
}

/// A fresh in-memory world.
pub async fn world() -> World {
    world_at("sqlite::memory:").await
}

/// A fresh world in a database at `url`.
pub async fn world_at(url: &str) -> World {
    let clock = Arc::new(FixedClock::at_noon(today()));
    let store = Store::open(url, Policy::default(), clock).await.unwrap();
    let centre = store
        .create_agency(
            "黑龙江省社会保险信息中心",
            AgencyKind::InformationCentre,
            Level::Province,
            230000,
        )
        .await
        .unwrap();
    let employment = store
        .create_agency("哈尔滨市就业服务局", AgencyKind::Employment, Level::Prefecture, 230100)
        .await
        .unwrap();
    let insurance = store
        .create_agency(
            "哈尔滨市社会保险事业局",
            AgencyKind::SocialInsurance,
            Level::Prefecture,
            230100,
        )
        .await
        .unwrap();
    let handler = [Role::Handler];
    let centre_op =
        store.create_operator("zx01", "信息中心甲", centre.id, &handler, "h").await.unwrap();
    let employment_op =
        store.create_operator("jy01", "就业经办甲", employment.id, &handler, "h").await.unwrap();
    let insurance_op =
        store.create_operator("sb01", "社保经办甲", insurance.id, &handler, "h").await.unwrap();
    let employment_key = store
        .create_api_key("k-emp", "就业系统", BusinessLine::Employment, employment.id)
        .await
        .unwrap();
    let subsidy_key = store
        .create_api_key("k-sub", "社保补贴系统", BusinessLine::InsuranceSubsidy, employment.id)
        .await
        .unwrap();
    let pension_key = store
        .create_api_key("k-pen", "养老保险系统", BusinessLine::Pension, insurance.id)
        .await
        .unwrap();
    World {
        store,
        centre,
        employment,
        insurance,
        centre_op,
        employment_op,
        insurance_op,
        employment_key,
        subsidy_key,
        pension_key,
    }
}

impl World {
    /// Enters a person by the employment agency's operator, read by the card reader.
    pub async fn enter(&self, first17: &str, name_text: &str) -> Person {
        self.store
            .enter_person(
                &self.employment_op,
                new_person(first17, name_text),
                InputSource::CardReader,
                "新参保登记",
            )
            .await
            .unwrap()
    }

    /// The actions of the journal, in order.
    pub async fn actions(&self) -> Vec<String> {
        self.store.journal(0, 10_000).await.unwrap().into_iter().map(|e| e.action).collect()
    }
}

/// A database file in the temporary folder, removed first; its `sqlite://` URL.
pub fn temp_db(test: &str) -> (PathBuf, String) {
    let path =
        std::env::temp_dir().join(format!("personbase-store-{}-{test}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let url = format!("sqlite://{}?mode=rwc", path.display());
    (path, url)
}
