//! Realistic Chinese names for demo persons: a surname table weighted by how common each
//! surname is (approximate shares of the population, in hundredths of a percent), and given
//! names of one or two characters drawn from lists that lean male or female.

use rand::Rng;

/// Surnames with their approximate share of the population, in hundredths of a percent.
const SURNAMES: &[(&str, u32)] = &[
    ("王", 710),
    ("李", 700),
    ("张", 670),
    ("刘", 540),
    ("陈", 450),
    ("杨", 310),
    ("黄", 210),
    ("赵", 200),
    ("吴", 190),
    ("周", 190),
    ("徐", 150),
    ("孙", 150),
    ("马", 130),
    ("朱", 130),
    ("胡", 120),
    ("郭", 110),
    ("何", 110),
    ("高", 100),
    ("林", 100),
    ("罗", 90),
    ("郑", 80),
    ("梁", 80),
    ("谢", 60),
    ("宋", 60),
    ("唐", 60),
    ("许", 60),
    ("韩", 50),
    ("冯", 50),
    ("邓", 50),
    ("曹", 50),
    ("彭", 50),
    ("曾", 40),
    ("肖", 40),
    ("田", 40),
    ("董", 40),
    ("袁", 40),
    ("潘", 40),
    ("于", 40),
    ("蒋", 40),
    ("蔡", 40),
    ("余", 30),
    ("杜", 30),
    ("叶", 30),
    ("程", 30),
    ("苏", 30),
    ("魏", 30),
    ("吕", 30),
    ("丁", 30),
    ("任", 30),
    ("沈", 30),
    ("姚", 30),
    ("卢", 30),
    ("姜", 30),
    ("崔", 30),
    ("钟", 20),
    ("谭", 20),
    ("陆", 20),
    ("汪", 20),
    ("范", 20),
    ("金", 20),
    ("石", 20),
    ("廖", 20),
    ("贾", 20),
    ("夏", 20),
    ("付", 20),
    ("方", 20),
    ("白", 20),
    ("邹", 20),
    ("孟", 20),
    ("秦", 20),
    ("邱", 20),
    ("尹", 20),
    ("薛", 20),
    ("闫", 20),
    ("段", 20),
    ("雷", 20),
    ("侯", 20),
    ("史", 20),
    ("陶", 10),
    ("贺", 10),
    ("顾", 10),
    ("毛", 10),
    ("郝", 10),
    ("龚", 10),
    ("邵", 10),
    ("万", 10),
    ("钱", 10),
    ("严", 10),
    ("武", 10),
    ("戴", 10),
    ("孔", 10),
    ("汤", 10),
    ("常", 10),
    ("康", 10),
    ("关", 10),
    ("佟", 5),
    ("那", 3),
    ("欧阳", 3),
    ("司马", 1),
    ("上官", 1),
];

/// Given-name characters that lean male.
const MALE: &str = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘";

/// Given-name characters that lean female.
const FEMALE: &str = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽";

/// A random name for a person of the given gender: a weighted surname, then one character
/// (three times in ten) or two.
pub fn name(rng: &mut impl Rng, male: bool) -> String {
    let mut out = String::from(surname(rng));
    let pool: Vec<char> = if male { MALE.chars().collect() } else { FEMALE.chars().collect() };
    let count = if rng.gen_range(0..10) < 3 { 1 } else { 2 };
    for _ in 0..count {
        out.push(pool[rng.gen_range(0..pool.len())]);
    }
    out
}

/// A surname drawn by frequency.
pub fn surname(rng: &mut impl Rng) -> &'static str {
    let total: u32 = SURNAMES.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total);
    for (surname, weight) in SURNAMES {
        if pick < *weight {
            return surname;
        }
        pick -= weight;
    }
    "王"
}

/// The same name with its last character replaced by a similar-sounding one, as a registry
/// record that differs from what was typed (R2.8 demo).
pub fn variant(name: &str) -> String {
    const SWAPS: &[(char, char)] = &[
        ('伟', '玮'),
        ('丽', '莉'),
        ('军', '君'),
        ('华', '桦'),
        ('明', '铭'),
        ('静', '婧'),
        ('杰', '洁'),
        ('峰', '锋'),
        ('红', '虹'),
        ('英', '瑛'),
        ('玲', '琳'),
        ('强', '蔷'),
    ];
    let mut chars: Vec<char> = name.chars().collect();
    if let Some(last) = chars.last_mut() {
        *last = SWAPS.iter().find(|(a, _)| a == last).map(|(_, b)| *b).unwrap_or('一');
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use personbase_domain::PersonName;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn names_are_valid_and_deterministic() {
        let mut a = StdRng::seed_from_u64(7);
        let mut b = StdRng::seed_from_u64(7);
        for i in 0..500 {
            let name = name(&mut a, i % 2 == 0);
            assert_eq!(name, super::name(&mut b, i % 2 == 0));
            let chars = name.chars().count();
            assert!((2..=4).contains(&chars), "{name}");
            assert!(PersonName::parse(&name).is_ok(), "{name}");
        }
    }

    #[test]
    fn common_surnames_come_up_more_often() {
        let mut rng = StdRng::seed_from_u64(1);
        let draws: Vec<&str> = (0..20_000).map(|_| surname(&mut rng)).collect();
        let count = |s: &str| draws.iter().filter(|d| **d == s).count();
        assert!(count("王") > 5 * count("韩"));
        assert!(count("李") > count("孔"));
    }

    #[test]
    fn a_variant_differs_in_its_last_character() {
        assert_eq!(variant("张伟"), "张玮");
        assert_eq!(variant("李小丽"), "李小莉");
        assert_ne!(variant("王二"), "王二");
    }
}
