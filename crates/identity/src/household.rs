//! Household registration type (户籍性质 / 户口性质), the codes the ministry's social
//! insurance systems use in column AAC009.

use crate::code_table::code_table;

code_table! {
    /// Household registration type (户籍性质), as the ministry's systems code it.
    pub enum HouseholdType {
        NonAgricultural = "10" "非农业户口",
        LocalNonAgricultural = "11" "本地非农业户口",
        OtherPlaceNonAgricultural = "12" "外地非农业户口",
        Agricultural = "20" "农业户口",
        LocalAgricultural = "21" "本地农业户口",
        OtherPlaceAgricultural = "22" "外地农业户口",
        HongKongMacaoTaiwanOverseas = "30" "港澳台及华侨",
        HongKong = "31" "香港居民",
        Macao = "32" "澳门居民",
        Taiwan = "33" "台湾居民",
        OverseasChinese = "34" "华侨",
        Foreign = "40" "外籍人员",
        Resident = "50" "居民户口",
    }
}

impl HouseholdType {
    /// Reads a code (`"20"`) or a name (`"农业户口"`, also without 户口: `"农业"`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::from_code(s).or_else(|| Self::from_name_zh(s)).or_else(|| {
            Self::all().iter().copied().find(|h| h.name_zh().strip_suffix("户口") == Some(s))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_codes_and_names() {
        let cases: &[(&str, Option<HouseholdType>)] = &[
            ("10", Some(HouseholdType::NonAgricultural)),
            ("农业户口", Some(HouseholdType::Agricultural)),
            ("农业", Some(HouseholdType::Agricultural)),
            ("居民", Some(HouseholdType::Resident)),
            ("40", Some(HouseholdType::Foreign)),
            ("13", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(HouseholdType::parse(input), *expected, "{input}");
        }
        assert_eq!(HouseholdType::all().len(), 13);
    }
}
