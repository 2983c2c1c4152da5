//! Everything a case worker or citizen reads on a page, in one place: labels, messages and
//! the Chinese forms of dates and codes. Templates take their words from here by path
//! (`{{ crate::text::LOGIN }}`), so wording is changed once and a template holds no literal
//! Chinese of its own.
//!
//! Refusals by a rule are not written here: their explanation comes from the rule itself
//! (`personbase_domain::rules::Refusal::message`), so that the API and the pages say the same.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use personbase_domain::clock::CHINA;

/// The product's name on every page.
pub const PRODUCT: &str = "PersonBase 人员基础信息管理";

// --- errors common to every page ---

/// A form came without a valid CSRF token.
pub const CSRF_REFUSED: &str = "表单已失效或来源不明，请刷新页面后重新提交";
/// A form body was too large.
pub const FORM_TOO_LARGE: &str = "提交的内容过大，请删减后重试";
/// A page that does not exist.
pub const NOT_FOUND: &str = "未找到此页面";
/// The title of an error page.
pub const ERROR_TITLE: &str = "无法完成操作";
/// Label before a rule code.
pub const RULE: &str = "规则";
/// A link back.
pub const BACK: &str = "返回";

// --- login ---

/// The title of the case workers' login page.
pub const LOGIN_TITLE: &str = "经办人员登录";
/// Field label.
pub const LOGIN_NAME: &str = "用户名";
/// Field label.
pub const PASSWORD: &str = "密码";
/// Button.
pub const LOGIN: &str = "登录";
/// Button.
pub const LOGOUT: &str = "退出登录";
/// Wrong login or password.
pub const WRONG_CREDENTIALS: &str = "用户名或密码错误";
/// The session ended.
pub const SESSION_EXPIRED: &str = "登录已过期，请重新登录";

// --- the header ---

/// Header label.
pub const OPERATOR: &str = "经办人";
/// Header label.
pub const AGENCY: &str = "经办机构";
/// Header label.
pub const LEVEL: &str = "层级";
/// Header label.
pub const REGION: &str = "行政区划";

// --- worker pages (search, person, changes, inbox, counter confirmation) ---

/// Navigation.
pub const NAV_SEARCH: &str = "查询人员";
/// Navigation.
pub const NAV_INBOX: &str = "待办审核";

// --- information centre (dashboard, audit trail, export) ---

