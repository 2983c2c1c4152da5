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
/// A page asked for in a way it does not answer (typing the address of a button's action).
pub const METHOD_NOT_ALLOWED: &str = "此页面不能直接打开，请从页面上的链接或按钮进入";
/// The link text of an uploaded document that came without a file name.
pub const NO_FILE_NAME: &str = "（无文件名）";
/// A form that could not be read (a field missing or repeated, not a form at all).
pub const FORM_UNREADABLE: &str = "提交的表单内容不完整或格式有误，请返回页面刷新后重新填写";
/// A link whose parameters could not be read (one given twice, say).
pub const QUERY_UNREADABLE: &str = "网址中的参数有误，请从页面上的链接重新进入";
/// A page that failed on our side (a template that did not render).
pub const INTERNAL_ERROR: &str = "系统内部错误，请稍后重试";
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

/// Too many failed logins: when to try again (China time). Said alike of every login, known
/// or not.
pub fn login_locked(until: DateTime<Utc>) -> String {
    format!(
        "登录失败次数过多，已暂停登录，请于{}后再试；忘记密码请联系本机构管理员",
        datetime(until)
    )
}
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

/// Search form: the number field.
pub const SEARCH_NUMBER: &str = "社会保障号码（身份证号码）";
/// Search form: hint under the number field.
pub const SEARCH_NUMBER_HINT: &str = "可输入15位或18位号码，小写x、空格、全角数字均可";
/// Search form: the name field.
pub const SEARCH_NAME: &str = "姓名";
/// Search form: the birth date field.
pub const SEARCH_BIRTH: &str = "出生日期";
/// Search form: between the two ways of searching.
pub const SEARCH_OR: &str = "或按姓名和出生日期查询";
/// Button.
pub const SEARCH_SUBMIT: &str = "查询";
/// Neither a number nor a name was given.
pub const SEARCH_EMPTY: &str = "请输入社会保障号码，或姓名和出生日期";
/// No person matched.
pub const SEARCH_NONE: &str = "没有找到符合条件的人员";
/// Heading of the results.
pub const SEARCH_RESULTS: &str = "查询结果（已脱敏）";
/// Link to a person's page.
pub const OPEN: &str = "查看";

/// Title of a person's page.
pub const PERSON_TITLE: &str = "人员信息";
/// Heading: the masked record.
pub const RECORD: &str = "基本信息（已脱敏）";
/// Heading: the full record.
pub const RECORD_FULL: &str = "完整信息（本次查看已记入审计日志）";
/// Record label.
pub const SSN: &str = "社会保障号码";
/// Record label.
pub const NAME: &str = "姓名";
/// Record label.
pub const GENDER: &str = "性别";
/// Record label.
pub const BIRTH_YEAR: &str = "出生年份";
/// Record label.
pub const BIRTH_DATE: &str = "出生日期";
/// Record label.
pub const ETHNICITY: &str = "民族";
/// Record label.
pub const HOUSEHOLD_ADDRESS: &str = "户籍住址";
/// Record label.
pub const HOUSEHOLD_TYPE: &str = "户籍性质";
/// Record label.
pub const HOME_ADDRESS: &str = "家庭住址";
/// Record label.
pub const PHONE: &str = "联系电话";
/// Record label.
pub const STATUS: &str = "状态";
/// Record label.
pub const VERSION: &str = "版本";
/// A value that is not recorded.
pub const NONE: &str = "（无）";
/// Heading: unmask.
pub const UNMASK: &str = "查看完整信息";
/// Unmask: the reason field.
pub const UNMASK_REASON: &str = "查看事由（必填，将记入审计日志）";
/// Unmask: the button.
pub const UNMASK_SUBMIT: &str = "查看完整信息";
/// Heading: enrolments.
pub const ENROLMENTS: &str = "参保关系";
/// Column.
pub const LINE: &str = "业务";
/// Column.
pub const HELD_BY: &str = "经办机构";
/// Enrolment active.
pub const ACTIVE: &str = "有效";
/// Enrolment closed.
pub const CLOSED: &str = "已终止";
/// No enrolments.
pub const NO_ENROLMENTS: &str = "没有参保关系";
/// Heading: transactions in transit (R2.12).
pub const IN_TRANSIT: &str = "在途业务";
/// Column.
pub const REFERENCE: &str = "业务编号";
/// Column.
pub const DESCRIPTION: &str = "说明";
/// Column.
pub const STARTED_AT: &str = "开始时间";
/// No transaction in transit.
pub const NO_IN_TRANSIT: &str = "没有在途业务";
/// Heading: special businesses (R2.11).
pub const SPECIALS: &str = "特殊业务";
/// Heading: cards.
pub const CARD: &str = "社会保障卡";
/// Column.
pub const CARD_NUMBER: &str = "卡号";
/// Column.
pub const PRINTED_NAME: &str = "卡面姓名";
/// Column.
pub const PRINTED_SSN: &str = "卡面号码";
/// Column.
pub const ISSUED_AT: &str = "发卡时间";
/// No card.
pub const NO_CARD: &str = "尚未发卡";
/// Heading: open change requests.
pub const PENDING: &str = "待生效的修改申请";
/// No open request.
pub const NO_PENDING: &str = "没有待生效的修改申请";
/// Heading: the person's audit trail of effective changes.
pub const HISTORY: &str = "变更历史";
/// Column.
pub const WHEN: &str = "时间";
/// Column.
pub const WHO: &str = "经办人";
/// Column.
pub const WHAT: &str = "事项";
/// Column.
pub const BEFORE: &str = "修改前";
/// Column.
pub const AFTER: &str = "修改后";
/// Column.
pub const FIELD: &str = "项目";
/// History: the record was created.
pub const HISTORY_CREATED: &str = "建立记录";
/// History: a change took effect.
pub const HISTORY_EFFECTIVE: &str = "修改生效";
/// Who, when the person acted on the self-service portal.
pub const BY_PERSON: &str = "本人（网上自助）";
/// No history.
pub const NO_HISTORY: &str = "暂无变更记录";
/// Link to propose a change.
pub const PROPOSE: &str = "提出修改";

