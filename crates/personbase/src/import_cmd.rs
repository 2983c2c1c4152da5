//! `personbase import` and `personbase demo legacy`: the command-line face of the legacy
//! clean-up (crate `personbase-import`). The logic lives there; this module parses the
//! arguments and turns the outcome into an exit status: 0 nothing found, 1 findings,
//! 2 could not run.

use std::io::{self, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use chrono::NaiveDate;
use personbase_import::demo::{DemoOptions, generate};
use personbase_import::field::Mapping;
use personbase_import::run::{Options, OutputFormat, ProgressMode, run as run_import};
use personbase_import::source::{CsvEncoding, ReadOptions};
use personbase_store::BulkMode;

use crate::import_load::{self, LoadOptions};

/// Arguments of `personbase import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// 要检查的旧系统导出文件：CSV（UTF-8、GBK、GB18030）或 Excel（xlsx、xls）
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// 输出格式：table 中文汇总表；json 每行一条问题，最后一行为汇总
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// 把 Excel 报告（汇总表 + 每类问题一张表）写到此路径
    #[arg(long, value_name = "PATH")]
    report_xlsx: Option<PathBuf>,
    /// 把 HTML 报告（含按问题、按地区的图表）写到此路径
    #[arg(long, value_name = "PATH")]
    report_html: Option<PathBuf>,
    /// CSV 编码：auto（自动识别）、utf-8、gbk、gb18030
    #[arg(long, default_value = "auto", value_parser = parse_encoding)]
    encoding: CsvEncoding,
    /// CSV 分隔符（默认自动识别逗号、制表符、分号、竖线）；制表符写 tab
    #[arg(long, value_parser = parse_delimiter)]
    delimiter: Option<u8>,
    /// 只检查 Excel 文件中的这个工作表（默认检查所有含身份号码列的工作表）
    #[arg(long)]
    sheet: Option<String>,
    /// 列映射文件（TOML，[columns] "表头" = "字段"），优先于内置的表头识别
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// 不显示进度
    #[arg(long)]
    quiet: bool,
    /// 平台数据库地址（如 sqlite://personbase.db）：给出时逐行对照平台检查（号码被占用、已在平台中、录入规则），不写入
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// 写入平台：无问题的行及其参保关系分批导入（每批一个事务，记入审计日志），有问题的行写入待复核清单；重复运行不会重复导入
    #[arg(long, requires = "db")]
    apply: bool,
    /// 执行导入的操作员登录名（须有经办权限）；使用 --db 时必填
    #[arg(long, requires = "db", required_if_eq("apply", "true"))]
    operator: Option<String>,
    /// 本文件的险种（如 企业职工基本养老保险、110、pension），行中“险种”列为空时使用
    #[arg(long, requires = "db")]
    line: Option<String>,
    /// 本文件的经办机构：平台中的机构编号或全称，行中“经办机构”列为空时使用
    #[arg(long, requires = "db")]
    agency: Option<String>,
    /// 待复核清单（CSV，可改正后重新导入）的路径；默认与第一个文件同目录，名为“文件名.review.csv”
    #[arg(long, value_name = "PATH", requires = "db")]
    review: Option<PathBuf>,
    /// 每批导入的行数（每批一个事务）
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    batch_size: u32,
}

/// Output format of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A summary table in Chinese.
    Table,
    /// One JSON object per finding, then the summary.
    Json,
}

fn parse_encoding(s: &str) -> Result<CsvEncoding, String> {
    CsvEncoding::parse(s).ok_or_else(|| format!("未知编码“{s}”，可用 auto、utf-8、gbk、gb18030"))
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(format!("分隔符应为一个字符，如 , ; | 或 tab，而不是“{s}”")),
    }
}

/// Runs `personbase import` as of `today`: a dry run on the files; with `--db`, checked
/// against the platform too, and with `--apply` loaded into it.
pub fn run(args: ImportArgs, today: NaiveDate) -> anyhow::Result<ExitCode> {
    let mapping = match &args.mapping {
        Some(path) => {
            Mapping::load(path).map_err(|e| anyhow!("{}（{}）", e.message_zh(), e.code()))?
        }
        None => Mapping::default(),
    };
    let options = Options {
        files: args.files,
        read: ReadOptions {
            encoding: args.encoding,
            delimiter: args.delimiter,
            sheet: args.sheet,
            mapping,
        },
        format: match args.format {
            Format::Table => OutputFormat::Table,
            Format::Json => OutputFormat::Json,
        },
        report_xlsx: args.report_xlsx,
        report_html: args.report_html,
        progress: if args.quiet { ProgressMode::Quiet } else { ProgressMode::Auto },
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    if let Some(db) = args.db {
        let Some(operator) = args.operator else {
            bail!("使用 --db 时须用 --operator 指定执行导入的操作员");
        };
        let review = args.review.unwrap_or_else(|| {
            let first = options.files.first().cloned().unwrap_or_default();
            let mut name = first.file_stem().unwrap_or_default().to_os_string();
            name.push(".review.csv");
            first.with_file_name(name)
        });
        let load = LoadOptions {
            db,
            operator,
            line: args.line,
            agency: args.agency,
            mode: if args.apply { BulkMode::Load } else { BulkMode::Check },
            review,
            batch: args.batch_size as usize,
        };
        return import_load::run(&options, &load, today, &mut out);
    }
    let outcome = run_import(&options, today, &mut out)
        .map_err(|e| anyhow!("{}（{}）", e.message_zh(), e.code()))?;
    Ok(ExitCode::from(outcome.exit_code()))
}

/// Arguments of `personbase demo legacy`.
#[derive(Debug, clap::Args)]
pub struct LegacyDemoArgs {
    /// 数据行数
    #[arg(long, default_value_t = 100_000)]
    rows: u64,
    /// 输出目录：写入 legacy.csv（或 legacy-gbk.csv）和答案 answer_key.csv
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// 随机种子：相同种子生成相同文件
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// 以 GBK 编码写出
    #[arg(long)]
    gbk: bool,
    /// 有问题的行所占比例（0–1）
    #[arg(long, default_value_t = 0.1)]
    fault_share: f64,
}

/// Runs `personbase demo legacy`: a synthetic legacy file and its answer key.
pub fn demo(args: LegacyDemoArgs) -> anyhow::Result<ExitCode> {
    let summary = generate(&DemoOptions {
        rows: args.rows,
        out_dir: args.out,
        seed: args.seed,
        gbk: args.gbk,
        fault_share: args.fault_share,
    })
    .map_err(|e| anyhow!("{}（{}）", e.message_zh(), e.code()))?;
    println!("已生成 {} 行：{}", summary.rows, summary.file.display());
    println!("答案：{}", summary.key.display());
    for (code, n) in &summary.expected {
        println!("  {code:<24} {n}");
    }
    Ok(ExitCode::SUCCESS)
}
