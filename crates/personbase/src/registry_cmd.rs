//! `personbase registry load` and `personbase registry reconcile`: the household registry
//! snapshot (R2.8, R2.16) loaded from a file, and every active record compared with it.
//!
//! `load` reads CSV in UTF-8 (with or without BOM), GBK or GB18030, with any common
//! delimiter, and recognises the Chinese headers and data field codes that
//! `personbase-import` knows (公民身份号码, 姓名, 性别, 出生日期, 民族, 户籍地址, AAC002, ...);
//! the store checks each row and loads the file in one transaction.
//!
//! `reconcile` streams over the active records in id order and writes a work list per
//! agency (see [`crate::worklist`]). A discrepancy goes on the list of every agency holding
//! one of the person's active enrolments, since each of them must act or sign (R1.3, R2.2);
//! a person without an active enrolment goes on the list of the agency that entered the
//! record. With `--apply --operator LOGIN` the rows on that operator's agency's list are
//! proposed as changes to the registry's values (source: registry) through
//! [`Store::propose_change`]: the rules decide, and each row says what happened.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use encoding_rs::{GB18030, UTF_8};
use encoding_rs_io::DecodeReaderBytesBuilder;
use personbase_domain::rules::{InputSource, Proposal};
use personbase_domain::{
    Address, Agency, AgencyId, Field, FieldChanges, FieldDiff, Operator, PersonName, RequestState,
};
use personbase_identity::{Ethnicity, Gender};
use personbase_import::source::{CsvEncoding, detect_encoding, sniff_delimiter};
use personbase_store::{
    ActorRef, Discrepancy, REGISTRY_CSV_HEADER, RegistryFinding, Store, StoreError,
};
use serde_json::json;

use crate::db::{self, DbArgs};
use crate::worklist::{Outcome, WorkLists, WorkRow};

/// The reason every correction carries in the journal and the request.
const REASON: &str = "按省公安户籍库核对结果更正人员基本信息（以户籍库为准）";

/// Records compared per page.
const PAGE: u32 = 5000;

/// What `personbase registry` can do.
#[derive(Debug, clap::Subcommand)]
pub enum RegistryCommand {
    /// 载入或更新省公安户籍库快照（CSV，UTF-8/GBK/GB18030，中文表头或 ssn,name,gender,birth_date,ethnicity,household_address）；有错行则整个文件不载入
    Load(LoadArgs),
    /// 逐人核对有效人员记录与户籍库快照（姓名、性别、出生日期、民族、户籍地址；号码不在户籍库），按经办机构输出工作清单（CSV 和 Excel）；--apply 按户籍库更正
    Reconcile(ReconcileArgs),
}

/// Options of `registry load`.
#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// 户籍库快照文件（CSV）
    pub file: PathBuf,
    /// 文件编码：auto、utf-8、gbk、gb18030
    #[arg(long, default_value = "auto")]
    pub encoding: String,
    /// 分隔符（一个字符，如 , 或 \t）；默认按表头自动识别
    #[arg(long)]
    pub delimiter: Option<String>,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of `registry reconcile`.
#[derive(Debug, clap::Args)]
pub struct ReconcileArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// 工作清单输出目录（每个机构一个 CSV，另有一个 Excel 工作簿）
    #[arg(long, default_value = "registry-reconcile")]
    pub out: PathBuf,
    /// 按户籍库更正本机构清单上的记录（经规则判断；须同时指定 --operator）
    #[arg(long, requires = "operator")]
    pub apply: bool,
    /// 办理更正的经办员登录名；只处理其所在机构清单上的记录
    #[arg(long)]
    pub operator: Option<String>,
}

/// Runs a `registry` subcommand.
pub async fn run(cmd: RegistryCommand) -> Result<ExitCode> {
    db::init_logging("warn");
    match cmd {
        RegistryCommand::Load(args) => load(args).await,
        RegistryCommand::Reconcile(args) => reconcile(args).await,
    }
}

