//! The registry discrepancy work lists of `personbase registry reconcile`: one CSV per
//! agency (UTF-8 with a byte order mark, so that Excel opens it as UTF-8) and one workbook
//! with a sheet per agency and a summary sheet, all with Chinese headers. Rows are written
//! as they come (the workbook's sheets in constant-memory mode), so memory stays bounded.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use personbase_domain::{Agency, AgencyId, Refusal, RequestId};
use rust_xlsxwriter::{Format, Workbook};

/// The workbook's file name in the output folder.
pub const WORKBOOK: &str = "户籍库核对工作清单.xlsx";

/// The columns of every list.
const HEADER: [&str; 10] = [
    "人员编号",
    "社会保障号码",
    "姓名",
    "问题",
    "项目",
    "本系统记录",
    "户籍库记载",
    "处理结果",
    "规则",
    "说明",
];

/// What `--apply` did with a row of the operator's agency's list.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// The registry's values were stored at once.
    Corrected,
    /// A request was opened that waits for sign-offs (R2.2, R2.3).
    WaitingForSignoff(RequestId),
    /// A request was opened that waits for the person's confirmation (R2.4).
    WaitingForPerson(RequestId),
    /// A registry correction of this person already waits; none was proposed again.
    AlreadyWaiting,
    /// The rules refused the correction.
    Refused(Refusal),
    /// The record changed between the comparison and the correction.
    Stale,
    /// The number is not in the registry: nothing to correct it to.
    Unresolvable,
}

impl Outcome {
    const ALL: [(&'static str, &'static str); 7] = [
        ("corrected", "已更正"),
        ("waiting_for_signoff", "等待签核"),
        ("waiting_for_person", "等待本人确认"),
        ("already_waiting", "已有更正申请在办"),
        ("refused", "规则不允许更正"),
        ("stale", "记录已变动，未更正"),
        ("not_in_registry", "须人工核实"),
    ];

    /// A stable code.
    pub fn code(&self) -> &'static str {
        Self::ALL[self.index()].0
    }

    /// What the list shows.
    pub fn name_zh(&self) -> &'static str {
        Self::ALL[self.index()].1
    }

    /// The Chinese name of [`Outcome::code`] `code`.
    pub fn name_of(code: &str) -> &'static str {
        Self::ALL.iter().find(|(c, _)| *c == code).map_or("", |(_, name)| name)
    }

    fn index(&self) -> usize {
        match self {
            Outcome::Corrected => 0,
            Outcome::WaitingForSignoff(_) => 1,
            Outcome::WaitingForPerson(_) => 2,
            Outcome::AlreadyWaiting => 3,
            Outcome::Refused(_) => 4,
            Outcome::Stale => 5,
            Outcome::Unresolvable => 6,
        }
    }

    /// The refusing rule and its code, e.g. `in-transit-blocks in_transit_business`.
    pub fn rule(&self) -> Option<String> {
        match self {
            Outcome::Refused(r) => Some(format!("{} {}", r.rule.code(), r.code)),
            _ => None,
        }
    }

    /// What to do, in Chinese.
    pub fn note(&self) -> String {
        match self {
            Outcome::Corrected => "已按户籍库更正，记入审计日志".to_owned(),
            Outcome::WaitingForSignoff(id) => {
                format!("已提出更正申请（申请号 {}），待各机构按顺序签核后生效", id.0)
            }
            Outcome::WaitingForPerson(id) => {
                format!("已提出更正申请（申请号 {}），待本人确认后生效", id.0)
            }
            Outcome::AlreadyWaiting => {
                "此前提出的按户籍库更正申请尚在等待签核或本人确认，未重复提出".to_owned()
            }
            Outcome::Refused(r) => r.message.clone(),
            Outcome::Stale => "核对后记录已被修改，未更正；请重新核对".to_owned(),
            Outcome::Unresolvable => {
                "户籍库无此号码，无法按户籍库更正；请读取居民身份证核实号码，或向公安机关核实户籍"
                    .to_owned()
            }
        }
    }
}

/// One row of a work list.
#[derive(Clone, Debug, Default)]
pub struct WorkRow {
    /// The record's id.
    pub person: i64,
    /// The number, masked.
    pub ssn: String,
    /// The name, masked.
    pub name: String,
    /// The kind of discrepancy.
    pub problem: String,
    /// The field.
    pub field: String,
    /// The record's value.
    pub ours: String,
    /// The registry's value.
    pub registry: String,
    /// What `--apply` did, if it handled the row.
    pub outcome: String,
    /// The refusing rule, if any.
    pub rule: String,
    /// What to do.
    pub note: String,
}

impl WorkRow {
    fn cells(&self) -> [String; 10] {
        [
            self.person.to_string(),
            self.ssn.clone(),
            self.name.clone(),
            self.problem.clone(),
            self.field.clone(),
            self.ours.clone(),
            self.registry.clone(),
            self.outcome.clone(),
            self.rule.clone(),
            self.note.clone(),
        ]
    }
}

