//! What an import finds: one finding per row and problem, with a stable code, the Chinese
//! explanation, and what to do about it; and the counts of a whole run.

use std::collections::BTreeMap;

use serde::Serialize;

/// How sure a finding is: exact findings are facts about the data; probable ones are
/// candidates a person confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// A fact: the value is wrong or the number occurs twice.
    Exact,
    /// A candidate: probably the same person under another number.
    Probable,
    /// Noted, not held back: the row was entered (or would be) under the rules, and a
    /// person should still correct the legacy system, e.g. where the registry's values
    /// prevailed over the row's (R2.8).
    Notice,
}

/// One kind of finding: its code, title and what to do, in Chinese.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// Stable machine code, e.g. `gender.mismatch`; identity errors keep the identity
    /// crate's code (`id.check`).
    pub code: &'static str,
    /// A short title, in Chinese.
    pub title_zh: &'static str,
    /// What to do, in Chinese.
    pub action_zh: &'static str,
    /// Exact or probable.
    pub certainty: Certainty,
}

const fn exact(code: &'static str, title_zh: &'static str, action_zh: &'static str) -> Kind {
    Kind { code, title_zh, action_zh, certainty: Certainty::Exact }
}

const FIX_NUMBER: &str = "核对原始证件后更正号码，重新导入";

/// Every kind of finding, in report order.
pub const KINDS: &[Kind] = &[
    exact("id.empty", "身份号码为空", "补录身份号码后重新导入"),
    exact("id.length", "身份号码位数错误", FIX_NUMBER),
    exact("id.char", "身份号码含非法字符", FIX_NUMBER),
    exact("id.date", "身份号码中的出生日期无效", FIX_NUMBER),
    exact("id.check", "身份号码校验码错误", FIX_NUMBER),
    exact("id.future", "身份号码中的出生日期晚于今天", FIX_NUMBER),
    exact(
        "id.scientific",
        "身份号码被转成科学计数法",
        "原号码已丢失：从原系统按文本格式重新导出该列，不要猜测补全",
    ),
    exact("id.not_ssn", "该证件号码不能作为社会保障号码", "改用公民身份号码或社会保障号码"),
    exact(
        "number.upgrade_15",
        "15 位旧身份号码",
        "按 18 位号码导入（已给出升级后的号码），核对后更正原系统",
    ),
    exact("gender.mismatch", "性别与身份号码不符", "以身份号码和户籍信息为准核对性别（R2.8）"),
    exact("gender.unknown", "性别无法识别", "填写 男/女 或 GB/T 2261.1 代码"),
    exact(
        "birth.mismatch",
        "出生日期与身份号码不符",
        "以身份号码和户籍信息为准核对出生日期（R2.8）",
    ),
    exact("birth.invalid", "出生日期无法识别", "按 1985-03-07 的格式填写出生日期"),
    exact("ethnicity.unknown", "民族无法识别", "填写 GB 3304 民族名称或代码（如 汉族、01）"),
    exact(
        "household_type.unknown",
        "户口性质无法识别",
        "填写户口性质名称或代码（如 农业户口、20）",
    ),
    exact("name.empty", "姓名为空", "补录姓名"),
    exact("name.digits", "姓名含数字", "核对证件后更正姓名"),
    exact("name.spaces", "姓名含多余空格", "删除姓名中的空格（少数民族姓名用间隔号“·”）"),
    exact("name.full_width", "姓名含全角字母", "改为半角字母或核对证件"),
    exact("name.too_long", "姓名过长", "核对证件后更正姓名，检查是否误填了其他内容"),
    exact("name.char", "姓名含不允许的字符", "核对证件后更正姓名"),
    exact("phone.invalid", "联系电话格式错误", "填写 11 位手机号码，或区号加固定电话号码"),
    exact("address.invalid", "地址不合格", "补全或更正地址"),
    exact(
        "row.encoding",
        "该行含无法识别的字符编码",
        "确认文件编码后重新导出，或用 --encoding 指定",
    ),
    exact(
        "dup.identical",
        "同一号码重复出现，内容相同",
        "保留一条；同一业务线内的多条记录由该业务线经办机构合并（R3.1）",
    ),
    exact(
        "dup.conflict",
        "同一号码重复出现，内容不一致",
        "逐项核对不一致的字段，以户籍信息为准（R2.8），再由经办机构合并（R3.1）",
    ),
    exact("entry.incomplete", "缺少平台必需的字段", "补全姓名、民族、户口性质、户籍地址后重新导入"),
    exact(
        "line.unknown",
        "险种无法识别",
        "填写险种名称或代码（如 企业职工基本养老保险、110），或用 --line 指定",
    ),
    exact(
        "agency.unknown",
        "经办机构在平台中找不到或不唯一",
        "填写平台中经办机构的编号或全称，或用 --agency 指定",
    ),
    exact("agency.missing", "有险种但没有经办机构", "填写经办机构列，或用 --agency 指定"),
    exact(
        "platform.occupied",
        "号码已被平台中另一人的记录占用",
        "不覆盖原记录：按号码被占用流程立案，由各相关经办机构核实更正（R2.9）",
    ),
    exact("entry.refused", "平台录入规则不允许录入", "按说明处理后重新导入"),
    Kind {
        code: "registry.differs",
        title_zh: "与省公安户籍库记载不一致（录入时以户籍库为准）",
        action_zh: "以户籍库为准（R2.8）：平台录入户籍库的值，请更正原系统的数据",
        certainty: Certainty::Notice,
    },
    Kind {
        code: "dup.probable_typo",
        title_zh: "疑似同一人：姓名、出生日期、性别相同，号码仅差一处录入错误",
        action_zh: "核对证件，更正录错的号码后按重复记录处理（R3.1）",
        certainty: Certainty::Probable,
    },
    Kind {
        code: "dup.probable_name",
        title_zh: "疑似同一人：姓名（字或拼音）、出生日期、地区相同，号码不同",
        action_zh: "调查是否一人多号；确认后由经办机构合并（R3.1），否则标记为不同人员",
        certainty: Certainty::Probable,
    },
];

