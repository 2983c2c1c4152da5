//! Reading legacy files row by row: CSV in any encoding legacy systems use and with any
//! common delimiter, and Excel workbooks. Memory stays bounded for CSV of any size; a
//! workbook sheet is read whole (Excel holds at most 1,048,576 rows a sheet).

use std::cell::Cell as Shared;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;
use std::rc::Rc;

use calamine::{Data, Reader, open_workbook_auto};
use chrono::NaiveDate;
use encoding_rs::{Encoding, GB18030, UTF_8};
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::ImportError;
use crate::dates::from_excel_serial;
use crate::field::{ColumnMap, FIELD_COUNT, Field, Mapping};

/// A CSV file's character encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvEncoding {
    /// UTF-8 when the file's start is valid UTF-8 (or has a BOM), GB18030 otherwise.
    #[default]
    Auto,
    /// UTF-8, with or without BOM.
    Utf8,
    /// GBK (read as GB18030, its superset).
    Gbk,
    /// GB18030.
    Gb18030,
}

impl CsvEncoding {
    /// Reads `auto`, `utf-8`, `gbk` or `gb18030`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" => Some(CsvEncoding::Auto),
            "utf-8" | "utf8" => Some(CsvEncoding::Utf8),
            "gbk" | "cp936" => Some(CsvEncoding::Gbk),
            "gb18030" => Some(CsvEncoding::Gb18030),
            _ => None,
        }
    }
}

/// How to read files.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// CSV encoding.
    pub encoding: CsvEncoding,
    /// CSV delimiter; sniffed from the header line when `None`.
    pub delimiter: Option<u8>,
    /// The only sheet of a workbook to read; every sheet with a number column when `None`.
    pub sheet: Option<String>,
    /// Header overrides.
    pub mapping: Mapping,
}

/// One cell of a row, as the file gave it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Cell<'a> {
    /// No such column, or nothing in it.
    #[default]
    Empty,
    /// Text.
    Text(&'a str),
    /// A number cell of a workbook.
    Float(f64),
    /// A date cell of a workbook.
    Date(NaiveDate),
}

/// One data row: its number (the header is row 1) and its cells by field.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// The row number as a spreadsheet shows it.
    pub number: u64,
    /// Cells indexed by [`Field::index`].
    pub cells: [Cell<'a>; FIELD_COUNT],
    /// Whether a mapped cell was not valid in the file's encoding.
    pub bad_encoding: bool,
}

impl Row<'_> {
    /// The cell of a field.
    pub fn cell(&self, field: Field) -> Cell<'_> {
        self.cells[field.index()]
    }
}

/// The start of a table: a CSV file or one sheet of a workbook.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file, as given.
    pub file: String,
    /// The sheet, empty for CSV.
    pub sheet: String,
    /// Which column is which.
    pub map: ColumnMap,
}

/// What receives the rows of a file.
pub trait RowVisitor {
    /// A table begins.
    fn table(&mut self, table: &Table);
    /// One data row.
    fn row(&mut self, row: &Row<'_>);
    /// How far reading has come: `done` of `total` units (bytes for CSV, rows for Excel).
    fn progress(&mut self, done: u64, total: u64);
}

/// Reads one file, CSV or Excel by its extension, and hands every row to `visitor`.
pub fn read_file(
    path: &Path,
    options: &ReadOptions,
    visitor: &mut dyn RowVisitor,
) -> Result<(), ImportError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_workbook(path, options, visitor),
        _ => read_csv(path, options, visitor),
    }
}

const SAMPLE: usize = 64 * 1024;

/// Picks the encoding of a file from its first bytes.
pub fn detect_encoding(sample: &[u8]) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(sample) {
        return enc;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => UTF_8,
        // A sample may end inside a character: that alone does not make it another encoding.
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => GB18030,
    }
}

/// Picks the delimiter that occurs most often outside quotes in the first line.
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b'\t', b';', b'|'];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|c| *c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|i| (counts[*i], 4 - *i)).unwrap_or(0);
    candidates[best]
}

/// Counts the bytes read from the file, for progress.
struct Counting<R> {
    inner: R,
    count: Rc<Shared<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

fn read_sample(file: &mut File) -> io::Result<Vec<u8>> {
    let mut sample = Vec::with_capacity(SAMPLE);
    file.by_ref().take(SAMPLE as u64).read_to_end(&mut sample)?;
    Ok(sample)
}

fn read_csv(
    path: &Path,
    options: &ReadOptions,
    visitor: &mut dyn RowVisitor,
) -> Result<(), ImportError> {
    let io_err = |e| ImportError::io(path, e);
    let mut file = File::open(path).map_err(io_err)?;
    let total = file.metadata().map_err(io_err)?.len();
    let sample = read_sample(&mut file).map_err(io_err)?;

    let encoding = match options.encoding {
        CsvEncoding::Auto => detect_encoding(&sample),
        CsvEncoding::Utf8 => UTF_8,
        CsvEncoding::Gbk | CsvEncoding::Gb18030 => GB18030,
    };
    let delimiter = options.delimiter.unwrap_or_else(|| {
        let (text, _, _) = encoding.decode(&sample);
        sniff_delimiter(&text)
    });
    let count = Rc::new(Shared::new(0u64));
    let raw = Counting { inner: Cursor::new(sample).chain(file), count: Rc::clone(&count) };
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
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
    let csv_err = |e: csv::Error| ImportError::Csv { path: path.into(), message: e.to_string() };

    let mut record = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut record).map_err(csv_err)? {
        return Err(ImportError::NoNumberColumn { path: path.into() });
    }
    let headers: Vec<String> =
        record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
    let map = ColumnMap::from_headers(headers.iter().map(String::as_str), &options.mapping);
    if !map.has_number() {
        return Err(ImportError::NoNumberColumn { path: path.into() });
    }
    let table = Table { file: path.display().to_string(), sheet: String::new(), map };
    visitor.table(&table);

