//! Findings across rows: one number twice (its 15- and 18-digit forms included), identical
//! or conflicting field by field; and probably one person under two numbers — same name,
//! birth date and gender with numbers one typo apart, or same name in characters or pinyin
//! with the same birth date and division.
//!
//! Rows are kept as 56-byte [`Facts`]; each check sorts `(key, row)` pairs and looks only
//! inside runs of equal keys, so the work is `O(n log n)` and the memory a few vectors of
//! the row count.

use crate::field::Field;
use crate::finding::{Finding, kind};
use crate::hash::combine;
use crate::rowcheck::{COMPARED, Facts, decode_number};
use crate::source::Table;

/// Largest run of equal keys compared pair by pair; larger runs are common-name noise.
const MAX_GROUP: usize = 64;

/// Rows seen so far, for the checks across rows.
#[derive(Debug, Default)]
pub struct Collector {
    facts: Vec<Facts>,
    pinyin: Vec<(u64, u32)>,
}

impl Collector {
    /// Keeps one row's facts and its pinyin name keys.
    pub fn push(&mut self, facts: Facts, pinyin_keys: &[u64]) {
        let index = u32::try_from(self.facts.len()).unwrap_or(u32::MAX);
        if facts.birth != 0 && facts.division != 0 {
            let place = combine(u64::from(facts.division), facts.birth as u64);
            for k in pinyin_keys {
                self.pinyin.push((combine(*k, place), index));
            }
        }
        self.facts.push(facts);
    }

    /// How many rows were kept.
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// Whether no row was kept.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// Runs every check across rows and appends the findings, each on the later row.
    pub fn find(mut self, tables: &[Table], out: &mut Vec<Finding>) {
        let mut marked = vec![0u8; self.facts.len()];
        self.same_number(tables, out, &mut marked);
        self.typo_apart(tables, out, &mut marked);
        self.same_name(tables, out, &mut marked);
    }

    /// Marks every later row of a number: its probable matches are those of the first row.
    fn same_number(&self, tables: &[Table], out: &mut Vec<Finding>, marked: &mut [u8]) {
        let mut keys: Vec<(u64, u32)> = self
            .facts
            .iter()
            .enumerate()
            .filter(|(_, f)| f.number != 0)
            .map(|(i, f)| (f.number, i as u32))
            .collect();
        keys.sort_unstable();
        for run in keys.chunk_by(|a, b| a.0 == b.0) {
            let first = &self.facts[run[0].1 as usize];
            for &(_, later) in &run[1..] {
                marked[later as usize] |= 4;
                let f = &self.facts[later as usize];
                let differing = differing_fields(first, f);
                let (code, message) = if differing.is_empty() {
                    ("dup.identical", format!("与{}号码相同，内容一致", place(tables, first, f)))
                } else {
                    let names: Vec<&str> =
                        differing.iter().map(|d| tables[f.table as usize].map.header(*d)).collect();
                    (
                        "dup.conflict",
                        format!(
                            "与{}号码相同，不一致的字段：{}",
                            place(tables, first, f),
                            names.join("、")
                        ),
                    )
                };
                out.push(finding(tables, f, first, code, message));
            }
        }
    }

