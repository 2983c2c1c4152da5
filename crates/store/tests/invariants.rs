//! The crate's invariants that a reading of the source can check: only the snapshot loader
//! writes the registry (R2.16), nothing reads the system clock, every module says what it is
//! for, and the SQL stays within what PostgreSQL also accepts.

#![allow(clippy::unwrap_used, reason = "a test helper fails the test")]

use std::path::PathBuf;

fn sources() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The source without comment lines, so that docs may name what the code must not do.
fn code() -> Vec<(String, String)> {
    sources()
        .into_iter()
        .map(|(name, text)| {
            let code: Vec<&str> =
                text.lines().filter(|line| !line.trim_start().starts_with("//")).collect();
            (name, code.join("\n"))
        })
        .collect()
}

#[test]
fn only_the_snapshot_loader_writes_the_registry() {
    for (name, text) in code() {
        let upper = text.to_uppercase();
        let writes = ["INTO REGISTRY ", "UPDATE REGISTRY ", "DELETE FROM REGISTRY\""]
            .iter()
            .any(|w| upper.contains(w));
        assert_eq!(writes, name == "registry.rs", "{name} writes the registry");
    }
}

#[test]
fn nothing_reads_the_system_clock() {
    for (name, text) in code() {
        for banned in ["Utc::now", "Local::now", "SystemTime::now", "SystemClock"] {
            assert!(!text.contains(banned), "{name} uses {banned}");
        }
    }
}

#[test]
fn every_module_has_a_doc_comment() {
    for (name, text) in sources() {
        assert!(text.starts_with("//!"), "{name} starts without a //! comment");
    }
}

#[test]
fn the_sql_avoids_sqlite_only_forms() {
    for (name, text) in code() {
        let upper = text.to_uppercase();
        for banned in ["INSERT OR ", "AUTOINCREMENT", "REPLACE INTO", "LAST_INSERT_ROWID", "PRAGMA"]
        {
            // db.rs is the backend-specific module: it sets SQLite's connection options (the
            // page cache), as its PostgreSQL twin will set that server's.
            if name == "db.rs" && banned == "PRAGMA" {
                continue;
            }
            assert!(!upper.contains(banned), "{name} uses {banned}");
        }
    }
}
