//! GB/T 2260 administrative division codes with their history.
//!
//! Real numbers keep the code of the county as it was at birth, so look-up is by code
//! *and* year. The table is `data/divisions.tsv`, built by
//! `scripts/identity/build_divisions.py` (see `docs/identity.md` for its source and
//! licence), embedded in the binary and parsed once on first use.

use std::sync::OnceLock;

const DATA: &str = include_str!("../data/divisions.tsv");

/// One period of one code: valid from `start` to `end`, both years included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The 6-digit code.
    pub code: u32,
    /// First year of validity; 0 when the data gives none (valid since the first edition).
    pub start: u16,
    /// Last year of validity; 9999 while still in force.
    pub end: u16,
    /// The name during this period, e.g. `崇文区`.
    pub name: &'static str,
}

impl Period {
    fn contains(&self, year: i32) -> bool {
        i32::from(self.start) <= year && year <= i32::from(self.end)
    }
}

/// The periods sorted by code, with a compact copy of the codes for cache-friendly
/// search and the first index of each province (the first two digits).
struct Table {
    periods: Vec<Period>,
    codes: Vec<u32>,
    by_province: [u32; 101],
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut periods: Vec<Period> = DATA.lines().filter_map(parse_line).collect();
        periods.retain(|p| p.code < 1_000_000);
        periods.sort_by_key(|p| (p.code, p.start, p.end));
        let codes: Vec<u32> = periods.iter().map(|p| p.code).collect();
        let mut by_province = [0u32; 101];
        for (province, slot) in by_province.iter_mut().enumerate() {
            let first = codes.partition_point(|&c| c < province as u32 * 10_000);
            *slot = u32::try_from(first).unwrap_or(u32::MAX);
        }
        Table { periods, codes, by_province }
    })
}

fn parse_line(line: &'static str) -> Option<Period> {
    if line.starts_with('#') {
        return None;
    }
    let mut f = line.split('\t');
    let code = f.next()?.parse().ok()?;
    let start = f.next()?;
    let end = f.next()?;
    let name = f.next()?;
    Some(Period {
        code,
        start: if start.is_empty() { 0 } else { start.parse().ok()? },
        end: if end.is_empty() { 9999 } else { end.parse().ok()? },
        name,
    })
}

/// Every period of `code`, oldest first; empty for an unknown code.
pub fn periods(code: u32) -> &'static [Period] {
    let t = table();
    let province = (code / 10_000).min(99) as usize;
    let lo = t.by_province[province] as usize;
    let hi = (t.by_province[province + 1] as usize).min(t.codes.len());
    let Some(codes) = t.codes.get(lo..hi) else {
        return &[];
    };
    let first = codes.partition_point(|&c| c < code);
    // Most codes have one period, a few up to four: count them rather than search again.
    let count = codes[first..].iter().take_while(|&&c| c == code).count();
    t.periods.get(lo + first..lo + first + count).unwrap_or_default()
}

/// Whether the table knows `code` in any year.
pub fn is_known(code: u32) -> bool {
    !periods(code).is_empty()
}

/// The name of `code` in `year`, e.g. `name(110103, 1990) == Some("崇文区")`.
pub fn name(code: u32, year: i32) -> Option<&'static str> {
    periods(code).iter().find(|p| p.contains(year)).map(|p| p.name)
}

/// The period of `code` nearest to `year` when none contains it: the next one after,
/// or else the last one before.
pub fn nearest(code: u32, year: i32) -> Option<&'static Period> {
    let ps = periods(code);
    ps.iter()
        .find(|p| p.contains(year))
        .or_else(|| ps.iter().find(|p| i32::from(p.start) > year).or_else(|| ps.last()))
}

/// The province part of a code: `230102` gives `230000`.
pub fn province_code(code: u32) -> u32 {
    code / 10_000 * 10_000
}

/// The prefecture part of a code: `230102` gives `230100`.
pub fn prefecture_code(code: u32) -> u32 {
    code / 100 * 100
}

/// Names that a prefecture-level code carries for grouping only, left out of full names.
fn is_grouping_name(name: &str) -> bool {
    matches!(name, "市辖区" | "县" | "市" | "省直辖县级行政区划" | "自治区直辖县级行政区划")
}

/// Province, prefecture and county names in `year`, e.g. `北京市崇文区` for 110103 in
/// 1990. `None` when the code itself has no name that year.
pub fn full_name(code: u32, year: i32) -> Option<String> {
    let own = name(code, year)?;
    Some(compose(code, year, own))
}

/// Like [`full_name`], but for a code not valid in `year` uses its nearest period.
pub(crate) fn full_name_nearest(code: u32, year: i32) -> Option<String> {
    let p = nearest(code, year)?;
    let y = if p.contains(year) { year } else { i32::from(p.start.max(p.end.min(2100))) };
    Some(compose(code, y, p.name))
}

fn compose(code: u32, year: i32, own: &str) -> String {
    let mut out = String::with_capacity(48);
    let province = province_code(code);
    let prefecture = prefecture_code(code);
    if province != code
        && let Some(p) = name(province, year).or_else(|| nearest(province, year).map(|p| p.name))
    {
        out.push_str(p);
    }
    if prefecture != code
        && prefecture != province
        && let Some(p) = name(prefecture, year).filter(|n| !is_grouping_name(n))
    {
        out.push_str(p);
    }
    if out.is_empty() || !is_grouping_name(own) {
        out.push_str(own);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_year() {
        assert_eq!(name(110103, 1990), Some("崇文区"));
        assert_eq!(name(110103, 2015), None);
        assert_eq!(name(210311, 1990), Some("旧堡区"));
        assert_eq!(name(210311, 2000), Some("千山区"));
        assert_eq!(name(999999, 2000), None);
    }

    #[test]
    fn full_names_skip_grouping_levels() {
        assert_eq!(full_name(110105, 1949).as_deref(), Some("北京市朝阳区"));
        assert_eq!(full_name(110000, 2000).as_deref(), Some("北京市"));
        assert_eq!(full_name(230102, 2000).as_deref(), Some("黑龙江省哈尔滨市道里区"));
    }

    #[test]
    fn the_table_is_loaded_and_sorted() {
        let t = &table().periods;
        assert!(t.len() > 8000);
        assert!(t.windows(2).all(|w| (w[0].code, w[0].start) <= (w[1].code, w[1].start)));
        assert!(periods(0).is_empty() && periods(u32::MAX).is_empty());
        assert_eq!(province_code(230102), 230000);
    }
}
