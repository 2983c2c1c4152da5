//! Ethnicity, GB 3304-1991: the 56 nationalities, 97 other, 98 foreign-born Chinese
//! citizens.

use crate::code_table::code_table;

code_table! {
    /// Ethnicity (民族), GB 3304. Variant names follow the standard's romanisation.
    pub enum Ethnicity {
        Han = "01" "汉族",
        Mongol = "02" "蒙古族",
        Hui = "03" "回族",
        Zang = "04" "藏族",
        Uygur = "05" "维吾尔族",
        Miao = "06" "苗族",
        Yi = "07" "彝族",
        Zhuang = "08" "壮族",
        Buyei = "09" "布依族",
        Chosen = "10" "朝鲜族",
        Man = "11" "满族",
        Dong = "12" "侗族",
        Yao = "13" "瑶族",
        Bai = "14" "白族",
        Tujia = "15" "土家族",
        Hani = "16" "哈尼族",
        Kazak = "17" "哈萨克族",
        Dai = "18" "傣族",
        Li = "19" "黎族",
        Lisu = "20" "傈僳族",
        Va = "21" "佤族",
        She = "22" "畲族",
        Gaoshan = "23" "高山族",
        Lahu = "24" "拉祜族",
        Sui = "25" "水族",
        Dongxiang = "26" "东乡族",
        Naxi = "27" "纳西族",
        Jingpo = "28" "景颇族",
        Kirgiz = "29" "柯尔克孜族",
        Tu = "30" "土族",
        Daur = "31" "达斡尔族",
        Mulao = "32" "仫佬族",
        Qiang = "33" "羌族",
        Blang = "34" "布朗族",
        Salar = "35" "撒拉族",
        Maonan = "36" "毛南族",
        Gelao = "37" "仡佬族",
        Xibe = "38" "锡伯族",
        Achang = "39" "阿昌族",
        Pumi = "40" "普米族",
        Tajik = "41" "塔吉克族",
        Nu = "42" "怒族",
        Uzbek = "43" "乌孜别克族",
        Russ = "44" "俄罗斯族",
        Ewenki = "45" "鄂温克族",
        Deang = "46" "德昂族",
        Bonan = "47" "保安族",
        Yugur = "48" "裕固族",
        Gin = "49" "京族",
        Tatar = "50" "塔塔尔族",
        Derung = "51" "独龙族",
        Oroqen = "52" "鄂伦春族",
        Hezhen = "53" "赫哲族",
        Monba = "54" "门巴族",
        Lhoba = "55" "珞巴族",
        Jino = "56" "基诺族",
        Other = "97" "其他",
        ForeignOrigin = "98" "外国血统中国籍人士",
    }
}

impl Ethnicity {
    /// Reads a code (`"01"` or `"1"`) or a name with or without 族 (`"汉族"`, `"汉"`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) {
            let padded = format!("{s:0>2}");
            return Self::from_code(&padded);
        }
        Self::from_name_zh(s).or_else(|| {
            let bare = s.strip_suffix('族').unwrap_or(s);
            Self::all()
                .iter()
                .copied()
                .find(|e| e.name_zh().strip_suffix('族').unwrap_or(e.name_zh()) == bare)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_codes_and_names() {
        let cases: &[(&str, Option<Ethnicity>)] = &[
            ("01", Some(Ethnicity::Han)),
            ("1", Some(Ethnicity::Han)),
            ("汉族", Some(Ethnicity::Han)),
            ("汉", Some(Ethnicity::Han)),
            (" 蒙古 ", Some(Ethnicity::Mongol)),
            ("56", Some(Ethnicity::Jino)),
            ("97", Some(Ethnicity::Other)),
            ("其他", Some(Ethnicity::Other)),
            ("98", Some(Ethnicity::ForeignOrigin)),
            ("57", None),
            ("001", None),
            ("", None),
            ("族", None),
        ];
        for (input, expected) in cases {
            assert_eq!(Ethnicity::parse(input), *expected, "{input}");
        }
    }

    #[test]
    fn table_is_complete_and_serialises_as_code() {
        assert_eq!(Ethnicity::all().len(), 58);
        assert_eq!(serde_json::to_string(&Ethnicity::Zhuang).unwrap(), "\"08\"");
        let back: Ethnicity = serde_json::from_str("\"08\"").unwrap();
        assert_eq!(back, Ethnicity::Zhuang);
    }
}
