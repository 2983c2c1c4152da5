//! Business lines as legacy files write them: the platform's codes, the names case workers
//! use, the names of the insurance schemes (企业职工基本养老保险, 城乡居民基本医疗保险, …)
//! and the ministry's 险种类型 codes (AAE140: 110 pension, 210 unemployment, 310 medical, …).

use personbase_domain::BusinessLine;

/// The line a cell names, or `None` when nothing matches.
pub fn parse_line(text: &str) -> Option<BusinessLine> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return None;
    }
    if let Some(line) = BusinessLine::from_code(&t.to_ascii_lowercase()) {
        return Some(line);
    }
    if let Some(line) = BusinessLine::ALL.into_iter().find(|l| l.name_zh() == t) {
        return Some(line);
    }
    if t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit()) {
        return match &t[..1] {
            "1" => Some(BusinessLine::Pension),
            "2" => Some(BusinessLine::Unemployment),
            "3" => Some(BusinessLine::Medical),
            "4" => Some(BusinessLine::WorkInjury),
            "5" => Some(BusinessLine::Maternity),
            _ => None,
        };
    }
    // Scheme names: the line is the insurance they name.
    let by_word = [
        ("养老", BusinessLine::Pension),
        ("医疗", BusinessLine::Medical),
        ("医保", BusinessLine::Medical),
        ("失业保险", BusinessLine::Unemployment),
        ("工伤", BusinessLine::WorkInjury),
        ("生育", BusinessLine::Maternity),
        ("补贴", BusinessLine::InsuranceSubsidy),
        ("解欠", BusinessLine::ArrearsSettlement),
        ("就业", BusinessLine::Employment),
    ];
    by_word.into_iter().find(|(word, _)| t.contains(word)).map(|(_, line)| line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_as_legacy_files_write_them() {
        let cases = [
            ("企业职工基本养老保险", Some(BusinessLine::Pension)),
            ("城乡居民基本养老保险", Some(BusinessLine::Pension)),
            ("城镇职工基本医疗保险", Some(BusinessLine::Medical)),
            ("失业保险", Some(BusinessLine::Unemployment)),
            ("工伤保险", Some(BusinessLine::WorkInjury)),
            ("就业", Some(BusinessLine::Employment)),
            ("社保补贴", Some(BusinessLine::InsuranceSubsidy)),
            (" pension ", Some(BusinessLine::Pension)),
            ("work_injury", Some(BusinessLine::WorkInjury)),
            ("110", Some(BusinessLine::Pension)),
            ("310", Some(BusinessLine::Medical)),
            ("510", Some(BusinessLine::Maternity)),
            ("910", None),
            ("", None),
            ("其他", None),
        ];
        for (text, line) in cases {
            assert_eq!(parse_line(text), line, "{text}");
        }
    }
}
