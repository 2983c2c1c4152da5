//! `personbase bench` (hidden): builds a store of many persons (1,000,000 by default; reused
//! when the database already holds them) and measures number look-ups and effective changes
//! per second with their median latency. Not part of the test suite.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use personbase_domain::rules::{InputSource, Proposal};
use personbase_domain::{
    Address, AgencyKind, BusinessLine, FieldChanges, Level, NewPerson, PersonId, PersonName, Role,
};
use personbase_identity::{Ethnicity, HouseholdType, SocialSecurityNumber};
use personbase_server::auth::{hash_password_cheap, token_hash};
use personbase_store::{ActorRef, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::db;
use crate::demo::names;
use crate::demo::numbers::citizen_number;

/// Options of `bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// 数据库地址（已有足够人员时直接使用）
    #[arg(long, default_value = "sqlite://personbase-bench.db?mode=rwc")]
    db: String,
    /// 人员数量
    #[arg(long, default_value_t = 1_000_000)]
    persons: i64,
    /// 查询次数
    #[arg(long, default_value_t = 20_000)]
    lookups: usize,
    /// 生效修改次数
    #[arg(long, default_value_t = 2_000)]
    changes: usize,
}

const COUNTIES: [u32; 9] = [230102, 230103, 230110, 230111, 230184, 230202, 230203, 230221, 230281];
const DAYS: i64 = 25_000;

/// The `i`-th benchmark number: unique for i below 9 × 25,000 × 1,000.
fn number(i: i64) -> String {
    let division = COUNTIES[(i % 9) as usize];
    let j = i / 9;
    let base = NaiveDate::from_ymd_opt(1945, 1, 1).unwrap_or_default();
    let birth = base + chrono::Duration::days(j % DAYS);
    let k = j / DAYS;
    citizen_number(division, birth, (k / 2) as u32 % 500, k % 2 == 1)
}

