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
