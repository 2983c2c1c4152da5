//! `personbase serve` refuses the development citizens' login outside the demo, with a
//! Chinese message and exit code 2, before it touches a database or a port.

#![allow(clippy::unwrap_used, reason = "test: a failure here is a test failure")]

use std::process::Command;

#[test]
fn serve_without_demo_refuses_the_development_login() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pb.db");
    let output = Command::new(env!("CARGO_BIN_EXE_personbase"))
        .args(["serve", "--citizen-login", "dev", "--listen", "127.0.0.1:0", "--db"])
        .arg(format!("sqlite://{}?mode=rwc", db.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("只能与 --demo 一起使用"), "{stderr}");
    assert!(!db.exists(), "refused before opening the database");
}
