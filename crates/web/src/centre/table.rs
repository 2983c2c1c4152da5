//! The centre's tables as data: one [`Table`] is rendered as HTML on the page and written to
//! the Excel export, so both hold the same rows under the same Chinese headers.

use std::collections::HashMap;

use personbase_domain::{
    Agency, AgencyId, BusinessLine, ChangeRequest, Field, OperatorId, PersonId,
};
use personbase_identity::{Ethnicity, Gender, HouseholdType};
use personbase_server::views::mask_json;
use personbase_store::{JournalEntry, RegionOverview, Tally};
use serde_json::Value;

use crate::text;

/// A table's cell: text, a number for the spreadsheet, and a link on the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// What the page shows.
    pub text: String,
    /// The value the spreadsheet stores as a number; a rate is a fraction (`0.667`).
    pub number: Option<Number>,
    /// Where the page links the cell to.
    pub href: Option<String>,
}

/// A number in a spreadsheet cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A count or an id.
    Count(f64),
    /// A fraction shown as a percentage.
    Rate(f64),
}

impl Cell {
    fn text(text: impl Into<String>) -> Self {
        Cell { text: text.into(), number: None, href: None }
    }

    fn count(n: impl Into<i64>) -> Self {
        let n = n.into();
        // Counts and ids stay far below 2^53, where f64 is exact.
        #[allow(clippy::cast_precision_loss, reason = "ids and counts are far below 2^53")]
        let value = n as f64;
        Cell { text: n.to_string(), number: Some(Number::Count(value)), href: None }
    }

    fn rate(rate: Option<f64>) -> Self {
        Cell {
            text: text::percent(rate),
            number: rate.map(|r| Number::Rate(r / 100.0)),
            href: None,
        }
    }

    fn link(mut self, href: String) -> Self {
        self.href = Some(href);
        self
    }
}

/// A table of the centre's pages.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Its element id, also its name in export links (`/centre/export/{id}`).
    pub id: &'static str,
    /// Its title.
    pub title: String,
    /// Its short name: the worksheet's, and the exported file's before the date.
    pub sheet: &'static str,
    /// Column headers.
    pub headers: Vec<&'static str>,
    /// Rows of cells, as many as headers.
    pub rows: Vec<Vec<Cell>>,
    /// The export link: this table's route with `format=xlsx`.
    pub export: String,
}

/// What a table shows of a person: the masked name and number, by record id.
pub type People = HashMap<PersonId, String>;

/// Names of agencies and operators, for the tables.
#[derive(Debug, Default)]
pub struct Names {
    /// Agencies by id.
    pub agencies: HashMap<AgencyId, String>,
    /// Operators by id.
    pub operators: HashMap<OperatorId, String>,
}

impl Names {
    /// The names of `agencies`.
    pub fn of(agencies: &[Agency]) -> Self {
        Names {
            agencies: agencies.iter().map(|a| (a.id, a.name.clone())).collect(),
            operators: HashMap::new(),
        }
    }

    fn agency(&self, id: Option<AgencyId>) -> String {
        match id {
            Some(id) => self.agencies.get(&id).cloned().unwrap_or_else(|| text::UNKNOWN.into()),
            None => text::SELF_SERVICE_CHANNEL.to_owned(),
        }
    }

    fn operator(&self, id: Option<OperatorId>) -> String {
        match id {
            Some(id) => self.operators.get(&id).cloned().unwrap_or_else(|| text::UNKNOWN.into()),
            None => text::NO_OPERATOR.to_owned(),
        }
    }
}

fn person_cell(people: &People, id: PersonId) -> Cell {
    let shown = people.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    Cell::text(shown).link(format!("/centre/audit?person={id}"))
}

