//! A [`Table`] as an Excel workbook (rust_xlsxwriter): one worksheet named after the table,
//! Chinese headers in bold, counts as numbers, rates as percentages, the rest as text.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::table::{Number, Table};
use crate::page::WebError;
use crate::text;

/// The content type of an .xlsx file.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The workbook's bytes.
pub fn workbook(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(table.sheet))?;
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    for (col, header) in (0u16..).zip(&table.headers) {
        sheet.write_string_with_format(0, col, *header, &bold)?;
        sheet.set_column_width(col, 16)?;
    }
    for (row, cells) in (1u32..).zip(&table.rows) {
        for (col, cell) in (0u16..).zip(cells) {
            match cell.number {
                Some(Number::Count(n)) => sheet.write_number(row, col, n)?,
                Some(Number::Rate(r)) => sheet.write_number_with_format(row, col, r, &percent)?,
                None => sheet.write_string(row, col, &cell.text)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect()
}

/// The download: the workbook with its content type and a file name,
/// `open-requests-2026-12-03.xlsx` for every browser and the Chinese name
/// (`未办结申请-2026-12-03.xlsx`) in `filename*` for those that read it.
pub fn download(table: &Table, today: NaiveDate) -> Response {
    let bytes = match workbook(table) {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(error = %err, table = table.id, "xlsx export failed");
            return WebError::status(StatusCode::INTERNAL_SERVER_ERROR, text::EXPORT_FAILED)
                .into_response();
        }
    };
    let ascii = format!("{}-{today}.xlsx", table.id);
    let chinese = format!("{}-{today}.xlsx", table.sheet);
    let disposition =
        format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", percent_encode(&chinese));
    let disposition = HeaderValue::from_str(&disposition)
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(XLSX)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}

/// RFC 5987 encoding of a file name: unreserved ASCII as is, every other byte as `%XX`.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_in_a_header() {
        assert_eq!(percent_encode("表 a.xlsx"), "%E8%A1%A8%20a.xlsx");
        assert_eq!(sheet_name("近30日[各]机构/当日办结率"), "近30日各机构当日办结率");
    }
}
