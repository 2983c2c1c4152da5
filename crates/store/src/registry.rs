//! The household registry snapshot (R2.8, R2.16): read by the rules, replaced only by the
//! snapshot loader, which the command line calls. No other function writes the `registry`
//! table.
//!
//! A load streams the file: rows are checked one by one and inserted in batches into
//! `registry_incoming` inside one transaction (its primary key finds a number that appears
//! twice), then merged into `registry` with three set statements that count what was new,
//! changed and removed. Memory stays bounded whatever the size of the file.

use std::collections::HashMap;

use chrono::NaiveDate;
use personbase_domain::{PersonName, RegistryRecord, values::Address};
use personbase_identity::{Ethnicity, Gender, SocialSecurityNumber};
use serde::Serialize;
use serde_json::json;

use crate::Store;
use crate::db::{Tx, begin_write, date_text};
use crate::error::{Result, StoreError};
use crate::journal::{self, Entry};
use crate::situation::registry_in;

/// The columns a snapshot file has, with a header line. The order of the columns is free and
/// other columns are ignored.
pub const REGISTRY_CSV_HEADER: [&str; 6] =
    ["ssn", "name", "gender", "birth_date", "ethnicity", "household_address"];

/// Rows inserted per statement, six parameters each. Small on purpose: sqlx looks up each
/// `$n` among all of the statement's parameters when it binds (quadratic in their number;
/// at 500 rows that lookup was half of the load's CPU time), and 64 rows already make the
/// per-statement cost negligible.
const BATCH: usize = 64;

/// What a snapshot load did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RegistryLoad {
    /// Records in the file, now the snapshot.
    pub records: u64,
    /// Numbers the previous snapshot did not have.
    pub new: u64,
    /// Numbers whose record differs from the previous snapshot's in at least one field.
    pub changed: u64,
    /// Numbers of the previous snapshot that the file no longer has.
    pub removed: u64,
}

impl Store {
    /// Replaces the registry snapshot with the comma-separated file read from `reader`; see
    /// [`Store::load_registry`]. Returns the number of records.
    pub async fn load_registry_csv<R: std::io::Read>(&self, reader: R) -> Result<usize> {
        let load = self.load_registry(reader, b',').await?;
        Ok(usize::try_from(load.records).unwrap_or(usize::MAX))
    }

    /// Replaces the registry snapshot with the CSV read from `reader`: UTF-8, fields
    /// separated by `delimiter`, a header line naming the columns of [`REGISTRY_CSV_HEADER`]
    /// in any order (other columns are ignored); gender and ethnicity as code or name, birth
    /// date as `YYYY-MM-DD`, `YYYYMMDD` or `YYYY/MM/DD`.
    ///
    /// The whole load is one transaction: a bad row or a number that appears twice is
    /// [`StoreError::Invalid`] naming the line and the field, and nothing changes. Journaled
    /// as `registry.loaded` with the counts.
    pub async fn load_registry<R: std::io::Read>(
        &self,
        reader: R,
        delimiter: u8,
    ) -> Result<RegistryLoad> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .delimiter(delimiter)
            .trim(csv::Trim::All)
            .from_reader(reader);
        let header = csv.headers().map_err(|e| StoreError::invalid("line 1", e.to_string()))?;
        let columns = Columns::find(header)?;

        let mut tx = begin_write(&self.pool).await?;
        sqlx::query("DELETE FROM registry_incoming").execute(&mut *tx).await?;
        let mut batch: Vec<(u64, RegistryRecord)> = Vec::with_capacity(BATCH);
        let mut records = 0u64;
        for result in csv.records() {
            let record = result.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                StoreError::invalid(format!("line {line}"), format!("无法读取：{e}"))
            })?;
            let line = record.position().map_or(0, |p| p.line());
            batch.push((line, columns.parse(&record, line)?));
            records += 1;
            if batch.len() == BATCH {
                insert_incoming(&mut tx, &batch).await?;
                batch.clear();
            }
        }
        if !batch.is_empty() {
            insert_incoming(&mut tx, &batch).await?;
        }

        let load = merge_incoming(&mut tx, records).await?;
        let entry = Entry {
            action: "registry.loaded",
            after: json!(load),
            reason: "registry snapshot replaced".to_owned(),
            ..Entry::default()
        };
        journal::append(&mut tx, self.clock.now(), entry).await?;
        tx.commit().await?;
        tracing::info!(
            records = load.records,
            new = load.new,
            changed = load.changed,
            removed = load.removed,
            "registry snapshot loaded"
        );
        Ok(load)
    }

    /// The snapshot's record for `ssn`, if it has one.
    pub async fn registry_record(
        &self,
        ssn: &SocialSecurityNumber,
    ) -> Result<Option<RegistryRecord>> {
        let mut conn = self.pool.acquire().await?;
        registry_in(&mut conn, ssn).await
    }
}

