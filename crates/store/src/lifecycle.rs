//! The life of a request after it was opened: sign-offs (R2.2, R2.3), the person's
//! confirmation (R2.4), rejection and withdrawal. The step that completes a request runs
//! `recheck_before_effect` and applies the change in the same transaction.

use chrono::{DateTime, Utc};
use personbase_domain::request::{ConfirmationChannel, Progress};
use personbase_domain::rules::recheck_before_effect;
use personbase_domain::{
    Agency, AgencyId, ChangeRequest, Confirmation, Operator, OperatorId, PersonId, Refusal,
    RequestId, RequestState, Role,
};
use serde_json::{Value, json};

use crate::Store;
use crate::apply::apply_request;
use crate::db::{Conn, Tx, begin_write};
use crate::error::{Result, StoreError};
use crate::journal::{self, Entry};
use crate::reference::{acting, agency_in, operator_in};
use crate::request_rows::{request_in, update_request};
use crate::requests::signed_entry;
use crate::situation;

impl Store {
    /// `by` signs `request` for their agency. Refused (and journaled as `change.refused`)
    /// when their agency has no step, has signed, or its turn has not come (R2.3). The last
    /// sign-off rechecks the record and applies the change (`change.effective`); a recheck
    /// that fails refuses the sign-off and leaves the request waiting.
    pub async fn sign_off(&self, by: &Operator, request: RequestId) -> Result<ChangeRequest> {
        self.sign_off_noting(by, request, None).await
    }

    /// [`Store::sign_off`] with what the signing agency notes (kept on its step and in the
    /// journal entry; a blank comment is none).
    pub async fn sign_off_noting(
        &self,
        by: &Operator,
        request: RequestId,
        comment: Option<&str>,
    ) -> Result<ChangeRequest> {
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        let (operator, agency) = acting(&mut tx, by).await?;
        let mut current = request_in(&mut tx, request).await?;

        let comment = comment.map(str::to_owned);
        let progress = match current.sign_off_noting(&operator, &agency, now, comment) {
            Ok(progress) => progress,
            Err(refusal) => {
                tx.rollback().await?;
                return Err(self
                    .refuse_step(&operator, &agency, &current, "sign_off", refusal)
                    .await);
            }
        };
        journal::append(&mut tx, now, signed_entry(&operator, &agency, &current)).await?;
        if progress == Progress::Ready
            && let Err(refusal) =
                self.take_effect(&mut tx, &mut current, Some((&operator, &agency)), now).await?
        {
            tx.rollback().await?;
            return Err(self.refuse_step(&operator, &agency, &current, "sign_off", refusal).await);
        }
        update_request(&mut tx, &current).await?;
        tx.commit().await?;
        tracing::info!(
            request = request.0,
            agency = agency.id.0,
            state = current.state.code(),
            "signed off"
        );
        Ok(current)
    }

    /// An agency that must sign rejects `request` with `comment`; journaled as
    /// `change.rejected`.
    pub async fn reject_request(
        &self,
        by: &Operator,
        request: RequestId,
        comment: &str,
    ) -> Result<ChangeRequest> {
        if comment.trim().is_empty() {
            return Err(StoreError::invalid("comment", "驳回须填写理由"));
        }
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        let (operator, agency) = acting(&mut tx, by).await?;
        let mut current = request_in(&mut tx, request).await?;
        if let Err(refusal) = current.reject(&operator, &agency, comment.trim().to_owned(), now) {
            tx.rollback().await?;
            return Err(self.refuse_step(&operator, &agency, &current, "reject", refusal).await);
        }
        let entry = Entry {
            operator: Some(operator.id),
            agency: Some(agency.id),
            action: "change.rejected",
            person: Some(current.person),
            request: Some(current.id),
            before: Value::Null,
            after: json!({ "state": current.state }),
            reason: comment.trim().to_owned(),
        };
        journal::append(&mut tx, now, entry).await?;
        update_request(&mut tx, &current).await?;
        tx.commit().await?;
        tracing::info!(request = request.0, agency = agency.id.0, "request rejected");
        Ok(current)
    }

    /// Records the person's answer to `request` (R2.4); its moment is taken from the store's
    /// clock. On the portal (`ConfirmationChannel::SelfService`) `person` must be the
    /// request's person; at a counter the channel names the operator, who must be a
    /// handler of the requesting agency or of one holding an active enrolment of the person
    /// ([`Store::may_record_confirmation`] asks the same). An acceptance rechecks and applies the change; when the recheck refuses,
    /// nothing is recorded and the refusal is returned (journaled as `change.refused`). The
    /// person declining ends the request. Journaled as `change.confirmed` (or
    /// `change.rejected` when the person declines).
    pub async fn confirm_request(
        &self,
        request: RequestId,
        mut confirmation: Confirmation,
        person: Option<PersonId>,
    ) -> Result<ChangeRequest> {
        let now = self.clock.now();
        confirmation.at = now;
        let mut tx = begin_write(&self.pool).await?;
        let mut current = request_in(&mut tx, request).await?;
        let recorder = match &confirmation.channel {
            ConfirmationChannel::SelfService => {
                if person != Some(current.person) {
                    return Err(StoreError::Unauthorized);
                }
                None
            }
            ConfirmationChannel::Counter { operator, .. } => {
                if person.is_some_and(|p| p != current.person) {
                    return Err(StoreError::Unauthorized);
                }
                let recorder = counter_recorder(&mut tx, *operator, &current).await?;
                Some(recorder.ok_or(StoreError::Unauthorized)?)
            }
        };
        let by = recorder.as_ref().map(|(o, a)| (o, a));

        let accepted = confirmation.accepted;
        let answer = json!(confirmation);
        let progress = match current.confirm(confirmation) {
            Ok(progress) => progress,
            Err(refusal) => {
                tx.rollback().await?;
                let entry = step_entry(by, &current, "confirm");
                return Err(self.refuse(entry, refusal).await);
            }
        };
        let entry = Entry {
            operator: by.map(|(o, _)| o.id),
            agency: by.map(|(_, a)| a.id),
            action: if accepted { "change.confirmed" } else { "change.rejected" },
            person: Some(current.person),
            request: Some(current.id),
            before: Value::Null,
            after: answer,
            reason: if accepted { "person confirmed" } else { "person declined" }.to_owned(),
        };
        journal::append(&mut tx, now, entry).await?;
        if progress == Progress::Ready
            && let Err(refusal) = self.take_effect(&mut tx, &mut current, by, now).await?
        {
            tx.rollback().await?;
            let entry = step_entry(by, &current, "confirm");
            return Err(self.refuse(entry, refusal).await);
        }
        update_request(&mut tx, &current).await?;
        tx.commit().await?;
        tracing::info!(request = request.0, state = current.state.code(), "confirmation recorded");
        Ok(current)
    }

