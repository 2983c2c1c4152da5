//! Change requests and their life: opened from an accepted [`Plan`], signed off by agencies
//! in order (R2.2, R2.3), confirmed or refused by the person (R2.4), effective, rejected or
//! withdrawn. Each method checks that the action is allowed now and changes the request; the
//! caller journals it and, when the request becomes ready, applies the change.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::agency::{Agency, Operator, Role};
use crate::business::BusinessLine;
use crate::changes::{FieldChanges, FieldDiff};
use crate::clock::CHINA;
use crate::ids::{AgencyId, OperatorId, PersonId, RequestId};
use crate::person::Person;
use crate::rules::{InputSource, Path, Plan, Refusal, RuleId};

/// Where a request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Saved, not submitted; its values may still be edited.
    Draft,
    /// Waiting for agencies to sign off.
    WaitingForSignoff,
    /// Waiting for the person to confirm.
    WaitingForPerson,
    /// Applied to the record.
    Effective,
    /// Rejected by an agency or refused by the person.
    Rejected,
    /// Withdrawn by the agency that made it.
    Withdrawn,
}

impl RequestState {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            RequestState::Draft => "draft",
            RequestState::WaitingForSignoff => "waiting_for_signoff",
            RequestState::WaitingForPerson => "waiting_for_person",
            RequestState::Effective => "effective",
            RequestState::Rejected => "rejected",
            RequestState::Withdrawn => "withdrawn",
        }
    }

    /// Parses [`RequestState::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        [
            RequestState::Draft,
            RequestState::WaitingForSignoff,
            RequestState::WaitingForPerson,
            RequestState::Effective,
            RequestState::Rejected,
            RequestState::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Whether the request still waits for something.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            RequestState::Draft | RequestState::WaitingForSignoff | RequestState::WaitingForPerson
        )
    }

    /// The label case workers see.
    pub fn name_zh(self) -> &'static str {
        match self {
            RequestState::Draft => "草稿",
            RequestState::WaitingForSignoff => "待各机构确认",
            RequestState::WaitingForPerson => "待本人确认",
            RequestState::Effective => "已生效",
            RequestState::Rejected => "已驳回",
            RequestState::Withdrawn => "已撤回",
        }
    }
}

/// One agency's sign-off of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignoffStep {
    /// The agency that signs.
    pub agency: AgencyId,
    /// The person's lines that agency holds.
    pub lines: Vec<BusinessLine>,
    /// Steps with a lower order must all be signed first.
    pub order: u32,
    /// Who signed and when, once signed.
    pub signed: Option<Signature>,
}

/// Who signed and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// The operator.
    pub operator: OperatorId,
    /// When.
    pub at: DateTime<Utc>,
    /// What the signing agency noted with its sign-off, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// How the person answered (R2.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    /// Whether the person agreed.
    pub accepted: bool,
    /// On the portal, or at a counter with the signed form.
    pub channel: ConfirmationChannel,
    /// When.
    pub at: DateTime<Utc>,
}

/// Where the person confirmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ConfirmationChannel {
    /// On the self-service portal, logged in as themselves.
    SelfService,
    /// At a counter; the operator records the reference of the form the person signed.
    Counter {
        /// The operator who recorded it.
        operator: OperatorId,
        /// The signed form's reference.
        form_reference: String,
    },
}

/// A change request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequest {
    /// Its id.
    pub id: RequestId,
    /// The person.
    pub person: PersonId,
    /// The values to store.
    pub changes: FieldChanges,
    /// Before and after of each field, against the record as it was when the request was made.
    pub diff: Vec<FieldDiff>,
    /// Where the card fields came from.
    pub source: InputSource,
    /// Sign-offs required, in order; empty when none are.
    pub steps: Vec<SignoffStep>,
    /// Whether the person must confirm.
    pub needs_confirmation: bool,
    /// The person's answer.
    pub confirmation: Option<Confirmation>,
    /// Where it is.
    pub state: RequestState,
    /// The rules that shaped it.
    pub rules: Vec<RuleId>,
    /// Where the proposal differed from the registry.
    pub registry_differences: Vec<FieldDiff>,
    /// Documents attached.
    pub documents: Vec<String>,
    /// Why the change is made, as the operator stated it.
    pub reason: String,
    /// Who made it.
    pub created_by: Option<OperatorId>,
    /// For which agency (none for self-service).
    pub agency: Option<AgencyId>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The day it must be finished (R4.1): the day it was accepted.
    pub due_on: NaiveDate,
    /// When it took effect, was rejected or withdrawn.
    pub closed_at: Option<DateTime<Utc>>,
    /// The comment of a rejection.
    pub comment: Option<String>,
}