/// Title of the change page.
pub const CHANGE_TITLE: &str = "修改人员信息";
/// Hint above the change form.
pub const CHANGE_HINT: &str =
    "只填写需要修改的项目，留空的项目不变；输入时下方即时显示规则的判断，提交前不会保存任何内容。";
/// Field group.
pub const NEW_VALUE: &str = "新值";
/// Gender option: unchanged.
pub const UNCHANGED: &str = "（不修改）";
/// Gender option.
pub const MALE: &str = "男";
/// Gender option.
pub const FEMALE: &str = "女";
/// Label: where the card fields came from.
pub const SOURCE: &str = "信息来源";
/// Label: the reason for the change.
pub const CHANGE_REASON: &str = "修改原因（必填）";
/// Heading: supporting documents (R4.3).
pub const DOCUMENTS: &str = "证明材料";
/// Hint for documents.
pub const DOCUMENTS_HINT: &str = "按预览的要求上传，每份不超过5 MB（PDF或图片）";
/// Button: preview without JavaScript.
pub const PREVIEW_SUBMIT: &str = "预览规则判断";
/// Button: submit the change.
pub const CHANGE_SUBMIT: &str = "提交修改";
/// Heading of the preview.
pub const PREVIEW: &str = "规则预判";
/// Preview before anything was typed.
pub const PREVIEW_EMPTY: &str = "填写新值后，这里显示修改能否办理以及办理流程。";
/// Preview: refused.
pub const PREVIEW_REFUSED: &str = "不能办理";
/// Preview: a value does not parse.
pub const PREVIEW_INVALID: &str = "填写有误";
/// Preview: effective at once.
pub const PREVIEW_IMMEDIATE: &str = "提交后立即生效";
/// Preview: sign-offs needed.
pub const PREVIEW_SIGNOFF: &str = "提交后须以下机构按顺序确认，全部确认后生效：";
/// Preview: the person must confirm.
pub const PREVIEW_PERSON: &str = "提交后须本人确认（网上自助或到柜台签字确认）后生效";
/// Preview: documents to upload.
pub const PREVIEW_DOCUMENTS: &str = "本机构办理此项修改须上传证明材料：";
/// Preview: values the registry will put in (R2.8).
pub const PREVIEW_REGISTRY: &str = "以下项目以省公安户籍库为准：";
/// Preview: the values that will be stored.
pub const PREVIEW_CHANGES: &str = "将修改的项目";
/// Label before the field a wrong value is in.
pub const IN_FIELD: &str = "项目";
/// A multipart form that could not be read.
pub const UPLOAD_UNREADABLE: &str = "上传的内容无法读取，请重新选择文件后提交";

