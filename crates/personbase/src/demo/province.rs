//! The demo province's reference data: Heilongjiang's provincial information centre and
//! arrears office, two prefectures (Harbin, Qiqihar) with some of their real counties, and an
//! agency of every kind; one operator per agency; API keys for the business systems.
//!
//! Passwords and keys are derived from a fixed seed, so that a reused demo database can print
//! them again. They are for the demo only.

use personbase_domain::{AgencyKind, BusinessLine, Level, Role};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A prefecture of the demo and the counties it uses.
pub struct Prefecture {
    /// GB/T 2260 code.
    pub code: u32,
    /// Name.
    pub name: &'static str,
    /// Short code for logins.
    pub abbr: &'static str,
    /// Counties: code, name, short code, street names for addresses.
    pub counties: &'static [County],
}

/// A county (or city district) of the demo.
pub struct County {
    /// GB/T 2260 code.
    pub code: u32,
    /// Name.
    pub name: &'static str,
    /// Short code for logins.
    pub abbr: &'static str,
    /// Streets for addresses.
    pub streets: &'static [&'static str],
}

/// Harbin and Qiqihar, with real county codes.
pub const PREFECTURES: [Prefecture; 2] = [
    Prefecture {
        code: 230100,
        name: "哈尔滨市",
        abbr: "hrb",
        counties: &[
            County {
                code: 230102,
                name: "道里区",
                abbr: "daoli",
                streets: &["中央大街", "安静街", "经纬街", "友谊路"],
            },
            County {
                code: 230103,
                name: "南岗区",
                abbr: "nangang",
                streets: &["学府路", "红军街", "西大直街", "果戈里大街"],
            },
            County {
                code: 230110,
                name: "香坊区",
                abbr: "xiangfang",
                streets: &["中山路", "红旗大街", "公滨路"],
            },
            County {
                code: 230111,
                name: "呼兰区",
                abbr: "hulan",
                streets: &["南大街", "利民大道", "萧红路"],
            },
            County {
                code: 230184,
                name: "五常市",
                abbr: "wuchang",
                streets: &["兴盛路", "牛家镇长青街", "拉林镇中心街"],
            },
        ],
    },
    Prefecture {
        code: 230200,
        name: "齐齐哈尔市",
        abbr: "qqhr",
        counties: &[
            County {
                code: 230202,
                name: "龙沙区",
                abbr: "longsha",
                streets: &["卜奎大街", "龙华路", "民航路"],
            },
            County {
                code: 230203,
                name: "建华区",
                abbr: "jianhua",
                streets: &["新华东路", "建华路", "中华路"],
            },
            County {
                code: 230221,
                name: "龙江县",
                abbr: "longjiang",
                streets: &["龙江镇正阳街", "景星镇兴华路"],
            },
            County {
                code: 230281,
                name: "讷河市",
                abbr: "nehe",
                streets: &["雨亭大街", "通江街", "学田镇中心街"],
            },
        ],
    },
];

/// An agency to create, with its operator.
#[derive(Clone, Debug)]
pub struct AgencySpec {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: AgencyKind,
    /// Level.
    pub level: Level,
    /// Division code.
    pub division: u32,
    /// Its operator's login.
    pub login: String,
    /// Its operator's roles.
    pub roles: Vec<Role>,
}

/// Where an agency sits in the demo, to find it again by its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The provincial information centre.
    ProvinceCentre,
    /// The provincial arrears office.
    ProvinceArrears,
    /// A prefecture's information centre.
    PrefectureCentre(usize),
    /// A prefecture's employment agency.
    PrefectureEmployment(usize),
    /// A prefecture's social insurance agency.
    PrefectureInsurance(usize),
    /// A prefecture's arrears office (Harbin) or follow-up agency (Qiqihar).
    PrefectureArrears(usize),
    /// A county's employment agency.
    CountyEmployment(usize, usize),
    /// A county's social insurance agency.
    CountyInsurance(usize, usize),
    /// Nangang's county-level arrears office: it may not modify arrears persons (R2.13).
    CountyArrears,
}