    let mut number = 1u64;
    while reader.read_byte_record(&mut record).map_err(csv_err)? {
        number += 1;
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let mut row = Row { number, cells: [Cell::Empty; FIELD_COUNT], bad_encoding: false };
        for (slot, column) in row.cells.iter_mut().zip(table.map.columns) {
            let Some(bytes) = column.and_then(|c| record.get(c)) else { continue };
            match std::str::from_utf8(bytes) {
                Ok(s) => *slot = Cell::Text(s),
                Err(_) => row.bad_encoding = true,
            }
        }
        visitor.row(&row);
        if number.is_multiple_of(4096) {
            visitor.progress(count.get(), total);
        }
    }
    visitor.progress(total, total);
    Ok(())
}

fn data_text(d: &Data) -> String {
    match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) => crate::rowcheck::float_text(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => crate::rowcheck::float_text(d.as_f64()),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

fn data_cell(d: &Data) -> Cell<'_> {
    match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s),
        Data::Float(f) => Cell::Float(*f),
        Data::Int(i) => Cell::Float(*i as f64),
        Data::DateTime(dt) if dt.is_datetime() => {
            from_excel_serial(dt.as_f64()).map_or(Cell::Float(dt.as_f64()), Cell::Date)
        }
        Data::DateTime(dt) => Cell::Float(dt.as_f64()),
        Data::Bool(_) | Data::Error(_) | Data::Empty => Cell::Empty,
    }
}

fn read_workbook(
    path: &Path,
    options: &ReadOptions,
    visitor: &mut dyn RowVisitor,
) -> Result<(), ImportError> {
    let excel_err =
        |e: calamine::Error| ImportError::Excel { path: path.into(), message: e.to_string() };
    let mut workbook = open_workbook_auto(path).map_err(excel_err)?;
    let names = workbook.sheet_names();
    let sheets: Vec<String> = match &options.sheet {
        Some(s) if names.contains(s) => vec![s.clone()],
        Some(s) => return Err(ImportError::NoSheet { path: path.into(), sheet: s.clone() }),
        None => names,
    };

    let mut any = false;
    for sheet in sheets {
        let range = workbook.worksheet_range(&sheet).map_err(excel_err)?;
        let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
        let first_col = range.start().map_or(0, |(_, c)| c as usize);
        let total = range.height() as u64;
        let mut rows = range.rows().enumerate();
        let Some((header_index, header)) =
            rows.by_ref().find(|(_, r)| r.iter().any(|d| !matches!(d, Data::Empty)))
        else {
            continue;
        };
        let mut texts: Vec<String> = vec![String::new(); first_col];
        texts.extend(header.iter().map(data_text));
        let map = ColumnMap::from_headers(texts.iter().map(String::as_str), &options.mapping);
        if !map.has_number() {
            continue;
        }
        any = true;
        let table = Table { file: path.display().to_string(), sheet: sheet.clone(), map };
        visitor.table(&table);
        let _ = header_index;

        for (i, cells) in rows {
            if cells.iter().all(|d| matches!(d, Data::Empty)) {
                continue;
            }
            let number = first_row + i as u64 + 1;
            let mut row = Row { number, cells: [Cell::Empty; FIELD_COUNT], bad_encoding: false };
            for (slot, column) in row.cells.iter_mut().zip(table.map.columns) {
                if let Some(d) =
                    column.and_then(|c| c.checked_sub(first_col)).and_then(|c| cells.get(c))
                {
                    *slot = data_cell(d);
                }
            }
            visitor.row(&row);
            if i.is_multiple_of(4096) {
                visitor.progress(i as u64, total);
            }
        }
        visitor.progress(total, total);
    }
    if !any {
        return Err(ImportError::NoNumberColumn { path: path.into() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("姓名,身份证号\n"), b',');
        assert_eq!(sniff_delimiter("姓名\t身份证号\t性别\n"), b'\t');
        assert_eq!(sniff_delimiter("\"a,b\";c;d\n"), b';');
        assert_eq!(sniff_delimiter("a|b|c"), b'|');
    }

    #[test]
    fn encodings_are_detected() {
        assert_eq!(detect_encoding("姓名".as_bytes()), UTF_8);
        let (gbk, _, _) = GB18030.encode("姓名,身份证号");
        assert_eq!(detect_encoding(&gbk), GB18030);
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFabc"), UTF_8);
        // A sample cut inside a character is still UTF-8.
        assert_eq!(detect_encoding(&"姓名".as_bytes()[..4]), UTF_8);
    }
}
