//! What a load needs from the files once the checks are done: every row without a finding
//! as a person to enter (a [`Candidate`]), with the enrolment its business line and holding
//! agency give (from its columns, else the file's `--line` and `--agency`); the rows that
//! cannot become one get a finding and are held back. Also the counts of a load and the
//! merge candidates: duplicates within one business line (R3.1).
//!
//! This module reads files and builds values; the store decides and writes.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use personbase_domain::{
    Address, Agency, AgencyId, BusinessLine, Field as DomainField, FieldDiff, NewPerson,
    PersonName, Phone,
};
use personbase_identity::{Ethnicity, Gender, HouseholdType, SocialSecurityNumber};
use serde::Serialize;

use crate::ImportError;
use crate::dates;
use crate::field::{ColumnMap, Field, Mapping};
use crate::finding::{Finding, kind};
use crate::lines::parse_line;
use crate::rowcheck::cell_text;
use crate::run::{Options, Outcome};
use crate::source::{Cell, Row, RowVisitor, Table, read_file};

/// Where enrolments come from: the file's business line and holding agency (flags or the
/// mapping file's `[defaults]`), and the platform's agencies that names and ids resolve to.
#[derive(Debug, Clone, Default)]
pub struct Enrolments {
    line: Option<BusinessLine>,
    agency: Option<Agency>,
    agencies: Vec<Agency>,
}

impl Enrolments {
    /// The file's line and agency: `line` and `agency` as given on the command line, else
    /// the mapping file's defaults. An agency is its id or its full name in the platform.
    /// A line or agency that names nothing is [`ImportError::Config`].
    pub fn new(
        line: Option<&str>,
        agency: Option<&str>,
        mapping: &Mapping,
        agencies: Vec<Agency>,
    ) -> Result<Enrolments, ImportError> {
        let line = line.or_else(|| mapping.defaults.get("business_line").map(String::as_str));
        let agency = agency.or_else(|| mapping.defaults.get("agency").map(String::as_str));
        let line = match line {
            Some(text) => Some(parse_line(text).ok_or_else(|| {
                ImportError::Config(format!(
                    "险种“{text}”无法识别（如 企业职工基本养老保险、110、pension）"
                ))
            })?),
            None => None,
        };
        let mut enrolments = Enrolments { line, agency: None, agencies };
        if let Some(text) = agency {
            let found = enrolments.resolve(text).ok_or_else(|| {
                ImportError::Config(format!(
                    "经办机构“{text}”在平台中找不到或不唯一（填编号或全称）"
                ))
            })?;
            enrolments.agency = Some(found.clone());
        }
        Ok(enrolments)
    }

    /// The agency a cell names: its id, or its full name when exactly one agency has it.
    pub fn resolve(&self, text: &str) -> Option<&Agency> {
        let t = text.trim();
        if let Ok(id) = t.parse::<i64>()
            && let Some(a) = self.agencies.iter().find(|a| a.id == AgencyId(id))
        {
            return Some(a);
        }
        let mut named = self.agencies.iter().filter(|a| a.name == t);
        match (named.next(), named.next()) {
            (Some(a), None) => Some(a),
            _ => None,
        }
    }

