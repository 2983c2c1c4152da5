//! The household registry snapshot (R2.8, R2.16): read by the rules, replaced only by the
//! snapshot loader, which the command line calls. No other function writes the `registry`
//! table.

use chrono::NaiveDate;
use personbase_domain::{PersonName, RegistryRecord, values::Address};
use personbase_identity::{Ethnicity, Gender, SocialSecurityNumber};
use serde_json::json;

use crate::Store;
use crate::db::{begin_write, date_text};
use crate::error::{Result, StoreError};
use crate::journal::{self, Entry};
use crate::situation::registry_in;

/// The columns a snapshot file has, in this order, with a header line.
pub const REGISTRY_CSV_HEADER: [&str; 6] =
    ["ssn", "name", "gender", "birth_date", "ethnicity", "household_address"];

impl Store {
    /// Replaces the registry snapshot with the CSV read from `reader` (UTF-8, header line
    /// [`REGISTRY_CSV_HEADER`]; gender as code or name, ethnicity as code or name, birth date
    /// `YYYY-MM-DD`). The whole load is one transaction: a bad row or a number that appears
    /// twice is [`StoreError::Invalid`] naming the line and the field, and nothing changes.
    /// Journaled as `registry.loaded` with the count. Returns the number of records.
    pub async fn load_registry_csv<R: std::io::Read>(&self, reader: R) -> Result<usize> {
        let mut csv =
            csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(reader);
        let header = csv.headers().map_err(|e| StoreError::invalid("line 1", e.to_string()))?;
        let names: Vec<&str> = header.iter().collect();
        if names != REGISTRY_CSV_HEADER {
            return Err(StoreError::invalid(
                "line 1",
                format!("表头应为 {}", REGISTRY_CSV_HEADER.join(",")),
            ));
        }

        let mut tx = begin_write(&self.pool).await?;
        sqlx::query("DELETE FROM registry").execute(&mut *tx).await?;
        let mut count = 0usize;
        for result in csv.records() {
            let record = result.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                StoreError::invalid(format!("line {line}"), format!("无法读取：{e}"))
            })?;
            let line = record.position().map_or(0, |p| p.line());
            let parsed = parse_record(&record, line)?;
            let inserted = sqlx::query(
                "INSERT INTO registry (ssn, name, gender, birth_date, ethnicity, \
                 household_address) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ssn) DO NOTHING",
            )
            .bind(parsed.ssn.as_str())
            .bind(parsed.name.as_str())
            .bind(parsed.gender.code())
            .bind(date_text(parsed.birth_date))
            .bind(parsed.ethnicity.code())
            .bind(parsed.household_address.as_str())
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 0 {
                return Err(StoreError::invalid(
                    format!("line {line}, ssn"),
                    "号码在文件中重复出现",
                ));
            }
            count += 1;
        }

        let entry = Entry {
            action: "registry.loaded",
            after: json!({ "records": count }),
            reason: "registry snapshot replaced".to_owned(),
            ..Entry::default()
        };
        journal::append(&mut tx, self.clock.now(), entry).await?;
        tx.commit().await?;
        tracing::info!(records = count, "registry snapshot loaded");
        Ok(count)
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

/// One CSV record as a registry record; errors name the line and the field.
fn parse_record(record: &csv::StringRecord, line: u64) -> Result<RegistryRecord> {
    let field = |index: usize| record.get(index).unwrap_or("");
    let bad =
        |name: &str, message: String| StoreError::invalid(format!("line {line}, {name}"), message);
    if record.len() != REGISTRY_CSV_HEADER.len() {
        return Err(bad("columns", format!("应有 6 列，实有 {} 列", record.len())));
    }
    let ssn = SocialSecurityNumber::parse(field(0)).map_err(|e| bad("ssn", e.message_zh()))?;
    let name = PersonName::parse(field(1)).map_err(|e| bad("name", e.message_zh()))?;
    let gender = Gender::parse(field(2)).ok_or_else(|| bad("gender", "性别无法识别".to_owned()))?;
    let birth_date = NaiveDate::parse_from_str(field(3), "%Y-%m-%d")
        .map_err(|_| bad("birth_date", "出生日期应为 YYYY-MM-DD".to_owned()))?;
    let ethnicity =
        Ethnicity::parse(field(4)).ok_or_else(|| bad("ethnicity", "民族无法识别".to_owned()))?;
    let household_address =
        Address::parse(field(5)).map_err(|e| bad("household_address", e.message_zh()))?;
    Ok(RegistryRecord { ssn, name, gender, birth_date, ethnicity, household_address })
}
