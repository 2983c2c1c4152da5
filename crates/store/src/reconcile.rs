//! Comparing active records with the registry snapshot (R2.8, R2.16) for
//! `personbase registry reconcile`: a page of persons at a time in id order, so that tens of
//! millions of records are compared in bounded memory. Read-only: a correction goes through
//! [`Store::propose_change`] like any other change, and the rules decide.

use personbase_domain::{AgencyId, Field, FieldDiff, Operator, Person, PersonId};
use serde_json::Value;

use crate::Store;
use crate::db::begin_write;
use crate::error::Result;
use crate::journal::{self, Entry};
use crate::rows::{self, Fields};

/// How an active record disagrees with the registry snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Discrepancy {
    /// The record's number is a number of this province that the snapshot does not have.
    Absent,
    /// The snapshot has the number with other values: `before` is the record's value,
    /// `after` the registry's (as stored: codes for gender and ethnicity, `YYYY-MM-DD`).
    Differs(Vec<FieldDiff>),
}

/// One active record that disagrees with the snapshot.
#[derive(Clone, Debug)]
pub struct RegistryFinding {
    /// The record as stored.
    pub person: Person,
    /// The agencies holding one of the person's active enrolments, ascending, each once.
    pub holders: Vec<AgencyId>,
    /// How it disagrees.
    pub discrepancy: Discrepancy,
}

/// One page of the comparison.
#[derive(Clone, Debug, Default)]
pub struct RegistryPage {
    /// Active records compared on this page.
    pub compared: u64,
    /// Of those, records whose number is not of this province (another province's, a
    /// residence permit's or a foreigner's): the provincial registry cannot know them, so
    /// their absence is no finding (R2.17).
    pub outside: u64,
    /// The records that disagree, in id order.
    pub findings: Vec<RegistryFinding>,
    /// The id of the last record on this page, to pass as `after` for the next one; `None`
    /// when there were no more records.
    pub last: Option<PersonId>,
}

impl Store {
    /// Compares up to `limit` active records with ids above `after` with the registry
    /// snapshot, field by field: name, gender, birth date, ethnicity, household address.
    pub async fn compare_with_registry(&self, after: PersonId, limit: u32) -> Result<RegistryPage> {
        let rows = sqlx::query(
            "SELECT p.id AS id, p.ssn AS ssn, p.name AS name, p.gender AS gender, \
             p.birth_date AS birth_date, p.ethnicity AS ethnicity, \
             p.household_address AS household_address, p.household_type AS household_type, \
             p.home_address AS home_address, p.phone AS phone, p.status AS status, \
             p.merged_into AS merged_into, p.entered_by AS entered_by, p.version AS version, \
             r.ssn AS r_ssn, r.name AS r_name, r.gender AS r_gender, \
             r.birth_date AS r_birth_date, r.ethnicity AS r_ethnicity, \
             r.household_address AS r_household_address \
             FROM persons p LEFT JOIN registry r ON r.ssn = p.ssn \
             WHERE p.id > $1 AND p.status = 'active' ORDER BY p.id LIMIT $2",
        )
        .bind(after.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;

        let mut page = RegistryPage::default();
        for row in &rows {
            page.compared += 1;
            let f = Fields::by_id(row, "persons");
            page.last = Some(PersonId(f.int("id")?));
            let discrepancy = match f.opt_text("r_ssn")? {
                Some(_) => {
                    let differences = differences(&f)?;
                    if differences.is_empty() {
                        continue;
                    }
                    Discrepancy::Differs(differences)
                }
                None => {
                    let person = rows::person(row)?;
                    if !self.in_province(&person) {
                        page.outside += 1;
                        continue;
                    }
                    page.findings.push(RegistryFinding {
                        person,
                        holders: Vec::new(),
                        discrepancy: Discrepancy::Absent,
                    });
                    continue;
                }
            };
            let person = rows::person(row)?;
            page.findings.push(RegistryFinding { person, holders: Vec::new(), discrepancy });
        }

        if let (Some(first), Some(last)) = (page.findings.first(), page.last) {
            self.attach_holders(first.person.id, last, &mut page.findings).await?;
        }
        Ok(page)
    }

    /// Journals a reconciliation run (`registry.reconciled`) with its summary: who ran it
    /// (when it corrected records), what was compared and which work lists were written.
    pub async fn record_reconciliation(&self, by: Option<&Operator>, summary: Value) -> Result<()> {
        let mut tx = begin_write(&self.pool).await?;
        let entry = Entry {
            operator: by.map(|o| o.id),
            agency: by.map(|o| o.agency),
            action: "registry.reconciled",
            after: summary,
            reason: "registry reconciliation".to_owned(),
            ..Entry::default()
        };
        journal::append(&mut tx, self.clock.now(), entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether `person`'s number is a citizen number of this province.
    fn in_province(&self, person: &Person) -> bool {
        person
            .ssn
            .division_code()
            .is_some_and(|code| format!("{:02}", code / 10_000) == self.policy.province)
    }

    /// Fills in the holders of the findings, whose ids lie in `[first, last]`.
    async fn attach_holders(
        &self,
        first: PersonId,
        last: PersonId,
        findings: &mut [RegistryFinding],
    ) -> Result<()> {
        let rows = sqlx::query(
            "SELECT DISTINCT person_id, agency_id FROM enrolments \
             WHERE active = TRUE AND person_id >= $1 AND person_id <= $2 \
             ORDER BY person_id, agency_id",
        )
        .bind(first.0)
        .bind(last.0)
        .fetch_all(&self.pool)
        .await?;
        for row in &rows {
            let f = Fields::keyed(row, "enrolments", "holder".to_owned());
            let person = PersonId(f.int("person_id")?);
            let agency = AgencyId(f.int("agency_id")?);
            if let Ok(i) = findings.binary_search_by_key(&person, |x| x.person.id) {
                findings[i].holders.push(agency);
            }
        }
        Ok(())
    }
}

/// The fields in which the record's columns and the registry's (`r_` prefixed) differ.
fn differences(f: &Fields<'_>) -> Result<Vec<FieldDiff>> {
    let pairs = [
        (Field::Name, "name", "r_name"),
        (Field::Gender, "gender", "r_gender"),
        (Field::BirthDate, "birth_date", "r_birth_date"),
        (Field::Ethnicity, "ethnicity", "r_ethnicity"),
        (Field::HouseholdAddress, "household_address", "r_household_address"),
    ];
    let mut diffs = Vec::new();
    for (field, ours, theirs) in pairs {
        let (ours, theirs) = (f.text(ours)?, f.text(theirs)?);
        if ours != theirs {
            diffs.push(FieldDiff { field, before: Some(ours), after: Some(theirs) });
        }
    }
    Ok(diffs)
}