/// What a sign-off or confirmation leaves to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Still waiting for other agencies or the person.
    Waiting,
    /// Everything required is there: check and apply the change.
    Ready,
}

/// Who opens a request.
#[derive(Clone, Copy, Debug)]
pub struct Opener<'a> {
    /// The operator and their agency, or `None` for the person on the portal.
    pub operator: Option<(&'a Operator, &'a Agency)>,
    /// When.
    pub at: DateTime<Utc>,
    /// The platform's day at that moment (China Standard Time).
    pub today: NaiveDate,
}

impl ChangeRequest {
    /// Opens a request for an accepted plan. The opening agency's own step is signed at once
    /// when its turn has come; the result is [`Progress::Ready`] when nothing else is needed.
    pub fn open(
        id: RequestId,
        person: &Person,
        plan: Plan,
        source: InputSource,
        reason: String,
        opener: Opener<'_>,
    ) -> (ChangeRequest, Progress) {
        let diff = plan.changes.diff(person);
        let (steps, needs_confirmation, state) = match plan.path {
            Path::Immediate => (Vec::new(), false, RequestState::Effective),
            Path::SignOff(steps) => (steps, false, RequestState::WaitingForSignoff),
            Path::PersonConfirms => (Vec::new(), true, RequestState::WaitingForPerson),
        };
        let mut request = ChangeRequest {
            id,
            person: person.id,
            changes: plan.changes,
            diff,
            source,
            steps,
            needs_confirmation,
            confirmation: None,
            state,
            rules: plan.rules,
            registry_differences: plan.registry_differences,
            documents: plan.documents,
            reason,
            created_by: opener.operator.map(|(o, _)| o.id),
            agency: opener.operator.map(|(_, a)| a.id),
            created_at: opener.at,
            due_on: opener.today,
            closed_at: None,
            comment: None,
        };
        if request.state == RequestState::WaitingForSignoff
            && let Some((operator, agency)) = opener.operator
            && request.turn_of(agency.id).is_ok()
        {
            request.sign(agency.id, operator.id, opener.at, None);
        }
        let progress = request.progress();
        (request, progress)
    }

    fn progress(&self) -> Progress {
        match self.state {
            RequestState::Effective => Progress::Ready,
            RequestState::WaitingForSignoff if self.steps.iter().all(|s| s.signed.is_some()) => {
                Progress::Ready
            }
            RequestState::WaitingForPerson
                if self.confirmation.as_ref().is_some_and(|c| c.accepted) =>
            {
                Progress::Ready
            }
            _ => Progress::Waiting,
        }
    }

    fn sign(
        &mut self,
        agency: AgencyId,
        operator: OperatorId,
        at: DateTime<Utc>,
        comment: Option<String>,
    ) {
        if let Some(step) = self.steps.iter_mut().find(|s| s.agency == agency) {
            step.signed = Some(Signature { operator, at, comment });
        }
    }

    /// Whether agency `agency` may sign now: it has an unsigned step and every step of a lower
    /// order is signed.
    fn turn_of(&self, agency: AgencyId) -> Result<&SignoffStep, Refusal> {
        let Some(step) = self.steps.iter().find(|s| s.agency == agency) else {
            return Err(Refusal::new(
                RuleId::SignOwnAgency,
                "not_a_signing_agency",
                "本机构不是此申请需要确认的机构；经办人员只能为本机构确认",
            )
            .with(json!({ "agency_id": agency })));
        };
        if step.signed.is_some() {
            return Err(Refusal::new(
                RuleId::SignOwnAgency,
                "already_signed",
                "本机构已确认过此申请",
            ));
        }
        let waiting: Vec<AgencyId> = self
            .steps
            .iter()
            .filter(|s| s.order < step.order && s.signed.is_none())
            .map(|s| s.agency)
            .collect();
        if !waiting.is_empty() {
            return Err(Refusal::new(
                RuleId::SignoffOrder,
                "signoff_out_of_order",
                "须先由就业经办机构修改确认，社保经办机构最后确认生效；请等待前序机构确认",
            )
            .with(json!({ "waiting_for": waiting })));
        }
        Ok(step)
    }

    /// Whether the request waits for `agency`'s sign-off and its turn has come: what an
    /// agency's inbox lists.
    pub fn awaits(&self, agency: AgencyId) -> bool {
        self.state == RequestState::WaitingForSignoff && self.turn_of(agency).is_ok()
    }

