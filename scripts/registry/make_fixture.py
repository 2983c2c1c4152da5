#!/usr/bin/env python3
"""Benchmark fixture for `personbase registry load` and `registry reconcile`.

Adds N synthetic active persons (valid numbers, generated Chinese names, a pension
enrolment at one of the county social insurance agencies) to a database that
`personbase demo` has created, straight into its tables: a fixture for measuring the
registry commands, not a way to enter persons (`enter_person` and the legacy import are
those). Then writes a registry snapshot of every active in-province person of the database
with a known share of discrepancies, and prints the counts planted.

Usage: make_fixture.py DB N SNAPSHOT.csv [--seed 1]
"""

import argparse
import datetime
import random
import sqlite3

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
COUNTIES = [230102, 230103, 230110, 230111, 230184, 230202, 230203, 230221, 230281]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬建国俊峰志宏海燕鹏辉波宇浩亮琳雪梅晨阳欣怡子轩雨涵思远佳慧文博嘉"
ROADS = "学府路 中山路 红旗大街 长江路 黄河路 和平路 建设街 友谊路 文化街 光明路".split()


def number(division, birth, seq):
    first = f"{division:06d}{birth:%Y%m%d}{seq:03d}"
    total = sum(int(d) * w for d, w in zip(first, WEIGHTS))
    return first + "10X98765432"[total % 11]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("n", type=int)
    ap.add_argument("snapshot")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    con = sqlite3.connect(args.db)
    agencies = [r[0] for r in con.execute(
        "SELECT id FROM agencies WHERE kind = 'social_insurance' AND level = 'county'")]
    taken = {r[0] for r in con.execute("SELECT ssn FROM persons")}
    start = con.execute("SELECT COALESCE(MAX(id), 0) FROM persons").fetchone()[0]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    base = datetime.date(1945, 1, 1)

    persons, enrolments = [], []
    i = 0
    while len(persons) < args.n:
        division = COUNTIES[i % 9]
        j = i // 9
        birth = base + datetime.timedelta(days=j % 25000)
        seq = (j // 25000) % 1000
        i += 1
        ssn = number(division, birth, seq)
        if ssn in taken:
            continue
        pid = start + len(persons) + 1
        gender = "1" if seq % 2 == 1 else "2"
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        address = f"黑龙江省哈尔滨市{rng.choice(ROADS)}{rng.randint(1, 999)}号"
        agency = rng.choice(agencies)
        persons.append((pid, ssn, name, gender, birth.isoformat(), "01", address, "10",
                        "active", agency, 1, now, now))
        enrolments.append((pid, "pension", agency, True, now))
    con.executemany(
        "INSERT INTO persons (id, ssn, name, gender, birth_date, ethnicity, household_address, "
        "household_type, status, entered_by, version, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", persons)
    con.executemany(
        "INSERT INTO enrolments (person_id, line, agency_id, active, opened_at) "
        "VALUES (?,?,?,?,?)", enrolments)
    con.commit()

    planted = {"name": 0, "address": 0, "absent": 0}
    rows = 0
    with open(args.snapshot, "w", encoding="utf-8") as out:
        out.write("ssn,name,gender,birth_date,ethnicity,household_address\n")
        for ssn, name, gender, birth, eth, address in con.execute(
                "SELECT ssn, name, gender, birth_date, ethnicity, household_address "
                "FROM persons WHERE status = 'active' AND ssn LIKE '23%' ORDER BY id"):
            roll = rng.random()
            if roll < 0.005:
                planted["absent"] += 1
                continue
            if roll < 0.015:
                name = name[0] + "一" + name[2:] if len(name) > 2 else name + "一"
                planted["name"] += 1
            elif roll < 0.02:
                address = address + "附1"
                planted["address"] += 1
            out.write(f"{ssn},{name},{gender},{birth},{eth},{address}\n")
            rows += 1
    print(f"persons added {len(persons)}; snapshot rows {rows}; planted {planted}")


if __name__ == "__main__":
    main()
