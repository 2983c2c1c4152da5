//! `personbase id check` and `personbase id upgrade`: identity numbers from a file or
//! standard input, one per line.
//!
//! Exit codes: 0 every line valid, 1 some line invalid, 2 usage or system error. A closed
//! output pipe (`| head`) ends the command quietly with the status so far.

use std::fs::File;
use std::io::{self, BufWriter, ErrorKind, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use personbase_identity::{Check, check, upgrade_15};

/// What `personbase id` can do.
#[derive(Debug, clap::Subcommand)]
pub enum IdCommand {
    /// 检查身份号码：每行一个号码，输出每个号码的类型、出生日期、性别、地区和问题
    Check {
        /// 输入文件，每行一个号码；省略时读标准输入
        file: Option<PathBuf>,
        /// 输出格式：json 每行一个 JSON 对象；table 中文表格
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
    /// 把 15 位身份号码升级为 18 位；18 位号码原样输出（已规范化）
    Upgrade {
        /// 输入文件，每行一个号码；省略时读标准输入
        file: Option<PathBuf>,
    },
}

/// Output format of `id check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line.
    Json,
    /// A readable table in Chinese.
    Table,
}

/// Runs an `id` subcommand; `today` decides whether a birth date lies in the future.
pub fn run(cmd: IdCommand, today: NaiveDate) -> anyhow::Result<ExitCode> {
    let (file, mode) = match cmd {
        IdCommand::Check { file, format } => (file, Mode::Check(format)),
        IdCommand::Upgrade { file } => (file, Mode::Upgrade),
    };
    let pace =
        if file.is_none() && io::stdin().is_terminal() { Pace::Interactive } else { Pace::Batch };
    let input: Box<dyn Read> = match &file {
        Some(path) => {
            Box::new(File::open(path).with_context(|| format!("cannot open {}", path.display()))?)
        }
        None => Box::new(io::stdin().lock()),
    };
    let stdout = io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);

    let outcome =
        process(input, &mut out, mode, today, pace).and_then(|all_valid| match out.flush() {
            Ok(()) => Ok(all_valid),
            Err(e) if e.kind() == ErrorKind::BrokenPipe => Err(Failure::Closed(all_valid)),
            Err(e) => Err(Failure::Output(e)),
        });
    match outcome {
        // A reader that stopped early (`| head`) is no error: the status of what was read.
        Ok(all_valid) | Err(Failure::Closed(all_valid)) => Ok(status(all_valid)),
        Err(Failure::Output(e)) => Err(anyhow::Error::new(e).context("cannot write output")),
        Err(Failure::Input(e)) => Err(anyhow::Error::new(e).context("cannot read input")),
    }
}

fn status(all_valid: bool) -> ExitCode {
    if all_valid { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// How input arrives: a file or pipe is read in large blocks split between the cores; a
/// person typing at a terminal gets each answer as soon as the line is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pace {
    Batch,
    Interactive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Check(Format),
    Upgrade,
}

enum Failure {
    Input(io::Error),
    Output(io::Error),
    /// The output pipe was closed; whether every line written so far was valid.
    Closed(bool),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Output(e)
    }
}

fn closed_or(e: io::Error, all_valid: bool) -> Failure {
    if e.kind() == ErrorKind::BrokenPipe { Failure::Closed(all_valid) } else { Failure::Output(e) }
}

/// Input is processed in blocks of about this many bytes per worker thread.
const BLOCK_PER_THREAD: usize = 1 << 20;