    fn typo_apart(&self, tables: &[Table], out: &mut Vec<Finding>, marked: &mut [u8]) {
        let mut keys: Vec<(u64, u32)> = self
            .facts
            .iter()
            .enumerate()
            .filter(|(_, f)| f.name != 0 && f.birth != 0 && decode_number(f.number).is_some())
            .map(|(i, f)| (combine(combine(f.name, f.birth as u64), u64::from(f.gender)), i as u32))
            .collect();
        keys.sort_unstable();
        for run in keys.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1 && r.len() <= MAX_GROUP)
        {
            for (j, &(_, later)) in run.iter().enumerate().skip(1) {
                if marked[later as usize] != 0 {
                    continue;
                }
                let f = &self.facts[later as usize];
                let earlier = run[..j].iter().map(|(_, i)| &self.facts[*i as usize]).find(|e| {
                    e.name == f.name
                        && e.birth == f.birth
                        && e.gender == f.gender
                        && one_typo(e.number, f.number)
                });
                if let Some(e) = earlier {
                    marked[later as usize] |= 1;
                    let message = format!(
                        "与{}姓名、出生日期、性别相同，号码仅差一处录入错误",
                        place(tables, e, f)
                    );
                    out.push(finding(tables, f, e, "dup.probable_typo", message));
                }
            }
        }
    }

    fn same_name(&mut self, tables: &[Table], out: &mut Vec<Finding>, marked: &mut [u8]) {
        let mut keys = std::mem::take(&mut self.pinyin);
        keys.sort_unstable();
        keys.dedup();
        for run in keys.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1 && r.len() <= MAX_GROUP)
        {
            for (j, &(_, later)) in run.iter().enumerate().skip(1) {
                if marked[later as usize] != 0 {
                    continue;
                }
                let f = &self.facts[later as usize];
                let earlier = run[..j].iter().map(|(_, i)| &self.facts[*i as usize]).find(|e| {
                    e.number != f.number
                        && e.birth == f.birth
                        && e.division == f.division
                        && !one_typo(e.number, f.number)
                });
                if let Some(e) = earlier {
                    marked[later as usize] |= 2;
                    let message = format!(
                        "与{}姓名（字或拼音）、出生日期、地区相同，号码不同",
                        place(tables, e, f)
                    );
                    out.push(finding(tables, f, e, "dup.probable_name", message));
                }
            }
        }
    }
}

/// Whether two 18-character numbers differ by one typo: one of the first 17 characters
/// wrong, two adjacent ones swapped, or only the check character wrong.
pub fn one_typo(a: u64, b: u64) -> bool {
    let (Some(a), Some(b)) = (decode_number(a), decode_number(b)) else {
        return false;
    };
    if a == b {
        return false;
    }
    let diff: Vec<usize> = (0..17).filter(|&i| a[i] != b[i]).collect();
    match diff.as_slice() {
        [] => a[17] != b[17],
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

fn differing_fields(a: &Facts, b: &Facts) -> Vec<Field> {
    let mut out = Vec::new();
    if a.name != b.name {
        out.push(Field::Name);
    }
    if a.gender != b.gender {
        out.push(Field::Gender);
    }
    if a.birth != b.birth {
        out.push(Field::BirthDate);
    }
    for (i, field) in COMPARED.iter().enumerate() {
        if a.fields[i] != b.fields[i] {
            out.push(*field);
        }
    }
    out
}

/// "第 12 行" in the same table, "文件 x 第 12 行" in another.
fn place(tables: &[Table], earlier: &Facts, later: &Facts) -> String {
    if earlier.table == later.table {
        return format!("第 {} 行", earlier.row);
    }
    let t = &tables[earlier.table as usize];
    if t.sheet.is_empty() {
        format!("文件 {} 第 {} 行", t.file, earlier.row)
    } else {
        format!("文件 {} 工作表“{}”第 {} 行", t.file, t.sheet, earlier.row)
    }
}

fn finding(
    tables: &[Table],
    f: &Facts,
    earlier: &Facts,
    code: &'static str,
    message: String,
) -> Finding {
    let t = &tables[f.table as usize];
    let value = decode_number(f.number)
        .map(|d| String::from_utf8_lossy(&d).into_owned())
        .unwrap_or_default();
    Finding {
        table: f.table,
        file: t.file.clone(),
        sheet: t.sheet.clone(),
        row: u64::from(f.row),
        column: t.map.header(Field::Number).to_string(),
        value,
        code,
        message,
        action: kind(code).action_zh,
        related_row: Some(u64::from(earlier.row)),
        related_table: Some(earlier.table),
        division: (f.division != 0).then_some(f.division),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rowcheck::encode_number;

    fn n(s: &str) -> u64 {
        encode_number(s.as_bytes()).unwrap()
    }

    #[test]
    fn typos_one_apart() {
        let base = "230102198503071234";
        let cases = [
            ("230102198503071234", false),
            ("230102198503071244", true),
            ("230102198503071235", true),
            ("230102198503071324", true),
            ("320102198503071234", true),
            ("331102198503071234", false),
            ("230102198503071299", true),
            ("230102198503079934", false),
        ];
        for (other, expected) in cases {
            assert_eq!(one_typo(n(base), n(other)), expected, "{other}");
        }
    }
}
