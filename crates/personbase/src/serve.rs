//! `personbase serve` and `personbase demo`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use personbase_server::{AppState, router};
use personbase_web::citizen::Citizens;
use personbase_web::{WebState, pages};

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
    let policy = db::policy(args.policy.as_deref())?;
    let store = db::open(&args.db, policy).await?;

    if args.demo {
        ensure_demo(&store, &args.db, args.persons).await?;
    }

    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    println!(
        "\nPersonBase 已启动：经办人员 http://{0}/login  个人自助 http://{0}/self  \
         接口 http://{0}/api/v1  接口文档 http://{0}/api/docs",
        args.listen
    );
    let app = AppState::new(store.clone());
    let web = WebState::new(app.clone(), Citizens::default());
    axum::serve(listener, router(app).merge(pages(web)))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("server failed")?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
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