/// Title of a request's page.
pub const REQUEST_TITLE: &str = "修改申请";
/// Label.
pub const REQUEST_STATE: &str = "申请状态";
/// Label.
pub const REQUESTED_BY: &str = "申请经办人";
/// Label.
pub const CREATED_AT: &str = "申请时间";
/// Label.
pub const DUE_ON: &str = "办结期限";
/// Label.
pub const REASON: &str = "原因";
/// Label.
pub const PERSON: &str = "人员";
/// Heading: the sign-off steps.
pub const STEPS: &str = "机构确认";
/// Column.
pub const ORDER: &str = "顺序";
/// Column.
pub const SIGNED_BY: &str = "确认人";
/// Column.
pub const SIGNED_AT: &str = "确认时间";
/// Column of a step's sign-off comment.
pub const SIGNOFF_NOTE: &str = "确认意见";
/// Label of the optional comment of a sign-off.
pub const SIGNOFF_COMMENT: &str = "确认意见（可不填）";
/// A step not signed yet.
pub const NOT_SIGNED: &str = "待确认";
/// Heading: the person's confirmation.
pub const CONFIRMATION: &str = "本人确认";
/// The person agreed.
pub const CONFIRMED_YES: &str = "本人同意";
/// The person refused.
pub const CONFIRMED_NO: &str = "本人不同意";
/// Confirmation channel.
pub const AT_COUNTER: &str = "柜台签字确认，确认单编号";
/// Confirmation channel.
pub const ONLINE: &str = "网上自助确认";
/// No documents.
pub const NO_DOCUMENTS: &str = "未上传证明材料";
/// Column.
pub const FILE_NAME: &str = "文件名";
/// Column.
pub const FILE_TYPE: &str = "类型";
/// Column.
pub const FILE_SIZE: &str = "大小（字节）";
/// Column.
pub const SHA256: &str = "SHA-256";
/// Label: a rejection's comment.
pub const COMMENT: &str = "驳回理由";
/// Heading and button: sign off.
pub const SIGNOFF: &str = "确认同意";
/// Hint for sign-off.
pub const SIGNOFF_HINT: &str = "以本机构名义确认此申请；最后一个机构确认后修改生效。";
/// Heading and button: reject.
pub const REJECT: &str = "驳回";
/// Label of the comment field.
pub const REJECT_COMMENT: &str = "驳回理由（必填）";
/// A rejection without a comment.
pub const REJECT_NEEDS_COMMENT: &str = "驳回须填写理由";
/// Heading: counter confirmation (R2.4).
pub const COUNTER_CONFIRM: &str = "柜台登记本人确认";
/// Label: the signed form's reference.
pub const CONFIRM_REFERENCE: &str = "本人签字确认单编号（必填）";
/// Button.
pub const CONFIRM_YES: &str = "本人同意修改";
/// Button.
pub const CONFIRM_NO: &str = "本人不同意";
/// The counter confirmation came without an answer.
pub const CONFIRM_CHOOSE: &str = "请选择本人同意或不同意";

/// Title of the inbox.
pub const INBOX_TITLE: &str = "待本机构确认的修改申请";
/// Nothing waiting.
pub const INBOX_EMPTY: &str = "没有待本机构确认的申请";
/// Column.
pub const REQUEST_NO: &str = "申请号";
/// Column.
pub const FIELDS: &str = "修改项目";
/// Column.
pub const REQUESTING_AGENCY: &str = "申请机构";
/// A request past its due day.
pub const OVERDUE: &str = "已逾期";

/// A sign-off step's place: `第2步`. Agencies of the same order share a step.
pub fn step(n: usize) -> String {
    format!("第{n}步")
}

/// A person record's status: `active` → `正常`.
pub fn person_status(code: &str) -> &'static str {
    match code {
        "active" => "正常",
        "merged" => "已合并",
        "closed" => "已注销",
        _ => "其他",
    }
}

/// A card's status: `active` → `正常`.
pub fn card_status(code: &str) -> &'static str {
    match code {
        "active" => "正常",
        "voided" => "已作废",
        "replacement_requested" => "补换卡中",
        _ => "其他",
    }
}

