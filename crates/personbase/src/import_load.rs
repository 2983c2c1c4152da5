//! `personbase import --db URL [--apply]`: the checks of the dry run, then every clean row
//! through the store's bulk loader (`Store::load_batch`), which asks the rules of entry per
//! row; `--apply` writes, without it the same decisions are taken and nothing is written.
//!
//! A reader thread reads the files a second time and sends batches of clean rows; this
//! thread hands each batch to the store (one transaction) and counts what became of each
//! row. Rows with a finding are written to the review list. Every row read is counted once:
//! loaded, already in the platform, or held back for review.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use personbase_domain::rules::RuleId;
use personbase_import::Finding;
use personbase_import::load::{Candidate, Enrolments, LoadSummary, candidates};
use personbase_import::run::{Options, ProgressMode, check_files, report};
use personbase_store::{BulkMode, BulkOutcome, BulkRow, Store};
use tokio::sync::mpsc::{Receiver, channel};

use crate::db;

/// What a load against the platform needs besides the files.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The database URL.
    pub db: String,
    /// The login of the operator the rows are entered by.
    pub operator: String,
    /// The file's business line, when its rows do not name one.
    pub line: Option<String>,
    /// The file's holding agency (id or full name), when its rows do not name one.
    pub agency: Option<String>,
    /// Write (`--apply`) or only decide.
    pub mode: BulkMode,
    /// Where the review list goes.
    pub review: PathBuf,
    /// Rows per batch, each batch one transaction.
    pub batch: usize,
}

/// Checks the files, loads (or checks) the clean rows, writes the review list and reports.
pub fn run(
    options: &Options,
    load: &LoadOptions,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let store = runtime.block_on(db::open_existing(&load.db))?;
    let operator = runtime
        .block_on(store.operator_credentials(&load.operator))
        .context("cannot read the operator")?
        .map(|(operator, _)| operator)
        .ok_or_else(|| anyhow!("找不到登录名为“{}”的操作员（--operator）", load.operator))?;
    let agencies = runtime.block_on(store.agencies()).context("cannot read the agencies")?;
    let enrolments = Enrolments::new(
        load.line.as_deref(),
        load.agency.as_deref(),
        &options.read.mapping,
        agencies,
    )
    .map_err(|e| anyhow!("{}（{}）", e.message_zh(), e.code()))?;

    let start = Instant::now();
    let mut outcome =
        check_files(options, today).map_err(|e| anyhow!("{}（{}）", e.message_zh(), e.code()))?;

    let (send, receive) = channel::<Vec<Candidate>>(2);
    let (second, loaded) = std::thread::scope(|scope| {
        let (o, c, e, size) = (options, &outcome, &enrolments, load.batch);
        let reader = scope.spawn(move || {
            candidates(o, c, e, size, &mut |batch| send.blocking_send(batch).is_ok())
        });
        let loaded = runtime.block_on(load_all(&store, &operator, load.mode, receive, options));
        let second = reader.join().map_err(|_| anyhow!("the reader thread panicked"));
        (second, loaded)
    });
    let (counts, found) = loaded?;
    let second = second?.map_err(|e| anyhow!("{}（{}）", e.message_zh(), e.code()))?;
    runtime.block_on(store.close());

    let mut more = second.findings.clone();
    more.extend(found);
    outcome.add_findings(more);
    outcome.merge_candidates = second.merge_candidates(&outcome.findings);
    outcome.summary.seconds = start.elapsed().as_secs_f64();
    let summary = LoadSummary {
        applied: load.mode == BulkMode::Load,
        rows: outcome.summary.rows,
        loaded: counts.loaded,
        already_present: counts.already_present,
        enrolments_added: counts.enrolments_added,
        held_back: outcome.summary.rows_with_findings,
    };
    if !summary.adds_up() {
        bail!("internal error: the counts of the load do not add up to the rows read: {summary:?}");
    }
    outcome.load = Some(summary);

    if outcome.summary.rows_with_findings > 0 {
        let written =
            personbase_import::review::write(&load.review, options, &outcome, &enrolments)
                .map_err(|e| anyhow!("{}（{}）", e.message_zh(), e.code()))?;
        if options.progress != ProgressMode::Quiet {
            eprintln!("待复核清单：{}（{written} 行）", load.review.display());
        }
    }
    report(options, &outcome, out).map_err(|e| anyhow!("{}（{}）", e.message_zh(), e.code()))?;
    Ok(ExitCode::from(outcome.exit_code()))
}

/// What became of the clean rows.
#[derive(Debug, Default)]
struct Counts {
    loaded: u64,
    already_present: u64,
    enrolments_added: u64,
    refused: u64,
}

/// Takes batches until the reader is done; returns the counts, a finding per refused row
/// and the registry's notices of the rows entered.
async fn load_all(
    store: &Store,
    operator: &personbase_domain::Operator,
    mode: BulkMode,
    mut receive: Receiver<Vec<Candidate>>,
    options: &Options,
) -> Result<(Counts, Vec<Finding>)> {
    let mut counts = Counts::default();
    let mut findings = Vec::new();
    let (start, mut shown) = (Instant::now(), Instant::now());
    while let Some(batch) = receive.recv().await {
        let rows: Vec<BulkRow> = batch
            .iter()
            .map(|c| BulkRow {
                file: c.source(),
                row: c.row,
                person: c.person.clone(),
                enrolment: c.enrolment,
            })
            .collect();
        let outcomes = store.load_batch(operator, &rows, mode).await.with_context(|| {
            format!("cannot load the batch from {} row {}", rows[0].file, rows[0].row)
        })?;
        for (candidate, result) in batch.iter().zip(outcomes) {
            match result {
                BulkOutcome::Loaded { registry_differences, .. }
                | BulkOutcome::Accepted { registry_differences } => {
                    counts.loaded += 1;
                    findings.extend(candidate.registry_notices(&registry_differences));
                }
                BulkOutcome::AlreadyPresent { enrolment_added, .. } => {
                    counts.already_present += 1;
                    counts.enrolments_added += u64::from(enrolment_added);
                }
                BulkOutcome::Refused(refusal) if refusal.rule == RuleId::HandlerRole => {
                    // Every row would be refused alike: stop rather than hold back the file.
                    bail!("{}（{}）", refusal.message, refusal.code);
                }
                BulkOutcome::Refused(refusal) => {
                    counts.refused += 1;
                    let code = if refusal.rule == RuleId::OccupiedNumber {
                        "platform.occupied"
                    } else {
                        "entry.refused"
                    };
                    findings.push(candidate.finding(code, refusal.message));
                }
            }
        }
        if options.progress != ProgressMode::Quiet && shown.elapsed() >= Duration::from_secs(2) {
            shown = Instant::now();
            let done = counts.loaded + counts.already_present + counts.refused;
            let rate = done as f64 / start.elapsed().as_secs_f64().max(1e-3);
            eprintln!(
                "已处理 {done} 行：导入 {}，平台中已有 {}，不允许录入 {}（{rate:.0} 行/秒）",
                counts.loaded, counts.already_present, counts.refused
            );
        }
    }
    Ok((counts, findings))
}
