//! Loading a person with everything the rules look at, inside the caller's transaction.

use personbase_domain::rules::Situation;
use personbase_domain::{
    Agency, Card, Enrolment, Person, PersonId, RegistryRecord, SpecialBusiness, Transaction,
};
use personbase_identity::SocialSecurityNumber;
use sqlx::Row;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::rows::{
    self, AGENCY_COLUMNS, CARD_COLUMNS, ENROLMENT_COLUMNS, PERSON_COLUMNS, REGISTRY_COLUMNS,
    SPECIAL_COLUMNS, TRANSACTION_COLUMNS,
};

/// The owned data behind a [`Situation`].
#[derive(Clone, Debug)]
pub(crate) struct Loaded {
    pub person: Person,
    pub enrolments: Vec<Enrolment>,
    pub agencies: Vec<Agency>,
    pub in_transit: Vec<Transaction>,
    pub specials: Vec<SpecialBusiness>,
    pub cards: Vec<Card>,
    pub registry: Option<RegistryRecord>,
    pub number_taken_by: Option<PersonId>,
}

impl Loaded {
    /// The view the rules take.
    pub(crate) fn situation(&self) -> Situation<'_> {
        Situation {
            person: &self.person,
            enrolments: &self.enrolments,
            agencies: &self.agencies,
            in_transit: &self.in_transit,
            specials: &self.specials,
            cards: &self.cards,
            registry: self.registry.as_ref(),
            number_taken_by: self.number_taken_by,
        }
    }
}

/// Loads person `id` with active enrolments, unfinished transactions, active special
/// businesses, cards, the agencies behind them, the registry record of the number the record
/// will carry (`number`, or its own), and whether another record holds that number.
pub(crate) async fn load(
    conn: &mut Conn,
    id: PersonId,
    number: Option<&SocialSecurityNumber>,
) -> Result<Loaded> {
    let person = person_in(conn, id).await?;
    let number = number.unwrap_or(&person.ssn);

    let enrolments = fetch(
        conn,
        &format!(
            "SELECT {ENROLMENT_COLUMNS} FROM enrolments \
             WHERE person_id = $1 AND active = TRUE ORDER BY id"
        ),
        id,
        rows::enrolment,
    )
    .await?;
    let in_transit = fetch(
        conn,
        &format!(
            "SELECT {TRANSACTION_COLUMNS} FROM transactions \
             WHERE person_id = $1 AND finished_at IS NULL ORDER BY id"
        ),
        id,
        rows::transaction,
    )
    .await?;
    let specials = fetch(
        conn,
        &format!(
            "SELECT {SPECIAL_COLUMNS} FROM specials \
             WHERE person_id = $1 AND active = TRUE ORDER BY id"
        ),
        id,
        rows::special,
    )
    .await?;
    let cards = fetch(
        conn,
        &format!("SELECT {CARD_COLUMNS} FROM cards WHERE person_id = $1 ORDER BY id"),
        id,
        rows::card,
    )
    .await?;
    let agencies = fetch(
        conn,
        &format!(
            "SELECT {AGENCY_COLUMNS} FROM agencies WHERE id IN (\
               SELECT agency_id FROM enrolments WHERE person_id = $1 \
               UNION SELECT agency_id FROM transactions WHERE person_id = $1 \
               UNION SELECT agency_id FROM specials WHERE person_id = $1 \
               UNION SELECT entered_by FROM persons WHERE id = $1) ORDER BY id"
        ),
        id,
        rows::agency,
    )
    .await?;

    let registry = registry_in(conn, number).await?;
    let number_taken_by = match person_id_by_ssn(conn, number).await? {
        Some(holder) if holder != id => Some(holder),
        _ => None,
    };
    Ok(Loaded {
        person,
        enrolments,
        agencies,
        in_transit,
        specials,
        cards,
        registry,
        number_taken_by,
    })
}

/// Runs `sql` with `$1` = the person, mapping each row with `map`.
async fn fetch<T>(
    conn: &mut Conn,
    sql: &str,
    id: PersonId,
    map: fn(&crate::db::DbRow) -> Result<T>,
) -> Result<Vec<T>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_all(&mut *conn).await?;
    rows.iter().map(map).collect()
}

/// Person `id`; [`StoreError::NotFound`] when there is none.
pub(crate) async fn person_in(conn: &mut Conn, id: PersonId) -> Result<Person> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM persons WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(&mut *conn).await?;
    match row {
        Some(row) => rows::person(&row),
        None => Err(StoreError::not_found("person", id)),
    }
}

/// The id of the record holding `ssn`, if any.
pub(crate) async fn person_id_by_ssn(
    conn: &mut Conn,
    ssn: &SocialSecurityNumber,
) -> Result<Option<PersonId>> {
    let row = sqlx::query("SELECT id FROM persons WHERE ssn = $1")
        .bind(ssn.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => Ok(Some(PersonId(row.try_get("id")?))),
        None => Ok(None),
    }
}

/// The registry snapshot's record for `ssn`, if it has one.
pub(crate) async fn registry_in(
    conn: &mut Conn,
    ssn: &SocialSecurityNumber,
) -> Result<Option<RegistryRecord>> {
    let sql = format!("SELECT {REGISTRY_COLUMNS} FROM registry WHERE ssn = $1");
    let row =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ssn.as_str()).fetch_optional(&mut *conn).await?;
    row.as_ref().map(rows::registry).transpose()
}