    /// The row's line and agency as the review list writes them: the cell, else the file's.
    pub(crate) fn texts(&self, row: &Row<'_>) -> (String, String) {
        let line = cell_text(row.cell(Field::BusinessLine))
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.into_owned())
            .or_else(|| self.line.map(|l| l.name_zh().to_owned()))
            .unwrap_or_default();
        let agency = cell_text(row.cell(Field::Agency))
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.into_owned())
            .or_else(|| self.agency.as_ref().map(|a| a.name.clone()))
            .unwrap_or_default();
        (line, agency)
    }

    /// The row's enrolment, `Ok(None)` when it names no line, or the finding that holds it
    /// back: an unknown line or agency, or a line without an agency.
    fn of(&self, row: &Row<'_>) -> Result<Option<(BusinessLine, &Agency)>, Held> {
        let line = match cell_text(row.cell(Field::BusinessLine)).filter(|t| !t.trim().is_empty()) {
            Some(text) => match parse_line(&text) {
                Some(l) => Some(l),
                None => {
                    let m = format!("险种“{}”无法识别", text.trim());
                    return Err((Field::BusinessLine, "line.unknown", m));
                }
            },
            None => self.line,
        };
        let agency = match cell_text(row.cell(Field::Agency)).filter(|t| !t.trim().is_empty()) {
            Some(text) => match self.resolve(&text) {
                Some(a) => Some(a),
                None => {
                    let m = format!("经办机构“{}”在平台中找不到或不唯一", text.trim());
                    return Err((Field::Agency, "agency.unknown", m));
                }
            },
            None => self.agency.as_ref(),
        };
        match (line, agency) {
            (Some(l), Some(a)) => Ok(Some((l, a))),
            (Some(l), None) => Err((
                Field::Agency,
                "agency.missing",
                format!("险种为“{}”，但没有经办机构", l.name_zh()),
            )),
            (None, _) => Ok(None),
        }
    }
}

/// Why a row cannot be entered: the field, the finding's code and what is wrong.
type Held = (Field, &'static str, String);

/// A clean row, ready for the store's rules of entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The table (file or sheet) in reading order.
    pub table: u16,
    /// The file, as given.
    pub file: String,
    /// The sheet of a workbook; empty for CSV.
    pub sheet: String,
    /// The row, as a spreadsheet shows it.
    pub row: u64,
    /// The columns of the row's table, whose headers findings name.
    pub columns: Arc<ColumnMap>,
    /// The person as the row gives it.
    pub person: NewPerson,
    /// The line and the agency holding it.
    pub enrolment: Option<(BusinessLine, AgencyId)>,
}

impl Candidate {
    /// The source the journal records: the file, and the sheet of a workbook.
    pub fn source(&self) -> String {
        if self.sheet.is_empty() {
            self.file.clone()
        } else {
            format!("{}#{}", self.file, self.sheet)
        }
    }

    /// A finding on this row's number, e.g. an occupied number.
    pub fn finding(&self, code: &'static str, message: String) -> Finding {
        Finding {
            table: self.table,
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: self.row,
            column: self.columns.header(Field::Number).to_owned(),
            value: self.person.ssn.as_str().to_owned(),
            code,
            message,
            action: kind(code).action_zh,
            related_row: None,
            related_table: None,
            division: self.person.ssn.division_code(),
        }
    }

    /// The notices of what the registry snapshot said of this row, which was entered (or
    /// would be): `registry.differs` for each field where the registry's value prevailed
    /// (R2.8), on that field's column with the row's value.
    pub fn registry_notices(&self, differences: &[FieldDiff]) -> Vec<Finding> {
        let shown = |field: DomainField, value: &Option<String>| {
            let value = value.as_deref().unwrap_or_default();
            match field {
                DomainField::Ethnicity => ethnicity_name(value),
                _ => value.to_owned(),
            }
        };
        differences
            .iter()
            .map(|diff| {
                let theirs = shown(diff.field, &diff.after);
                let message = format!("户籍库记载为“{theirs}”，录入平台的是户籍库的值（R2.8）");
                Finding {
                    column: self.columns.header(column_of(diff.field)).to_owned(),
                    value: shown(diff.field, &diff.before),
                    ..self.finding("registry.differs", message)
                }
            })
            .collect()
    }
}

/// The import's column for a field of the record.
fn column_of(field: DomainField) -> Field {
    match field {
        DomainField::Ssn => Field::Number,
        DomainField::Name => Field::Name,
        DomainField::Gender => Field::Gender,
        DomainField::BirthDate => Field::BirthDate,
        DomainField::Ethnicity => Field::Ethnicity,
        DomainField::HouseholdAddress => Field::HouseholdAddress,
        DomainField::HouseholdType => Field::HouseholdType,
        DomainField::HomeAddress => Field::HomeAddress,
        DomainField::Phone => Field::Phone,
    }
}

