//! The review list: every row held back, as a CSV file people fix and load again. It has
//! the columns an import recognises (身份号码, 姓名, … 险种, 经办机构, with the row's line and
//! agency as the load would have used them), then where the row came from and what is wrong
//! with it; those last columns are ignored when the file is read again.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::ImportError;
use crate::field::Field;
use crate::finding::Finding;
use crate::load::Enrolments;
use crate::rowcheck::cell_text;
use crate::run::{Options, Outcome};
use crate::source::{Row, RowVisitor, Table, read_file};

/// The columns after the fields: where the row came from and its findings.
const TRAILER: [&str; 6] = ["来源文件", "来源工作表", "来源行", "问题代码", "问题说明", "处理办法"];

/// Reads the files again and writes every row held back by a finding in `outcome` to `path` (UTF-8
/// with a BOM, so that Excel opens it as such). Returns the number of rows written.
pub fn write(
    path: &Path,
    options: &Options,
    outcome: &Outcome,
    enrolments: &Enrolments,
) -> Result<u64, ImportError> {
    let file = File::create(path).map_err(|e| ImportError::io(path, e))?;
    let mut buffered = BufWriter::with_capacity(1 << 20, file);
    buffered.write_all("\u{feff}".as_bytes()).map_err(|e| ImportError::io(path, e))?;
    let mut out = csv::Writer::from_writer(buffered);
    let error = |e: csv::Error| ImportError::Report { path: path.into(), message: e.to_string() };
    let mut header: Vec<&str> = Field::ALL.iter().map(|f| f.name_zh()).collect();
    header.extend(TRAILER);
    out.write_record(&header).map_err(error)?;

    let mut visitor = Review {
        findings: &outcome.findings,
        enrolments,
        tables: 0,
        table: None,
        out: &mut out,
        written: 0,
        failed: None,
    };
    for file in &options.files {
        read_file(file, &options.read, &mut visitor)?;
    }
    let (written, failed) = (visitor.written, visitor.failed.take());
    if let Some(e) = failed {
        return Err(error(e));
    }
    out.flush().map_err(|e| ImportError::io(path, e))?;
    Ok(written)
}

struct Review<'a, W: Write> {
    findings: &'a [Finding],
    enrolments: &'a Enrolments,
    tables: u16,
    table: Option<(u16, Table)>,
    out: &'a mut csv::Writer<W>,
    written: u64,
    failed: Option<csv::Error>,
}

impl<W: Write> RowVisitor for Review<'_, W> {
    fn table(&mut self, table: &Table) {
        self.table = Some((self.tables, table.clone()));
        self.tables = self.tables.saturating_add(1);
    }

    fn row(&mut self, row: &Row<'_>) {
        let Some((index, table)) = &self.table else { return };
        if self.failed.is_some() {
            return;
        }
        let key = (*index, row.number);
        let start = self.findings.partition_point(|f| (f.table, f.row) < key);
        let found: Vec<&Finding> =
            self.findings[start..].iter().take_while(|f| (f.table, f.row) == key).collect();
        // A row with notices only was entered: it is not held back.
        if !found.iter().any(|f| f.holds_back()) {
            return;
        }
        let (line, agency) = self.enrolments.texts(row);
        let mut record: Vec<String> = Field::ALL
            .iter()
            .map(|f| match f {
                Field::BusinessLine => line.clone(),
                Field::Agency => agency.clone(),
                _ => cell_text(row.cell(*f)).map(|t| t.into_owned()).unwrap_or_default(),
            })
            .collect();
        record.push(table.file.clone());
        record.push(table.sheet.clone());
        record.push(row.number.to_string());
        let join = |part: fn(&Finding) -> &str| {
            let mut parts: Vec<&str> = found.iter().map(|f| part(f)).collect();
            parts.dedup();
            parts.join("；")
        };
        record.push(join(|f| f.code));
        record.push(join(|f| f.message.as_str()));
        record.push(join(|f| f.action));
        match self.out.write_record(&record) {
            Ok(()) => self.written += 1,
            Err(e) => self.failed = Some(e),
        }
    }

    fn progress(&mut self, _done: u64, _total: u64) {}
}
