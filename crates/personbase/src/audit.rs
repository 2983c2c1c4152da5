//! `personbase audit verify`: checks the journal's hash chain.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::db::{self, DbArgs};

/// What `personbase audit` can do.
#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// 校验审计日志的哈希链：完好退出码 0；发现被修改、删除或调换的条目退出码 1，并指出是哪一条
    Verify(DbArgs),
}

/// Runs an `audit` subcommand.
pub async fn run(cmd: AuditCommand) -> Result<ExitCode> {
    db::init_logging("warn");
    let AuditCommand::Verify(args) = cmd;
    let store = db::open_existing(&args.db).await?;
    let report = store.verify_journal().await.context("cannot read the journal")?;
    store.close().await;

    match report.first_bad {
        None => {
            println!("审计日志完好：共 {} 条，哈希链校验通过", report.entries);
            Ok(ExitCode::SUCCESS)
        }
        Some(fault) => {
            println!(
                "审计日志已被破坏：第 {} 条（seq {}）{}：{}",
                fault.seq,
                fault.seq,
                fault_zh(fault.kind),
                fault.kind.reason()
            );
            println!("  {}", fault.detail);
            Ok(ExitCode::from(1))
        }
    }
}

fn fault_zh(kind: personbase_store::FaultKind) -> &'static str {
    match kind {
        personbase_store::FaultKind::Edited => "内容被修改",
        personbase_store::FaultKind::Removed => "被删除",
        personbase_store::FaultKind::Reordered => "顺序被调换或前一条被删除",
    }
}