/// Reads every line and writes its result in input order; `Ok(true)` when every line was
/// valid. Blocks of lines are split between the machine's cores.
fn process(
    mut input: impl Read,
    out: &mut impl Write,
    mode: Mode,
    today: NaiveDate,
    pace: Pace,
) -> Result<bool, Failure> {
    let threads = match pace {
        Pace::Batch => std::thread::available_parallelism().map_or(1, |n| n.get()).min(8),
        Pace::Interactive => 1,
    };
    let block = match pace {
        Pace::Batch => BLOCK_PER_THREAD * threads,
        Pace::Interactive => 1,
    };
    let mut want = block;
    let mut buf: Vec<u8> = Vec::with_capacity(block + (block >> 2));
    let mut next_line = 1usize;
    let mut all_valid = true;
    let mut stderr = io::stderr().lock();
    let mut outputs = Vec::with_capacity(threads);
    if mode == Mode::Check(Format::Table) {
        table_header(out).map_err(|e| closed_or(e, true))?;
    }
    loop {
        let eof = fill(&mut input, &mut buf, want).map_err(Failure::Input)?;
        let end = if eof {
            buf.len()
        } else {
            match buf.iter().rposition(|&b| b == b'\n') {
                Some(i) => i + 1,
                // No line end yet (a line longer than a block, or a slow typist): read on.
                None => {
                    want = buf.len() + block;
                    continue;
                }
            }
        };
        want = block;
        let parts = split_lines(&buf[..end], threads);
        run_parts(&parts, next_line, mode, today, &mut outputs)?;
        for part in &outputs[..parts.len()] {
            all_valid &= part.all_valid;
            out.write_all(&part.out).map_err(|e| closed_or(e, all_valid))?;
            let _ = stderr.write_all(&part.err);
            next_line += part.lines;
        }
        buf.drain(..end);
        if pace == Pace::Interactive {
            out.flush().map_err(|e| closed_or(e, all_valid))?;
        }
        if eof {
            return Ok(all_valid);
        }
    }
}

/// Reads until `buf` holds at least `want` bytes; `Ok(true)` at end of input.
fn fill(input: &mut impl Read, buf: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    while buf.len() < want {
        let filled = buf.len();
        buf.resize(filled + (1 << 16), 0);
        let read = input.read(&mut buf[filled..]);
        buf.truncate(filled + *read.as_ref().unwrap_or(&0));
        match read {
            Ok(0) => return Ok(true),
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

/// Splits `block` into at most `n` parts that end at line ends.
fn split_lines(block: &[u8], n: usize) -> Vec<&[u8]> {
    let mut parts = Vec::with_capacity(n);
    let mut rest = block;
    for i in (1..=n).rev() {
        if rest.is_empty() {
            break;
        }
        let target = rest.len() / i;
        let cut = if i == 1 {
            rest.len()
        } else {
            rest[target..].iter().position(|&b| b == b'\n').map_or(rest.len(), |p| target + p + 1)
        };
        let (part, tail) = rest.split_at(cut);
        parts.push(part);
        rest = tail;
    }
    parts
}

/// The output of one part of a block.
#[derive(Default)]
struct Part {
    out: Vec<u8>,
    err: Vec<u8>,
    lines: usize,
    all_valid: bool,
}

/// Runs every part, in parallel when there are several, into `outputs` (reused between
/// blocks so that their memory is not faulted in again).
fn run_parts(
    parts: &[&[u8]],
    first_line: usize,
    mode: Mode,
    today: NaiveDate,
    outputs: &mut Vec<Part>,
) -> Result<(), Failure> {
    outputs.resize_with(parts.len().max(outputs.len()), Part::default);
    let mut line = first_line;
    let mut jobs = Vec::with_capacity(parts.len());
    for (p, part) in parts.iter().zip(outputs.iter_mut()) {
        part.out.clear();
        part.err.clear();
        part.lines = 0;
        part.all_valid = true;
        jobs.push((*p, line, part));
        if parts.len() > 1 {
            line += p.split_inclusive(|&b| b == b'\n').count();
        }
    }
    if let [(p, start, part)] = jobs.as_mut_slice() {
        return run_part(p, *start, mode, today, part);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .into_iter()
            .map(|(p, start, part)| scope.spawn(move || run_part(p, start, mode, today, part)))
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err(Failure::Input(io::Error::other("a worker thread failed"))))
        })
    })
}

