//! Which column is which: the person fields an import knows, found by the headers legacy
//! exports use (Chinese names and the ministry's data field codes), or by a mapping file.

use std::collections::BTreeMap;
use std::path::Path;

use personbase_identity::FieldCode;

use crate::ImportError;

/// A person field a legacy file may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 社会保障号码 / 公民身份号码 (AAC002).
    Number,
    /// 姓名 (AAC003).
    Name,
    /// 性别 (AAC004).
    Gender,
    /// 民族 (AAC005).
    Ethnicity,
    /// 出生日期 (AAC006).
    BirthDate,
    /// 户口性质 (AAC009).
    HouseholdType,
    /// 户籍地址 (AAC010).
    HouseholdAddress,
    /// 家庭住址 (AAE006).
    HomeAddress,
    /// 联系电话 (AAE005).
    Phone,
    /// 险种 / 业务线 (AAE140).
    BusinessLine,
    /// 经办机构 (AAB034).
    Agency,
}

/// How many fields there are; a row's cells are an array of this size.
pub const FIELD_COUNT: usize = 11;

impl Field {
    /// Every field, in the order of the array of a row's cells.
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::Number,
        Field::Name,
        Field::Gender,
        Field::Ethnicity,
        Field::BirthDate,
        Field::HouseholdType,
        Field::HouseholdAddress,
        Field::HomeAddress,
        Field::Phone,
        Field::BusinessLine,
        Field::Agency,
    ];

    /// The index of this field in a row's cells.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The machine name used in mapping files and JSON, e.g. `birth_date`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Number => "number",
            Field::Name => "name",
            Field::Gender => "gender",
            Field::Ethnicity => "ethnicity",
            Field::BirthDate => "birth_date",
            Field::HouseholdType => "household_type",
            Field::HouseholdAddress => "household_address",
            Field::HomeAddress => "home_address",
            Field::Phone => "phone",
            Field::BusinessLine => "business_line",
            Field::Agency => "agency",
        }
    }

    /// The usual Chinese column name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Field::Number => "身份号码",
            Field::Name => "姓名",
            Field::Gender => "性别",
            Field::Ethnicity => "民族",
            Field::BirthDate => "出生日期",
            Field::HouseholdType => "户口性质",
            Field::HouseholdAddress => "户籍地址",
            Field::HomeAddress => "家庭住址",
            Field::Phone => "联系电话",
            Field::BusinessLine => "险种",
            Field::Agency => "经办机构",
        }
    }

    /// Reads a machine name (`birth_date`).
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.key() == key.trim())
    }

    /// Recognises a column header: a ministry data field code in any case, or a Chinese
    /// name legacy exports use.
    pub fn from_header(header: &str) -> Option<Field> {
        let h = clean_header(header);
        if let Some(code) = FieldCode::parse(&h) {
            return Some(match code {
                FieldCode::Number => Field::Number,
                FieldCode::Name => Field::Name,
                FieldCode::Gender => Field::Gender,
                FieldCode::Ethnicity => Field::Ethnicity,
                FieldCode::BirthDate => Field::BirthDate,
                FieldCode::HouseholdType => Field::HouseholdType,
                FieldCode::HouseholdAddress => Field::HouseholdAddress,
            });
        }
        let found = match h.to_ascii_uppercase().as_str() {
            "身份证"
            | "证件号码"
            | "公民身份证号码"
            | "身份证号码"
            | "身份号码"
            | "社保号码"
            | "社会保障号"
            | "公民身份号"
            | "证件号" => Field::Number,
            "名字" | "人员姓名" => Field::Name,
            "出生年月" | "出生年月日" | "生日" => Field::BirthDate,
            "户口类型" | "户籍类型" | "户籍性质代码" => Field::HouseholdType,
            "户籍所在地" | "户口地址" | "户籍地" => Field::HouseholdAddress,
            "家庭住址" | "居住地址" | "现住址" | "常住地址" | "联系地址" | "家庭地址"
            | "AAE006" => Field::HomeAddress,
            "联系电话" | "电话" | "手机" | "手机号码" | "电话号码" | "手机号" | "AAE005" => {
                Field::Phone
            }
            "险种" | "险种类型" | "业务线" | "AAE140" => Field::BusinessLine,
            "经办机构" | "经办机构编码" | "参保机构" | "AAB034" => Field::Agency,
            _ => return None,
        };
        Some(found)
    }
}