    fn require_state(&self, state: RequestState) -> Result<(), Refusal> {
        if self.state == state {
            return Ok(());
        }
        Err(Refusal::new(
            RuleId::RequestOpen,
            "request_not_waiting",
            format!("此申请当前状态为“{}”，不能进行此操作", self.state.name_zh()),
        )
        .with(json!({ "state": self.state.code() })))
    }

    /// Checks that `operator` of `agency` may sign now, without signing.
    pub fn check_signoff(&self, operator: &Operator, agency: &Agency) -> Result<(), Refusal> {
        self.require_state(RequestState::WaitingForSignoff)?;
        if !operator.has(Role::Handler) || operator.agency != agency.id {
            return Err(Refusal::new(
                RuleId::HandlerRole,
                "not_a_handler",
                "您的账号没有本机构的经办权限，不能确认",
            ));
        }
        self.turn_of(agency.id).map(|_| ())
    }

    /// Records the sign-off of `operator` for their agency.
    pub fn sign_off(
        &mut self,
        operator: &Operator,
        agency: &Agency,
        at: DateTime<Utc>,
    ) -> Result<Progress, Refusal> {
        self.sign_off_noting(operator, agency, at, None)
    }

    /// Records the sign-off of `operator` for their agency with what they noted (a blank
    /// comment is none).
    pub fn sign_off_noting(
        &mut self,
        operator: &Operator,
        agency: &Agency,
        at: DateTime<Utc>,
        comment: Option<String>,
    ) -> Result<Progress, Refusal> {
        self.check_signoff(operator, agency)?;
        let comment = comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
        self.sign(agency.id, operator.id, at, comment);
        Ok(self.progress())
    }

    /// An agency that must sign rejects the request instead.
    pub fn reject(
        &mut self,
        operator: &Operator,
        agency: &Agency,
        comment: String,
        at: DateTime<Utc>,
    ) -> Result<(), Refusal> {
        self.require_state(RequestState::WaitingForSignoff)?;
        if !operator.has(Role::Handler) || !self.steps.iter().any(|s| s.agency == agency.id) {
            return Err(Refusal::new(
                RuleId::SignOwnAgency,
                "not_a_signing_agency",
                "本机构不是此申请需要确认的机构，不能驳回",
            ));
        }
        self.state = RequestState::Rejected;
        self.comment = Some(comment);
        self.closed_at = Some(at);
        Ok(())
    }

    /// Records the person's answer. A refusal ends the request.
    pub fn confirm(&mut self, confirmation: Confirmation) -> Result<Progress, Refusal> {
        self.require_state(RequestState::WaitingForPerson)?;
        if let ConfirmationChannel::Counter { form_reference, .. } = &confirmation.channel
            && form_reference.trim().is_empty()
        {
            return Err(Refusal::new(
                RuleId::PersonConfirms,
                "form_reference_required",
                "柜台确认须填写本人签字确认单的编号",
            ));
        }
        let accepted = confirmation.accepted;
        let at = confirmation.at;
        self.confirmation = Some(confirmation);
        if !accepted {
            self.state = RequestState::Rejected;
            self.closed_at = Some(at);
        }
        Ok(self.progress())
    }

    /// The agency that made the request withdraws it.
    pub fn withdraw(&mut self, agency: &Agency, at: DateTime<Utc>) -> Result<(), Refusal> {
        if !self.state.is_open() {
            return Err(Refusal::new(
                RuleId::RequestOpen,
                "request_not_waiting",
                format!("此申请当前状态为“{}”，不能撤回", self.state.name_zh()),
            ));
        }
        if self.agency != Some(agency.id) {
            return Err(Refusal::new(
                RuleId::SignOwnAgency,
                "not_the_requesting_agency",
                "只有提出申请的机构可以撤回",
            ));
        }
        self.state = RequestState::Withdrawn;
        self.closed_at = Some(at);
        Ok(())
    }

    /// Replaces the proposed values; allowed only while the request is a draft.
    pub fn amend(&mut self, changes: FieldChanges) -> Result<(), Refusal> {
        if self.state != RequestState::Draft {
            return Err(Refusal::new(
                RuleId::FrozenPayload,
                "payload_frozen",
                "申请已提交，修改内容不能再编辑；如需更正，请撤回后重新提交",
            )
            .with(json!({ "state": self.state.code() })));
        }
        self.changes = changes;
        Ok(())
    }