/// Inserts one batch into `registry_incoming`; a number already there (earlier in the file
/// or twice in the batch) is refused with the line where it appears again.
async fn insert_incoming(tx: &mut Tx, batch: &[(u64, RegistryRecord)]) -> Result<()> {
    let rows: Vec<String> = (0..batch.len())
        .map(|i| {
            let p = i * 6;
            format!("(${}, ${}, ${}, ${}, ${}, ${})", p + 1, p + 2, p + 3, p + 4, p + 5, p + 6)
        })
        .collect();
    let sql = "INSERT INTO registry_incoming (ssn, name, gender, birth_date, ethnicity, \
               household_address) VALUES {rows} ON CONFLICT (ssn) DO NOTHING RETURNING ssn"
        .replace("{rows}", &rows.join(", "));
    // Only placeholders are spliced in; every value is bound.
    let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
    for (_, r) in batch {
        query = query
            .bind(r.ssn.as_str())
            .bind(r.name.as_str())
            .bind(r.gender.code())
            .bind(date_text(r.birth_date))
            .bind(r.ethnicity.code())
            .bind(r.household_address.as_str());
    }
    let inserted = query.fetch_all(&mut **tx).await?;
    if inserted.len() == batch.len() {
        return Ok(());
    }

    // Each number returned was inserted once, by its first row in the batch; any other row
    // with that number, or with a number not returned, repeats an earlier one.
    let mut first: HashMap<&str, bool> = inserted.iter().map(|s| (s.as_str(), false)).collect();
    for (line, r) in batch {
        match first.get_mut(r.ssn.as_str()) {
            Some(seen) if !*seen => *seen = true,
            _ => {
                return Err(StoreError::invalid(
                    format!("line {line}, ssn"),
                    "号码在文件中重复出现",
                ));
            }
        }
    }
    Err(StoreError::invalid("ssn", "号码在文件中重复出现"))
}

/// Makes `registry` equal to `registry_incoming` and empties the latter, counting what was
/// removed, changed and new.
async fn merge_incoming(tx: &mut Tx, records: u64) -> Result<RegistryLoad> {
    let removed = sqlx::query(
        "DELETE FROM registry WHERE NOT EXISTS \
         (SELECT 1 FROM registry_incoming i WHERE i.ssn = registry.ssn)",
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let changed = sqlx::query(
        "UPDATE registry SET name = i.name, gender = i.gender, birth_date = i.birth_date, \
         ethnicity = i.ethnicity, household_address = i.household_address \
         FROM registry_incoming i WHERE i.ssn = registry.ssn AND (i.name <> registry.name \
         OR i.gender <> registry.gender OR i.birth_date <> registry.birth_date \
         OR i.ethnicity <> registry.ethnicity \
         OR i.household_address <> registry.household_address)",
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let new = sqlx::query(
        "INSERT INTO registry (ssn, name, gender, birth_date, ethnicity, household_address) \
         SELECT i.ssn, i.name, i.gender, i.birth_date, i.ethnicity, i.household_address \
         FROM registry_incoming i WHERE NOT EXISTS \
         (SELECT 1 FROM registry r WHERE r.ssn = i.ssn)",
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM registry_incoming").execute(&mut **tx).await?;
    Ok(RegistryLoad { records, new, changed, removed })
}

/// Where each column of [`REGISTRY_CSV_HEADER`] is in the file.
struct Columns([usize; 6]);

impl Columns {
    /// Finds the columns by the header line; a missing or repeated column is refused.
    fn find(header: &csv::StringRecord) -> Result<Columns> {
        let mut at = [0usize; 6];
        for (slot, name) in at.iter_mut().zip(REGISTRY_CSV_HEADER) {
            let found: Vec<usize> = header
                .iter()
                .enumerate()
                .filter(|(_, h)| h.trim_start_matches('\u{feff}') == name)
                .map(|(i, _)| i)
                .collect();
            match found.as_slice() {
                [i] => *slot = *i,
                [] => {
                    return Err(StoreError::invalid(
                        "line 1",
                        format!("表头缺少 {name} 列；表头应包含 {}", REGISTRY_CSV_HEADER.join(",")),
                    ));
                }
                _ => {
                    return Err(StoreError::invalid(
                        "line 1",
                        format!("表头中 {name} 列出现了不止一次"),
                    ));
                }
            }
        }
        Ok(Columns(at))
    }

    /// One CSV record as a registry record; errors name the line and the field.
    fn parse(&self, record: &csv::StringRecord, line: u64) -> Result<RegistryRecord> {
        let [ssn, name, gender, birth, ethnicity, address] = self.0;
        let field = |index: usize| record.get(index).unwrap_or("");
        let bad = |name: &str, message: String| {
            StoreError::invalid(format!("line {line}, {name}"), message)
        };
        let ssn =
            SocialSecurityNumber::parse(field(ssn)).map_err(|e| bad("ssn", e.message_zh()))?;
        let name = PersonName::parse(field(name)).map_err(|e| bad("name", e.message_zh()))?;
        let gender =
            Gender::parse(field(gender)).ok_or_else(|| bad("gender", "性别无法识别".to_owned()))?;
        let birth_date = parse_birth(field(birth)).ok_or_else(|| {
            bad("birth_date", "出生日期应为 YYYY-MM-DD、YYYYMMDD 或 YYYY/MM/DD".to_owned())
        })?;
        let ethnicity = Ethnicity::parse(field(ethnicity))
            .ok_or_else(|| bad("ethnicity", "民族无法识别".to_owned()))?;
        let household_address =
            Address::parse(field(address)).map_err(|e| bad("household_address", e.message_zh()))?;
        Ok(RegistryRecord { ssn, name, gender, birth_date, ethnicity, household_address })
    }
}

/// A birth date in one of the forms registry exports use.
fn parse_birth(text: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"]
        .iter()
        .find_map(|form| NaiveDate::parse_from_str(text, form).ok())
}
