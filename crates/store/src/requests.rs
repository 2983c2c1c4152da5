//! Proposing a change: the rules decide inside the write transaction; an accepted change
//! becomes a [`ChangeRequest`], applied at once when nothing else is needed.

use personbase_domain::request::{Opener, Progress};
use personbase_domain::rules::{Actor, Decision, Proposal, decide_change};
use personbase_domain::{Agency, ChangeRequest, Operator, PersonId};
use serde_json::{Value, json};

use crate::Store;
use crate::apply::apply_request;
use crate::db::{Tx, begin_read, begin_write};
use crate::documents::{self, NewDocument};
use crate::error::{Result, StoreError};
use crate::journal::{self, Entry};
use crate::people::registry_differs;
use crate::reference::acting;
use crate::request_rows::{insert_request, next_request_id};
use crate::situation;

/// Who proposes a change.
#[derive(Clone, Copy, Debug)]
pub enum ActorRef<'a> {
    /// An operator at a counter; the store re-reads the operator and their agency.
    Operator(&'a Operator),
    /// The person on the self-service portal, acting on their own record only (R2.10).
    SelfService(PersonId),
}

/// The actor as re-read inside the transaction.
enum Acting {
    Operator(Operator, Agency),
    SelfService,
}

impl Acting {
    fn actor(&self) -> Actor<'_> {
        match self {
            Acting::Operator(operator, agency) => Actor::Operator { operator, agency },
            Acting::SelfService => Actor::SelfService,
        }
    }

    fn pair(&self) -> Option<(&Operator, &Agency)> {
        match self {
            Acting::Operator(operator, agency) => Some((operator, agency)),
            Acting::SelfService => None,
        }
    }
}

async fn resolve(tx: &mut Tx, actor: ActorRef<'_>, person: PersonId) -> Result<Acting> {
    match actor {
        ActorRef::Operator(operator) => {
            let (operator, agency) = acting(tx, operator).await?;
            Ok(Acting::Operator(operator, agency))
        }
        ActorRef::SelfService(own) if own == person => Ok(Acting::SelfService),
        ActorRef::SelfService(_) => Err(StoreError::Unauthorized),
    }
}

impl Store {
    /// What the rules would decide for `proposal`, without writing anything.
    pub async fn preview_change(
        &self,
        actor: ActorRef<'_>,
        person: PersonId,
        proposal: &Proposal,
    ) -> Result<Decision> {
        let mut tx = begin_read(&self.pool).await?;
        let acting = resolve(&mut tx, actor, person).await?;
        let loaded = situation::load(&mut tx, person, proposal.changes.ssn.as_ref()).await?;
        tx.commit().await?;
        let today = self.clock.today();
        Ok(decide_change(&self.policy, today, acting.actor(), &loaded.situation(), proposal))
    }

    /// Proposes a change of `person`'s record.
    ///
    /// In one write transaction: re-reads the actor, loads the situation (including the
    /// registry record and the holder of a new number), checks `expected_version` (stale:
    /// [`StoreError::Conflict`] with the current version), asks `decide_change`, opens the
    /// request (the opening agency's own step is signed when its turn has come), applies it
    /// when nothing else is needed, and journals `change.requested`, `change.signed`,
    /// `person.registry_differs` and `change.effective` as they happen.
    ///
    /// A refusal is journaled as `change.refused` (reason: the rule id) in its own
    /// transaction and returned as [`StoreError::Refused`]. An operator must give a reason.
    pub async fn propose_change(
        &self,
        actor: ActorRef<'_>,
        person: PersonId,
        proposal: Proposal,
        reason: &str,
        expected_version: Option<i64>,
    ) -> Result<ChangeRequest> {
        self.propose_change_with_documents(
            actor,
            person,
            proposal,
            reason,
            expected_version,
            Vec::new(),
        )
        .await
    }

