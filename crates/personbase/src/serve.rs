//! `personbase serve` and `personbase demo`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use personbase_server::AppState;
use personbase_web::citizen::Citizens;
use personbase_web::citizen::dev::{CodeSink, DevProvider, RunMode};
use personbase_web::citizen::oidc::{OidcConfig, OidcProvider};
use personbase_web::{WebState, site};

use crate::db::{self, DEFAULT_DB};
use crate::demo;

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// 数据库地址（默认在当前目录创建 personbase.db）
    #[arg(long, default_value = DEFAULT_DB, env = "PERSONBASE_DB")]
    db: String,
    /// 监听地址
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// 同时生成演示数据（数据库中已有演示数据时直接使用）
    #[arg(long)]
    demo: bool,
    /// 演示人员数量（与 --demo 一起使用）
    #[arg(long, default_value_t = 3000)]
    persons: usize,
    /// 本省配置文件（TOML）；省略时使用与通知一致的默认配置
    #[arg(long)]
    policy: Option<PathBuf>,
    /// 个人自助服务的登录方式：统一身份认证（OpenID Connect）配置文件（TOML），
    /// 或 dev（演示用验证码登录，只能与 --demo 一起使用）。省略时：--demo 使用 dev，否则不开放登录
    #[arg(long, value_name = "FILE.toml|dev")]
    citizen_login: Option<String>,
}

/// Options of `demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// 数据库地址（默认在当前目录创建 personbase.db）
    #[arg(long, default_value = DEFAULT_DB, env = "PERSONBASE_DB")]
    db: String,
    /// 演示人员数量
    #[arg(long, default_value_t = 3000)]
    persons: usize,
    /// 本省配置文件（TOML）
    #[arg(long)]
    policy: Option<PathBuf>,
}

/// Runs the service until Ctrl-C.
pub async fn serve(args: ServeArgs) -> Result<ExitCode> {
    db::init_logging("info,sqlx=warn,personbase_store=warn");
    let login = match CitizenLogin::choose(args.citizen_login.as_deref(), args.demo) {
        Ok(login) => login,
        Err(message) => {
            eprintln!("{message}");
            return Ok(ExitCode::from(2));
        }
    };
    let dev_login = login == CitizenLogin::Dev;
    let citizens = login.start().await?;
    let policy = db::policy(args.policy.as_deref())?;
    let store = db::open(&args.db, policy).await?;

    if args.demo {
        ensure_demo(&store, &args.db, args.persons).await?;
        if dev_login {
            print_demo_citizen(&store).await?;
        }
    }

    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    println!(
        "\nPersonBase 已启动：经办人员 http://{0}/login  个人自助 http://{0}/self  \
         接口 http://{0}/api/v1  接口文档 http://{0}/api/docs",
        args.listen
    );
    let web = WebState::new(AppState::new(store.clone()), citizens);
    // The peer's address reaches the handlers: the login lock counts failures per address.
    let service = site(web).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("server failed")?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// How citizens log in to self-service.
#[derive(Debug, PartialEq, Eq)]
enum CitizenLogin {
    /// Not at all: `/self/login` says so.
    None,
    /// The development provider (demo only).
    Dev,
    /// OpenID Connect, configured by this file.
    Oidc(PathBuf),
}

impl CitizenLogin {
    /// The login `--citizen-login` and `--demo` ask for; a refusal is the Chinese message.
    fn choose(option: Option<&str>, demo: bool) -> Result<Self, String> {
        match option {
            Some("dev") if !demo => {
                Err("演示登录方式（--citizen-login dev）会把验证码显示在控制台上，\
                 只能与 --demo 一起使用；正式环境请使用统一身份认证的配置文件\
                 （--citizen-login 文件.toml）"
                    .to_owned())
            }
            Some("dev") => Ok(CitizenLogin::Dev),
            Some(path) => Ok(CitizenLogin::Oidc(PathBuf::from(path))),
            None if demo => Ok(CitizenLogin::Dev),
            None => Ok(CitizenLogin::None),
        }
    }

    /// The citizens' login, started (OpenID Connect reads the provider's discovery document).
    async fn start(self) -> Result<Citizens> {
        match self {
            CitizenLogin::None => Ok(Citizens::not_configured()),
            CitizenLogin::Dev => {
                let dev = DevProvider::new(RunMode::Demo, CodeSink::Console)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                Ok(Citizens::with_provider(Arc::new(dev)))
            }
            CitizenLogin::Oidc(path) => {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("无法读取统一身份认证配置文件 {}", path.display()))?;
                let config = OidcConfig::from_toml(&text).map_err(|e| {
                    anyhow::anyhow!("统一身份认证配置文件 {} 有误：{e}", path.display())
                })?;
                let oidc = match OidcProvider::discover(config.clone()).await {
                    Ok(oidc) => oidc,
                    Err(e) => {
                        // Case workers need not wait for the identity service: citizens'
                        // logins try again when they come.
                        eprintln!(
                            "警告：暂时无法连接统一身份认证服务（{e}），个人自助登录时将重试"
                        );
                        OidcProvider::new(config).map_err(|e| {
                            anyhow::anyhow!("统一身份认证配置文件 {} 有误：{e}", path.display())
                        })?
                    }
                };
                Ok(Citizens::with_provider(Arc::new(oidc)))
            }
        }
    }
}

/// The demo person to log in to self-service as: showcase person 2, whose household type
/// change waits for their confirmation (R2.4). Demo data only, so printed in full like the
/// demo passwords.
async fn print_demo_citizen(store: &personbase_store::Store) -> Result<()> {
    let Ok(person) = store.person(personbase_domain::PersonId(2)).await else {
        return Ok(());
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "\n个人自助演示（http://…/self/login，验证码显示在本控制台）：身份证号码 {}  姓名 {}",
        person.ssn.as_str(),
        person.name.as_str()
    )?;
    out.flush()?;
    Ok(())
}

/// Creates the demo in the database (refused when it already holds data).
pub async fn demo(args: DemoArgs) -> Result<ExitCode> {
    db::init_logging("warn");
    let policy = db::policy(args.policy.as_deref())?;
    let store = db::open(&args.db, policy).await?;
    if demo::exists(&store).await? {
        eprintln!("数据库中已有数据，未生成演示数据：{}", args.db);
        store.close().await;
        return Ok(ExitCode::from(1));
    }
    let mut out = std::io::stdout().lock();
    demo::create(&store, &args.db, args.persons, &mut out).await?;
    demo::print_accounts(&mut out)?;
    out.flush()?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn ensure_demo(store: &personbase_store::Store, url: &str, persons: usize) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if demo::exists(store).await? {
        writeln!(out, "使用数据库中已有的演示数据。")?;
    } else {
        demo::create(store, url, persons, &mut out).await?;
    }
    demo::print_accounts(&mut out)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_development_login_needs_the_demo() {
        assert!(CitizenLogin::choose(Some("dev"), false).unwrap_err().contains("--demo"));
        assert_eq!(CitizenLogin::choose(Some("dev"), true), Ok(CitizenLogin::Dev));
        assert_eq!(CitizenLogin::choose(None, true), Ok(CitizenLogin::Dev));
        assert_eq!(CitizenLogin::choose(None, false), Ok(CitizenLogin::None));
        let file = CitizenLogin::choose(Some("oidc.toml"), false);
        assert_eq!(file, Ok(CitizenLogin::Oidc(PathBuf::from("oidc.toml"))));
    }
}