/// Where the card fields of a change came from (R2.7, R2.8).
pub fn source(code: &str) -> &'static str {
    match code {
        "card_reader" => "读卡器读取居民身份证",
        "registry" => "省公安户籍库",
        "manual" => "手工录入（仅限16周岁以下）",
        _ => "其他",
    }
}

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
/// An export in a format there is none of.
pub const BAD_FORMAT: &str = "只能导出为 Excel 文件（format=xlsx）";
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
        "document.attached" => "上传证明材料",
        "document.viewed" => "查看证明材料",
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
        // A rejection's reason and a sign-off's comment alike.
        "comment" => "意见",
        "at" => "时间",
        "card_number" => "社保卡号",
        "fee_fen" => "费用（分）",
        "changes" => "修改内容",
        "field" => "字段",
        "before" => "修改前",
        "after" => "修改后",
        "operator" => "经办人",
        "request" => "申请",
        "printed_name" => "卡面姓名",
        "printed_ssn" => "卡面号码",
        "form_reference" => "确认单编号",
        "accepted" => "同意",
        "active" => "有效",
        "agency_id" => "机构",
        "changed" => "已变更",
        "closed_at" => "结束时间",
        "confirmation" => "本人确认",
        "content_type" => "文件类型",
        "count" => "数量",
        "created_by" => "提出人",
        "diff" => "修改内容",
        "division" => "行政区划",
        "document" => "证明材料",
        "due_on" => "应办结日期",
        "fields" => "项目",
        "file_name" => "文件名",
        "finished_at" => "办结时间",
        "issued_at" => "发卡时间",
        "level" => "层级",
        "lines" => "业务线",
        "login" => "用户名",
        "needs_confirmation" => "须本人确认",
        "new" => "新增",
        "order" => "顺序",
        "proposal" => "修改申请",
        "records" => "记录",
        "registry_differences" => "与户籍信息不一致",
        "removed" => "删除",
        "roles" => "角色",
        "sha256" => "SHA-256校验值",
        "signed" => "已确认",
        "size" => "大小（字节）",
        "started_at" => "开始时间",
        "step" => "步骤",
        "transaction_id" => "在途业务编号",
        "waiting_for" => "等待",
        "expected_version" => "记录版本",
        "birth" => "出生日期",
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

/// The console line that announces a development login code, before the masked number and
/// the code (demo and tests only; the README tells users to look for it).
pub const DEV_CODE_CONSOLE: &str = "自助服务演示验证码";

/// Navigation and title of the self-service pages.
pub const SELF_SERVICE: &str = "个人信息自助服务";
/// Title of the citizens' login page.
pub const CITIZEN_LOGIN_TITLE: &str = "个人信息自助服务登录";
/// No identity provider is configured.
pub const CITIZEN_LOGIN_NOT_CONFIGURED: &str =
    "本服务尚未配置自助服务登录方式，暂不能在网上办理。请到经办机构窗口办理，或联系系统管理员";
/// The development provider asked for in production.
pub const CITIZEN_DEV_IN_PRODUCTION: &str = "演示登录方式只能在演示或测试环境中使用";
/// Before the identity crate's explanation of a bad number.
pub const CITIZEN_INVALID_NUMBER: &str = "身份证号码有误";
/// A missing or overlong name.
pub const CITIZEN_INVALID_NAME: &str = "请填写与身份证一致的姓名（不超过50个字）";
/// A wrong one-time code.
pub const CITIZEN_WRONG_CODE: &str = "验证码不正确，请重新输入";
/// A code expired, used or tried too often.
pub const CITIZEN_CODE_SPENT: &str = "验证码已失效（超过5分钟、已使用或输错次数过多），请重新获取";
/// Too many logins at once.
pub const CITIZEN_LOGIN_BUSY: &str = "登录人数较多，请稍后再试";
/// The development login sent this number its codes for the last minutes.
pub const CITIZEN_TOO_MANY_CODES: &str = "该身份证号码获取验证码过于频繁，请5分钟后再试";
/// The identity service did not confirm the citizen.
pub const CITIZEN_PROVIDER_FAILED: &str =
    "统一身份认证未能确认您的身份，请重新登录；如多次失败，请联系统一身份认证平台";
/// No record carries the number.
pub const CITIZEN_NO_RECORD: &str =
    "未找到与您的身份证号码对应的人员基础信息。如您已参保，请携带居民身份证到经办机构窗口核实";
/// The record's name differs.
pub const CITIZEN_NAME_MISMATCH: &str =
    "姓名与登记信息不一致，不能登录。如登记的姓名有误，请携带居民身份证到经办机构窗口办理更正";
/// The record is merged or closed.
pub const CITIZEN_RECORD_INACTIVE: &str =
    "您的人员信息已合并或注销，不能在网上办理。请携带居民身份证到经办机构窗口咨询";