/// Navigation.
pub const NAV_CENTRE: &str = "信息中心";
/// Title of the centre's overview.
pub const CENTRE_TITLE: &str = "本地区修改业务监督";
/// Under the title: what the overview covers; followed by the region.
pub const CENTRE_REGION: &str = "监督地区";
/// Under the title: the day the figures are counted on.
pub const CENTRE_AS_OF: &str = "统计日期";
/// Title of the open requests' table.
pub const OPEN_REQUESTS: &str = "未办结的修改申请";
/// Title of the overdue requests' table.
pub const OVERDUE_REQUESTS: &str = "逾期未办结的修改申请";
/// Title of the completion table per agency.
pub const COMPLETION_AGENCY: &str = "近30日各经办机构当日办结率";
/// Title of the completion table per day.
pub const COMPLETION_DAY: &str = "近30日每日当日办结率";
/// How the completion rate is counted (R4.1), under the completion tables.
pub const COMPLETION_NOTE: &str = "当日办结率 = 受理当日办结（生效、驳回或撤回，按北京时间计）的件数 ÷      （当日办结 + 逾期办结 + 逾期未办结）。因在途业务暂缓的申请不计入（规则 R4.1 的例外），     受理当日尚未办结的申请待当日结束后计入。";
/// An empty table.
pub const NONE_FOUND: &str = "暂无记录";
/// Link to download a table as an Excel file.
pub const EXPORT_XLSX: &str = "导出 Excel";
/// Column: request number.
pub const COL_REQUEST: &str = "申请号";
/// Column: the person (masked).
pub const COL_PERSON: &str = "人员";
/// Column: the person's record id.
pub const COL_PERSON_ID: &str = "人员编号";
/// Column: the request's state.
pub const COL_STATE: &str = "状态";
/// Column: the agency that accepted the request.
pub const COL_ACCEPTED_BY: &str = "受理机构";
/// Column: when the request was accepted.
pub const COL_ACCEPTED_AT: &str = "受理时间";
/// Column: the day the request is due.
pub const COL_DUE: &str = "应办结日";
/// Column: days overdue.
pub const COL_DAYS_OVERDUE: &str = "逾期天数";
/// Column: what the request waits for.
pub const COL_WAITING: &str = "等待办理";
/// Column: whether in-transit business blocks the request.
pub const COL_IN_TRANSIT: &str = "在途业务";
/// Column: a day.
pub const COL_DAY: &str = "日期";
/// Column: requests accepted.
pub const COL_ACCEPTED: &str = "受理件数";
/// Column: finished the same day.
pub const COL_SAME_DAY: &str = "当日办结";
/// Column: finished late.
pub const COL_LATE: &str = "逾期办结";
/// Column: open after their day.
pub const COL_OVERDUE: &str = "逾期未办结";
/// Column: excused by in-transit business.
pub const COL_EXCUSED: &str = "在途业务暂缓";
/// Column: open on their own day.
pub const COL_PENDING: &str = "当日办理中";
/// Column: the same-day completion rate.
pub const COL_RATE: &str = "当日办结率";
/// Column: journal sequence number.
pub const COL_SEQ: &str = "序号";
/// Column: when.
pub const COL_TIME: &str = "时间";
/// Column: the operator.
pub const COL_OPERATOR: &str = "经办人";
/// Column: the operator's agency.
pub const COL_AGENCY: &str = "经办机构";
/// Column: the action.
pub const COL_ACTION: &str = "操作";
/// Column: the values before (masked).
pub const COL_BEFORE: &str = "修改前（脱敏）";
/// Column: the values after (masked).
pub const COL_AFTER: &str = "修改后（脱敏）";
/// Column: why.
pub const COL_REASON: &str = "理由";
/// Yes.
pub const YES: &str = "是";
/// No.
pub const NO: &str = "否";
/// No value.
pub const DASH: &str = "—";
/// What a request waits for: the person's confirmation.
pub const WAITING_PERSON: &str = "本人确认";
/// Who made a request without an operator: the person on the self-service portal.
pub const SELF_SERVICE_CHANNEL: &str = "本人网上办理";
/// An actor that is not an operator: the person or a business system.
pub const NO_OPERATOR: &str = "本人或业务系统";
/// A record that could not be read any more (deleted operator or agency).
pub const UNKNOWN: &str = "未知";
/// Sheet and file name of the open requests' export.
pub const SHEET_OPEN: &str = "未办结申请";
/// Sheet and file name of the overdue requests' export.
pub const SHEET_OVERDUE: &str = "逾期未办结申请";
/// Sheet and file name of the completion per agency.
pub const SHEET_AGENCY: &str = "各机构当日办结率";
/// Sheet and file name of the completion per day.
pub const SHEET_DAY: &str = "每日当日办结率";
/// Sheet and file name of an audit trail.
pub const SHEET_AUDIT: &str = "操作记录";
/// Title of the audit trail page.
pub const AUDIT_TITLE: &str = "操作记录查询";
/// Explains the audit trail page.
pub const AUDIT_HELP: &str = "按人员编号查询某人的全部修改记录，或按经办人编号查询其全部操作；     修改前后的个人信息已脱敏显示。";
/// The audit trail's table title for a person; followed by the person.
pub const AUDIT_OF_PERSON: &str = "人员的操作记录";
/// The audit trail's table title for an operator; followed by the operator.
pub const AUDIT_OF_OPERATOR: &str = "经办人的操作记录";
/// Field label: person id.
pub const AUDIT_PERSON_FIELD: &str = "人员编号";
/// Field label: operator id.
pub const AUDIT_OPERATOR_FIELD: &str = "经办人编号";
/// Button.
pub const AUDIT_SEARCH: &str = "查询";
/// Link from the overview to the audit trail page.
pub const NAV_AUDIT: &str = "操作记录查询";
/// Both or neither of person and operator were given, or one is not a number.
pub const AUDIT_BAD_QUERY: &str = "请填写人员编号或经办人编号（二者选一，须为数字）";
/// A table name in an export link that does not exist.
pub const UNKNOWN_TABLE: &str = "没有这个表格，无法导出";
/// The Excel file could not be written.
pub const EXPORT_FAILED: &str = "Excel 文件生成失败，请稍后重试";
/// Title of the chart per agency.
pub const CHART_AGENCY: &str = "各经办机构当日办结率（柱状图）";
/// Title of the chart per day.
pub const CHART_DAY: &str = "每日当日办结率（柱状图）";
/// A bar without counted requests.
pub const NO_COUNTED: &str = "无计入件数";

