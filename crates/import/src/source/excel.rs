//! Excel workbooks (xlsx, xls, xlsb, ods) through calamine: every sheet with an identity
//! number column, or the one named. A sheet is read whole; Excel holds at most 1,048,576
//! rows a sheet.

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use super::{Cell, Row, RowVisitor, Table};
use crate::ImportError;
use crate::dates::from_excel_serial;
use crate::field::{ColumnMap, FIELD_COUNT};
use crate::source::ReadOptions;

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

pub(super) fn read_workbook(
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
        let Some((_, header)) =
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