    /// [`Store::propose_change`] with the supporting documents' files (R4.3), stored with the
    /// request in the same transaction and journaled as `document.attached` each. Files that
    /// are empty, too large ([`crate::MAX_DOCUMENT_BYTES`]), unnamed or too many are
    /// [`StoreError::Invalid`] before anything is written. Which documents the rules count as
    /// attached is `proposal.documents`, as with [`Store::propose_change`].
    pub async fn propose_change_with_documents(
        &self,
        actor: ActorRef<'_>,
        person: PersonId,
        proposal: Proposal,
        reason: &str,
        expected_version: Option<i64>,
        documents: Vec<NewDocument>,
    ) -> Result<ChangeRequest> {
        documents::check(&documents)?;
        if matches!(actor, ActorRef::Operator(_)) && reason.trim().is_empty() {
            return Err(StoreError::invalid("reason", "请填写修改原因"));
        }
        let now = self.clock.now();
        let today = self.clock.today();
        let mut tx = begin_write(&self.pool).await?;
        let acting = resolve(&mut tx, actor, person).await?;
        let loaded = situation::load(&mut tx, person, proposal.changes.ssn.as_ref()).await?;
        if let Some(expected) = expected_version
            && expected != loaded.person.version
        {
            return Err(StoreError::Conflict { current_version: loaded.person.version });
        }

        let decision =
            decide_change(&self.policy, today, acting.actor(), &loaded.situation(), &proposal);
        let plan = match decision {
            Ok(plan) => plan,
            Err(refusal) => {
                tx.rollback().await?;
                let entry = Entry {
                    operator: acting.pair().map(|(o, _)| o.id),
                    agency: acting.pair().map(|(_, a)| a.id),
                    action: "change.refused",
                    person: Some(person),
                    after: json!({ "proposal": proposal, "reason": reason }),
                    ..Entry::default()
                };
                return Err(self.refuse(entry, refusal).await);
            }
        };

        let id = next_request_id(&mut tx).await?;
        let registry_differences = plan.registry_differences.clone();
        let opener = Opener { operator: acting.pair(), at: now, today };
        let (mut request, progress) = ChangeRequest::open(
            id,
            &loaded.person,
            plan,
            proposal.source,
            reason.trim().to_owned(),
            opener,
        );
        let requested = Entry {
            operator: acting.pair().map(|(o, _)| o.id),
            agency: acting.pair().map(|(_, a)| a.id),
            action: "change.requested",
            person: Some(person),
            request: Some(id),
            before: Value::Null,
            after: json!(request),
            reason: request.reason.clone(),
        };
        journal::append(&mut tx, now, requested).await?;
        if let Some((operator, agency)) = acting.pair() {
            if request.steps.iter().any(|s| s.agency == agency.id && s.signed.is_some()) {
                let signed = signed_entry(operator, agency, &request);
                journal::append(&mut tx, now, signed).await?;
            }
            if !registry_differences.is_empty() {
                let differs = registry_differs(operator, agency, person, &registry_differences);
                journal::append(&mut tx, now, Entry { request: Some(id), ..differs }).await?;
            }
        }

        if progress == Progress::Ready {
            apply_request(&mut tx, &loaded.person, &mut request, acting.pair(), now).await?;
        }
        insert_request(&mut tx, &request).await?;
        let uploader = acting.pair().map(|(o, a)| (o.id, a.id));
        documents::insert_all(&mut tx, &request, uploader, now, documents).await?;
        tx.commit().await?;
        tracing::info!(
            person = person.0,
            request = id.0,
            state = request.state.code(),
            "change proposed"
        );
        Ok(request)
    }
}

/// The journal entry of one agency's sign-off.
pub(crate) fn signed_entry(operator: &Operator, agency: &Agency, request: &ChangeRequest) -> Entry {
    let step = request.steps.iter().find(|s| s.agency == agency.id);
    Entry {
        operator: Some(operator.id),
        agency: Some(agency.id),
        action: "change.signed",
        person: Some(request.person),
        request: Some(request.id),
        before: Value::Null,
        after: json!({ "step": step, "state": request.state }),
        reason: request.reason.clone(),
    }
}
