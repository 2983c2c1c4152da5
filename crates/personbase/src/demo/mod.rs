//! `personbase demo`: a demo province in a database — agencies of every kind, operators with
//! printed passwords, API keys for the business systems, some thousands of generated persons
//! with enrolments, cards, in-transit business, a pension special, an arrears person, a
//! registry snapshot with a few deliberate discrepancies, and two overdue requests.

pub(crate) mod names;
pub(crate) mod numbers;
mod persons;
mod province;

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::Duration;
use personbase_domain::rules::{InputSource, Proposal};
use personbase_domain::{
    Agency, BusinessLine, FieldChanges, FixedClock, NewPerson, Operator, PersonId, SpecialKind,
};
use personbase_identity::{Ethnicity, HouseholdType, SocialSecurityNumber};
use personbase_server::auth::{hash_password, token_hash};
use personbase_store::{ActorRef, ApiKey, Store};

use persons::{PlannedPerson, Profile, RegistryView};
use province::Slot;

use crate::overdue::pad;

/// The reference data as created: agencies and operators by slot, keys by line and slot.
struct Province {
    agencies: Vec<(Slot, Agency, Operator)>,
    keys: HashMap<(BusinessLine, Slot), ApiKey>,
}

impl Province {
    fn operator(&self, slot: Slot) -> Result<&Operator> {
        self.agencies
            .iter()
            .find(|(s, ..)| *s == slot)
            .map(|(_, _, o)| o)
            .context("demo agency missing")
    }

    fn key(&self, line: BusinessLine, slot: Slot) -> Result<&ApiKey> {
        self.keys.get(&(line, slot)).context("demo API key missing")
    }
}

/// Whether the database already holds a demo (any agency at all).
pub async fn exists(store: &Store) -> Result<bool> {
    Ok(!store.agencies().await.context("cannot read agencies")?.is_empty())
}

/// Creates the demo in an empty database. `url` lets it open the same database a second time
/// with yesterday's clock, to leave two overdue requests (skipped for in-memory databases).
pub async fn create(store: &Store, url: &str, count: usize, out: &mut impl Write) -> Result<()> {
    let today = store.clock().today();
    writeln!(out, "正在生成演示数据：{count} 名人员……")?;

    let province = create_province(store).await?;
    let plan = persons::plan(count, today);
    for (i, person) in plan.iter().enumerate() {
        enter(store, &province, i, person).await.with_context(|| format!("demo person {i}"))?;
        if (i + 1) % 1000 == 0 {
            writeln!(out, "  已录入 {} 人", i + 1)?;
        }
    }

    let csv = registry_csv(&plan);
    let loaded = store.load_registry_csv(csv.as_bytes()).await.context("cannot load registry")?;
    writeln!(out, "  户籍库快照：{loaded} 条（其中少数与人员记录不一致）")?;

    if !url.contains(":memory:") {
        leave_overdue(store, url, &province, &plan).await?;
    }
    Ok(())
}

async fn create_province(store: &Store) -> Result<Province> {
    let mut agencies = Vec::new();
    for (slot, spec) in province::agencies() {
        let agency = store.create_agency(&spec.name, spec.kind, spec.level, spec.division).await?;
        let hash = hash_password(&province::password(&spec.login))
            .map_err(|e| anyhow::anyhow!("cannot hash a password: {e}"))?;
        let name = format!("{}经办员", spec.name);
        let operator =
            store.create_operator(&spec.login, &name, agency.id, &spec.roles, &hash).await?;
        agencies.push((slot, agency, operator));
    }
    let mut keys = HashMap::new();
    for (line, slot) in province::api_key_slots() {
        let (_, agency, operator) =
            agencies.iter().find(|(s, ..)| *s == slot).context("demo agency missing")?;
        let key = province::api_key(line, &operator.login);
        let name = format!("{}{}业务系统", agency.name, line.name_zh());
        let created = store.create_api_key(&token_hash(&key), &name, line, agency.id).await?;
        keys.insert((line, slot), created);
    }
    Ok(Province { agencies, keys })
}