/// An ethnicity code as its name (`01` → 汉族).
fn ethnicity_name(code: &str) -> String {
    Ethnicity::parse(code).map_or_else(|| code.to_owned(), |e| e.name_zh().to_owned())
}

/// What the second reading found besides the candidates.
#[derive(Debug, Default)]
pub struct SecondPass {
    /// Findings of rows that cannot be entered as they are.
    pub findings: Vec<Finding>,
    /// Line and agency of the rows that duplicate findings name, for merge candidates.
    lines: HashMap<(u16, u64), (BusinessLine, String)>,
    /// The file of each table, in reading order.
    files: Vec<String>,
}

/// Whether a row has a finding; `findings` sorted by table and row.
fn held(findings: &[Finding], table: u16, row: u64) -> bool {
    findings.binary_search_by_key(&(table, row), |f| (f.table, f.row)).is_ok()
}

/// Reads the files again and hands every row without a finding in `outcome` to `send` as a
/// [`Candidate`], in batches of `batch` rows, in reading order; `send` returns `false` to
/// stop. Rows that cannot be entered get a finding in the returned [`SecondPass`].
pub fn candidates(
    options: &Options,
    outcome: &Outcome,
    enrolments: &Enrolments,
    batch: usize,
    send: &mut dyn FnMut(Vec<Candidate>) -> bool,
) -> Result<SecondPass, ImportError> {
    let mut wanted = HashSet::new();
    for f in outcome.findings.iter().filter(|f| f.code.starts_with("dup.")) {
        wanted.insert((f.table, f.row));
        if let (Some(t), Some(r)) = (f.related_table, f.related_row) {
            wanted.insert((t, r));
        }
    }
    let mut visitor = Second {
        findings: &outcome.findings,
        enrolments,
        wanted,
        tables: 0,
        table: None,
        columns: Arc::default(),
        batch: Vec::with_capacity(batch),
        size: batch.max(1),
        send,
        stopped: false,
        pass: SecondPass::default(),
    };
    for file in &options.files {
        read_file(file, &options.read, &mut visitor)?;
        if visitor.stopped {
            break;
        }
    }
    if !visitor.batch.is_empty() && !visitor.stopped {
        let last = std::mem::take(&mut visitor.batch);
        (visitor.send)(last);
    }
    Ok(visitor.pass)
}

struct Second<'a> {
    findings: &'a [Finding],
    enrolments: &'a Enrolments,
    wanted: HashSet<(u16, u64)>,
    tables: u16,
    table: Option<(u16, Table)>,
    /// The current table's columns, shared by its candidates.
    columns: Arc<ColumnMap>,
    batch: Vec<Candidate>,
    size: usize,
    send: &'a mut dyn FnMut(Vec<Candidate>) -> bool,
    stopped: bool,
    pass: SecondPass,
}

impl RowVisitor for Second<'_> {
    fn table(&mut self, table: &Table) {
        self.table = Some((self.tables, table.clone()));
        self.columns = Arc::new(table.map.clone());
        self.pass.files.push(table.file.clone());
        self.tables = self.tables.saturating_add(1);
    }

    fn row(&mut self, row: &Row<'_>) {
        let Some((index, table)) = &self.table else { return };
        if self.stopped {
            return;
        }
        let index = *index;
        if self.wanted.contains(&(index, row.number))
            && let Ok(Some((line, agency))) = self.enrolments.of(row)
        {
            self.pass.lines.insert((index, row.number), (line, agency.name.clone()));
        }
        if held(self.findings, index, row.number) {
            return;
        }
        match candidate(table, &self.columns, index, row, self.enrolments) {
            Ok(c) => self.batch.push(c),
            Err((field, code, message)) => {
                let value = cell_text(row.cell(field)).map(|t| t.into_owned()).unwrap_or_default();
                self.pass.findings.push(Finding {
                    table: index,
                    file: table.file.clone(),
                    sheet: table.sheet.clone(),
                    row: row.number,
                    column: table.map.header(field).to_owned(),
                    value,
                    code,
                    message,
                    action: kind(code).action_zh,
                    related_row: None,
                    related_table: None,
                    division: None,
                });
            }
        }
        if self.batch.len() >= self.size {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(self.size));
            if !(self.send)(full) {
                self.stopped = true;
            }
        }
    }

    fn progress(&mut self, _done: u64, _total: u64) {}
}

