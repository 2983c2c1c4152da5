//! Checking a CSV file on every core: the calling thread reads batches of rows, workers
//! check them, and one collector thread takes the results back in reading order, so that
//! the outcome is the same whatever the number of threads. Channels are bounded: memory
//! stays a few batches per thread.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::ImportError;
use crate::dups::Collector;
use crate::field::Field;
use crate::finding::Finding;
use crate::names;
use crate::progress::Progress;
use crate::rowcheck::{Facts, check_row};
use crate::source::{Batch, Cell, CsvReader, Row, Table};

/// What the checks of a run collect, whichever thread fills it.
pub(crate) struct Sink {
    pub findings: Vec<Finding>,
    pub collector: Collector,
    pub rows: u64,
    pub progress: Progress,
}

impl Sink {
    /// Checks one row on the calling thread.
    pub(crate) fn check(&mut self, table: &Table, index: u16, row: &Row<'_>, today: NaiveDate) {
        let mut checked = Checked::default();
        checked.add(table, index, row, today);
        self.take(checked);
    }

    fn take(&mut self, checked: Checked) {
        let mut start = 0;
        for (facts, end) in checked.facts.into_iter().zip(checked.key_ends) {
            self.collector.push(facts, &checked.keys[start..end]);
            start = end;
        }
        self.rows += checked.rows;
        self.findings.extend(checked.findings);
    }
}

/// The results of one batch.
#[derive(Default)]
struct Checked {
    facts: Vec<Facts>,
    keys: Vec<u64>,
    key_ends: Vec<usize>,
    findings: Vec<Finding>,
    rows: u64,
}

impl Checked {
    fn with_capacity(rows: usize) -> Self {
        Checked {
            facts: Vec::with_capacity(rows),
            keys: Vec::with_capacity(rows + rows / 4),
            key_ends: Vec::with_capacity(rows),
            findings: Vec::with_capacity(rows / 8),
            rows: 0,
        }
    }

    fn add(&mut self, table: &Table, index: u16, row: &Row<'_>, today: NaiveDate) {
        let facts = check_row(table, index, row, today, &mut self.findings);
        if let Cell::Text(s) = row.cell(Field::Name)
            && facts.name != 0
        {
            self.keys.extend(names::pinyin_keys(s));
        }
        self.key_ends.push(self.keys.len());
        self.facts.push(facts);
        self.rows += 1;
    }
}

/// Threads that check batches: the machine's cores, at most 8.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Checks every row of an open CSV file into `sink`.
pub(crate) fn check_csv(
    mut reader: CsvReader,
    index: u16,
    today: NaiveDate,
    sink: &mut Sink,
) -> Result<(), ImportError> {
    let table = reader.table().clone();
    let (counter, total) = reader.counter();
    let threads = workers();
    let (work_tx, work_rx) = sync_channel::<(u64, Batch)>(threads * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<(u64, Batch, Checked)>(threads * 2);
    let (free_tx, free_rx) = sync_channel::<Batch>(threads * 4 + 4);

    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (rx, tx, table) = (Arc::clone(&work_rx), done_tx.clone(), &table);
            scope.spawn(move || work(&rx, &tx, table, index, today));
        }
        // Only the workers hold the receiving ends: if they or the collector stop early,
        // the reader's next send fails instead of waiting forever.
        drop(work_rx);
        drop(done_tx);
        let collector = scope.spawn(|| {
            collect(done_rx, &free_tx, sink, |sink| {
                sink.progress.update(counter.load(Ordering::Relaxed).min(total), total, sink.rows);
            });
        });

        let result = read(&mut reader, &work_tx, &free_rx);
        drop(work_tx);
        let _ = collector.join();
        result
    })
}

fn read(
    reader: &mut CsvReader,
    work: &SyncSender<(u64, Batch)>,
    free: &Receiver<Batch>,
) -> Result<(), ImportError> {
    let mut seq = 0u64;
    loop {
        let mut batch = free.try_recv().unwrap_or_default();
        if !reader.fill(&mut batch)? {
            return Ok(());
        }
        if work.send((seq, batch)).is_err() {
            return Ok(());
        }
        seq += 1;
    }
}

fn work(
    rx: &Mutex<Receiver<(u64, Batch)>>,
    tx: &SyncSender<(u64, Batch, Checked)>,
    table: &Table,
    index: u16,
    today: NaiveDate,
) {
    loop {
        let next = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => return,
        };
        let Ok((seq, batch)) = next else { return };
        let mut checked = Checked::with_capacity(batch.len());
        for row in batch.rows(&table.map) {
            checked.add(table, index, &row, today);
        }
        if tx.send((seq, batch, checked)).is_err() {
            return;
        }
    }
}

fn collect(
    done: Receiver<(u64, Batch, Checked)>,
    free: &SyncSender<Batch>,
    sink: &mut Sink,
    mut progress: impl FnMut(&mut Sink),
) {
    let mut waiting: BTreeMap<u64, Checked> = BTreeMap::new();
    let mut next = 0u64;
    for (seq, batch, checked) in done {
        let _ = free.try_send(batch);
        waiting.insert(seq, checked);
        while let Some(checked) = waiting.remove(&next) {
            sink.take(checked);
            next += 1;
        }
        progress(sink);
    }
}
