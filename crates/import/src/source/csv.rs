//! CSV files read in batches of rows: the encoding detected from the first bytes (or
//! forced), the BOM dropped, the delimiter sniffed from the header line, quoted fields with
//! line breaks kept whole. Memory is bounded by the batch, whatever the file's size.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use csv::ByteRecord;
use encoding_rs::{GB18030, UTF_8};
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use super::{Cell, CsvEncoding, ReadOptions, Row, Table, detect_encoding, sniff_delimiter};
use crate::ImportError;
use crate::field::{ColumnMap, FIELD_COUNT};

/// Bytes read to detect the encoding and the delimiter.
const SAMPLE: usize = 64 * 1024;
/// Rows per batch.
pub const BATCH_ROWS: usize = 8192;

/// Counts the bytes read from the file, for progress.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

type Source = Counting<io::Chain<Cursor<Vec<u8>>, File>>;

/// A CSV file open for reading, its header row already read and mapped.
pub struct CsvReader {
    reader: csv::Reader<DecodeReaderBytes<Source, Vec<u8>>>,
    table: Table,
    path: PathBuf,
    count: Arc<AtomicU64>,
    total: u64,
    number: u64,
}

/// Rows read from a CSV file: owned records, so that they can be checked on another thread.
#[derive(Debug, Default)]
pub struct Batch {
    records: Vec<ByteRecord>,
    numbers: Vec<u64>,
    len: usize,
}

impl Batch {
    /// How many rows the batch holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the batch holds no row.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The rows, their cells found by `map`.
    pub fn rows<'a>(&'a self, map: &'a ColumnMap) -> impl Iterator<Item = Row<'a>> + 'a {
        self.records[..self.len].iter().zip(&self.numbers).map(|(record, &number)| {
            let mut row = Row { number, cells: [Cell::Empty; FIELD_COUNT], bad_encoding: false };
            for (slot, column) in row.cells.iter_mut().zip(map.columns) {
                let Some(bytes) = column.and_then(|c| record.get(c)) else { continue };
                match std::str::from_utf8(bytes) {
                    Ok(s) => *slot = Cell::Text(s),
                    Err(_) => row.bad_encoding = true,
                }
            }
            row
        })
    }
}

impl CsvReader {
    /// Opens a file, detects its encoding and delimiter (unless forced) and maps its header.
    pub fn open(path: &Path, options: &ReadOptions) -> Result<Self, ImportError> {
        let io_err = |e| ImportError::io(path, e);
        let mut file = File::open(path).map_err(io_err)?;
        let total = file.metadata().map_err(io_err)?.len();
        let mut sample = Vec::with_capacity(SAMPLE);
        file.by_ref().take(SAMPLE as u64).read_to_end(&mut sample).map_err(io_err)?;

        let encoding = match options.encoding {
            CsvEncoding::Auto => detect_encoding(&sample),
            CsvEncoding::Utf8 => UTF_8,
            CsvEncoding::Gbk | CsvEncoding::Gb18030 => GB18030,
        };
        let delimiter = options.delimiter.unwrap_or_else(|| {
            let (text, _, _) = encoding.decode(&sample);
            sniff_delimiter(&text)
        });
        let count = Arc::new(AtomicU64::new(0));
        let raw = Counting { inner: Cursor::new(sample).chain(file), count: Arc::clone(&count) };
        // UTF-8 passes through untouched (invalid bytes are then reported per row); other
        // encodings are transcoded; a BOM overrides either.
        let decoded = DecodeReaderBytesBuilder::new()
            .encoding((encoding != UTF_8).then_some(encoding))
            .utf8_passthru(true)
            .bom_override(true)
            .strip_bom(true)
            .build(raw);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(1 << 18)
            .from_reader(decoded);

        let mut record = ByteRecord::new();
        let read = reader.read_byte_record(&mut record).map_err(|e| csv_error(path, &e))?;
        if !read {
            return Err(ImportError::NoNumberColumn { path: path.into() });
        }
        let headers: Vec<String> =
            record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
        let map = ColumnMap::from_headers(headers.iter().map(String::as_str), &options.mapping);
        if !map.has_number() {
            return Err(ImportError::NoNumberColumn { path: path.into() });
        }
        let table = Table { file: path.display().to_string(), sheet: String::new(), map };
        Ok(CsvReader { reader, table, path: path.into(), count, total, number: 1 })
    }

    /// The file and its columns.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// Bytes of the file read so far, and its size.
    pub fn progress(&self) -> (u64, u64) {
        (self.count.load(Ordering::Relaxed).min(self.total), self.total)
    }

    /// A counter of the bytes read, to watch from another thread.
    pub fn counter(&self) -> (Arc<AtomicU64>, u64) {
        (Arc::clone(&self.count), self.total)
    }

    /// Reads the next rows into `batch`, skipping blank ones; `false` once the file is done.
    pub fn fill(&mut self, batch: &mut Batch) -> Result<bool, ImportError> {
        batch.len = 0;
        batch.numbers.clear();
        while batch.len < BATCH_ROWS {
            if batch.records.len() == batch.len {
                batch.records.push(ByteRecord::new());
            }
            let record = &mut batch.records[batch.len];
            if !self.reader.read_byte_record(record).map_err(|e| csv_error(&self.path, &e))? {
                break;
            }
            self.number += 1;
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            batch.numbers.push(self.number);
            batch.len += 1;
        }
        Ok(batch.len > 0)
    }
}

fn csv_error(path: &Path, e: &csv::Error) -> ImportError {
    ImportError::Csv { path: path.into(), message: e.to_string() }
}