fn waiting(request: &ChangeRequest, names: &Names) -> String {
    if request.needs_confirmation && request.confirmation.is_none() {
        return text::WAITING_PERSON.to_owned();
    }
    let agencies: Vec<String> = request
        .steps
        .iter()
        .filter(|s| s.signed.is_none())
        .map(|s| names.agency(Some(s.agency)))
        .collect();
    if agencies.is_empty() { text::DASH.to_owned() } else { agencies.join("、") }
}

/// `#open-requests`: the region's open requests, oldest day first.
pub fn open_requests(overview: &RegionOverview, people: &People, names: &Names) -> Table {
    let rows = overview
        .open
        .iter()
        .map(|open| {
            let r = &open.request;
            vec![
                Cell::count(r.id.0),
                person_cell(people, r.person),
                Cell::text(r.state.name_zh()),
                Cell::text(names.agency(r.agency)),
                Cell::text(text::datetime(r.created_at)),
                Cell::text(text::date(r.due_on)),
                Cell::text(waiting(r, names)),
                Cell::text(if open.in_transit { text::YES } else { text::NO }),
            ]
        })
        .collect();
    Table {
        id: "open-requests",
        sheet: text::SHEET_OPEN,
        title: text::OPEN_REQUESTS.to_owned(),
        headers: vec![
            text::COL_REQUEST,
            text::COL_PERSON,
            text::COL_STATE,
            text::COL_ACCEPTED_BY,
            text::COL_ACCEPTED_AT,
            text::COL_DUE,
            text::COL_WAITING,
            text::COL_IN_TRANSIT,
        ],
        rows,
        export: "/centre/export/open-requests?format=xlsx".to_owned(),
    }
}

/// `#overdue-requests`: open after their day, not blocked (R4.1), oldest day first.
pub fn overdue_requests(overview: &RegionOverview, people: &People, names: &Names) -> Table {
    let rows = overview
        .overdue
        .iter()
        .map(|r| {
            vec![
                Cell::count(r.id.0),
                person_cell(people, r.person),
                Cell::text(r.state.name_zh()),
                Cell::text(names.agency(r.agency)),
                Cell::text(text::date(r.due_on)),
                Cell::count((overview.today - r.due_on).num_days()),
                Cell::text(waiting(r, names)),
            ]
        })
        .collect();
    Table {
        id: "overdue-requests",
        sheet: text::SHEET_OVERDUE,
        title: text::OVERDUE_REQUESTS.to_owned(),
        headers: vec![
            text::COL_REQUEST,
            text::COL_PERSON,
            text::COL_STATE,
            text::COL_ACCEPTED_BY,
            text::COL_DUE,
            text::COL_DAYS_OVERDUE,
            text::COL_WAITING,
        ],
        rows,
        export: "/centre/export/overdue-requests?format=xlsx".to_owned(),
    }
}

const TALLY_HEADERS: [&str; 7] = [
    text::COL_ACCEPTED,
    text::COL_SAME_DAY,
    text::COL_LATE,
    text::COL_OVERDUE,
    text::COL_EXCUSED,
    text::COL_PENDING,
    text::COL_RATE,
];

fn tally_cells(first: Cell, tally: &Tally) -> Vec<Cell> {
    vec![
        first,
        Cell::count(tally.accepted),
        Cell::count(tally.same_day),
        Cell::count(tally.late),
        Cell::count(tally.overdue),
        Cell::count(tally.excused),
        Cell::count(tally.pending),
        Cell::rate(tally.rate()),
    ]
}

/// `#completion-agency`: same-day completion per accepting agency.
pub fn completion_agency(overview: &RegionOverview) -> Table {
    let rows = overview
        .by_agency
        .iter()
        .map(|c| {
            let name = c.agency.as_ref().map(|a| a.name.clone());
            let name = name.unwrap_or_else(|| text::SELF_SERVICE_CHANNEL.to_owned());
            tally_cells(Cell::text(name), &c.tally)
        })
        .collect();
    let mut headers = vec![text::COL_ACCEPTED_BY];
    headers.extend(TALLY_HEADERS);
    Table {
        id: "completion-agency",
        sheet: text::SHEET_AGENCY,
        title: text::COMPLETION_AGENCY.to_owned(),
        headers,
        rows,
        export: "/centre/export/completion-agency?format=xlsx".to_owned(),
    }
}

