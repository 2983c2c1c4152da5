//! Reading legacy files row by row: CSV in any encoding legacy systems use and with any
//! common delimiter, and Excel workbooks. Memory stays bounded for CSV of any size; a
//! workbook sheet is read whole (Excel holds at most 1,048,576 rows a sheet).

mod csv;
mod excel;

use std::path::Path;

use chrono::NaiveDate;
use encoding_rs::{Encoding, GB18030, UTF_8};

pub use self::csv::{Batch, CsvReader};
use crate::ImportError;
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
    if is_workbook(path) {
        return excel::read_workbook(path, options, visitor);
    }
    let mut reader = CsvReader::open(path, options)?;
    visitor.table(reader.table());
    let mut batch = Batch::default();
    while reader.fill(&mut batch)? {
        for row in batch.rows(&reader.table().map) {
            visitor.row(&row);
        }
        let (done, total) = reader.progress();
        visitor.progress(done, total);
    }
    Ok(())
}

/// Whether a file is read as a workbook (by its extension) rather than as CSV.
pub fn is_workbook(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
}

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