/// Hint above the identity service's link.
pub const CITIZEN_OIDC_HINT: &str = "请使用本省统一身份认证账号登录。";
/// The identity service's link.
pub const CITIZEN_OIDC_LOGIN: &str = "通过统一身份认证登录";
/// Hint above the development form.
pub const CITIZEN_DEV_HINT: &str =
    "演示环境：填写身份证号码和姓名后获取验证码，验证码显示在服务器控制台上。";
/// Hint above the code form.
pub const CITIZEN_CODE_HINT: &str = "验证码已发送（演示环境显示在服务器控制台上），5分钟内有效。";
/// Field label.
pub const CITIZEN_NUMBER: &str = "身份证号码";
/// Field label.
pub const CITIZEN_NAME: &str = "姓名";
/// Field label.
pub const CITIZEN_CODE: &str = "验证码（6位数字）";
/// Button.
pub const CITIZEN_SEND_CODE: &str = "获取验证码";
/// Link back to the first step.
pub const CITIZEN_START_AGAIN: &str = "重新获取验证码";
/// After the identity service's login.
pub const CITIZEN_LOGGED_IN: &str = "登录成功。";
/// Link onward.
pub const CITIZEN_CONTINUE: &str = "进入个人信息自助服务";
/// Section title.
pub const CITIZEN_PENDING: &str = "待您确认的变更";
/// No request waits.
pub const CITIZEN_NO_PENDING: &str = "目前没有需要您确认的变更。";
/// Label.
pub const CITIZEN_PROPOSED_BY: &str = "申请机构";
/// Label.
pub const CITIZEN_DUE: &str = "办结期限";
/// Column.
pub const CITIZEN_FIELD: &str = "项目";
/// Column.
pub const CITIZEN_BEFORE: &str = "变更前";
/// Column.
pub const CITIZEN_AFTER: &str = "变更后";
/// A pending change's current value, labelled beside it.
pub const CITIZEN_OLD_VALUE: &str = "修改前";
/// A pending change's proposed value, labelled beside it.
pub const CITIZEN_NEW_VALUE: &str = "修改后";
/// Button.
pub const CITIZEN_CONFIRM_YES: &str = "确认变更";
/// Button.
pub const CITIZEN_CONFIRM_NO: &str = "不同意";
/// Section title.
pub const CITIZEN_RECORD: &str = "我的基本信息";
/// A field without a value.
pub const CITIZEN_NOT_RECORDED: &str = "未登记";
/// Section title.
pub const CITIZEN_CONTACT: &str = "修改联系方式";
/// Hint.
pub const CITIZEN_CONTACT_HINT: &str = "只填写要修改的项目，留空的项目不变；提交后立即生效。";
/// Field label.
pub const CITIZEN_HOME_ADDRESS: &str = "家庭住址";
/// Field label.
pub const CITIZEN_PHONE: &str = "联系电话";
/// Button.
pub const CITIZEN_CONTACT_SUBMIT: &str = "保存修改";
/// Section title.
pub const CITIZEN_HOW_TO: &str = "其他信息如何变更";
/// Before the counters' names.
pub const CITIZEN_HOW_TO_COUNTER: &str = "以下信息不能在网上修改，请本人到经办机构窗口办理";
/// What to bring for every field.
pub const CITIZEN_BRING_ID: &str = "请携带居民身份证原件";
/// Before the extra documents.
pub const CITIZEN_ALSO_BRING: &str = "并携带";
/// For fields the household registry holds.
pub const CITIZEN_REGISTRY_FIRST: &str = "如户籍登记的信息有误，请先到公安机关户籍窗口更正";
/// Section title.
pub const CITIZEN_HISTORY: &str = "变更记录";
/// No change yet.
pub const CITIZEN_NO_HISTORY: &str = "您的信息登记后没有变更。";
/// Column.
pub const CITIZEN_WHEN: &str = "时间";
/// Column.
pub const CITIZEN_BY: &str = "办理机构";
/// A change the person made, or that no agency made.
pub const CITIZEN_BY_SELF: &str = "本人网上办理";
/// After a contact change.
pub const CITIZEN_CONTACT_SAVED: &str = "联系方式已修改，立即生效。";
/// After confirming.
pub const CITIZEN_CONFIRMED: &str = "您已确认变更。";
/// After refusing.
pub const CITIZEN_DECLINED: &str = "您已拒绝该变更，申请已终止。";
/// The form was tampered with or is out of date.
pub const CITIZEN_FORM_BROKEN: &str = "表单内容有误，请刷新页面后重新填写";
/// The contact form came empty.
pub const CITIZEN_NOTHING_TO_CHANGE: &str = "请填写要修改的家庭住址或联系电话";

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