/// Runs the benchmark.
pub async fn run(args: BenchArgs) -> Result<ExitCode> {
    db::init_logging("warn");
    let store = db::open(&args.db, personbase_domain::Policy::default()).await?;

    let agency = match store.agencies().await?.into_iter().next() {
        Some(agency) => agency,
        None => {
            store
                .create_agency(
                    "哈尔滨市南岗区社会保险事业局",
                    AgencyKind::SocialInsurance,
                    Level::County,
                    230103,
                )
                .await?
        }
    };
    let operator = match store.operator_credentials("bench").await? {
        Some((operator, _)) => operator,
        None => {
            let hash = hash_password_cheap("bench").map_err(|e| anyhow::anyhow!("{e}"))?;
            store.create_operator("bench", "性能测试", agency.id, &[Role::Handler], &hash).await?
        }
    };
    let key = match store.api_key(&token_hash("bench-key")).await? {
        Some(key) => key,
        None => {
            store
                .create_api_key(
                    &token_hash("bench-key"),
                    "性能测试",
                    BusinessLine::Pension,
                    agency.id,
                )
                .await?
        }
    };

    let existing = count_persons(&store, args.persons).await?;
    if existing < args.persons {
        build(&store, &operator, existing, args.persons).await?;
    }
    println!("库中人员：{} 人", args.persons);

    let mut rng = StdRng::seed_from_u64(42);
    let mut latencies = Vec::with_capacity(args.lookups);
    let started = Instant::now();
    for _ in 0..args.lookups {
        let i = rng.gen_range(0..args.persons);
        let t = Instant::now();
        let ssn = SocialSecurityNumber::parse(&number(i))?;
        let found = store.person_by_ssn(&ssn).await?;
        latencies.push(t.elapsed());
        found.context("a benchmark person is missing")?;
    }
    report("按号码查询", args.lookups, started.elapsed(), &mut latencies);
    http_reads(&store, &operator, args.persons, args.lookups, &mut rng).await?;

    let targets: Vec<PersonId> =
        (0..args.changes).map(|_| PersonId(rng.gen_range(1..=args.persons))).collect();
    for id in &targets {
        store.enrol(&key, *id).await?;
    }
    measure_changes(&store, &operator, &targets, &mut rng, "synchronous=FULL").await?;
    store.close().await;

    let normal = personbase_store::Store::open_with(
        &args.db,
        personbase_domain::Policy::default(),
        std::sync::Arc::new(personbase_domain::SystemClock),
        personbase_store::Durability::Normal,
    )
    .await?;
    measure_changes(&normal, &operator, &targets, &mut rng, "synchronous=NORMAL").await?;
    normal.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Proposes a home-address change for each target (one line each: effective at once, R2.1).
async fn measure_changes(
    store: &Store,
    operator: &personbase_domain::Operator,
    targets: &[PersonId],
    rng: &mut StdRng,
    label: &str,
) -> Result<()> {
    // A fresh random room number each run, so that a rerun on the same database changes
    // something (a change to the stored value is refused as changing nothing).
    let mut rooms = StdRng::from_entropy();
    let mut latencies = Vec::with_capacity(targets.len());
    let started = Instant::now();
    for (n, id) in targets.iter().enumerate() {
        let room = rooms.gen_range(100_000..1_000_000);
        let street = n % 300 + 1 + rng.gen_range(0..2);
        let address = Address::parse(&format!("黑龙江省哈尔滨市南岗区学府路{street}号{room}室"))?;
        let changes = FieldChanges { home_address: Some(address), ..FieldChanges::default() };
        let proposal = Proposal { changes, source: InputSource::Manual, documents: vec![] };
        let t = Instant::now();
        let outcome = store
            .propose_change(ActorRef::Operator(operator), *id, proposal, "性能测试", None)
            .await;
        latencies.push(t.elapsed());
        let request = outcome?;
        if request.state != personbase_domain::RequestState::Effective {
            anyhow::bail!("change {} not effective: {}", request.id, request.state.code());
        }
    }
    let what = format!("生效修改（R2.1 即时生效，含审计日志，{label}）");
    report(&what, targets.len(), started.elapsed(), &mut latencies);
    Ok(())
}

/// Reads masked records through the HTTP router in process (session check, agency, record,
/// JSON), without a socket.
async fn http_reads(
    store: &Store,
    operator: &personbase_domain::Operator,
    persons: i64,
    count: usize,
    rng: &mut StdRng,
) -> Result<()> {
    use tower::ServiceExt;

    let token = personbase_server::auth::new_token();
    let expires = store.clock().now() + chrono::Duration::hours(1);
    store.create_session(&token_hash(&token), operator.id, expires).await?;
    let app = personbase_server::router(personbase_server::AppState::new(store.clone()));
    let bearer = format!("Bearer {token}");

    let mut latencies = Vec::with_capacity(count);
    let started = Instant::now();
    for _ in 0..count {
        let id = rng.gen_range(1..=persons);
        let request = axum::http::Request::get(format!("/api/v1/persons/{id}"))
            .header("authorization", &bearer)
            .body(axum::body::Body::empty())?;
        let t = Instant::now();
        let response = app.clone().oneshot(request).await?;
        let status = response.status();
        axum::body::to_bytes(response.into_body(), 1 << 20).await?;
        latencies.push(t.elapsed());
        anyhow::ensure!(status.is_success(), "GET person {id}: {status}");
    }
    report("HTTP 读取脱敏记录（进程内，含会话校验）", count, started.elapsed(), &mut latencies);
    Ok(())
}

/// How many of the benchmark's persons exist (ids are dense from 1): a binary search.
async fn count_persons(store: &Store, max: i64) -> Result<i64> {
    let (mut low, mut high) = (0i64, max);
    while low < high {
        let mid = (low + high + 1) / 2;
        match store.person(PersonId(mid)).await {
            Ok(_) => low = mid,
            Err(personbase_store::StoreError::NotFound { .. }) => high = mid - 1,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(low)
}

async fn build(
    store: &Store,
    operator: &personbase_domain::Operator,
    from: i64,
    to: i64,
) -> Result<()> {
    println!("正在建库：第 {} 至 {} 人……", from + 1, to);
    let mut rng = StdRng::seed_from_u64(from as u64);
    let started = Instant::now();
    for i in from..to {
        let ssn = SocialSecurityNumber::parse(&number(i))?;
        let male = ssn.gender() == Some(personbase_identity::Gender::Male);
        let entry = NewPerson {
            ssn,
            name: PersonName::parse(&names::name(&mut rng, male))?,
            gender: None,
            birth_date: None,
            ethnicity: Ethnicity::Han,
            household_address: Address::parse("黑龙江省哈尔滨市南岗区学府路1号")?,
            household_type: HouseholdType::from_code("10").context("household type")?,
            home_address: None,
            phone: None,
        };
        store.enter_person(operator, entry, InputSource::CardReader, "性能测试建库").await?;
        if (i + 1) % 50_000 == 0 {
            let rate = (i + 1 - from) as f64 / started.elapsed().as_secs_f64();
            println!("  {} 人（{rate:.0} 人/秒）", i + 1);
        }
    }
    Ok(())
}

fn report(what: &str, count: usize, elapsed: Duration, latencies: &mut [Duration]) {
    latencies.sort_unstable();
    let median = latencies.get(latencies.len() / 2).copied().unwrap_or_default();
    let p99 = latencies.get(latencies.len() * 99 / 100).copied().unwrap_or_default();
    println!(
        "{what}：{count} 次，{:.0} 次/秒，中位延迟 {:.3} ms，99% 延迟 {:.3} ms",
        count as f64 / elapsed.as_secs_f64(),
        median.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benchmark_numbers_are_valid_and_distinct() {
        let numbers: Vec<String> = (0..2000).map(|i| number(i * 997)).collect();
        let mut unique = numbers.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), numbers.len());
        for n in &numbers {
            assert!(SocialSecurityNumber::parse(n).is_ok(), "{n}");
        }
    }
}
