//! Throughput of the library on a file of numbers, one per line:
//! `cargo bench -p personbase-identity --bench validate -- FILE`.
//!
//! Prints numbers per second (median of 5 runs) of `SocialSecurityNumber::parse` and of
//! `check`, single-threaded. Used by `scripts/identity/bench.sh`.

use std::hint::black_box;
use std::time::Instant;

use chrono::NaiveDate;
use personbase_identity::{SocialSecurityNumber, check};

const RUNS: usize = 5;

fn median_rate(lines: &[String], mut f: impl FnMut(&str) -> bool) -> (f64, usize) {
    let mut rates = Vec::with_capacity(RUNS);
    let mut valid = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        valid = lines.iter().filter(|l| f(black_box(l.as_str()))).count();
        rates.push(lines.len() as f64 / started.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    (rates[RUNS / 2], valid)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let Some(path) = path else {
        eprintln!("usage: cargo bench -p personbase-identity --bench validate -- FILE");
        return Ok(());
    };
    let text = std::fs::read_to_string(&path)?;
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).ok_or("bad date")?;

    let (parse_rate, parse_valid) = median_rate(&lines, |l| SocialSecurityNumber::parse(l).is_ok());
    let (check_rate, check_valid) = median_rate(&lines, |l| check(l, today).is_valid());

    println!("inputs {} (parse accepts {parse_valid}, check accepts {check_valid})", lines.len());
    println!("library_parse {parse_rate:.0} numbers/s (median of {RUNS})");
    println!("library_check {check_rate:.0} numbers/s (median of {RUNS})");
    Ok(())
}
