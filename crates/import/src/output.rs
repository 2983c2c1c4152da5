//! What `personbase import` prints on standard output: a summary table for people, JSON
//! lines for machines. A closed pipe (`| head`) ends the output quietly.

use std::io::{ErrorKind, Write};

use crate::ImportError;
use crate::finding::{Certainty, KINDS, kind};
use crate::load::LoadSummary;
use crate::run::{Outcome, OutputFormat};

/// Prints the outcome; a closed pipe is not an error.
pub(crate) fn print(
    outcome: &Outcome,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<(), ImportError> {
    let result = match format {
        OutputFormat::Table => table(outcome, out),
        OutputFormat::Json => json(outcome, out),
    }
    .and_then(|()| out.flush());
    match result {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(ImportError::io("<stdout>", e)),
        _ => Ok(()),
    }
}

fn json(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    for f in &outcome.findings {
        serde_json::to_writer(&mut *out, f)?;
        out.write_all(b"\n")?;
    }
    for m in &outcome.merge_candidates {
        serde_json::to_writer(&mut *out, &serde_json::json!({ "merge_candidate": m }))?;
        out.write_all(b"\n")?;
    }
    let summary = match &outcome.load {
        Some(load) => serde_json::json!({ "summary": outcome.summary, "load": load }),
        None => serde_json::json!({ "summary": outcome.summary }),
    };
    serde_json::to_writer(&mut *out, &summary)?;
    out.write_all(b"\n")
}

/// Thousands with a comma: `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the run was, as the terminal's first line and the HTML report say it: a dry run on
/// the files, a dry run against the platform (`--db`), or a load (`--apply`).
pub(crate) fn heading(outcome: &Outcome) -> &'static str {
    match &outcome.load {
        Some(load) if load.applied => "导入（已写入平台）",
        Some(_) => "导入检查（试运行，已对照平台，未写入任何数据）",
        None => "导入检查（试运行，未写入任何数据）",
    }
}

/// What became of the rows of a load or of its check against the platform.
pub(crate) fn load_line(load: &LoadSummary) -> String {
    let verb = if load.applied { "已导入" } else { "可导入" };
    format!(
        "{verb} {} 行，平台中已有 {} 行（补充参保关系 {} 条），留待复核 {} 行，合计 {} 行",
        thousands(load.loaded),
        thousands(load.already_present),
        thousands(load.enrolments_added),
        thousands(load.held_back),
        thousands(load.rows)
    )
}

fn table(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &outcome.summary;
    let rate = s.rows as f64 / s.seconds.max(1e-3);
    writeln!(out, "{}", heading(outcome))?;
    writeln!(
        out,
        "文件 {} 个，数据 {} 行，有问题的行 {} 行，用时 {:.1} 秒（{} 行/秒）",
        s.files,
        thousands(s.rows),
        thousands(s.rows_with_findings),
        s.seconds,
        thousands(rate as u64)
    )?;
    if let Some(load) = &outcome.load {
        writeln!(out, "{}", load_line(load))?;
        if !outcome.merge_candidates.is_empty() {
            writeln!(
                out,
                "同一险种内的重复记录 {} 对，列为合并候选，由该险种的经办机构合并（R3.1）",
                thousands(outcome.merge_candidates.len() as u64)
            )?;
        }
    }
    if s.by_code.is_empty() {
        return writeln!(out, "未发现问题。");
    }
    writeln!(out)?;
    // Each Chinese character takes two columns: pad by hand.
    writeln!(out, "代码{}数量  问题", " ".repeat(30))?;
    let order = |code: &str| KINDS.iter().position(|k| k.code == code).unwrap_or(usize::MAX);
    let mut codes: Vec<_> = s.by_code.iter().collect();
    codes.sort_by_key(|(c, _)| order(c));
    for (code, n) in codes {
        let k = kind(code);
        let mark = match k.certainty {
            Certainty::Probable => "（请人工确认）",
            Certainty::Notice => "（不影响导入）",
            Certainty::Exact => "",
        };
        writeln!(out, "{code:<26} {:>11}  {}{mark}", thousands(*n), k.title_zh)?;
    }
    writeln!(out, "合计{}{:>11}", " ".repeat(23), thousands(s.findings()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separator() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(1234567), "1,234,567");
        assert_eq!(super::thousands(100), "100");
    }
}
