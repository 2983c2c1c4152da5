//! Throughput of the library on a file of numbers, one per line:
//! `cargo bench -p personbase-identity --bench validate -- FILE`.
//!
//! Prints numbers per second (median of 5 runs) of `SocialSecurityNumber::parse` and of
//! `check`, single-threaded, by wall time and by the thread's CPU time. Used by `scripts/identity/bench.sh`.

use std::hint::black_box;
use std::time::Instant;

use chrono::NaiveDate;
use personbase_identity::{SocialSecurityNumber, check};

const RUNS: usize = 5;

/// CPU time this thread has used, in nanoseconds, where Linux tells it
/// (`/proc/thread-self/schedstat`): a figure that other processes' load does not inflate.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Median numbers per second of wall time, and of this thread's CPU time when known.
fn median_rate(lines: &[String], mut f: impl FnMut(&str) -> bool) -> (f64, Option<f64>, usize) {
    let mut wall = Vec::with_capacity(RUNS);
    let mut cpu = Vec::with_capacity(RUNS);
    let mut valid = 0;
    for _ in 0..RUNS {
        let cpu_start = thread_cpu_ns();
        let started = Instant::now();
        valid = lines.iter().filter(|l| f(black_box(l.as_str()))).count();
        wall.push(lines.len() as f64 / started.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu_ns()) {
            cpu.push(lines.len() as f64 / ((b.saturating_sub(a)).max(1) as f64 / 1e9));
        }
    }
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let cpu_median = (cpu.len() == RUNS).then(|| cpu[RUNS / 2]);
    (wall[RUNS / 2], cpu_median, valid)
}

fn print(name: &str, (wall, cpu, _): (f64, Option<f64>, usize)) {
    match cpu {
        Some(cpu) => println!(
            "{name} {wall:.0} numbers/s (median of {RUNS}); {cpu:.0} numbers per CPU-second"
        ),
        None => println!("{name} {wall:.0} numbers/s (median of {RUNS})"),
    }
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

    let parse = median_rate(&lines, |l| SocialSecurityNumber::parse(l).is_ok());
    let checked = median_rate(&lines, |l| check(l, today).is_valid());

    println!("inputs {} (parse accepts {}, check accepts {})", lines.len(), parse.2, checked.2);
    print("library_parse", parse);
    print("library_check", checked);
    Ok(())
}
