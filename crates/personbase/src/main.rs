//! The `personbase` command: the service (`serve`), the demo province (`demo`), identity
//! number checks (`id`), the audit journal's verification (`audit verify`), the overdue
//! list (`overdue`) and the household registry snapshot (`registry load`, `registry
//! reconcile`).
//!
//! Exit codes: 0 ok, 1 findings (a broken journal, overdue requests, invalid numbers), 2 usage
//! or system error. This is the only crate that uses `anyhow`.

mod audit;
mod bench;
mod db;
mod demo;
mod id_cmd;
mod import_cmd;
mod import_load;
mod overdue;
mod registry_cmd;
mod serve;
mod worklist;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use personbase_domain::{Clock, SystemClock};

/// PersonBase：人员基本信息管理（按省人社厅通知的规则录入、修改、审计人员基本信息）
#[derive(Debug, Parser)]
#[command(name = "personbase", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 启动 HTTP 服务（API 位于 /api/v1，接口文档位于 /api/docs）
    Serve(serve::ServeArgs),
    /// 生成演示数据：黑龙江省信息中心、哈尔滨和齐齐哈尔两个地市及其县区的各类经办机构、演示账号、人员；
    /// demo legacy 生成合成的旧系统导出文件
    Demo(DemoCommand),
    /// 审计日志
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// 列出逾期未办结的修改申请（当日办结，R4.1）；有逾期时退出码为 1
    Overdue(db::DbArgs),
    /// 身份号码：检查、升级
    #[command(subcommand)]
    Id(id_cmd::IdCommand),
    /// 检查并导入旧系统导出的人员数据（CSV、Excel）：逐行、跨行和对照平台的问题，汇总表、JSON、Excel 和 HTML 报告；默认只检查，--apply 时写入平台
    Import(import_cmd::ImportArgs),
    /// 同 demo legacy（旧名称）
    #[command(hide = true)]
    LegacyDemo(import_cmd::LegacyDemoArgs),
    /// 省公安户籍库：载入快照（load），与人员记录核对并按机构输出工作清单、按户籍库更正（reconcile）
    #[command(subcommand)]
    Registry(registry_cmd::RegistryCommand),
    /// 性能测试：建立指定人数的库，测量查询和生效修改的速度
    #[command(hide = true)]
    Bench(bench::BenchArgs),
}

/// `personbase demo` makes the demo province; `personbase demo legacy` writes legacy files.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
struct DemoCommand {
    #[command(subcommand)]
    kind: Option<DemoKind>,
    #[command(flatten)]
    province: serve::DemoArgs,
}

#[derive(Debug, Subcommand)]
enum DemoKind {
    /// 生成合成的旧系统导出文件（含已知比例的各类问题）及答案文件，用于演示和性能测试
    Legacy(import_cmd::LegacyDemoArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The one place that reads the clock for the command line: everything below takes today
    // or a clock as a parameter.
    let today = SystemClock.today();
    let result = match cli.command {
        Command::Id(cmd) => id_cmd::run(cmd, today),
        Command::Import(args) => import_cmd::run(args, today),
        Command::LegacyDemo(args) => import_cmd::demo(args),
        Command::Serve(args) => block_on(serve::serve(args)),
        Command::Demo(DemoCommand { kind: Some(DemoKind::Legacy(args)), .. }) => {
            import_cmd::demo(args)
        }
        Command::Demo(DemoCommand { kind: None, province }) => block_on(serve::demo(province)),
        Command::Audit(cmd) => block_on(audit::run(cmd)),
        Command::Overdue(args) => block_on(overdue::run(args)),
        Command::Registry(cmd) => block_on(registry_cmd::run(cmd)),
        Command::Bench(args) => block_on(bench::run(args)),
    };
    match result {
        Ok(code) => code,
        // `personbase demo | head`: the reader went away; nothing more to say.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("personbase: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn block_on<F: std::future::Future<Output = anyhow::Result<ExitCode>>>(
    future: F,
) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(future)
}
