//! Person records: entry (R2.7, R2.8 through `decide_entry`), look-ups, the journaled view of
//! unmasked data (R4.2), and the record with everything attached.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use personbase_domain::rules::{InputSource, check_view, decide_entry};
use personbase_domain::{
    Agency, AgencyId, Card, ChangeRequest, Enrolment, NewPerson, Operator, Person, PersonId,
    PersonName, PersonStatus, SpecialBusiness, Transaction,
};
use personbase_identity::SocialSecurityNumber;
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::Row;

use crate::Store;
use crate::batched::{repeat_values, rows_per_statement};
use crate::db::{Conn, begin_read, begin_write, date_text, time_text};
use crate::error::{Result, StoreError};
use crate::journal::{self, Entry};
use crate::reference::acting;
use crate::rows::{self, AGENCY_COLUMNS, ENROLMENT_COLUMNS, PERSON_COLUMNS, REQUEST_COLUMNS};
use crate::situation::{self, person_id_by_ssn, person_in, registry_in};

/// A search for persons: by number, or by name with an optional birth date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonQuery {
    /// The exact number; when given, name and birth date are ignored.
    pub ssn: Option<SocialSecurityNumber>,
    /// The exact name.
    pub name: Option<PersonName>,
    /// The birth date, to narrow a name.
    pub birth_date: Option<NaiveDate>,
    /// At most this many results (0 means the default, 50; at most 500).
    pub limit: u32,
}

/// A person with everything attached, for the record's page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PersonDetails {
    /// The record.
    pub person: Person,
    /// Every enrolment, active or closed.
    pub enrolments: Vec<Enrolment>,
    /// The agencies that hold the enrolments, transactions and special businesses, and the
    /// agency that entered the record.
    pub agencies: Vec<Agency>,
    /// Transactions in transit (R2.12).
    pub in_transit: Vec<Transaction>,
    /// Active special businesses (R2.11).
    pub specials: Vec<SpecialBusiness>,
    /// Cards in any state.
    pub cards: Vec<Card>,
    /// Change requests still open (shown as pending, R2.2).
    pub open_requests: Vec<ChangeRequest>,
}

impl Store {
    /// Enters a new person. `decide_entry` runs inside the write transaction with the
    /// registry record and the current holder of the number; the registry's values are
    /// stored where they differ (R2.8), the difference journaled as `person.registry_differs`.
    /// Journaled as `person.created`. A refusal is journaled as `person.refused` and returned
    /// as [`StoreError::Refused`].
    pub async fn enter_person(
        &self,
        by: &Operator,
        entry: NewPerson,
        source: InputSource,
        reason: &str,
    ) -> Result<Person> {
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        let (operator, agency) = acting(&mut tx, by).await?;
        let registry = registry_in(&mut tx, &entry.ssn).await?;
        let taken = person_id_by_ssn(&mut tx, &entry.ssn).await?;

        let decision = decide_entry(
            &self.policy,
            self.clock.today(),
            &operator,
            &entry,
            source,
            registry.as_ref(),
            taken,
        );
        let plan = match decision {
            Ok(plan) => plan,
            Err(refusal) => {
                tx.rollback().await?;
                let attempt = json!({ "entry": entry, "source": source });
                let journaled = Entry {
                    operator: Some(operator.id),
                    agency: Some(agency.id),
                    action: "person.refused",
                    after: attempt,
                    ..Entry::default()
                };
                return Err(self.refuse(journaled, refusal).await);
            }
        };

        let person = insert_person(&mut tx, plan.person, agency.id, now).await?;

        let created = Entry {
            operator: Some(operator.id),
            agency: Some(agency.id),
            action: "person.created",
            person: Some(person.id),
            before: Value::Null,
            after: json!({ "person": person, "source": source, "rules": plan.rules }),
            reason: reason.to_owned(),
            ..Entry::default()
        };
        journal::append(&mut tx, now, created).await?;
        if !plan.registry_differences.is_empty() {
            let differs =
                registry_differs(&operator, &agency, person.id, &plan.registry_differences);
            journal::append(&mut tx, now, differs).await?;
        }
        tx.commit().await?;
        tracing::info!(person = person.id.0, operator = operator.id.0, "person entered");
        Ok(person)
    }

    /// Person `id` with full values (the API layer masks them in lists and views);
    /// [`StoreError::NotFound`] when there is none.
    pub async fn person(&self, id: PersonId) -> Result<Person> {
        let mut conn = self.pool.acquire().await?;
        person_in(&mut conn, id).await
    }

