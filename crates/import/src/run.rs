//! The dry run of `personbase import`: read every file, check every row and across rows,
//! print the findings and write the reports. Nothing is stored.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;

use crate::dups::Collector;
use crate::finding::{Finding, Summary};
use crate::load::{LoadSummary, MergeCandidate};
use crate::pipeline::{Sink, check_csv};
use crate::progress::Progress;
pub use crate::progress::ProgressMode;
use crate::source::{CsvReader, ReadOptions, Row, RowVisitor, Table, is_workbook, read_file};
use crate::{ImportError, output, report};

/// How findings are printed on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// A summary table in Chinese.
    #[default]
    Table,
    /// One JSON object per finding, then one with the summary.
    Json,
}

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The files, CSV or Excel.
    pub files: Vec<PathBuf>,
    /// Encoding, delimiter, sheet and header mapping.
    pub read: ReadOptions,
    /// Output on standard output.
    pub format: OutputFormat,
    /// Where to write the Excel report.
    pub report_xlsx: Option<PathBuf>,
    /// Where to write the HTML report.
    pub report_html: Option<PathBuf>,
    /// How progress is shown on standard error.
    pub progress: ProgressMode,
}

/// What a run found.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The counts.
    pub summary: Summary,
    /// Every finding, by file and row.
    pub findings: Vec<Finding>,
    /// The counts of a load or of its check against the platform (`--db`); `None` for a
    /// dry run on the files alone.
    pub load: Option<LoadSummary>,
    /// Duplicates within one business line, for that line's agency to merge (R3.1); found
    /// when lines are known (`--db`).
    pub merge_candidates: Vec<MergeCandidate>,
}

impl Outcome {
    /// The exit status the command returns: 0 nothing found, 1 findings.
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.findings.is_empty())
    }

    /// Adds findings found after the checks (against the platform, or while loading) and
    /// counts every finding again; the time taken is left as it is.
    pub fn add_findings(&mut self, more: Vec<Finding>) {
        self.findings.extend(more);
        self.findings.sort_by_key(|f| (f.table, f.row));
        let seconds = self.summary.seconds;
        self.summary = count(&self.findings, self.summary.files, self.summary.rows);
        self.summary.seconds = seconds;
    }
}

/// The counts of `findings` over `files` and `rows`; `findings` sorted by table and row.
fn count(findings: &[Finding], files: usize, rows: u64) -> Summary {
    let mut summary = Summary { files, rows, ..Summary::default() };
    let mut last = None;
    for f in findings {
        *summary.by_code.entry(f.code).or_default() += 1;
        *summary.by_division.entry(f.division.unwrap_or(0)).or_default() += 1;
        if f.holds_back() && last != Some((f.table, f.row)) {
            summary.rows_with_findings += 1;
            last = Some((f.table, f.row));
        }
    }
    summary
}

struct Checker<'a> {
    today: NaiveDate,
    tables: &'a mut Vec<Table>,
    sink: &'a mut Sink,
}

impl RowVisitor for Checker<'_> {
    fn table(&mut self, table: &Table) {
        self.tables.push(table.clone());
    }

    fn row(&mut self, row: &Row<'_>) {
        let Some(table) = self.tables.last() else { return };
        let index = u16::try_from(self.tables.len() - 1).unwrap_or(u16::MAX);
        self.sink.check(table, index, row, self.today);
    }

    fn progress(&mut self, done: u64, total: u64) {
        self.sink.progress.update(done, total, self.sink.rows);
    }
}

/// Reads and checks every file as of `today`, without printing or writing anything.
pub fn check_files(options: &Options, today: NaiveDate) -> Result<Outcome, ImportError> {
    let start = Instant::now();
    let mut tables: Vec<Table> = Vec::new();
    let mut sink = Sink {
        findings: Vec::new(),
        collector: Collector::default(),
        rows: 0,
        progress: Progress::new(options.progress, options.files.len()),
    };
    for file in &options.files {
        sink.progress.next_file();
        if is_workbook(file) {
            let mut checker = Checker { today, tables: &mut tables, sink: &mut sink };
            read_file(file, &options.read, &mut checker)?;
        } else {
            let reader = CsvReader::open(file, &options.read)?;
            let index = u16::try_from(tables.len()).unwrap_or(u16::MAX);
            tables.push(reader.table().clone());
            check_csv(reader, index, today, &mut sink)?;
        }
    }
    sink.progress.finish();

    let Sink { mut findings, collector, rows, .. } = sink;
    collector.find(&tables, &mut findings);
    findings.sort_by_key(|f| (f.table, f.row));

    let mut summary = count(&findings, options.files.len(), rows);
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(Outcome { summary, findings, ..Outcome::default() })
}

/// The whole dry run: checks, prints to `out` in the chosen format, writes the reports.
pub fn run(
    options: &Options,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<Outcome, ImportError> {
    if options.files.is_empty() {
        return Err(ImportError::Config("没有给出要导入的文件".to_string()));
    }
    let outcome = check_files(options, today)?;
    report(options, &outcome, out)?;
    Ok(outcome)
}

/// Prints `outcome` to `out` in the chosen format and writes the reports `options` ask for.
pub fn report(
    options: &Options,
    outcome: &Outcome,
    out: &mut dyn Write,
) -> Result<(), ImportError> {
    output::print(outcome, options.format, out)?;
    if let Some(path) = &options.report_xlsx {
        report::xlsx::write(path, outcome)?;
    }
    if let Some(path) = &options.report_html {
        report::html::write(path, outcome)?;
    }
    Ok(())
}
