//! The `personbase` command.

mod id_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// PersonBase：人员基本信息管理
#[derive(Debug, Parser)]
#[command(name = "personbase", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 身份号码：检查、升级
    #[command(subcommand)]
    Id(id_cmd::IdCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The one place that reads the clock: everything below takes today as a parameter.
    let today = chrono::Local::now().date_naive();
    let result = match cli.command {
        Command::Id(cmd) => id_cmd::run(cmd, today),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("personbase: {e:#}");
            ExitCode::from(2)
        }
    }
}