async fn load(args: LoadArgs) -> Result<ExitCode> {
    let encoding = CsvEncoding::parse(&args.encoding).with_context(|| {
        format!("未知编码：{}（可用 auto、utf-8、gbk、gb18030）", args.encoding)
    })?;
    let delimiter = match args.delimiter.as_deref() {
        None => None,
        Some("\\t") | Some("\t") => Some(b'\t'),
        Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
        Some(d) => bail!("分隔符应为一个字符：{d}"),
    };
    let (reader, delimiter) = open_snapshot(&args.file, encoding, delimiter)?;

    let store = db::open_existing(&args.db.db).await?;
    let started = Instant::now();
    let loaded = store.load_registry(reader, delimiter).await;
    store.close().await;
    let load = match loaded {
        Ok(load) => load,
        Err(e @ StoreError::Invalid { .. }) => {
            println!("户籍库快照未载入（整个文件未作任何改动）：{}", e.message_zh());
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e).context("cannot load the registry snapshot"),
    };

    let seconds = started.elapsed().as_secs_f64();
    println!("户籍库快照已载入：{} 条记录", load.records);
    println!("  新增 {}，变更 {}，删除 {}", load.new, load.changed, load.removed);
    println!("  用时 {seconds:.1} 秒（每秒 {:.0} 行）", load.records as f64 / seconds.max(1e-9));
    Ok(ExitCode::SUCCESS)
}

/// The snapshot file as UTF-8 CSV whose header names the columns as
/// [`REGISTRY_CSV_HEADER`] does, and its delimiter. Streams: only the header is rewritten.
fn open_snapshot(
    path: &std::path::Path,
    encoding: CsvEncoding,
    delimiter: Option<u8>,
) -> Result<(impl Read + use<>, u8)> {
    let file = File::open(path).with_context(|| format!("无法打开文件 {}", path.display()))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut file = Progress { inner: file, read: 0, total, next: total / 10 };
    let mut sample = Vec::with_capacity(1 << 16);
    file.by_ref()
        .take(1 << 16)
        .read_to_end(&mut sample)
        .with_context(|| format!("无法读取文件 {}", path.display()))?;
    let encoding = match encoding {
        CsvEncoding::Auto => detect_encoding(&sample),
        CsvEncoding::Utf8 => UTF_8,
        CsvEncoding::Gbk | CsvEncoding::Gb18030 => GB18030,
    };
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding((encoding != UTF_8).then_some(encoding))
        .utf8_passthru(true)
        .bom_override(true)
        .strip_bom(true)
        .build(Cursor::new(sample).chain(file));
    let mut reader = BufReader::with_capacity(1 << 18, decoded);

    let mut first = String::new();
    reader.read_line(&mut first).with_context(|| format!("无法读取表头 {}", path.display()))?;
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&first));
    let header = canonical_header(&first, delimiter)?;
    Ok((Cursor::new(header).chain(reader), delimiter))
}

/// A reader that prints how much of the file it has read to standard error, every tenth.
struct Progress {
    inner: File,
    read: u64,
    total: u64,
    next: u64,
}

impl Read for Progress {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.total >= 1 << 26 && self.read >= self.next && self.read < self.total {
            eprintln!("  已读取 {}%……", self.read * 100 / self.total);
            self.next += self.total / 10;
        }
        Ok(n)
    }
}

/// The header line with every column the import crate recognises renamed to its name in
/// [`REGISTRY_CSV_HEADER`]; other columns keep their names (the store ignores them).
fn canonical_header(line: &str, delimiter: u8) -> Result<Vec<u8>> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    csv.read_record(&mut record).context("无法读取表头")?;

    let names: Vec<String> = record.iter().map(column_name).collect();
    let mut out = csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
    out.write_record(&names).context("无法改写表头")?;
    out.into_inner().context("无法改写表头")
}

/// The snapshot column a header names, or the header itself.
fn column_name(header: &str) -> String {
    use personbase_import::field::Field as Column;
    let clean = header.trim().trim_start_matches('\u{feff}');
    if REGISTRY_CSV_HEADER.contains(&clean) {
        return clean.to_owned();
    }
    let name = match Column::from_header(clean) {
        Some(Column::Number) => "ssn",
        Some(Column::Name) => "name",
        Some(Column::Gender) => "gender",
        Some(Column::BirthDate) => "birth_date",
        Some(Column::Ethnicity) => "ethnicity",
        Some(Column::HouseholdAddress) => "household_address",
        _ => clean,
    };
    name.to_owned()
}

/// Counts for the summary.
#[derive(Debug, Default)]
struct Tally {
    compared: u64,
    outside: u64,
    persons: u64,
    absent: u64,
    by_field: BTreeMap<&'static str, u64>,
    by_agency: BTreeMap<AgencyId, u64>,
    outcomes: BTreeMap<&'static str, u64>,
}

