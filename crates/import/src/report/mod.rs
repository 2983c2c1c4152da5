//! Reports people read: an Excel workbook (a summary sheet, then one sheet per kind of
//! finding) and an HTML page with charts of findings by kind and by division.

pub mod html;
pub mod xlsx;

use std::collections::BTreeMap;

use crate::finding::{Finding, KINDS};

/// Findings grouped by code, in the order of [`KINDS`], codes the table lacks last.
pub(crate) fn by_kind(findings: &[Finding]) -> Vec<(&'static str, Vec<&Finding>)> {
    let mut groups: BTreeMap<(usize, &'static str), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        let order = KINDS.iter().position(|k| k.code == f.code).unwrap_or(usize::MAX);
        groups.entry((order, f.code)).or_default().push(f);
    }
    groups.into_iter().map(|((_, code), v)| (code, v)).collect()
}
