//! A crash in the middle of `personbase import --apply`: the process is killed (SIGKILL)
//! while it loads a generated file, then run again. Every clean row ends up in the platform
//! exactly once, none lost, and the journal's hash chain verifies.

#![allow(clippy::unwrap_used, reason = "test helpers: a failure here is a test failure")]

use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use personbase_domain::{AgencyKind, FixedClock, Level, Policy, Role};
use personbase_store::Store;
use serde_json::Value;

/// Rows in the generated file: enough for several seconds of loading in a debug build.
const ROWS: &str = "6000";

fn personbase(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_personbase"));
    command.args(args);
    command
}

fn load_of(output: &Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    last["load"].clone()
}

async fn count(pool: &sqlx::SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_load_killed_midway_completes_on_rerun_with_nothing_lost_or_loaded_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let clock = FixedClock::at_noon(personbase_testkit::today());
    let store = Store::open(&url, Policy::default(), Arc::new(clock)).await.unwrap();
    let agency = store
        .create_agency(
            "哈尔滨市社会保险事业管理局",
            AgencyKind::SocialInsurance,
            Level::Prefecture,
            230100,
        )
        .await
        .unwrap();
    store.create_operator("si", "经办员", agency.id, &[Role::Handler], "hash").await.unwrap();
    store.close().await;
    let out = dir.path().to_str().unwrap();
    let made = personbase(&["demo", "legacy", "--rows", ROWS, "--out", out, "--seed", "5"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    let file = dir.path().join("legacy.csv");
    let url = format!("sqlite://{}", db.display());
    let review = dir.path().join("review.csv");
    let args = [
        "import",
        file.to_str().unwrap(),
        "--format",
        "json",
        "--quiet",
        "--db",
        &url,
        "--operator",
        "si",
        "--agency",
        "哈尔滨市社会保险事业管理局",
        "--batch-size",
        "200",
        "--review",
        review.to_str().unwrap(),
    ];

    // What a complete load enters: the check against the platform, before anything.
    let checked = personbase(&args).output().unwrap();
    let clean = load_of(&checked)["loaded"].as_i64().unwrap();
    assert!(clean > 5000, "{}", String::from_utf8_lossy(&checked.stdout));

    // Start the load and kill it once some batches have committed.
    let mut apply = args.to_vec();
    apply.push("--apply");
    let mut child = personbase(&apply).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let start = Instant::now();
    let mut before_kill = 0;
    while start.elapsed() < Duration::from_secs(60) {
        before_kill = count(&pool, "SELECT COUNT(*) FROM persons").await;
        if before_kill >= 1000 || child.try_wait().unwrap().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the load finished before it was killed: make the file bigger");
    let after_kill = count(&pool, "SELECT COUNT(*) FROM persons").await;
    assert!(after_kill >= before_kill && after_kill < clean, "{after_kill} of {clean}");

    // The rerun completes: what the killed run committed is already there, the rest loads.
    let rerun = personbase(&apply).output().unwrap();
    assert_eq!(rerun.status.code(), Some(1), "{}", String::from_utf8_lossy(&rerun.stderr));
    let load = load_of(&rerun);
    assert_eq!(load["already_present"].as_i64().unwrap(), after_kill);
    assert_eq!(load["loaded"].as_i64().unwrap(), clean - after_kill);

    // Every clean row exactly once, with its one enrolment and its one journal entry.
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM persons").await, clean);
    assert_eq!(count(&pool, "SELECT COUNT(DISTINCT ssn) FROM persons").await, clean);
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM enrolments").await, clean);
    let twice = "SELECT COUNT(*) FROM (SELECT person_id, line FROM enrolments \
                 GROUP BY person_id, line HAVING COUNT(*) > 1) AS d";
    assert_eq!(count(&pool, twice).await, 0);
    let created = "SELECT COUNT(*) FROM journal WHERE action = 'person.created'";
    assert_eq!(count(&pool, created).await, clean);
    pool.close().await;

    let verify = personbase(&["audit", "verify", "--db", &url]).output().unwrap();
    assert_eq!(verify.status.code(), Some(0), "{}", String::from_utf8_lossy(&verify.stdout));
}