/// One agency's list: its CSV and its sheet.
struct List {
    csv: csv::Writer<BufWriter<File>>,
    sheet: usize,
    rows: u32,
}

/// The lists of one run.
pub struct WorkLists {
    dir: PathBuf,
    agencies: HashMap<AgencyId, Agency>,
    workbook: Workbook,
    bold: Format,
    lists: BTreeMap<AgencyId, List>,
    files: Vec<PathBuf>,
}

impl WorkLists {
    /// Creates `dir` and removes the lists a previous run left there.
    pub fn create(dir: &Path, agencies: HashMap<AgencyId, Agency>) -> Result<WorkLists> {
        std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("无法读取目录 {}", dir.display()))?
        {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let ours = name == WORKBOOK
                || (name.ends_with(".csv") && name.split('-').next().is_some_and(is_number));
            if ours {
                std::fs::remove_file(&path)
                    .with_context(|| format!("无法删除上次的清单 {}", path.display()))?;
            }
        }
        Ok(WorkLists {
            dir: dir.to_owned(),
            agencies,
            workbook: Workbook::new(),
            bold: Format::new().set_bold(),
            lists: BTreeMap::new(),
            files: Vec::new(),
        })
    }

    /// Appends `row` to `agency`'s list, creating the list on its first row.
    pub fn write(&mut self, agency: AgencyId, row: &WorkRow) -> Result<()> {
        if !self.lists.contains_key(&agency) {
            let list = self.open(agency)?;
            self.lists.insert(agency, list);
        }
        let Some(list) = self.lists.get_mut(&agency) else { return Ok(()) };
        let cells = row.cells();
        list.csv.write_record(&cells)?;
        let sheet = self.workbook.worksheet_from_index(list.sheet)?;
        list.rows += 1;
        sheet.write_number(list.rows, 0, row.person as f64)?;
        for (col, text) in (1u16..).zip(cells.iter().skip(1)) {
            sheet.write_string(list.rows, col, text)?;
        }
        Ok(())
    }

    fn open(&mut self, agency: AgencyId) -> Result<List> {
        let name = self.agencies.get(&agency).map_or_else(|| "机构".to_owned(), |a| a.name.clone());
        let path = self.dir.join(format!("{}-{}.csv", agency.0, file_safe(&name)));
        let mut file = BufWriter::new(
            File::create(&path).with_context(|| format!("无法创建 {}", path.display()))?,
        );
        file.write_all("\u{feff}".as_bytes())?;
        let mut csv = csv::Writer::from_writer(file);
        csv.write_record(HEADER)?;
        self.files.push(path);

        let sheet_index = self.workbook.worksheets().len();
        let bold = self.bold.clone();
        let sheet = self.workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(sheet_name(agency, &name))?;
        for (col, text) in (0u16..).zip(HEADER) {
            sheet.write_string_with_format(0, col, text, &bold)?;
        }
        for (col, width) in (0u16..).zip([10, 22, 10, 16, 10, 36, 36, 16, 36, 60]) {
            sheet.set_column_width(col, width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(List { csv, sheet: sheet_index, rows: 0 })
    }

    /// Flushes the CSVs, adds the summary sheet and saves the workbook; returns the files.
    pub fn finish(mut self) -> Result<Vec<PathBuf>> {
        for list in self.lists.values_mut() {
            list.csv.flush()?;
        }
        let summary = self.workbook.add_worksheet();
        summary.set_name("汇总")?;
        summary.write_string_with_format(0, 0, "经办机构", &self.bold)?;
        summary.write_string_with_format(0, 1, "清单行数", &self.bold)?;
        summary.set_column_width(0, 40)?;
        for (row, (agency, list)) in (1u32..).zip(&self.lists) {
            let name = self
                .agencies
                .get(agency)
                .map_or_else(|| format!("机构{}", agency.0), Agency::label);
            summary.write_string(row, 0, name)?;
            summary.write_number(row, 1, list.rows)?;
        }
        let path = self.dir.join(WORKBOOK);
        self.workbook.save(&path).with_context(|| format!("无法保存 {}", path.display()))?;
        self.files.push(path);
        Ok(self.files)
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// A name usable in a file name on every system.
fn file_safe(name: &str) -> String {
    name.chars().map(|c| if "/\\:*?\"<>|".contains(c) { '_' } else { c }).collect()
}

/// A sheet name: the agency's id and name, without the characters Excel refuses, at most 31
/// characters.
fn sheet_name(agency: AgencyId, name: &str) -> String {
    let clean: String = name.chars().filter(|c| !"[]:*?/\\'".contains(*c)).collect();
    format!("{} {clean}", agency.0).chars().take(31).collect()
}