async fn reconcile(args: ReconcileArgs) -> Result<ExitCode> {
    let store = db::open_existing(&args.db.db).await?;
    let agencies: HashMap<AgencyId, Agency> = store
        .agencies()
        .await
        .context("cannot read agencies")?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let operator = match (&args.operator, args.apply) {
        (Some(login), true) => Some(
            store
                .operator_credentials(login)
                .await
                .context("cannot read operators")?
                .map(|(o, _)| o)
                .with_context(|| format!("没有登录名为 {login} 的经办员"))?,
        ),
        _ => None,
    };

    let mut lists = WorkLists::create(&args.out, agencies.clone())?;
    let mut tally = Tally::default();
    let started = Instant::now();
    let mut after = personbase_domain::PersonId(0);
    let mut next_progress = 1_000_000;
    loop {
        let page = store.compare_with_registry(after, PAGE).await.context("cannot compare")?;
        let Some(last) = page.last else { break };
        after = last;
        tally.compared += page.compared;
        tally.outside += page.outside;
        for finding in page.findings {
            let outcome = match &operator {
                Some(op) if on_list(&finding, op.agency) => correct(&store, op, &finding).await?,
                _ => None,
            };
            count(&mut tally, &finding, outcome.as_ref());
            for row in rows(&finding, outcome.as_ref()) {
                for agency in list_agencies(&finding) {
                    lists.write(agency, &row)?;
                }
            }
        }
        if tally.compared >= next_progress {
            eprintln!("  已核对 {} 条……", tally.compared);
            next_progress += 1_000_000;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let files = lists.finish()?;

    let summary = json!({
        "compared": tally.compared,
        "outside": tally.outside,
        "persons": tally.persons,
        "absent": tally.absent,
        "fields": tally.by_field,
        "agencies": tally.by_agency.iter().map(|(a, n)| (a.0.to_string(), *n)).collect::<BTreeMap<_, _>>(),
        "outcomes": tally.outcomes,
        "out": args.out.display().to_string(),
    });
    store
        .record_reconciliation(operator.as_ref(), summary)
        .await
        .context("cannot journal the reconciliation")?;
    store.close().await;

    print_summary(&tally, &agencies, &files, &args, seconds)?;
    Ok(if tally.persons == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The agencies whose work list shows `finding`.
fn list_agencies(finding: &RegistryFinding) -> Vec<AgencyId> {
    if finding.holders.is_empty() {
        vec![finding.person.entered_by]
    } else {
        finding.holders.clone()
    }
}

fn on_list(finding: &RegistryFinding, agency: AgencyId) -> bool {
    list_agencies(finding).contains(&agency)
}

/// Proposes the registry's values for `finding` as `operator`; the rules decide.
async fn correct(
    store: &Store,
    operator: &Operator,
    finding: &RegistryFinding,
) -> Result<Option<Outcome>> {
    let Discrepancy::Differs(diffs) = &finding.discrepancy else {
        return Ok(Some(Outcome::Unresolvable));
    };
    let person = &finding.person;
    let requests = store.requests_of(person.id).await.context("cannot read requests")?;
    let waiting = requests.iter().any(|r| {
        r.source == InputSource::Registry
            && matches!(r.state, RequestState::WaitingForSignoff | RequestState::WaitingForPerson)
    });
    if waiting {
        return Ok(Some(Outcome::AlreadyWaiting));
    }

    let changes = registry_values(diffs)?;
    let proposal = Proposal { changes, source: InputSource::Registry, documents: Vec::new() };
    let result = store
        .propose_change(
            ActorRef::Operator(operator),
            person.id,
            proposal,
            REASON,
            Some(person.version),
        )
        .await;
    let outcome = match result {
        Ok(request) => match request.state {
            RequestState::Effective => Outcome::Corrected,
            RequestState::WaitingForPerson => Outcome::WaitingForPerson(request.id),
            _ => Outcome::WaitingForSignoff(request.id),
        },
        Err(StoreError::Conflict { .. }) => Outcome::Stale,
        Err(e) => match e.refusal() {
            Some(refusal) => Outcome::Refused(refusal.clone()),
            None => return Err(e).context("cannot propose a correction"),
        },
    };
    Ok(Some(outcome))
}

/// The registry's values of the differing fields, as a change.
fn registry_values(diffs: &[FieldDiff]) -> Result<FieldChanges> {
    let mut changes = FieldChanges::default();
    for diff in diffs {
        let value = diff.after.as_deref().unwrap_or_default();
        match diff.field {
            Field::Name => changes.name = Some(PersonName::parse(value)?),
            Field::Gender => changes.gender = Some(Gender::parse(value).context("gender")?),
            Field::BirthDate => {
                changes.birth_date = Some(NaiveDate::parse_from_str(value, "%Y-%m-%d")?)
            }
            Field::Ethnicity => {
                changes.ethnicity = Some(Ethnicity::from_code(value).context("ethnicity")?);
            }
            Field::HouseholdAddress => changes.household_address = Some(Address::parse(value)?),
            _ => {}
        }
    }
    Ok(changes)
}

fn count(tally: &mut Tally, finding: &RegistryFinding, outcome: Option<&Outcome>) {
    tally.persons += 1;
    match &finding.discrepancy {
        Discrepancy::Absent => tally.absent += 1,
        Discrepancy::Differs(diffs) => {
            for d in diffs {
                *tally.by_field.entry(d.field.code()).or_default() += 1;
            }
        }
    }
    for agency in list_agencies(finding) {
        *tally.by_agency.entry(agency).or_default() += 1;
    }
    if let Some(outcome) = outcome {
        *tally.outcomes.entry(outcome.code()).or_default() += 1;
    }
}

/// The work-list rows of one finding: one per differing field.
fn rows(finding: &RegistryFinding, outcome: Option<&Outcome>) -> Vec<WorkRow> {
    let person = &finding.person;
    let base = WorkRow {
        person: person.id.0,
        ssn: person.ssn.masked(),
        name: person.name.masked(),
        problem: String::new(),
        field: String::new(),
        ours: String::new(),
        registry: String::new(),
        outcome: outcome.map(Outcome::name_zh).unwrap_or_default().to_owned(),
        rule: outcome.and_then(Outcome::rule).unwrap_or_default(),
        note: outcome.map(Outcome::note).unwrap_or_default(),
    };
    match &finding.discrepancy {
        Discrepancy::Absent => vec![WorkRow {
            problem: "户籍库无此号码".to_owned(),
            field: Field::Ssn.name_zh().to_owned(),
            ours: person.ssn.masked(),
            registry: "（无）".to_owned(),
            ..base
        }],
        Discrepancy::Differs(diffs) => diffs
            .iter()
            .map(|d| WorkRow {
                problem: "与户籍库不一致".to_owned(),
                field: d.field.name_zh().to_owned(),
                ours: shown(d.field, d.before.as_deref()),
                registry: shown(d.field, d.after.as_deref()),
                ..base.clone()
            })
            .collect(),
    }
}

/// A stored value as a case worker reads it: names for gender and ethnicity codes.
fn shown(field: Field, value: Option<&str>) -> String {
    let value = value.unwrap_or_default();
    let name = match field {
        Field::Gender => Gender::parse(value).map(Gender::name_zh),
        Field::Ethnicity => Ethnicity::from_code(value).map(Ethnicity::name_zh),
        _ => None,
    };
    name.unwrap_or(value).to_owned()
}

fn print_summary(
    tally: &Tally,
    agencies: &HashMap<AgencyId, Agency>,
    files: &[PathBuf],
    args: &ReconcileArgs,
    seconds: f64,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "已核对有效人员记录 {} 条（其中外省、港澳台或外籍号码 {} 条，不在本省户籍库核对范围）",
        tally.compared, tally.outside
    )?;
    writeln!(
        out,
        "用时 {seconds:.1} 秒（每秒 {:.0} 条）",
        tally.compared as f64 / seconds.max(1e-9)
    )?;
    if tally.persons == 0 {
        writeln!(out, "全部记录与户籍库一致")?;
        return Ok(());
    }
    writeln!(out, "与户籍库不一致 {} 人：", tally.persons)?;
    for (code, n) in &tally.by_field {
        let name = Field::from_code(code).map_or(*code, Field::name_zh);
        writeln!(out, "  {name}不一致 {n} 人")?;
    }
    if tally.absent > 0 {
        writeln!(out, "  户籍库无此号码 {} 人", tally.absent)?;
    }
    writeln!(out, "各机构工作清单（{}）：", args.out.display())?;
    for (agency, n) in &tally.by_agency {
        let name = agencies.get(agency).map_or_else(|| format!("机构{}", agency.0), Agency::label);
        writeln!(out, "  {name}：{n} 人")?;
    }
    for file in files {
        writeln!(out, "  {}", file.display())?;
    }
    if args.apply {
        writeln!(out, "更正结果（本机构清单）：")?;
        for (code, n) in &tally.outcomes {
            writeln!(out, "  {}：{n} 人", Outcome::name_of(code))?;
        }
    }
    Ok(())
}
