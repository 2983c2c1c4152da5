//! A development aid for profiling without the command line: `profile gen N DIR` writes a
//! demo file, `profile check FILE...` checks files and prints the summary as JSON.

use std::path::PathBuf;

use personbase_import::demo::{DemoOptions, generate};
use personbase_import::run::{Options, ProgressMode, check_files};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen") if args.len() == 3 => {
            let rows = args[1].parse()?;
            let s = generate(&DemoOptions {
                rows,
                out_dir: PathBuf::from(&args[2]),
                seed: 1,
                gbk: false,
                fault_share: 0.1,
            })?;
            println!("{}", serde_json::to_string(&s)?);
        }
        Some("check") => {
            let options = Options {
                files: args[1..].iter().map(PathBuf::from).collect(),
                progress: ProgressMode::Plain,
                ..Options::default()
            };
            let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).ok_or("date")?;
            let outcome = check_files(&options, today)?;
            println!("{}", serde_json::to_string(&outcome.summary)?);
        }
        _ => eprintln!("usage: profile gen ROWS DIR | profile check FILE..."),
    }
    Ok(())
}
