//! Opening the database for a command: the `--db` and `--policy` options, logging set-up.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use personbase_domain::{Policy, SystemClock};
use personbase_store::Store;

/// The database in the working folder, created when missing.
pub const DEFAULT_DB: &str = "sqlite://personbase.db?mode=rwc";

/// The database option of commands that read an existing database.
#[derive(Debug, clap::Args)]
pub struct DbArgs {
    /// 数据库地址，如 sqlite://personbase.db
    #[arg(long, default_value = DEFAULT_DB, env = "PERSONBASE_DB")]
    pub db: String,
}

/// The file behind a `sqlite://` URL, if it names one.
pub fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then_some(path)
}

/// Reads the policy file, or the notice's defaults.
pub fn policy(file: Option<&Path>) -> Result<Policy> {
    let Some(file) = file else { return Ok(Policy::default()) };
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read policy file {}", file.display()))?;
    Policy::from_toml(&text).with_context(|| format!("policy file {} is invalid", file.display()))
}

/// Opens the store on the system clock.
pub async fn open(url: &str, policy: Policy) -> Result<Store> {
    Store::open(url, policy, Arc::new(SystemClock))
        .await
        .with_context(|| format!("cannot open database {}", redact(url)))
}

/// Opens a PersonBase database that must already exist (for `audit` and `overdue`); an empty
/// file or another program's database is refused, not migrated.
pub async fn open_existing(url: &str) -> Result<Store> {
    if let Some(file) = sqlite_file(url)
        && !Path::new(file).exists()
    {
        bail!("数据库文件不存在：{file}");
    }
    Store::open_existing(url, Policy::default(), Arc::new(SystemClock))
        .await
        .with_context(|| format!("cannot open database {}", redact(url)))
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Logs to standard error; `RUST_LOG` overrides `default`.
pub fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(sqlite_file("sqlite://personbase.db?mode=rwc"), Some("personbase.db"));
        assert_eq!(sqlite_file("sqlite:///tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(redact("postgres://u:secret@host/db"), "postgres://***@host/db");
    }
}