    /// Marks the request applied.
    pub fn mark_effective(&mut self, at: DateTime<Utc>) {
        self.state = RequestState::Effective;
        self.closed_at = Some(at);
    }

    /// Whether the request is still open after the day it was due (R4.1).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.state.is_open() && today > self.due_on
    }

    /// How the request stands against same-day completion (R4.1) on `today`. `in_transit`
    /// says whether the person's in-transit business blocked it: for an open request, a
    /// transaction in transit now; for a finished one, a transaction in transit at some time
    /// between the request's acceptance and its end. A request is finished (办结) when it
    /// took effect, was rejected or was withdrawn; its day is counted in China Standard Time.
    pub fn timeliness(&self, today: NaiveDate, in_transit: bool) -> Timeliness {
        match self.closed_at {
            Some(closed) if !self.state.is_open() => {
                if closed.with_timezone(&CHINA).date_naive() <= self.due_on {
                    Timeliness::SameDay
                } else if in_transit {
                    Timeliness::Excused
                } else {
                    Timeliness::Late
                }
            }
            _ if in_transit => Timeliness::Blocked,
            _ if self.is_overdue(today) => Timeliness::Overdue,
            _ => Timeliness::Pending,
        }
    }
}

/// Where a request stands against same-day completion (R4.1); see
/// [`ChangeRequest::timeliness`]. The same-day completion rate is
/// `SameDay / (SameDay + Late + Overdue)`: a request blocked by in-transit business is
/// excused (R4.1's exception), and one still open on its own day is not decided yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Timeliness {
    /// Finished on the day it was accepted.
    SameDay,
    /// Finished on a later day, with nothing blocking it.
    Late,
    /// Finished on a later day while the person's in-transit business blocked it.
    Excused,
    /// Still open after its day, with nothing blocking it.
    Overdue,
    /// Still open while the person's in-transit business blocks it.
    Blocked,
    /// Still open on its own day.
    Pending,
}

impl Timeliness {
    /// Whether the request counts in the same-day completion rate.
    pub fn counts(self) -> bool {
        matches!(self, Timeliness::SameDay | Timeliness::Late | Timeliness::Overdue)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour_china: u32) -> DateTime<Utc> {
        let local = CHINA.with_ymd_and_hms(2026, 12, day, hour_china, 0, 0).single();
        local.map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    /// A request accepted on 2026-12-03 in `state`, closed at `closed` (day, hour in China).
    fn request(state: RequestState, closed: Option<(u32, u32)>) -> ChangeRequest {
        ChangeRequest {
            id: RequestId(1),
            person: PersonId(1),
            changes: FieldChanges::default(),
            diff: Vec::new(),
            source: InputSource::CardReader,
            steps: Vec::new(),
            needs_confirmation: false,
            confirmation: None,
            state,
            rules: Vec::new(),
            registry_differences: Vec::new(),
            documents: Vec::new(),
            reason: String::new(),
            created_by: None,
            agency: None,
            created_at: at(3, 9),
            due_on: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default(),
            closed_at: closed.map(|(day, hour)| at(day, hour)),
            comment: None,
        }
    }

    #[test]
    fn same_day_completion_follows_r4_1_in_china_time() {
        use RequestState::*;
        use Timeliness::*;
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default();
        // (state, closed at (day, hour in China), today, in transit, expected)
        let table = [
            (Effective, Some((3, 17)), day(5), false, SameDay),
            // 23:00 in China (15:00 UTC) is still the day it was accepted.
            (Effective, Some((3, 23)), day(5), false, SameDay),
            // 01:00 on the 4th in China is 17:00 UTC on the 3rd: the next day all the same.
            (Effective, Some((4, 1)), day(5), false, Late),
            (Rejected, Some((3, 10)), day(5), false, SameDay),
            (Withdrawn, Some((4, 10)), day(5), false, Late),
            (Effective, Some((6, 10)), day(7), true, Excused),
            (WaitingForSignoff, None, day(3), false, Pending),
            (WaitingForSignoff, None, day(4), false, Overdue),
            (WaitingForPerson, None, day(4), true, Blocked),
            (Draft, None, day(3), true, Blocked),
        ];
        for (state, closed, today, in_transit, expected) in table {
            let r = request(state, closed);
            assert_eq!(r.timeliness(today, in_transit), expected, "{state:?} {closed:?} {today}");
        }
        assert!(SameDay.counts() && Late.counts() && Overdue.counts());
        assert!(!Excused.counts() && !Blocked.counts() && !Pending.counts());
    }
}
