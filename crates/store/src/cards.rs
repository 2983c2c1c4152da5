//! Social security cards (R2.14): issued and voided by information centres; voiding records
//! the replacement fee the policy sets.

use personbase_domain::rules::{check_card_action, check_card_issue};
use personbase_domain::{Card, CardId, CardStatus, Operator, PersonId};
use serde_json::{Value, json};
use sqlx::Row;

use crate::Store;
use crate::db::{Tx, begin_write, parse_time, time_text};
use crate::error::{Result, StoreError};
use crate::journal::{self, Entry};
use crate::reference::acting;
use crate::rows::{self, CARD_COLUMNS};
use crate::situation;

impl Store {
    /// Issues a card to `person` with the record's name and number printed on its face. Only
    /// a handler of an information centre covering the person may, and only while the person
    /// holds no card in use (R2.14: void it first). Journaled as `card.issued`.
    pub async fn issue_card(
        &self,
        by: &Operator,
        person: PersonId,
        card_number: &str,
    ) -> Result<Card> {
        if card_number.trim().is_empty() {
            return Err(StoreError::invalid("card_number", "卡号不能为空"));
        }
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        let (operator, agency) = acting(&mut tx, by).await?;
        let loaded = situation::load(&mut tx, person, None).await?;
        check_card_action(&operator, &agency, &loaded.situation()).map_err(StoreError::Refused)?;
        check_card_issue(&loaded.situation()).map_err(StoreError::Refused)?;
        let holder = loaded.person;
        let taken = sqlx::query("SELECT id FROM cards WHERE card_number = $1")
            .bind(card_number.trim())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::invalid("card_number", "该卡号已被使用，请核对卡号"));
        }
        let row = sqlx::query(
            "INSERT INTO cards (person_id, card_number, status, printed_name, printed_ssn, \
             issued_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(person.0)
        .bind(card_number.trim())
        .bind(CardStatus::Active.code())
        .bind(holder.name.as_str())
        .bind(holder.ssn.as_str())
        .bind(time_text(now))
        .fetch_one(&mut *tx)
        .await?;
        let card = Card {
            id: CardId(row.try_get("id")?),
            person,
            card_number: card_number.trim().to_owned(),
            status: CardStatus::Active,
            printed_name: holder.name.as_str().to_owned(),
            printed_ssn: holder.ssn.as_str().to_owned(),
            issued_at: parse_time(&time_text(now)).unwrap_or(now),
        };
        let entry = Entry {
            operator: Some(operator.id),
            agency: Some(agency.id),
            action: "card.issued",
            person: Some(person),
            after: json!(card),
            ..Entry::default()
        };
        journal::append(&mut tx, now, entry).await?;
        tx.commit().await?;
        tracing::info!(person = person.0, card = card.id.0, "card issued");
        Ok(card)
    }

    /// Voids an active card (废卡) so that a change of a printed field can proceed (R2.14).
    /// Only an information centre's handler may; `reason` is required. Journaled as
    /// `card.voided` with the replacement fee of the policy (`fee_fen`).
    pub async fn void_card(&self, by: &Operator, card: CardId, reason: &str) -> Result<Card> {
        if reason.trim().is_empty() {
            return Err(StoreError::invalid("reason", "废卡须填写原因"));
        }
        let fee = self.policy.card_replacement_fee_fen;
        self.set_card_status(
            by,
            card,
            CardStatus::Active,
            CardStatus::Voided,
            reason,
            json!({ "fee_fen": fee }),
        )
        .await
    }

    /// Records that a replacement for a voided card was requested. Only an information
    /// centre's handler may. Journaled as `card.replacement_requested`.
    pub async fn request_replacement_card(&self, by: &Operator, card: CardId) -> Result<Card> {
        let fee = self.policy.card_replacement_fee_fen;
        self.set_card_status(
            by,
            card,
            CardStatus::Voided,
            CardStatus::ReplacementRequested,
            "replacement requested",
            json!({ "fee_fen": fee }),
        )
        .await
    }

    async fn set_card_status(
        &self,
        by: &Operator,
        card: CardId,
        from: CardStatus,
        to: CardStatus,
        reason: &str,
        extra: Value,
    ) -> Result<Card> {
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        let (operator, agency) = acting(&mut tx, by).await?;
        let before = card_in(&mut tx, card).await?;
        let loaded = situation::load(&mut tx, before.person, None).await?;
        check_card_action(&operator, &agency, &loaded.situation()).map_err(StoreError::Refused)?;
        if before.status != from {
            return Err(StoreError::invalid(
                "card",
                format!("该卡当前状态为“{}”，不能办理此操作", status_zh(before.status)),
            ));
        }
        sqlx::query("UPDATE cards SET status = $1 WHERE id = $2")
            .bind(to.code())
            .bind(card.0)
            .execute(&mut *tx)
            .await?;
        let after = Card { status: to, ..before.clone() };
        let action = match to {
            CardStatus::Voided => "card.voided",
            _ => "card.replacement_requested",
        };
        let entry = Entry {
            operator: Some(operator.id),
            agency: Some(agency.id),
            action,
            person: Some(before.person),
            before: json!(before),
            after: json!({ "card": after, "details": extra }),
            reason: reason.trim().to_owned(),
            ..Entry::default()
        };
        journal::append(&mut tx, now, entry).await?;
        tx.commit().await?;
        tracing::info!(card = card.0, status = to.code(), "card status changed");
        Ok(after)
    }

    /// The cards of `person`, in any state.
    pub async fn cards_of(&self, person: PersonId) -> Result<Vec<Card>> {
        let sql = format!("SELECT {CARD_COLUMNS} FROM cards WHERE person_id = $1 ORDER BY id");
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person.0).fetch_all(&self.pool).await?;
        rows.iter().map(rows::card).collect()
    }
}

async fn card_in(tx: &mut Tx, id: CardId) -> Result<Card> {
    let sql = format!("SELECT {CARD_COLUMNS} FROM cards WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(&mut **tx).await?;
    match row {
        Some(row) => rows::card(&row),
        None => Err(StoreError::not_found("card", id)),
    }
}

fn status_zh(status: CardStatus) -> &'static str {
    match status {
        CardStatus::Active => "正常使用",
        CardStatus::Voided => "已废卡",
        CardStatus::ReplacementRequested => "已申请补卡",
    }
}
