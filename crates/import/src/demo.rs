//! `personbase demo legacy`: a synthetic legacy export with a known, seeded share of each
//! kind of fault, and its answer key (`row,code`, one line per expected finding).
//!
//! Every person is invented: numbers are built over Heilongjiang county codes of the
//! division table with the MOD 11-2 check character, and made unique by a bijection of the
//! row index, so that no two clean rows share a number by chance.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate};
use encoding_rs::GB18030;
use personbase_identity::division;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::ImportError;
use crate::demo_data::{GIVEN, HOMOPHONES, LINES, PLACES, SURNAMES};
use crate::dups::one_typo;
use crate::rowcheck::encode_number;

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Data rows.
    pub rows: u64,
    /// Folder for `legacy.csv` and `answer_key.csv`.
    pub out_dir: PathBuf,
    /// Seed of the random generator: the same seed writes the same files.
    pub seed: u64,
    /// Write GBK instead of UTF-8.
    pub gbk: bool,
    /// Share of rows with a fault, 0.0–1.0.
    pub fault_share: f64,
}

/// What was written.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DemoSummary {
    /// The legacy file.
    pub file: PathBuf,
    /// The answer key.
    pub key: PathBuf,
    /// Data rows written.
    pub rows: u64,
    /// Expected findings per code.
    pub expected: std::collections::BTreeMap<&'static str, u64>,
}

/// The faults injected, each with the same share of the faulty rows.
const FAULTS: &[&str] = &[
    "id.check",
    "id.length",
    "id.scientific",
    "number.upgrade_15",
    "gender.mismatch",
    "birth.mismatch",
    "ethnicity.unknown",
    "household_type.unknown",
    "name.digits",
    "name.spaces",
    "name.full_width",
    "name.too_long",
    "name.empty",
    "phone.invalid",
    "dup.identical",
    "dup.conflict",
    "dup.15_18",
    "dup.probable_typo",
    "dup.probable_name",
];

#[derive(Debug, Clone)]
struct Person {
    name: String,
    male: bool,
    birth: NaiveDate,
    county: u32,
    seq: u32,
    ethnicity: &'static str,
    household: &'static str,
    address: String,
    home: String,
    phone: String,
    line: &'static str,
}