/// `#completion-day`: same-day completion per day, newest first.
pub fn completion_day(overview: &RegionOverview) -> Table {
    let rows = overview
        .by_day
        .iter()
        .rev()
        .map(|c| tally_cells(Cell::text(text::date(c.day)), &c.tally))
        .collect();
    let mut headers = vec![text::COL_DAY];
    headers.extend(TALLY_HEADERS);
    Table {
        id: "completion-day",
        sheet: text::SHEET_DAY,
        title: text::COMPLETION_DAY.to_owned(),
        headers,
        rows,
        export: "/centre/export/completion-day?format=xlsx".to_owned(),
    }
}

/// `#audit-trail`: journal entries, oldest first, personal values masked. `query` is the
/// trail's own query string (`person=7`), for the export link.
pub fn audit_trail(
    title: String,
    query: &str,
    entries: Vec<JournalEntry>,
    people: &People,
    names: &Names,
) -> Table {
    let rows = entries
        .into_iter()
        .map(|e| {
            let person = match e.person {
                Some(id) => person_cell(people, id),
                None => Cell::text(text::DASH),
            };
            let request = match e.request {
                Some(id) => Cell::count(id.0),
                None => Cell::text(text::DASH),
            };
            vec![
                Cell::count(e.seq),
                Cell::text(text::datetime(e.at)),
                Cell::text(names.operator(e.operator)),
                Cell::text(names.agency_or_dash(e.agency)),
                Cell::text(text::audit_action(&e.action)),
                person,
                request,
                Cell::text(summary(mask_json(e.before, None))),
                Cell::text(summary(mask_json(e.after, None))),
                Cell::text(if e.reason.is_empty() { text::DASH.to_owned() } else { e.reason }),
            ]
        })
        .collect();
    Table {
        id: "audit-trail",
        sheet: text::SHEET_AUDIT,
        title,
        headers: vec![
            text::COL_SEQ,
            text::COL_TIME,
            text::COL_OPERATOR,
            text::COL_AGENCY,
            text::COL_ACTION,
            text::COL_PERSON,
            text::COL_REQUEST,
            text::COL_BEFORE,
            text::COL_AFTER,
            text::COL_REASON,
        ],
        rows,
        export: format!("/centre/export/audit-trail?{query}&format=xlsx"),
    }
}

impl Names {
    fn agency_or_dash(&self, id: Option<AgencyId>) -> String {
        match id {
            Some(_) => self.agency(id),
            None => text::DASH.to_owned(),
        }
    }
}

/// A masked journal document in one line: `姓名：张*；联系电话：138****5678`. Keys that
/// name a field read as the field's Chinese label; a field's diff reads `姓名：张* → 李*`.
pub fn summary(value: Value) -> String {
    match value {
        Value::Null => text::DASH.to_owned(),
        Value::String(s) => s,
        Value::Object(map) => {
            if let Some(field) = map.get("field").and_then(Value::as_str).and_then(Field::from_code)
                && (map.contains_key("before") || map.contains_key("after"))
            {
                let side = |key: &str| map.get(key).cloned().map(summary).unwrap_or_default();
                return format!("{}：{} → {}", field.name_zh(), side("before"), side("after"));
            }
            // A request: what it changes is what a reader looks for.
            if let Some(diff) = map.get("diff") {
                return summary(diff.clone());
            }
            let parts: Vec<String> = map
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let coded = |v: &Value| v.as_str().and_then(|c| code_name(&k, c));
                    // A list of codes (`fields`, `lines`) reads as their Chinese names.
                    let names: Option<Vec<&str>> = match &v {
                        Value::Array(items) if !items.is_empty() => {
                            items.iter().map(coded).collect()
                        }
                        _ => None,
                    };
                    let names = names.map(|n| format!("[{}]", n.join("，")));
                    let shown = match (&v, coded(&v)) {
                        (_, Some(name)) => name.to_owned(),
                        (Value::Array(_), None) if names.is_some() => names.unwrap_or_default(),
                        (Value::Object(_), None) => format!("（{}）", summary(v)),
                        (_, None) => summary(v),
                    };
                    let label = Field::from_code(&k)
                        .map(Field::name_zh)
                        .or_else(|| text::journal_key(&k))
                        .map_or(k, str::to_owned);
                    format!("{label}：{shown}")
                })
                .collect();
            if parts.is_empty() { text::DASH.to_owned() } else { parts.join("；") }
        }
        Value::Array(items) => {
            let parts: Vec<String> = items.into_iter().map(summary).collect();
            format!("[{}]", parts.join("，"))
        }
        Value::Bool(yes) => if yes { text::YES } else { text::NO }.to_owned(),
        other => other.to_string(),
    }
}