    /// The record holding `ssn`, if any.
    pub async fn person_by_ssn(&self, ssn: &SocialSecurityNumber) -> Result<Option<Person>> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM persons WHERE ssn = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ssn.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::person).transpose()
    }

    /// Persons matching `query`, by id. An empty query is [`StoreError::Invalid`].
    pub async fn search_persons(&self, query: &PersonQuery) -> Result<Vec<Person>> {
        let limit = i64::from(match query.limit {
            0 => 50,
            n => n.min(500),
        });
        let rows = if let Some(ssn) = &query.ssn {
            let sql = format!("SELECT {PERSON_COLUMNS} FROM persons WHERE ssn = $1");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ssn.as_str()).fetch_all(&self.pool).await?
        } else if let Some(name) = &query.name {
            // A statement per shape rather than `$3 IS NULL OR ...`, whose parameter type
            // PostgreSQL cannot infer.
            let by_birth = if query.birth_date.is_some() { "AND birth_date = $3" } else { "" };
            let sql = format!(
                "SELECT {PERSON_COLUMNS} FROM persons WHERE name = $1 {by_birth} \
                 ORDER BY id LIMIT $2"
            );
            let mut select = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name.as_str()).bind(limit);
            if let Some(day) = query.birth_date {
                select = select.bind(date_text(day));
            }
            select.fetch_all(&self.pool).await?
        } else {
            return Err(StoreError::invalid("query", "请输入社会保障号码或姓名"));
        };
        rows.iter().map(rows::person).collect()
    }

    /// The full record for `by`, who states why; journaled as `person.viewed` with the reason
    /// (R4.2). An empty reason is [`StoreError::Invalid`].
    pub async fn view_unmasked(&self, by: &Operator, id: PersonId, reason: &str) -> Result<Person> {
        if reason.trim().is_empty() {
            return Err(StoreError::invalid("reason", "查看完整信息须填写理由"));
        }
        let mut tx = begin_write(&self.pool).await?;
        let (operator, agency) = acting(&mut tx, by).await?;
        let loaded = situation::load(&mut tx, id, None).await?;
        check_view(&agency, &loaded.situation()).map_err(StoreError::Refused)?;
        let person = loaded.person;
        let viewed = Entry {
            operator: Some(operator.id),
            agency: Some(agency.id),
            action: "person.viewed",
            person: Some(id),
            reason: reason.trim().to_owned(),
            ..Entry::default()
        };
        journal::append(&mut tx, self.clock.now(), viewed).await?;
        tx.commit().await?;
        tracing::info!(person = id.0, operator = operator.id.0, "unmasked record viewed");
        Ok(person)
    }

    /// The person with enrolments, agencies, transactions in transit, special businesses,
    /// cards and open requests, read in one consistent snapshot. Values are full; the API
    /// layer masks them unless the caller went through [`Store::view_unmasked`].
    pub async fn person_details(&self, id: PersonId) -> Result<PersonDetails> {
        let mut tx = begin_read(&self.pool).await?;
        let loaded = situation::load(&mut tx, id, None).await?;

        let sql =
            format!("SELECT {ENROLMENT_COLUMNS} FROM enrolments WHERE person_id = $1 ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_all(&mut *tx).await?;
        let enrolments = rows.iter().map(rows::enrolment).collect::<Result<Vec<_>>>()?;

        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM change_requests WHERE person_id = $1 \
             AND state IN ('draft', 'waiting_for_signoff', 'waiting_for_person') ORDER BY id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_all(&mut *tx).await?;
        let open_requests = rows.iter().map(rows::request).collect::<Result<Vec<_>>>()?;

        let mut agencies = loaded.agencies;
        let extra: Vec<i64> = open_requests
            .iter()
            .flat_map(|r| r.steps.iter().map(|s| s.agency.0))
            .filter(|a| !agencies.iter().any(|known| known.id.0 == *a))
            .collect();
        for agency_id in extra {
            let sql = format!("SELECT {AGENCY_COLUMNS} FROM agencies WHERE id = $1");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(agency_id)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(row) = row {
                let agency = rows::agency(&row)?;
                if !agencies.contains(&agency) {
                    agencies.push(agency);
                }
            }
        }
        tx.commit().await?;
        Ok(PersonDetails {
            person: loaded.person,
            enrolments,
            agencies,
            in_transit: loaded.in_transit,
            specials: loaded.specials,
            cards: loaded.cards,
            open_requests,
        })
    }
}