/// The row as a person to enter, or why it cannot be one.
fn candidate(
    table: &Table,
    columns: &Arc<ColumnMap>,
    index: u16,
    row: &Row<'_>,
    enrolments: &Enrolments,
) -> Result<Candidate, Held> {
    let text = |field: Field| {
        cell_text(row.cell(field)).map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
    };
    let missing = |field: Field| (field, "entry.incomplete", format!("缺少{}", field.name_zh()));
    let invalid = |field: Field, why: String| (field, "entry.incomplete", why);

    let number = text(Field::Number).ok_or_else(|| missing(Field::Number))?;
    let ssn =
        SocialSecurityNumber::parse(&number).map_err(|e| invalid(Field::Number, e.message_zh()))?;
    let name = text(Field::Name).ok_or_else(|| missing(Field::Name))?;
    let name =
        PersonName::parse(&name).map_err(|e| invalid(Field::Name, e.message_zh().to_owned()))?;
    let gender = text(Field::Gender)
        .and_then(|t| Gender::parse(&t))
        .filter(|g| matches!(g, Gender::Male | Gender::Female));
    let birth_date = birth(row.cell(Field::BirthDate));
    let ethnicity = text(Field::Ethnicity).ok_or_else(|| missing(Field::Ethnicity))?;
    let ethnicity = Ethnicity::parse(&ethnicity)
        .ok_or_else(|| invalid(Field::Ethnicity, format!("民族“{ethnicity}”无法识别")))?;
    let household_type = text(Field::HouseholdType).ok_or_else(|| missing(Field::HouseholdType))?;
    let household_type = HouseholdType::parse(&household_type).ok_or_else(|| {
        invalid(Field::HouseholdType, format!("户口性质“{household_type}”无法识别"))
    })?;
    let household_address =
        text(Field::HouseholdAddress).ok_or_else(|| missing(Field::HouseholdAddress))?;
    let household_address = Address::parse(&household_address)
        .map_err(|e| invalid(Field::HouseholdAddress, e.message_zh().to_owned()))?;
    let home_address = text(Field::HomeAddress).and_then(|t| Address::parse(&t).ok());
    let phone = text(Field::Phone).and_then(|t| Phone::parse(&t).ok());
    let enrolment = enrolments.of(row)?.map(|(line, agency)| (line, agency.id));

    Ok(Candidate {
        table: index,
        file: table.file.clone(),
        sheet: table.sheet.clone(),
        row: row.number,
        columns: Arc::clone(columns),
        person: NewPerson {
            ssn,
            name,
            gender,
            birth_date,
            ethnicity,
            household_address,
            household_type,
            home_address,
            phone,
        },
        enrolment,
    })
}

fn birth(cell: Cell<'_>) -> Option<NaiveDate> {
    match cell {
        Cell::Date(d) => Some(d),
        Cell::Float(f) => dates::from_excel_serial(f),
        Cell::Text(t) if !t.trim().is_empty() => dates::parse(t),
        _ => None,
    }
}

/// The counts of a load (or of its check against the platform). Every row read is counted
/// once: `loaded + already_present + held_back == rows`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LoadSummary {
    /// Whether anything was written (`--apply`).
    pub applied: bool,
    /// Data rows read.
    pub rows: u64,
    /// Rows entered as new records (or that would be, without `--apply`).
    pub loaded: u64,
    /// Rows whose person the platform already holds: not entered again.
    pub already_present: u64,
    /// Enrolments opened for persons already present (or that would be).
    pub enrolments_added: u64,
    /// Rows with a finding, kept back in the review list.
    pub held_back: u64,
}