/// The kind of a code; an identity error the table does not name yet gets a generic kind.
pub fn kind(code: &str) -> Kind {
    KINDS.iter().copied().find(|k| k.code == code).unwrap_or(Kind {
        code: "id.other",
        title_zh: "身份号码无效",
        action_zh: FIX_NUMBER,
        certainty: Certainty::Exact,
    })
}

impl Kind {
    /// Whether a finding of this kind keeps its row back from a load: every kind but the
    /// notices.
    pub fn holds_back(&self) -> bool {
        self.certainty != Certainty::Notice
    }
}

/// One problem in one row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The index of the file or sheet in reading order.
    #[serde(skip)]
    pub table: u16,
    /// The file, as given on the command line.
    pub file: String,
    /// The sheet of a workbook; empty for CSV.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sheet: String,
    /// The row: the header is row 1, as a spreadsheet shows it (a CSV record spanning
    /// several lines counts once).
    pub row: u64,
    /// The column's header as the file wrote it.
    pub column: String,
    /// The value found.
    pub value: String,
    /// Stable machine code.
    pub code: &'static str,
    /// What is wrong, in Chinese.
    pub message: String,
    /// What to do, in Chinese.
    pub action: &'static str,
    /// For findings across rows, the earlier row it relates to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_row: Option<u64>,
    /// The table (file or sheet, in reading order) of [`Finding::related_row`].
    #[serde(skip)]
    pub related_table: Option<u16>,
    /// The 6-digit division code the row's number carries, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub division: Option<u32>,
}

/// Counts of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Data rows read (headers not counted).
    pub rows: u64,
    /// Rows with at least one finding that holds them back (notices do not).
    pub rows_with_findings: u64,
    /// Findings per code.
    pub by_code: BTreeMap<&'static str, u64>,
    /// Findings per 6-digit division code (`0` when the number carries none).
    pub by_division: BTreeMap<u32, u64>,
    /// Seconds the run took.
    pub seconds: f64,
}

impl Finding {
    /// Whether this finding keeps its row back from a load ([`Kind::holds_back`]).
    pub fn holds_back(&self) -> bool {
        kind(self.code).holds_back()
    }
}

impl Summary {
    /// Total number of findings.
    pub fn findings(&self) -> u64 {
        self.by_code.values().sum()
    }
}
