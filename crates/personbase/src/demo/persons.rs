//! The demo's persons, planned deterministically from a seed: who they are, which lines they
//! are enrolled in, and the few showcase persons the curl tour of `docs/api.md` uses.

use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::names;
use super::numbers::citizen_number;
use super::province::PREFECTURES;

/// The lines a person is enrolled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// Employment at the county employment agency only.
    Employment,
    /// Pension at the county social insurance agency only.
    Pension,
    /// Pension, medical and unemployment, all at the county social insurance agency.
    Insurance,
    /// Employment and subsidy at the county employment agency, pension at the county social
    /// insurance agency, medical at the prefecture's: three agencies, ordered sign-off (R2.3).
    ThreeAgencies,
    /// Arrears settlement at the prefecture's arrears office, and pension (R2.13).
    Arrears,
    /// No enrolment yet (children).
    None,
}

/// How the registry snapshot knows the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistryView {
    /// Same values as the record.
    Same,
    /// The registry writes the name differently (R2.8 demo).
    NameDiffers,
    /// Not in the snapshot: registered outside the province (R2.17), or not yet in it.
    Absent,
}

/// One planned person.
#[derive(Clone, Debug)]
pub struct PlannedPerson {
    /// Prefecture index into [`PREFECTURES`].
    pub prefecture: usize,
    /// County index.
    pub county: usize,
    /// The number.
    pub ssn: String,
    /// The name.
    pub name: String,
    /// Birth date.
    pub birth: NaiveDate,
    /// Ethnicity code.
    pub ethnicity: &'static str,
    /// Household registration address.
    pub household_address: String,
    /// Household registration type code.
    pub household_type: &'static str,
    /// Home address.
    pub home_address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Lines.
    pub profile: Profile,
    /// Whether an active card is issued.
    pub card: bool,
    /// Whether a transaction is in transit.
    pub in_transit: bool,
    /// Whether a pension merged-contribution confirmation is attached.
    pub pension_special: bool,
    /// How the registry knows them.
    pub registry: RegistryView,
}

/// The showcase persons, by their position in the plan (person id = position + 1).
pub const SHOWCASE: [(&str, usize); 8] = [
    ("三机构人员（户籍库无记录）：改姓名须就业先、社保最后确认（R2.2/R2.3）", 0),
    ("多业务人员：改户籍性质等须本人确认（R2.4）", 1),
    ("有在途业务的人员（R2.12）", 2),
    ("附有养老保险并轨缴费确认的人员（R2.11）", 3),
    ("解欠人员：只能由地市级以上解欠办修改（R2.13）", 4),
    ("持有正在使用的社会保障卡的人员（R2.14）", 5),
    ("户籍库姓名与记录不一致的人员（R2.8）", 6),
    ("外省户籍人员：只能由信息中心或录入机构修改（R2.17）", 7),
];

const ETHNICITIES: &[(&str, u32)] =
    &[("01", 900), ("11", 40), ("10", 25), ("03", 15), ("02", 10), ("18", 5), ("53", 2), ("52", 3)];

fn weighted<T: Copy>(rng: &mut StdRng, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total);
    for (value, weight) in table {
        if pick < *weight {
            return *value;
        }
        pick -= weight;
    }
    table[0].0
}

/// Plans `count` persons (at least the showcase) as of `today`, deterministically.
pub fn plan(count: usize, today: NaiveDate) -> Vec<PlannedPerson> {
    let mut rng = StdRng::seed_from_u64(20_140_101);
    let count = count.max(SHOWCASE.len() + 2);
    let mut used = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let prefecture = if i < SHOWCASE.len() || rng.gen_range(0..10) < 6 { 0 } else { 1 };
        let counties = PREFECTURES[prefecture].counties;
        let county = if i < SHOWCASE.len() { 1 } else { rng.gen_range(0..counties.len()) };
        let male = rng.gen_bool(0.5);
        let age_days = if i >= SHOWCASE.len() && rng.gen_range(0..100) < 8 {
            rng.gen_range(365..16 * 365)
        } else {
            rng.gen_range(18 * 365..75 * 365)
        };
        let birth = today - Duration::days(age_days);
        let division = if i == 7 { 220102 } else { counties[county].code };
        let mut order = rng.gen_range(0..500);
        let mut ssn = citizen_number(division, birth, order, male);
        while !used.insert(ssn.clone()) {
            order = (order + 1) % 500;
            ssn = citizen_number(division, birth, order, male);
        }

        let streets = counties[county].streets;
        let street = streets[rng.gen_range(0..streets.len())];
        let place = if i == 7 {
            "吉林省长春市南关区人民大街".to_owned()
        } else {
            format!("黑龙江省{}{}{street}", PREFECTURES[prefecture].name, counties[county].name)
        };
        let household_address = format!("{place}{}号", rng.gen_range(1..300));
        let home_address = rng.gen_bool(0.4).then(|| {
            format!(
                "{place}{}号{}单元{}室",
                rng.gen_range(1..300),
                rng.gen_range(1..7),
                rng.gen_range(101..1802)
            )
        });
        let prefixes = ["138", "139", "150", "151", "158", "186", "187", "135", "137", "189"];
        let phone = rng.gen_bool(0.7).then(|| {
            format!(
                "{}{:08}",
                prefixes[rng.gen_range(0..prefixes.len())],
                rng.gen_range(0..100_000_000)
            )
        });

        let child = today.years_since(birth).unwrap_or(0) < 16;
        let profile = match i {
            0 => Profile::ThreeAgencies,
            1 => Profile::Insurance,
            2 | 3 | 6 => Profile::Insurance,
            4 => Profile::Arrears,
            5 => Profile::Employment,
            7 => Profile::Pension,
            _ if child => Profile::None,
            _ => match rng.gen_range(0..100) {
                0..15 => Profile::Employment,
                15..35 => Profile::Pension,
                35..75 => Profile::Insurance,
                75..97 => Profile::ThreeAgencies,
                _ => Profile::Arrears,
            },
        };
        let showcase = i < SHOWCASE.len();
        out.push(PlannedPerson {
            prefecture,
            county,
            name: names::name(&mut rng, male),
            ethnicity: weighted(&mut rng, ETHNICITIES),
            household_type: if showcase || rng.gen_bool(0.6) { "10" } else { "20" },
            ssn,
            birth,
            household_address,
            home_address,
            phone,
            profile,
            card: if showcase { i == 5 } else { !child && rng.gen_bool(0.5) },
            in_transit: if showcase { i == 2 } else { rng.gen_range(0..100) == 0 },
            pension_special: i == 3,
            registry: match i {
                6 => RegistryView::NameDiffers,
                0 | 5 | 7 => RegistryView::Absent,
                _ if !showcase && rng.gen_range(0..1000) < 3 => RegistryView::NameDiffers,
                _ => RegistryView::Same,
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use personbase_identity::SocialSecurityNumber;

    #[test]
    fn the_plan_is_deterministic_and_valid() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let a = plan(300, today);
        let b = plan(300, today);
        assert_eq!(a.len(), 300);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.ssn, y.ssn);
            assert_eq!(x.name, y.name);
            let ssn = SocialSecurityNumber::parse(&x.ssn).unwrap();
            assert_eq!(ssn.birth_date(), Some(x.birth));
        }
        assert_eq!(a[0].profile, Profile::ThreeAgencies);
        assert_eq!(a[7].registry, RegistryView::Absent);
        assert!(a[7].ssn.starts_with("22"));
        assert!(a.iter().any(|p| p.profile == Profile::None));
    }
}