/// The Chinese name of a journal action (`change.effective` → `修改生效`); an action this
/// catalogue does not know yet shows its code after `其他操作`.
pub fn audit_action(code: &str) -> String {
    let name = match code {
        "agency.created" => "新建机构",
        "operator.created" => "新建经办人",
        "api_key.created" => "新建业务系统密钥",
        "person.created" => "新增人员",
        "person.refused" => "新增人员被拒绝",
        "person.viewed" => "查看完整信息",
        "person.registry_differs" => "与户籍信息不一致",
        "change.requested" => "提出修改申请",
        "change.signed" => "机构确认",
        "change.effective" => "修改生效",
        "change.refused" => "修改被拒绝",
        "change.rejected" => "申请被驳回",
        "change.confirmed" => "本人确认",
        "change.withdrawn" => "申请撤回",
        "enrolment.opened" => "参保登记",
        "enrolment.closed" => "终止参保",
        "transaction.started" => "在途业务开始",
        "transaction.finished" => "在途业务办结",
        "special.added" => "特殊业务登记",
        "special.cancelled" => "特殊业务注销",
        "card.issued" => "制发社保卡",
        "card.voided" => "社保卡作废",
        "card.replacement_requested" => "申请补换社保卡",
        "registry.loaded" => "载入户籍信息",
        "registry.reconciled" => "与户籍信息比对",
        _ => return format!("其他操作（{code}）"),
    };
    name.to_owned()
}

/// The Chinese label of a journal document's key that is not a record field (`version` →
/// `版本`); `None` for keys this catalogue does not know, which are shown as they are.
pub fn journal_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "id" => "编号",
        "version" => "版本",
        "status" => "状态",
        "state" => "状态",
        "merged_into" => "合并至",
        "entered_by" => "录入机构",
        "created_at" => "创建时间",
        "updated_at" => "更新时间",
        "source" => "信息来源",
        "reason" => "理由",
        "rules" => "适用规则",
        "rule" => "规则",
        "code" => "代码",
        "details" => "详情",
        "attempt" => "申请内容",
        "steps" => "确认步骤",
        "documents" => "证明材料",
        "person" => "人员",
        "agency" => "机构",
        "line" => "业务线",
        "reference" => "业务号",
        "description" => "说明",
        "kind" => "类别",
        "comment" => "驳回理由",
        "card_number" => "社保卡号",
        "fee_fen" => "费用（分）",
        _ => return None,
    })
}

/// The Chinese name of a code a journal document stores under `key`, for the codes that are
/// not in a national table: a record's `status`, a value's `source`.
pub fn journal_code(key: &str, code: &str) -> Option<&'static str> {
    Some(match (key, code) {
        ("status", "active") => "正常",
        ("status", "merged") => "已合并",
        ("status", "closed") => "已注销",
        ("status", "voided") => "已作废",
        ("source", "card_reader") => "读卡器读取",
        ("source", "registry") => "户籍信息",
        ("source", "manual") => "手工录入",
        ("source", "legacy") => "历史数据导入",
        _ => return None,
    })
}

/// A rate in per cent with one decimal, `66.7%`; a dash when there is none.
pub fn percent(rate: Option<f64>) -> String {
    rate.map(|r| format!("{r:.1}%")).unwrap_or_else(|| DASH.to_owned())
}

/// A day without the year, for chart axes: `12月3日`.
pub fn month_day(day: NaiveDate) -> String {
    format!("{}月{}日", day.month(), day.day())
}

// --- citizens (self-service) ---

/// Navigation and title of the self-service pages.
pub const SELF_SERVICE: &str = "个人信息自助服务";

/// A date as people write it: `2026年12月3日`.
pub fn date(day: NaiveDate) -> String {
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

/// A moment in China Standard Time: `2026年12月3日 14:05`.
pub fn datetime(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&CHINA);
    format!("{} {:02}:{:02}", date(local.date_naive()), local.hour(), local.minute())
}

/// An agency level's name: `county` → `县级`.
pub fn level(code: &str) -> &'static str {
    match code {
        "county" => "县级",
        "prefecture" => "市级",
        "province" => "省级",
        _ => "其他",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_read_in_chinese_and_in_china_time() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap_or_default();
        assert_eq!(date(day), "2026年3月7日");
        // 20:30 UTC on 3 December is 04:30 on 4 December in China.
        let late = Utc.with_ymd_and_hms(2026, 12, 3, 20, 30, 0).single().unwrap_or_default();
        assert_eq!(datetime(late), "2026年12月4日 04:30");
        assert_eq!(level("prefecture"), "市级");
    }
}