/// The journal entry for values that differed from the registry (R2.8): before is what was
/// read or typed, after is the registry's value that was stored.
pub(crate) fn registry_differs(
    operator: &Operator,
    agency: &Agency,
    person: PersonId,
    differences: &[personbase_domain::FieldDiff],
) -> Entry {
    let before: serde_json::Map<String, Value> =
        differences.iter().map(|d| (d.field.code().to_owned(), json!(d.before))).collect();
    let after: serde_json::Map<String, Value> =
        differences.iter().map(|d| (d.field.code().to_owned(), json!(d.after))).collect();
    Entry {
        operator: Some(operator.id),
        agency: Some(agency.id),
        action: "person.registry_differs",
        person: Some(person),
        before: Value::Object(before),
        after: Value::Object(after),
        reason: "registry-prevails".to_owned(),
        ..Entry::default()
    }
}

/// Inserts a new record as version 1, entered by `entered_by` at `now`: one row through
/// [`insert_persons`], the one place that writes new rows of `persons`, for a single entry
/// and for the bulk loader alike. The caller has had the entry decided and journals it.
pub(crate) async fn insert_person(
    conn: &mut Conn,
    new: NewPerson,
    entered_by: AgencyId,
    now: DateTime<Utc>,
) -> Result<Person> {
    let mut inserted = insert_persons(conn, vec![new], entered_by, now).await?;
    inserted.pop().ok_or_else(|| not_returned("persons"))
}

/// The statement that inserts one record; [`insert_persons`] repeats its row of values.
const INSERT_PERSON: &str = "INSERT INTO persons (ssn, name, gender, birth_date, ethnicity, \
     household_address, household_type, home_address, phone, status, merged_into, entered_by, \
     version, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11, 1, $12, $12) RETURNING id, ssn";

/// Inserts new records as version 1, entered by `entered_by` at `now`, at most
/// [`crate::batched::rows_per_statement`] per statement; returns them in the order given. The numbers must
/// differ from each other (the table's key refuses them otherwise): the new ids are matched
/// to the records by number, since the order of `RETURNING` is not guaranteed.
pub(crate) async fn insert_persons(
    conn: &mut Conn,
    new: Vec<NewPerson>,
    entered_by: AgencyId,
    now: DateTime<Utc>,
) -> Result<Vec<Person>> {
    let now = time_text(now);
    let mut persons = Vec::with_capacity(new.len());
    let per_statement = rows_per_statement(INSERT_PERSON);
    let mut new = new.into_iter().peekable();
    while new.peek().is_some() {
        let mut chunk = Vec::with_capacity(per_statement);
        for entry in new.by_ref().take(per_statement) {
            let (Some(gender), Some(birth_date)) = (entry.gender, entry.birth_date) else {
                return Err(StoreError::invalid("gender", "请录入性别和出生日期"));
            };
            chunk.push((entry, gender, birth_date));
        }
        let sql = repeat_values(INSERT_PERSON, chunk.len());
        // Only placeholders are spliced in; every value is bound.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (entry, gender, birth_date) in &chunk {
            query = query
                .bind(entry.ssn.as_str())
                .bind(entry.name.as_str())
                .bind(gender.code())
                .bind(date_text(*birth_date))
                .bind(entry.ethnicity.code())
                .bind(entry.household_address.as_str())
                .bind(entry.household_type.code())
                .bind(entry.home_address.as_ref().map(|a| a.as_str().to_owned()))
                .bind(entry.phone.as_ref().map(|p| p.as_str().to_owned()))
                .bind(PersonStatus::Active.code())
                .bind(entered_by.0)
                .bind(now.clone());
        }
        let returned = query.fetch_all(&mut *conn).await?;
        let mut ids = HashMap::with_capacity(returned.len());
        for row in &returned {
            ids.insert(row.try_get::<String, _>("ssn")?, PersonId(row.try_get("id")?));
        }
        for (entry, gender, birth_date) in chunk {
            let id = ids.get(entry.ssn.as_str()).copied().ok_or_else(|| not_returned("persons"))?;
            persons.push(Person {
                id,
                ssn: entry.ssn,
                name: entry.name,
                gender,
                birth_date,
                ethnicity: entry.ethnicity,
                household_address: entry.household_address,
                household_type: entry.household_type,
                home_address: entry.home_address,
                phone: entry.phone,
                status: PersonStatus::Active,
                entered_by,
                version: 1,
            });
        }
    }
    Ok(persons)
}

/// An insert that did not return the id of one of its rows.
pub(crate) fn not_returned(table: &'static str) -> StoreError {
    StoreError::Corrupt {
        table,
        row: "new".to_owned(),
        field: "id",
        detail: "the insert returned no id for a row".to_owned(),
    }
}
