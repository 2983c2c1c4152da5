//! The Excel report: a summary sheet with the count of each finding, then one sheet per
//! finding with the row, the column, the value, what is wrong and what to do. Sheets are
//! written in constant memory; a sheet stops at Excel's row limit and says so.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::ImportError;
use crate::finding::{Finding, kind};
use crate::run::Outcome;

/// Excel's last row index (0-based) is 1,048,575; one row is the header.
const MAX_DATA_ROWS: usize = 1_048_574;

/// Writes the workbook.
pub fn write(path: &Path, outcome: &Outcome) -> Result<(), ImportError> {
    build(path, outcome)
        .map_err(|e| ImportError::Report { path: path.into(), message: e.to_string() })
}

fn header(sheet: &mut Worksheet, titles: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (c, t) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *t, bold)?;
    }
    Ok(())
}

fn build(path: &Path, outcome: &Outcome) -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let groups = super::by_kind(&outcome.findings);
    let s = &outcome.summary;

    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("汇总")?;
    header(sheet, &["代码", "问题", "数量", "处理办法"], &bold)?;
    for (i, (code, list)) in groups.iter().enumerate() {
        let r = i as u32 + 1;
        let k = kind(code);
        sheet.write_string(r, 0, *code)?;
        sheet.write_string(r, 1, k.title_zh)?;
        sheet.write_number(r, 2, list.len() as f64)?;
        sheet.write_string(r, 3, k.action_zh)?;
    }
    let r = groups.len() as u32 + 2;
    sheet.write_string(r, 0, "数据行数")?;
    sheet.write_number(r, 2, s.rows as f64)?;
    sheet.write_string(r + 1, 0, "有问题的行数")?;
    sheet.write_number(r + 1, 2, s.rows_with_findings as f64)?;
    sheet.set_column_width(1, 40)?;
    sheet.set_column_width(3, 60)?;

    for (code, list) in &groups {
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name(sheet_name(code))?;
        header(sheet, &["文件", "工作表", "行", "列", "值", "问题", "处理办法", "相关行"], &bold)?;
        for (i, f) in list.iter().take(MAX_DATA_ROWS).enumerate() {
            let r = i as u32 + 1;
            sheet.write_string(r, 0, &f.file)?;
            sheet.write_string(r, 1, &f.sheet)?;
            sheet.write_number(r, 2, f.row as f64)?;
            sheet.write_string(r, 3, &f.column)?;
            sheet.write_string(r, 4, &f.value)?;
            sheet.write_string(r, 5, &f.message)?;
            sheet.write_string(r, 6, f.action)?;
            if let Some(related) = f.related_row {
                sheet.write_number(r, 7, related as f64)?;
            }
        }
        if list.len() > MAX_DATA_ROWS {
            let note = format!(
                "超过 Excel 行数上限，另有 {} 条未列出，见 JSON 输出",
                list.len() - MAX_DATA_ROWS
            );
            sheet.write_string(MAX_DATA_ROWS as u32 + 1, 0, note)?;
        }
        sheet.set_column_width(4, 22)?;
        sheet.set_column_width(5, 50)?;
        sheet.set_column_width(6, 40)?;
    }
    if outcome.load.is_some() {
        review_sheet(&mut book, outcome, &bold)?;
        merge_sheet(&mut book, outcome, &bold)?;
    }
    book.save(path)
}

/// 待复核: every row held back, once, with all its findings.
fn review_sheet(book: &mut Workbook, outcome: &Outcome, bold: &Format) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("待复核")?;
    header(sheet, &["文件", "工作表", "行", "问题代码", "问题说明", "处理办法"], bold)?;
    let mut r = 0u32;
    let mut rest = outcome.findings.as_slice();
    while let Some(first) = rest.first() {
        let key = (first.table, first.row);
        let n = rest.iter().take_while(|f| (f.table, f.row) == key).count();
        let (group, tail) = rest.split_at(n);
        rest = tail;
        // A row with notices only was entered: it is not held back (as in the review list).
        if !group.iter().any(|f| f.holds_back()) {
            continue;
        }
        if r as usize >= MAX_DATA_ROWS {
            continue;
        }
        r += 1;
        let join = |part: fn(&Finding) -> &str| {
            let mut parts: Vec<&str> = group.iter().map(part).collect();
            parts.dedup();
            parts.join("；")
        };
        sheet.write_string(r, 0, &first.file)?;
        sheet.write_string(r, 1, &first.sheet)?;
        sheet.write_number(r, 2, first.row as f64)?;
        sheet.write_string(r, 3, join(|f| f.code))?;
        sheet.write_string(r, 4, join(|f| f.message.as_str()))?;
        sheet.write_string(r, 5, join(|f| f.action))?;
    }
    sheet.set_column_width(3, 30)?;
    sheet.set_column_width(4, 60)?;
    sheet.set_column_width(5, 40)?;
    Ok(())
}

/// 合并候选: duplicates within one business line, for that line's agency (R3.1).
fn merge_sheet(book: &mut Workbook, outcome: &Outcome, bold: &Format) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("合并候选")?;
    header(sheet, &["险种", "经办机构", "代码", "文件", "行", "相关文件", "相关行"], bold)?;
    for (i, m) in outcome.merge_candidates.iter().take(MAX_DATA_ROWS).enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, m.line.name_zh())?;
        sheet.write_string(r, 1, &m.agency)?;
        sheet.write_string(r, 2, m.code)?;
        sheet.write_string(r, 3, &m.file)?;
        sheet.write_number(r, 4, m.row as f64)?;
        sheet.write_string(r, 5, &m.related_file)?;
        sheet.write_number(r, 6, m.related_row as f64)?;
    }
    sheet.set_column_width(1, 36)?;
    Ok(())
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(code: &str) -> String {
    code.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect()
}
