//! Social security cards and the fields printed on their face (R2.14).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{CardId, PersonId};

/// Where a card is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardStatus {
    /// In use: its face must match the record, so printed fields cannot change.
    Active,
    /// Voided by an information centre (废卡).
    Voided,
    /// A replacement has been requested and is being made.
    ReplacementRequested,
}

impl CardStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            CardStatus::Active => "active",
            CardStatus::Voided => "voided",
            CardStatus::ReplacementRequested => "replacement_requested",
        }
    }

    /// Parses [`CardStatus::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        [CardStatus::Active, CardStatus::Voided, CardStatus::ReplacementRequested]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A social security card (社会保障卡).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    /// Its id.
    pub id: CardId,
    /// Whose card.
    pub person: PersonId,
    /// The card's own number (卡号).
    pub card_number: String,
    /// Its state.
    pub status: CardStatus,
    /// The name printed on its face.
    pub printed_name: String,
    /// The social security number printed on its face.
    pub printed_ssn: String,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
}
