//! The data field codes of the ministry's platform for person columns, as legacy exports
//! use them for headers.

/// A person column and its data field code on the ministry's platform (AAC002 …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldCode {
    /// AAC002 社会保障号码 (公民身份号码).
    Number,
    /// AAC003 姓名.
    Name,
    /// AAC004 性别.
    Gender,
    /// AAC005 民族.
    Ethnicity,
    /// AAC006 出生日期.
    BirthDate,
    /// AAC009 户口性质.
    HouseholdType,
    /// AAC010 户口所在地 (户籍住址).
    HouseholdAddress,
}

impl FieldCode {
    /// Every field, in code order.
    pub fn all() -> &'static [FieldCode] {
        &[
            FieldCode::Number,
            FieldCode::Name,
            FieldCode::Gender,
            FieldCode::Ethnicity,
            FieldCode::BirthDate,
            FieldCode::HouseholdType,
            FieldCode::HouseholdAddress,
        ]
    }

    /// The data field code, e.g. `"AAC002"`.
    pub fn code(self) -> &'static str {
        match self {
            FieldCode::Number => "AAC002",
            FieldCode::Name => "AAC003",
            FieldCode::Gender => "AAC004",
            FieldCode::Ethnicity => "AAC005",
            FieldCode::BirthDate => "AAC006",
            FieldCode::HouseholdType => "AAC009",
            FieldCode::HouseholdAddress => "AAC010",
        }
    }

    /// The column's usual Chinese header.
    pub fn name_zh(self) -> &'static str {
        self.headers()[0]
    }

    /// Chinese headers legacy exports use for this column, the usual one first.
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            FieldCode::Number => &["社会保障号码", "公民身份号码", "身份证号码", "身份证号"],
            FieldCode::Name => &["姓名"],
            FieldCode::Gender => &["性别"],
            FieldCode::Ethnicity => &["民族"],
            FieldCode::BirthDate => &["出生日期"],
            FieldCode::HouseholdType => &["户口性质", "户籍性质"],
            FieldCode::HouseholdAddress => &["户口所在地", "户籍住址", "户籍地址"],
        }
    }

    /// Reads a column header: a field code (any case) or one of the Chinese headers.
    pub fn parse(header: &str) -> Option<Self> {
        let h = header.trim();
        Self::all()
            .iter()
            .copied()
            .find(|f| f.code().eq_ignore_ascii_case(h) || f.headers().contains(&h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_map_to_codes() {
        let cases = [
            ("AAC002", "AAC002"),
            ("aac003", "AAC003"),
            ("身份证号码", "AAC002"),
            ("性别", "AAC004"),
            ("民族", "AAC005"),
            ("出生日期", "AAC006"),
            ("户籍性质", "AAC009"),
            ("户籍住址", "AAC010"),
        ];
        for (header, code) in cases {
            assert_eq!(FieldCode::parse(header).map(FieldCode::code), Some(code), "{header}");
        }
        assert_eq!(FieldCode::parse("电话"), None);
    }
}