/// The Chinese name of a coded value under `key`: gender, ethnicity, household type,
/// business line, a record's status or a value's source.
fn code_name(key: &str, code: &str) -> Option<&'static str> {
    match key {
        "gender" => Gender::parse(code).map(Gender::name_zh),
        "ethnicity" => Ethnicity::from_code(code).map(Ethnicity::name_zh),
        "household_type" => HouseholdType::from_code(code).map(HouseholdType::name_zh),
        "line" | "lines" => BusinessLine::from_code(code).map(BusinessLine::name_zh),
        "field" | "fields" => Field::from_code(code).map(Field::name_zh),
        _ => text::journal_code(key, code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_journal_document_reads_as_labelled_masked_values() {
        let record = mask_json(
            json!({ "person": { "name": "张三丰", "gender": "male", "ethnicity": "01",
                "household_type": "20", "status": "active" },
                "phone": "13812345678", "version": 2, "odd": true, "source": "card_reader" }),
            None,
        );
        let line = summary(record);
        assert!(line.contains("人员：（"), "{line}");
        assert!(line.contains("姓名：张**"), "{line}");
        assert!(line.contains("性别：男"), "{line}");
        assert!(line.contains("民族：汉族"), "{line}");
        assert!(line.contains("状态：正常"), "{line}");
        assert!(line.contains("信息来源：读卡器读取"), "{line}");
        assert!(line.contains("版本：2"), "{line}");
        assert!(line.contains("odd：是"), "{line}");

        // Keys, flags and lists of codes of the other journal documents read in Chinese.
        let other = json!({ "active": true, "line": "pension",
            "details": { "fields": ["name", "phone"] }, "file_name": "a.pdf" });
        let line = summary(mask_json(other, None));
        assert!(line.contains("有效：是"), "{line}");
        assert!(line.contains("项目：[姓名，联系电话]"), "{line}");
        assert!(line.contains("文件名：a.pdf"), "{line}");
        assert!(!line.contains("active") && !line.contains("true"), "{line}");
        assert!(!line.contains("三丰") && !line.contains("12345678"), "{line}");

        let request = mask_json(
            json!({ "id": 4, "diff": [{ "field": "name", "before": "张三丰", "after": "张三" }] }),
            None,
        );
        assert_eq!(summary(request), "[姓名：张** → 张*]");
        assert_eq!(summary(Value::Null), "—");
    }

    #[test]
    fn a_sign_offs_comment_is_not_called_a_rejection_reason() {
        let signed = json!({ "step": { "signed": { "at": "2026-12-04T03:00:00Z",
            "comment": "材料齐全", "operator": 9 } } });
        let line = summary(mask_json(signed, None));
        assert!(line.contains("意见：材料齐全"), "{line}");
        assert!(line.contains("时间："), "{line}");
        assert!(!line.contains("驳回") && !line.contains("at："), "{line}");
    }
}