/// A header without a byte order mark, surrounding white space or quotes, or inner spaces.
fn clean_header(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"' && *c != '*')
        .collect()
}

/// A mapping file: headers to fields, and values that hold for a whole file.
///
/// ```toml
/// [columns]
/// "证件号" = "number"
/// "备用电话" = "ignore"
///
/// [defaults]
/// business_line = "城镇职工基本养老保险"
/// agency = "230102 社保经办机构"
/// ```
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Mapping {
    /// Header text → field key, or `ignore`.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Values for fields no column carries: `business_line`, `agency`.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
}

impl Mapping {
    /// Reads and checks a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, ImportError> {
        let text = std::fs::read_to_string(path).map_err(|e| ImportError::io(path, e))?;
        let mapping: Mapping = toml::from_str(&text)
            .map_err(|e| ImportError::Config(format!("映射文件 {}：{e}", path.display())))?;
        for (header, key) in &mapping.columns {
            if key != "ignore" && Field::from_key(key).is_none() {
                return Err(ImportError::Config(format!(
                    "映射文件中列“{header}”的字段“{key}”未知"
                )));
            }
        }
        for key in mapping.defaults.keys() {
            if Field::from_key(key).is_none() {
                return Err(ImportError::Config(format!("映射文件 defaults 中的字段“{key}”未知")));
            }
        }
        Ok(mapping)
    }

    /// The field of a header: the mapping file first, then the known names.
    fn field_of(&self, header: &str) -> Option<Field> {
        let cleaned = clean_header(header);
        match self.columns.iter().find(|(h, _)| clean_header(h) == cleaned) {
            Some((_, key)) => Field::from_key(key),
            None => Field::from_header(header),
        }
    }
}

/// For each field, the column that holds it, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    /// Column index per field, indexed by [`Field::index`].
    pub columns: [Option<usize>; FIELD_COUNT],
    /// The header text of each mapped column, as the file wrote it.
    pub headers: [Option<String>; FIELD_COUNT],
}

impl ColumnMap {
    /// Maps a header row. The first column that claims a field wins.
    pub fn from_headers<'a>(headers: impl IntoIterator<Item = &'a str>, mapping: &Mapping) -> Self {
        let mut map = ColumnMap::default();
        for (i, h) in headers.into_iter().enumerate() {
            if let Some(f) = mapping.field_of(h)
                && map.columns[f.index()].is_none()
            {
                map.columns[f.index()] = Some(i);
                map.headers[f.index()] = Some(h.trim_start_matches('\u{feff}').trim().to_string());
            }
        }
        map
    }

    /// Whether a header row names the identity number column.
    pub fn has_number(&self) -> bool {
        self.columns[Field::Number.index()].is_some()
    }

    /// The header of a field's column as the file wrote it, or the usual Chinese name.
    pub fn header(&self, field: Field) -> &str {
        self.headers[field.index()].as_deref().unwrap_or(field.name_zh())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_people_and_the_ministry_use() {
        let cases = [
            ("身份证号", Some(Field::Number)),
            ("公民身份号码", Some(Field::Number)),
            ("社会保障号码", Some(Field::Number)),
            ("\u{feff}AAC002", Some(Field::Number)),
            ("aac003", Some(Field::Name)),
            (" 户籍性质 ", Some(Field::HouseholdType)),
            ("户口性质", Some(Field::HouseholdType)),
            ("联系电话", Some(Field::Phone)),
            ("家庭住址", Some(Field::HomeAddress)),
            ("户籍地址", Some(Field::HouseholdAddress)),
            ("备注", None),
        ];
        for (h, f) in cases {
            assert_eq!(Field::from_header(h), f, "{h}");
        }
    }

    #[test]
    fn mapping_file_overrides() {
        let mapping: Mapping =
            toml::from_str("[columns]\n\"证件号\" = \"number\"\n\"电话\" = \"ignore\"\n").unwrap();
        let map = ColumnMap::from_headers(["姓名", "证件号", "电话"], &mapping);
        assert_eq!(map.columns[Field::Number.index()], Some(1));
        assert_eq!(map.columns[Field::Phone.index()], None);
    }
}