impl LoadSummary {
    /// Whether the three counts add up to the rows read.
    pub fn adds_up(&self) -> bool {
        self.loaded + self.already_present + self.held_back == self.rows
    }
}

/// Two rows of one person within one business line: a merge for that line's agency (R3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeCandidate {
    /// The line.
    pub line: BusinessLine,
    /// The agency holding the earlier row's enrolment (its name).
    pub agency: String,
    /// The duplicate finding's code (`dup.identical`, `dup.conflict`, `dup.probable_*`).
    pub code: &'static str,
    /// The later row's file.
    pub file: String,
    /// The later row.
    pub row: u64,
    /// The earlier row's file.
    pub related_file: String,
    /// The earlier row.
    pub related_row: u64,
}

impl SecondPass {
    /// The duplicate findings whose two rows carry the same line: merge candidates.
    pub fn merge_candidates(&self, findings: &[Finding]) -> Vec<MergeCandidate> {
        let mut out = Vec::new();
        for f in findings.iter().filter(|f| f.code.starts_with("dup.")) {
            let (Some(rt), Some(rr)) = (f.related_table, f.related_row) else { continue };
            let (Some((line, _)), Some((earlier_line, agency))) =
                (self.lines.get(&(f.table, f.row)), self.lines.get(&(rt, rr)))
            else {
                continue;
            };
            if line == earlier_line {
                let related_file =
                    self.files.get(usize::from(rt)).cloned().unwrap_or_else(|| f.file.clone());
                out.push(MergeCandidate {
                    line: *line,
                    agency: agency.clone(),
                    code: f.code,
                    file: f.file.clone(),
                    row: f.row,
                    related_file,
                    related_row: rr,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use personbase_domain::{AgencyKind, Level};

    use super::*;

    fn agency(id: i64, name: &str) -> Agency {
        Agency {
            id: AgencyId(id),
            name: name.to_owned(),
            kind: AgencyKind::SocialInsurance,
            level: Level::County,
            division: 230103,
        }
    }

    #[test]
    fn agencies_by_id_or_unique_full_name_and_lines_from_flags_or_defaults() {
        let agencies =
            vec![agency(4, "南岗区社保局"), agency(5, "同名机构"), agency(6, "同名机构")];
        let e = Enrolments::new(Some("110"), Some("南岗区社保局"), &Mapping::default(), agencies)
            .unwrap();
        assert_eq!(e.line, Some(BusinessLine::Pension));
        assert_eq!(e.agency.as_ref().map(|a| a.id), Some(AgencyId(4)));
        assert_eq!(e.resolve(" 5 ").map(|a| a.id), Some(AgencyId(5)));
        assert_eq!(e.resolve("同名机构"), None);
        assert_eq!(e.resolve("南岗区"), None);

        let bad = Enrolments::new(None, Some("同名机构"), &Mapping::default(), e.agencies.clone());
        assert_eq!(bad.unwrap_err().code(), "import.config");
        assert_eq!(
            Enrolments::new(Some("其他"), None, &Mapping::default(), vec![]).unwrap_err().code(),
            "import.config"
        );
        let mapping: Mapping =
            toml::from_str("[defaults]\nbusiness_line = \"失业保险\"\nagency = \"4\"\n").unwrap();
        let d = Enrolments::new(None, None, &mapping, e.agencies.clone()).unwrap();
        assert_eq!(d.line, Some(BusinessLine::Unemployment));
        assert_eq!(d.agency.map(|a| a.id), Some(AgencyId(4)));
    }

    #[test]
    fn the_review_list_headers_are_read_back_as_the_same_fields() {
        for field in Field::ALL {
            assert_eq!(Field::from_header(field.name_zh()), Some(field), "{}", field.name_zh());
        }
    }
}
