//! `personbase overdue`: open change requests past their day (R4.1), as a table in Chinese.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::db::{self, DbArgs};

/// Prints the overdue requests; exit code 1 when there are any.
pub async fn run(args: DbArgs) -> Result<ExitCode> {
    db::init_logging("warn");
    let store = db::open_existing(&args.db).await?;
    let today = store.clock().today();
    let overdue = store.overdue(today, None).await.context("cannot read requests")?;
    let agencies = store.agencies().await.context("cannot read agencies")?;
    store.close().await;

    let name = |id: Option<personbase_domain::AgencyId>| {
        id.and_then(|id| agencies.iter().find(|a| a.id == id))
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "本人网上办理".to_owned())
    };
    let mut out = std::io::stdout().lock();
    if overdue.is_empty() {
        writeln!(out, "没有逾期未办结的修改申请（{today}）")?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "逾期未办结的修改申请（截至 {today}，共 {} 件）：", overdue.len())?;
    let header = ["申请号", "人员", "状态", "应办结日", "逾期天数"];
    let header: String = header.iter().zip(WIDTHS).map(|(text, width)| pad(text, width)).collect();
    writeln!(out, "{header}提出机构 / 等待")?;
    for r in &overdue {
        let waiting: Vec<String> =
            r.steps.iter().filter(|s| s.signed.is_none()).map(|s| name(Some(s.agency))).collect();
        let waiting =
            if r.needs_confirmation { "本人确认".to_owned() } else { waiting.join("、") };
        let days = (today - r.due_on).num_days();
        let cells = [
            r.id.0.to_string(),
            r.person.0.to_string(),
            r.state.name_zh().to_owned(),
            r.due_on.to_string(),
            days.to_string(),
        ];
        let mut line = String::new();
        for (text, width) in cells.iter().zip(WIDTHS) {
            line.push_str(&pad(text, width));
        }
        let line = writeln!(out, "{line}{} / {waiting}", name(r.agency));
        if let Err(e) = line {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                break;
            }
            return Err(e.into());
        }
    }
    Ok(ExitCode::from(1))
}

/// `text` padded with spaces to `width` terminal columns; Chinese characters take two.
pub(crate) fn pad(text: &str, width: usize) -> String {
    let used: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used).max(1)))
}

/// Terminal columns of the table's first five columns.
const WIDTHS: [usize; 5] = [8, 8, 12, 12, 10];