async fn enter(store: &Store, province: &Province, i: usize, p: &PlannedPerson) -> Result<()> {
    let (pf, c) = (p.prefecture, p.county);
    let entering = match p.profile {
        Profile::Employment | Profile::ThreeAgencies => Slot::CountyEmployment(pf, c),
        _ => Slot::CountyInsurance(pf, c),
    };
    let child = matches!(p.profile, Profile::None);
    let entry = NewPerson {
        ssn: SocialSecurityNumber::parse(&p.ssn)?,
        name: personbase_domain::PersonName::parse(&p.name)?,
        gender: None,
        birth_date: None,
        ethnicity: Ethnicity::from_code(p.ethnicity).context("demo ethnicity")?,
        household_address: personbase_domain::Address::parse(&p.household_address)?,
        household_type: HouseholdType::from_code(p.household_type).context("demo type")?,
        home_address: p
            .home_address
            .as_deref()
            .map(personbase_domain::Address::parse)
            .transpose()?,
        phone: p.phone.as_deref().map(personbase_domain::Phone::parse).transpose()?,
    };
    let source = if child { InputSource::Manual } else { InputSource::CardReader };
    let operator = province.operator(entering)?;
    let person = store.enter_person(operator, entry, source, "演示数据录入").await?;

    let lines: Vec<(BusinessLine, Slot)> = match p.profile {
        Profile::Employment => vec![(BusinessLine::Employment, Slot::CountyEmployment(pf, c))],
        Profile::Pension => vec![(BusinessLine::Pension, Slot::CountyInsurance(pf, c))],
        Profile::Insurance => vec![
            (BusinessLine::Pension, Slot::CountyInsurance(pf, c)),
            (BusinessLine::Medical, Slot::CountyInsurance(pf, c)),
            (BusinessLine::Unemployment, Slot::CountyInsurance(pf, c)),
        ],
        Profile::ThreeAgencies => vec![
            (BusinessLine::Employment, Slot::CountyEmployment(pf, c)),
            (BusinessLine::InsuranceSubsidy, Slot::CountyEmployment(pf, c)),
            (BusinessLine::Pension, Slot::CountyInsurance(pf, c)),
            (BusinessLine::Medical, Slot::PrefectureInsurance(pf)),
        ],
        Profile::Arrears => vec![
            (BusinessLine::ArrearsSettlement, Slot::PrefectureArrears(pf)),
            (BusinessLine::Pension, Slot::CountyInsurance(pf, c)),
        ],
        Profile::None => vec![],
    };
    for (line, slot) in &lines {
        store.enrol(province.key(*line, *slot)?, person.id).await?;
    }

    if p.card {
        let centre = province.operator(Slot::PrefectureCentre(pf))?;
        store.issue_card(centre, person.id, &format!("HL{:07}", i + 1)).await?;
    }
    if p.in_transit {
        let key = province.key(BusinessLine::Pension, Slot::CountyInsurance(pf, c))?;
        store
            .start_transaction(key, person.id, &format!("YL2026{:06}", i + 1), "养老保险关系转移")
            .await?;
    }
    if p.pension_special {
        let key = province.key(BusinessLine::Pension, Slot::CountyInsurance(pf, c))?;
        store
            .add_special(
                key,
                person.id,
                SpecialKind::PensionMergedContribution,
                &format!("BG2026{:06}", i + 1),
            )
            .await?;
    }
    Ok(())
}

/// The registry snapshot: every in-province person, a few with a differently written name.
fn registry_csv(plan: &[PlannedPerson]) -> String {
    let mut csv = String::from("ssn,name,gender,birth_date,ethnicity,household_address\n");
    for p in plan {
        let name = match p.registry {
            RegistryView::Absent => continue,
            RegistryView::NameDiffers => names::variant(&p.name),
            RegistryView::Same => p.name.clone(),
        };
        let gender = if p.ssn.as_bytes().get(16).is_some_and(|d| d % 2 == 1) { "1" } else { "2" };
        csv.push_str(&format!(
            "{},{name},{gender},{},{},{}\n",
            p.ssn, p.birth, p.ethnicity, p.household_address
        ));
    }
    csv
}

/// Two requests made "yesterday" that wait for the person: overdue today (R4.1).
async fn leave_overdue(
    store: &Store,
    url: &str,
    province: &Province,
    plan: &[PlannedPerson],
) -> Result<()> {
    let yesterday = store.clock().now() - Duration::days(1);
    let past = Store::open(url, store.policy().clone(), Arc::new(FixedClock(yesterday))).await?;
    let picks = plan
        .iter()
        .enumerate()
        .skip(persons::SHOWCASE.len())
        .filter(|(_, p)| p.profile == Profile::Insurance && !p.in_transit)
        .take(2);
    for (i, p) in picks {
        let operator = province.operator(Slot::CountyInsurance(p.prefecture, p.county))?;
        let new_type = if p.household_type == "10" { "20" } else { "10" };
        let changes = FieldChanges {
            household_type: HouseholdType::from_code(new_type),
            ..FieldChanges::default()
        };
        let proposal = Proposal { changes, source: InputSource::CardReader, documents: vec![] };
        let id = PersonId(i64::try_from(i + 1)?);
        past.propose_change(
            ActorRef::Operator(operator),
            id,
            proposal,
            "户籍性质变更（演示：逾期未办结）",
            None,
        )
        .await?;
    }
    past.close().await;
    Ok(())
}

/// Prints the accounts, the API keys and the showcase persons.
pub fn print_accounts(out: &mut impl Write) -> Result<()> {
    writeln!(out, "\n演示账号（密码仅供演示）：")?;
    writeln!(out, "  {}{}机构", pad("登录名", 22), pad("密码", 14))?;
    for (_, spec) in province::agencies() {
        let password = province::password(&spec.login);
        writeln!(out, "  {}{}{}", pad(&spec.login, 22), pad(&password, 14), spec.name)?;
    }
    writeln!(out, "\n业务系统 API Key（请求头 X-Api-Key）：")?;
    let all = province::agencies();
    for (line, slot) in province::api_key_slots() {
        if let Some((_, spec)) = all.iter().find(|(s, _)| *s == slot) {
            let key = province::api_key(line, &spec.login);
            writeln!(out, "  {key}  {}·{}", spec.name, line.name_zh())?;
        }
    }
    writeln!(out, "\n演示人员（人员编号）：")?;
    for (label, index) in persons::SHOWCASE {
        writeln!(out, "  {:>3}  {label}", index + 1)?;
    }
    Ok(())
}