impl Person {
    fn number(&self) -> String {
        number18(self.county, self.birth, self.seq)
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// An 18-character number with its MOD 11-2 check character.
pub fn number18(county: u32, birth: NaiveDate, seq: u32) -> String {
    let body = format!("{county:06}{}{seq:03}", birth.format("%Y%m%d"));
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    let check = (12 - sum % 11) % 11;
    let c = if check == 10 { 'X' } else { char::from(b'0' + check as u8) };
    format!("{body}{c}")
}

/// Heilongjiang's county-level codes in force in 2000, from the division table.
fn counties() -> Vec<u32> {
    (230_101..232_800).filter(|c| c % 100 > 1 && division::name(*c, 2000).is_some()).collect()
}

const SEQ_SLOTS: u64 = 400;
const FIRST_DAY: (i32, u32, u32) = (1950, 1, 1);
const DAYS: u64 = 18_262; // 1950-01-01 to 1999-12-31

struct Generator {
    rng: StdRng,
    counties: Vec<u32>,
    surname_total: u32,
    recent: Vec<Person>,
    space: u64,
    step: u64,
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl Generator {
    fn new(seed: u64) -> Self {
        let counties = counties();
        let space = counties.len() as u64 * DAYS * SEQ_SLOTS;
        let mut step = 2_654_435_761 % space.max(2);
        while gcd(step, space) != 1 {
            step += 1;
        }
        Generator {
            rng: StdRng::seed_from_u64(seed),
            counties,
            surname_total: SURNAMES.iter().map(|s| s.1).sum(),
            recent: Vec::with_capacity(4096),
            space,
            step,
        }
    }

    fn pick<T: Copy>(&mut self, list: &[T]) -> T {
        list[self.rng.gen_range(0..list.len())]
    }

    /// A new person whose number no other fresh person has: row `i` maps one-to-one onto
    /// (county, birth date, sequence slot).
    fn person(&mut self, i: u64) -> Person {
        let p = (i.wrapping_mul(self.step) + 12_345) % self.space;
        let (slot, rest) = (p % SEQ_SLOTS, p / SEQ_SLOTS);
        let (day, county) = (rest % DAYS, rest / DAYS);
        let birth = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2)
            .unwrap_or_default()
            + Duration::days(day as i64);
        let county = self.counties[county as usize % self.counties.len()];
        let seq = slot as u32;
        let male = seq % 2 == 1;

        let mut w = self.rng.gen_range(0..self.surname_total);
        let mut surname = SURNAMES[0].0;
        for (s, weight) in SURNAMES {
            if w < *weight {
                surname = s;
                break;
            }
            w -= weight;
        }
        let mut name = surname.to_string();
        name.push_str(self.pick(GIVEN));
        if self.rng.gen_bool(0.75) {
            name.push_str(self.pick(GIVEN));
        }
        let place = division::full_name(county, 2000).unwrap_or_default();
        let street = self.pick(PLACES);
        let address = format!("{place}{street}街{}号", self.rng.gen_range(1..300));
        let home = if self.rng.gen_bool(0.6) {
            address.clone()
        } else {
            format!(
                "{place}{}路{}号{}室",
                self.pick(PLACES),
                self.rng.gen_range(1..200),
                self.rng.gen_range(101..1800)
            )
        };
        let phone = if self.rng.gen_bool(0.85) {
            format!(
                "1{}{:09}",
                self.pick(&["3", "5", "8", "9"]),
                self.rng.gen_range(0..1_000_000_000u64)
            )
        } else {
            format!("0451-8{:07}", self.rng.gen_range(0..10_000_000u32))
        };
        let ethnicity = if self.rng.gen_bool(0.9) {
            self.pick(&["汉族", "汉族", "01", "汉"])
        } else {
            self.pick(&["满族", "朝鲜族", "蒙古族", "回族", "11", "10"])
        };
        let household = self.pick(&["农业户口", "非农业户口", "20", "10", "居民户口", "农业"]);
        let line = self.pick(LINES);
        Person { name, male, birth, county, seq, ethnicity, household, address, home, phone, line }
    }

    fn earlier(&mut self) -> Option<Person> {
        if self.recent.is_empty() {
            return None;
        }
        // Each earlier person is copied once, so that two copies never meet by chance.
        let i = self.rng.gen_range(0..self.recent.len());
        Some(self.recent.swap_remove(i))
    }

    fn remember(&mut self, p: &Person) {
        if self.recent.len() < 4096 {
            self.recent.push(p.clone());
        } else {
            let i = self.rng.gen_range(0..4096);
            self.recent[i] = p.clone();
        }
    }
}

fn birth_text(rng: &mut StdRng, d: NaiveDate) -> String {
    match rng.gen_range(0..4) {
        0 => d.format("%Y-%m-%d").to_string(),
        1 => format!("{}/{}/{}", d.year(), d.month(), d.day()),
        2 => d.format("%Y%m%d").to_string(),
        _ => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One output row: the fields and the codes the checker must find in it.
struct Line {
    fields: [String; 10],
    codes: Vec<&'static str>,
}

fn line_of(g: &mut Generator, p: &Person, number: String) -> Line {
    let gender = if g.rng.gen_bool(0.8) {
        if p.male { "男" } else { "女" }
    } else if p.male {
        "1"
    } else {
        "2"
    };
    let birth = birth_text(&mut g.rng, p.birth);
    Line {
        fields: [
            p.name.clone(),
            gender.to_string(),
            p.ethnicity.to_string(),
            birth,
            number,
            p.household.to_string(),
            p.address.clone(),
            p.home.clone(),
            p.phone.clone(),
            p.line.to_string(),
        ],
        codes: Vec::new(),
    }
}

/// Replaces one given-name character by a homophone, or the surname by one read alike.
fn homophone(name: &str) -> String {
    for (a, b) in HOMOPHONES {
        if name.contains(a) {
            return name.replacen(a, b, 1);
        }
    }
    name.to_string()
}

fn faulty(g: &mut Generator, i: u64, fault: &'static str) -> Line {
    let fresh = g.person(i);
    let source = match fault {
        "dup.identical" | "dup.conflict" | "dup.15_18" | "dup.probable_typo"
        | "dup.probable_name" => g.earlier(),
        _ => None,
    };
    let Some(src) = source else {
        let p = fresh;
        let number = p.number();
        let mut l = line_of(g, &p, number.clone());
        l.codes.push(fault);
        match fault {
            "id.check" => {
                let last = number.as_bytes()[17];
                let wrong = if last == b'0' { '1' } else { '0' };
                l.fields[4] = format!("{}{wrong}", &number[..17]);
            }
            "id.length" => l.fields[4] = number[..17].to_string(),
            "id.scientific" => l.fields[4] = format!("{}.{}E+17", &number[..1], &number[1..15]),
            "number.upgrade_15" => l.fields[4] = format!("{}{}", &number[..6], &number[8..17]),
            "gender.mismatch" => l.fields[1] = if p.male { "女" } else { "男" }.to_string(),
            "birth.mismatch" => {
                l.fields[3] = (p.birth + Duration::days(g.rng.gen_range(1..400)))
                    .format("%Y-%m-%d")
                    .to_string();
            }
            "ethnicity.unknown" => {
                l.fields[2] = g.pick(&["汉人", "99", "其它族", "未知"]).to_string()
            }
            "household_type.unknown" => {
                l.fields[5] = g.pick(&["城镇", "13", "农转非户", "x"]).to_string()
            }
            "name.digits" => l.fields[0] = format!("{}{}", p.name, g.rng.gen_range(1..10)),
            "name.spaces" => l.fields[0] = format!("{} {}", &p.name[..3], &p.name[3..]),
            "name.full_width" => l.fields[0] = format!("{}Ａ", p.name),
            "name.too_long" => l.fields[0] = p.name.repeat(6),
            "name.empty" => l.fields[0] = String::new(),
            "phone.invalid" => {
                l.fields[8] = format!("1{}", g.rng.gen_range(100_000_000..999_999_999u64))
            }
            // No earlier row yet: a clean row instead.
            _ => l.codes.clear(),
        }
        if !l.codes.is_empty() || !fault.starts_with("dup.") {
            return l;
        }
        g.remember(&p);
        return l;
    };
    let number = src.number();
    let mut l = line_of(g, &src, number.clone());
    match fault {
        "dup.identical" => l.codes.push("dup.identical"),
        "dup.conflict" => {
            l.fields[8] = format!("139{:08}", g.rng.gen_range(0..100_000_000u32));
            l.fields[7] = format!("{}新村{}号", &src.address, g.rng.gen_range(1..99));
            l.codes.push("dup.conflict");
        }
        "dup.15_18" => {
            l.fields[4] = format!("{}{}", &number[..6], &number[8..17]);
            l.codes.extend(["number.upgrade_15", "dup.identical"]);
        }
        "dup.probable_typo" => {
            let mut b = number.as_bytes().to_vec();
            if b[14] != b[15] && g.rng.gen_bool(0.5) {
                b.swap(14, 15);
            } else {
                b[15] = if b[15] == b'9' { b'0' } else { b[15] + 1 };
            }
            l.fields[4] = String::from_utf8_lossy(&b).into_owned();
            l.codes.extend(["id.check", "dup.probable_typo"]);
        }
        _ => {
            let mut seq;
            loop {
                seq = 500 + g.rng.gen_range(0..250) * 2 + u32::from(src.male);
                let a = encode_number(number.as_bytes()).unwrap_or(0);
                let b = encode_number(number18(src.county, src.birth, seq).as_bytes()).unwrap_or(0);
                if !one_typo(a, b) {
                    break;
                }
            }
            let renamed = if g.rng.gen_bool(0.5) { homophone(&src.name) } else { src.name.clone() };
            l.fields[0] = renamed;
            l.fields[4] = number18(src.county, src.birth, seq);
            l.codes.push("dup.probable_name");
        }
    }
    l
}

fn io(p: &Path) -> impl Fn(std::io::Error) -> ImportError + '_ {
    move |e| ImportError::io(p, e)
}

/// Writes `legacy.csv` (or `legacy-gbk.csv`) and `answer_key.csv` into the folder.
pub fn generate(options: &DemoOptions) -> Result<DemoSummary, ImportError> {
    let dir = &options.out_dir;
    std::fs::create_dir_all(dir).map_err(|e| ImportError::io(dir, e))?;
    let file = dir.join(if options.gbk { "legacy-gbk.csv" } else { "legacy.csv" });
    let key = dir.join("answer_key.csv");
    let open = |p: &Path| {
        File::create(p)
            .map(|f| BufWriter::with_capacity(1 << 20, f))
            .map_err(|e| ImportError::io(p, e))
    };
    let (mut out, mut answers) = (open(&file)?, open(&key)?);

    let mut g = Generator::new(options.seed);
    let mut summary = DemoSummary {
        file: file.clone(),
        key: key.clone(),
        rows: options.rows,
        ..DemoSummary::default()
    };
    let write = |text: &str, out: &mut BufWriter<File>| -> std::io::Result<()> {
        if options.gbk {
            let (bytes, _, _) = GB18030.encode(text);
            out.write_all(&bytes)
        } else {
            out.write_all(text.as_bytes())
        }
    };
    write(
        "姓名,性别,民族,出生日期,公民身份号码,户口性质,户籍地址,家庭住址,联系电话,险种\r\n",
        &mut out,
    )
    .map_err(io(&file))?;
    answers.write_all(b"row,code\n").map_err(io(&key))?;

    let share = options.fault_share.clamp(0.0, 1.0);
    let mut text = String::with_capacity(256);
    for i in 0..options.rows {
        let row = i + 2;
        let line = if g.rng.gen_bool(share) {
            let fault = g.pick(FAULTS);
            faulty(&mut g, i, fault)
        } else {
            let p = g.person(i);
            let number = p.number();
            let l = line_of(&mut g, &p, number);
            g.remember(&p);
            l
        };
        text.clear();
        for (k, f) in line.fields.iter().enumerate() {
            if k > 0 {
                text.push(',');
            }
            text.push_str(&csv_field(f));
        }
        text.push_str("\r\n");
        write(&text, &mut out).map_err(io(&file))?;
        for code in &line.codes {
            writeln!(answers, "{row},{code}").map_err(io(&key))?;
            *summary.expected.entry(code).or_default() += 1;
        }
    }
    out.flush().map_err(io(&file))?;
    answers.flush().map_err(io(&key))?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use personbase_identity::SocialSecurityNumber;

    #[test]
    fn numbers_are_valid_and_counties_real() {
        let counties = counties();
        assert!(counties.len() > 60, "{}", counties.len());
        let d = NaiveDate::from_ymd_opt(1985, 3, 7).unwrap();
        for c in counties.iter().take(20) {
            let n = number18(*c, d, 123);
            assert!(SocialSecurityNumber::parse(&n).is_ok(), "{n}");
        }
    }
}