fn run_part(
    bytes: &[u8],
    first_line: usize,
    mode: Mode,
    today: NaiveDate,
    part: &mut Part,
) -> Result<(), Failure> {
    for raw in bytes.split_inclusive(|&b| b == b'\n') {
        let number = first_line + part.lines;
        part.lines += 1;
        let text = String::from_utf8_lossy(trim_newline(raw));
        let valid = match mode {
            Mode::Check(format) => {
                let report = check(&text, today);
                match format {
                    Format::Json => {
                        report.write_json(&mut part.out);
                        part.out.push(b'\n');
                    }
                    Format::Table => table_row(&mut part.out, &report)?,
                }
                report.is_valid()
            }
            Mode::Upgrade => match upgrade_15(&text) {
                Ok(upgraded) => {
                    part.out.extend_from_slice(upgraded.as_bytes());
                    part.out.push(b'\n');
                    true
                }
                Err(e) => {
                    // Keep lines aligned with the input: an empty line, the reason on stderr.
                    part.out.push(b'\n');
                    let _ =
                        writeln!(part.err, "第 {number} 行：{}（{}）", e.message_zh(), e.code());
                    false
                }
            },
        };
        part.all_valid &= valid;
    }
    Ok(())
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Display width: CJK and other wide characters take two columns.
fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn cell(out: &mut impl Write, s: &str, columns: usize) -> io::Result<()> {
    write!(out, "{s}{:pad$}  ", "", pad = columns.saturating_sub(width(s)))
}

const COLUMNS: [(&str, usize); 6] =
    [("号码", 20), ("结果", 6), ("类型", 22), ("出生日期", 10), ("性别", 4), ("地区", 24)];

fn table_header(out: &mut impl Write) -> io::Result<()> {
    for (title, columns) in COLUMNS {
        cell(out, title, columns)?;
    }
    writeln!(out, "说明")
}

fn table_row(out: &mut impl Write, c: &Check) -> io::Result<()> {
    let shown: String = c.normalized.as_deref().unwrap_or(&c.input).chars().take(20).collect();
    let birth = c.birth_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let cells = [
        shown.as_str(),
        if c.is_valid() { "有效" } else { "无效" },
        c.kind.map_or("未识别", |k| k.name_zh()),
        birth.as_str(),
        c.gender.map_or("", |g| g.name_zh()),
        c.region_name.as_deref().unwrap_or(""),
    ];
    for (value, (_, columns)) in cells.iter().zip(COLUMNS) {
        cell(out, value, columns)?;
    }
    let notes: Vec<String> = c
        .errors
        .iter()
        .map(|f| format!("错误：{}", f.message))
        .chain(c.warnings.iter().map(|f| format!("提示：{}", f.message)))
        .collect();
    writeln!(out, "{}", notes.join("；"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_lines(input: &str, mode: Mode) -> (String, bool) {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let mut out = Vec::new();
        let ok = process(input.as_bytes(), &mut out, mode, today, Pace::Batch).ok().unwrap();
        (String::from_utf8(out).unwrap(), ok)
    }

    #[test]
    fn check_writes_one_json_object_per_line() {
        let (out, ok) = run_lines("11010519491231002X\r\n123\n", Mode::Check(Format::Json));
        let lines: Vec<serde_json::Value> =
            out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["valid"], true);
        assert_eq!(lines[0]["birth_date"], "1949-12-31");
        assert_eq!(lines[0]["gender"], "female");
        assert_eq!(lines[0]["region_name"], "北京市朝阳区");
        assert_eq!(lines[1]["errors"][0]["code"], "id.length");
        assert!(!ok);
    }

    #[test]
    fn upgrade_keeps_lines_aligned() {
        let (out, ok) = run_lines("110105491231002\nabc\n11010519491231002x\n", Mode::Upgrade);
        assert_eq!(out, "11010519491231002X\n\n11010519491231002X\n");
        assert!(!ok);
    }

    #[test]
    fn blocks_split_at_line_ends_and_keep_order() {
        let block = b"1\n22\n333\n4444\n55555";
        for n in 1..=6 {
            let parts = split_lines(block, n);
            assert!(parts.len() <= n);
            assert_eq!(parts.concat(), block.to_vec());
            assert!(parts[..parts.len() - 1].iter().all(|p| p.ends_with(b"\n")));
        }
        let input: String = (0..50_000).map(|i| format!("{i}\n")).collect();
        let (out, _) = run_lines(&input, Mode::Check(Format::Json));
        let inputs: Vec<String> = out
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["input"].to_string())
            .collect();
        assert_eq!(inputs.len(), 50_000);
        assert_eq!(inputs[49_999], "\"49999\"");
    }

    #[test]
    fn a_line_longer_than_a_block_is_read_whole() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let long = format!("{}\n11010519491231002X\n", "1".repeat(3 * BLOCK_PER_THREAD));
        for pace in [Pace::Batch, Pace::Interactive] {
            let mut out = Vec::new();
            let ok = process(long.as_bytes(), &mut out, Mode::Upgrade, today, pace).ok();
            assert_eq!(ok, Some(false));
            assert_eq!(String::from_utf8(out).unwrap(), "\n11010519491231002X\n");
        }
    }

    #[test]
    fn table_has_a_chinese_header() {
        let (out, ok) = run_lines("11010519491231002X\n", Mode::Check(Format::Table));
        assert!(out.starts_with("号码"));
        assert!(out.contains("有效"));
        assert!(ok);
    }
}
