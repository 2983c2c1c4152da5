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
    writeln!(
        out,
        "{:<8}{:<8}{:<14}{:<12}{:<8}提出机构 / 等待",
        "申请号", "人员", "状态", "应办结日", "逾期天数"
    )?;
    for r in &overdue {
        let waiting: Vec<String> =
            r.steps.iter().filter(|s| s.signed.is_none()).map(|s| name(Some(s.agency))).collect();
        let waiting =
            if r.needs_confirmation { "本人确认".to_owned() } else { waiting.join("、") };
        let days = (today - r.due_on).num_days();
        let line = writeln!(
            out,
            "{:<10}{:<10}{:<12}{:<15}{:<11}{} / {}",
            r.id.0,
            r.person.0,
            r.state.name_zh(),
            r.due_on,
            days,
            name(r.agency),
            waiting
        );
        if let Err(e) = line {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                break;
            }
            return Err(e.into());
        }
    }
    Ok(ExitCode::from(1))
}
