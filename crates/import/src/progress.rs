//! Progress on long runs: a bar with rows per second and time left on a terminal, a plain
//! line every few seconds when standard error is piped, nothing when asked to be quiet.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressMode {
    /// A bar on a terminal, plain lines otherwise.
    #[default]
    Auto,
    /// Plain lines on standard error.
    Plain,
    /// Nothing.
    Quiet,
}

const PLAIN_EVERY: Duration = Duration::from_secs(2);

pub(crate) struct Progress {
    mode: ProgressMode,
    bar: Option<ProgressBar>,
    start: Instant,
    last: Instant,
    file: usize,
    files: usize,
}

impl Progress {
    pub(crate) fn new(mode: ProgressMode, files: usize) -> Self {
        let mode = match mode {
            ProgressMode::Auto if std::io::stderr().is_terminal() => ProgressMode::Auto,
            ProgressMode::Auto => ProgressMode::Plain,
            m => m,
        };
        let bar = (mode == ProgressMode::Auto).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr_with_hz(4));
            let style = ProgressStyle::with_template("{bar:30} {percent:>3}% {msg} 剩余 {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        let now = Instant::now();
        Progress { mode, bar, start: now, last: now, file: 0, files }
    }

    pub(crate) fn next_file(&mut self) {
        self.file += 1;
        if let Some(bar) = &self.bar {
            bar.reset();
        }
    }

    pub(crate) fn update(&mut self, done: u64, total: u64, rows: u64) {
        let elapsed = self.start.elapsed().as_secs_f64().max(1e-3);
        let rate = rows as f64 / elapsed;
        match self.mode {
            ProgressMode::Quiet => {}
            ProgressMode::Auto => {
                if let Some(bar) = &self.bar {
                    bar.set_length(total.max(1));
                    bar.set_position(done);
                    bar.set_message(format!(
                        "文件 {}/{} · {rows} 行 · {rate:.0} 行/秒",
                        self.file, self.files
                    ));
                }
            }
            ProgressMode::Plain => {
                if self.last.elapsed() >= PLAIN_EVERY {
                    self.last = Instant::now();
                    let pct = if total == 0 { 100.0 } else { done as f64 * 100.0 / total as f64 };
                    // A closed standard error must not stop the run: the line is dropped.
                    let _ = writeln!(
                        std::io::stderr(),
                        "进度：文件 {}/{} {pct:.0}%，已检查 {rows} 行，{rate:.0} 行/秒",
                        self.file,
                        self.files
                    );
                }
            }
        }
    }

    pub(crate) fn finish(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