    /// Whether `by` may record the person's answer to `request` at the counter now: the
    /// request waits for the person and `by` is one [`Store::confirm_request`] accepts for
    /// the counter channel. Pages offer the counter form only then; the decision is the same
    /// function the confirmation runs. Reads only.
    pub async fn may_record_confirmation(&self, by: &Operator, request: RequestId) -> Result<bool> {
        let mut conn = self.pool.acquire().await?;
        let current = request_in(&mut conn, request).await?;
        if current.state != RequestState::WaitingForPerson {
            return Ok(false);
        }
        Ok(counter_recorder(&mut conn, by.id, &current).await?.is_some())
    }

    /// The agency that made `request` withdraws it; journaled as `change.withdrawn`.
    pub async fn withdraw_request(
        &self,
        by: &Operator,
        request: RequestId,
    ) -> Result<ChangeRequest> {
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        let (operator, agency) = acting(&mut tx, by).await?;
        let mut current = request_in(&mut tx, request).await?;
        if let Err(refusal) = current.withdraw(&agency, now) {
            tx.rollback().await?;
            return Err(self.refuse_step(&operator, &agency, &current, "withdraw", refusal).await);
        }
        let entry = Entry {
            operator: Some(operator.id),
            agency: Some(agency.id),
            action: "change.withdrawn",
            person: Some(current.person),
            request: Some(current.id),
            before: Value::Null,
            after: json!({ "state": current.state }),
            reason: String::new(),
        };
        journal::append(&mut tx, now, entry).await?;
        update_request(&mut tx, &current).await?;
        tx.commit().await?;
        tracing::info!(request = request.0, agency = agency.id.0, "request withdrawn");
        Ok(current)
    }

    /// Rechecks the record (R2.12, stale values, occupied number) and applies the request.
    /// `Ok(Err(refusal))` when the recheck refuses; the caller rolls back.
    async fn take_effect(
        &self,
        tx: &mut Tx,
        request: &mut ChangeRequest,
        by: Option<(&Operator, &Agency)>,
        at: DateTime<Utc>,
    ) -> Result<Result<(), Refusal>> {
        let loaded = situation::load(tx, request.person, request.changes.ssn.as_ref()).await?;
        if let Err(refusal) = recheck_before_effect(&self.policy, &loaded.situation(), request) {
            return Ok(Err(refusal));
        }
        apply_request(tx, &loaded.person, request, by, at).await?;
        Ok(Ok(()))
    }

    async fn refuse_step(
        &self,
        operator: &Operator,
        agency: &Agency,
        request: &ChangeRequest,
        attempt: &str,
        refusal: Refusal,
    ) -> StoreError {
        self.refuse(step_entry(Some((operator, agency)), request, attempt), refusal).await
    }
}

/// The journal entry of a refused step on `request`.
fn step_entry(by: Option<(&Operator, &Agency)>, request: &ChangeRequest, attempt: &str) -> Entry {
    Entry {
        operator: by.map(|(o, _)| o.id),
        agency: by.map(|(_, a)| a.id),
        action: "change.refused",
        person: Some(request.person),
        request: Some(request.id),
        after: json!({ "step": attempt }),
        ..Entry::default()
    }
}

/// Who records a counter confirmation of `request` as `operator`: a handler of the
/// requesting agency or of one holding an active enrolment of the person (R1.3, R2.4), with
/// their agency; `None` when `operator` may not.
async fn counter_recorder(
    conn: &mut Conn,
    operator: OperatorId,
    request: &ChangeRequest,
) -> Result<Option<(Operator, Agency)>> {
    let operator = operator_in(conn, operator).await?;
    if !operator.has(Role::Handler) {
        return Ok(None);
    }
    let agency = agency_in(conn, operator.agency).await?;
    if request.agency != Some(agency.id) && !holds_person(conn, agency.id, request.person).await? {
        return Ok(None);
    }
    Ok(Some((operator, agency)))
}

/// Whether `agency` holds an active enrolment of `person`.
async fn holds_person(conn: &mut Conn, agency: AgencyId, person: PersonId) -> Result<bool> {
    let row = sqlx::query(
        "SELECT 1 FROM enrolments WHERE person_id = $1 AND agency_id = $2 AND active = TRUE",
    )
    .bind(person.0)
    .bind(agency.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}