/// Every agency of the demo in creation order, with its slot.
pub fn agencies() -> Vec<(Slot, AgencySpec)> {
    let spec = |name: String, kind, level, division, login: String, roles: &[Role]| AgencySpec {
        name,
        kind,
        level,
        division,
        login,
        roles: roles.to_vec(),
    };
    let handler = [Role::Handler];
    let centre = [Role::Handler, Role::Supervisor];
    let mut out = vec![
        (
            Slot::ProvinceCentre,
            spec(
                "黑龙江省人力资源和社会保障信息中心".into(),
                AgencyKind::InformationCentre,
                Level::Province,
                230000,
                "hlj-centre".into(),
                &centre,
            ),
        ),
        (
            Slot::ProvinceArrears,
            spec(
                "黑龙江省解欠办".into(),
                AgencyKind::ArrearsOffice,
                Level::Province,
                230000,
                "hlj-arrears".into(),
                &handler,
            ),
        ),
    ];
    for (p, pref) in PREFECTURES.iter().enumerate() {
        let (name, abbr, code) = (pref.name, pref.abbr, pref.code);
        out.push((
            Slot::PrefectureCentre(p),
            spec(
                format!("{name}人力资源和社会保障信息中心"),
                AgencyKind::InformationCentre,
                Level::Prefecture,
                code,
                format!("{abbr}-centre"),
                &centre,
            ),
        ));
        out.push((
            Slot::PrefectureEmployment(p),
            spec(
                format!("{name}就业服务局"),
                AgencyKind::Employment,
                Level::Prefecture,
                code,
                format!("{abbr}-emp"),
                &handler,
            ),
        ));
        out.push((
            Slot::PrefectureInsurance(p),
            spec(
                format!("{name}社会保险事业管理局"),
                AgencyKind::SocialInsurance,
                Level::Prefecture,
                code,
                format!("{abbr}-si"),
                &handler,
            ),
        ));
        let (arrears_name, arrears_kind) = if p == 0 {
            (format!("{name}解欠办"), AgencyKind::ArrearsOffice)
        } else {
            (format!("{name}解欠后续管理中心"), AgencyKind::ArrearsFollowUp)
        };
        out.push((
            Slot::PrefectureArrears(p),
            spec(
                arrears_name,
                arrears_kind,
                Level::Prefecture,
                code,
                format!("{abbr}-arrears"),
                &handler,
            ),
        ));
        for (c, county) in pref.counties.iter().enumerate() {
            out.push((
                Slot::CountyEmployment(p, c),
                spec(
                    format!("{name}{}就业服务中心", county.name),
                    AgencyKind::Employment,
                    Level::County,
                    county.code,
                    format!("{abbr}-{}-emp", county.abbr),
                    &handler,
                ),
            ));
            out.push((
                Slot::CountyInsurance(p, c),
                spec(
                    format!("{name}{}社会保险事业局", county.name),
                    AgencyKind::SocialInsurance,
                    Level::County,
                    county.code,
                    format!("{abbr}-{}-si", county.abbr),
                    &handler,
                ),
            ));
        }
    }
    out.push((
        Slot::CountyArrears,
        spec(
            "哈尔滨市南岗区解欠办".into(),
            AgencyKind::ArrearsOffice,
            Level::County,
            230103,
            "hrb-nangang-arrears".into(),
            &handler,
        ),
    ));
    out
}

/// The business systems' keys: (line, agency slot). One per line an agency holds.
pub fn api_key_slots() -> Vec<(BusinessLine, Slot)> {
    let mut out = vec![];
    for (p, pref) in PREFECTURES.iter().enumerate() {
        out.push((BusinessLine::Medical, Slot::PrefectureInsurance(p)));
        out.push((BusinessLine::Pension, Slot::PrefectureInsurance(p)));
        out.push((BusinessLine::ArrearsSettlement, Slot::PrefectureArrears(p)));
        for c in 0..pref.counties.len() {
            out.push((BusinessLine::Employment, Slot::CountyEmployment(p, c)));
            out.push((BusinessLine::InsuranceSubsidy, Slot::CountyEmployment(p, c)));
            out.push((BusinessLine::Pension, Slot::CountyInsurance(p, c)));
            out.push((BusinessLine::Medical, Slot::CountyInsurance(p, c)));
            out.push((BusinessLine::Unemployment, Slot::CountyInsurance(p, c)));
        }
    }
    out
}

/// The demo password of `login` (deterministic, printed on the console).
pub fn password(login: &str) -> String {
    let mut rng = StdRng::seed_from_u64(seed_of("password", login));
    let tail: String = (0..6)
        .map(|_| char::from(b"abcdefghjkmnpqrstuvwxyz23456789"[rng.gen_range(0..31)]))
        .collect();
    format!("Demo-{tail}")
}

/// The demo API key of a business system (deterministic, printed on the console).
pub fn api_key(line: BusinessLine, login: &str) -> String {
    let mut rng = StdRng::seed_from_u64(seed_of(line.code(), login));
    let bytes: [u8; 16] = rng.r#gen();
    format!("pbk-{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn seed_of(a: &str, b: &str) -> u64 {
    // FNV-1a: stable across platforms and releases, unlike the standard hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in a.bytes().chain([0]).chain(b.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_unique_and_every_kind_is_there() {
        let all = agencies();
        let mut logins: Vec<&str> = all.iter().map(|(_, a)| a.login.as_str()).collect();
        logins.sort_unstable();
        logins.dedup();
        assert_eq!(logins.len(), all.len());
        for kind in AgencyKind::ALL {
            assert!(all.iter().any(|(_, a)| a.kind == kind), "{kind:?}");
        }
        for (_, a) in &all {
            assert!(personbase_identity::division::is_known(a.division), "{}", a.division);
        }
    }

    #[test]
    fn secrets_are_stable() {
        assert_eq!(password("hrb-si"), password("hrb-si"));
        assert_ne!(password("hrb-si"), password("hrb-emp"));
        assert_ne!(api_key(BusinessLine::Pension, "a"), api_key(BusinessLine::Medical, "a"));
    }
}
