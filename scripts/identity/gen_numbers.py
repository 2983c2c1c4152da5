#!/usr/bin/env python3
"""Seeded generator of synthetic identity numbers, valid and broken, for the differential
check and the benchmark. Every number is made up: division codes from our GB/T 2260
table, random dates and sequences. No real person's number is used.

    python3 scripts/identity/gen_numbers.py --count 1000000 --seed 2026 > numbers.txt
"""

import argparse
import random
from pathlib import Path

TSV = Path(__file__).resolve().parents[2] / "crates/identity/data/divisions.tsv"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_char(body):
    v = (12 - sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11) % 11
    return "X" if v == 10 else str(v)


def load_divisions():
    periods = []
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        code, start, end, _name = line.split("\t")
        periods.append((code, int(start or 1930), int(end or 2025)))
    return periods


class Generator:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.periods = load_divisions()
        self.counties = [p for p in self.periods if not p[0].endswith("00")]

    def date(self, y0, y1):
        r = self.r
        y = r.randint(y0, y1)
        return f"{y:04d}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"

    def valid18(self, in_year=True):
        r = self.r
        code, start, end = r.choice(self.counties)
        if in_year:
            lo, hi = max(start, 1930), min(end, 2024)
            if lo > hi:
                lo, hi = 1930, 2024
        else:
            lo, hi = 1930, 2024
        body = code + self.date(lo, hi) + f"{r.randint(0, 999):03d}"
        return body + check_char(body)

    def valid15(self):
        r = self.r
        code, _, _ = r.choice(self.counties)
        return code + self.date(1930, 1999)[2:] + f"{r.randint(0, 995):03d}"

    def permit(self):
        r = self.r
        prefix = r.choice(["810000", "820000", "830000", "9" + r.choice(["11", "31", "44"]) + r.choice(["840", "392", "410", "250"])])
        body = prefix + self.date(1950, 2010) + f"{r.randint(0, 999):03d}"
        return body + check_char(body)

    def future(self):
        code, _, _ = self.r.choice(self.counties)
        body = code + self.date(2027, 2090) + f"{self.r.randint(0, 999):03d}"
        return body + check_char(body)

    def mutate(self, n):
        r = self.r
        kind = r.randrange(11)
        s = list(n)
        i = r.randrange(len(s))
        if kind == 0:  # one digit changed
            s[i] = str((int(s[i]) + r.randint(1, 9)) % 10) if s[i].isdigit() else "0"
        elif kind == 1 and i + 1 < len(s):  # two neighbours swapped
            s[i], s[i + 1] = s[i + 1], s[i]
        elif kind == 2:  # one character lost
            del s[i]
        elif kind == 3:  # one character too many
            s.insert(i, str(r.randint(0, 9)))
        elif kind == 4:  # impossible date: Feb 30 or month 13
            body = n[:10] + r.choice(["0230", "1301", "0431", "0000"]) + n[14:17]
            return body + check_char(body)
        elif kind == 5:  # lower-case x or surrounding space
            return " " + n.lower() + " "
        elif kind == 6:  # wrong check character
            s[-1] = r.choice([c for c in "0123456789X" if c != s[-1]])
        elif kind == 7:  # spreadsheet damage
            return f"{int(n[:17]) / 10 ** 16:.14f}E+17"
        elif kind == 8:  # full width
            return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in n)
        elif kind == 9:  # grouped with inner spaces, as typed from a card
            return f"{n[:6]} {n[6:14]} {n[14:]}"
        else:  # a birth year before 1800, check character recomputed
            body = n[:6] + str(r.randint(1000, 1799)) + n[10:17]
            return body + check_char(body)
        return "".join(s)

    def garbage(self):
        r = self.r
        kind = r.randrange(4)
        if kind == 0:
            return "H" + "".join(r.choice("0123456789") for _ in range(8))
        if kind == 1:
            return "".join(r.choice("0123456789") for _ in range(8))
        if kind == 2:
            return "".join(r.choice("0123456789ABCXYZ张三李四 -") for _ in range(r.randint(0, 24)))
        return "".join(r.choice("0123456789") for _ in range(r.randint(1, 20)))

    def one(self):
        x = self.r.random()
        if x < 0.40:
            return self.valid18()
        if x < 0.50:
            return self.valid18(in_year=False)
        if x < 0.58:
            return self.valid15()
        if x < 0.63:
            return self.permit()
        if x < 0.66:
            return self.future()
        if x < 0.95:
            return self.mutate(self.valid18())
        return self.garbage()


def generate(count, seed):
    g = Generator(seed)
    return [g.one() for _ in range(count)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    import sys

    out = sys.stdout
    for n in generate(args.count, args.seed):
        out.write(n + "\n")


if __name__ == "__main__":
    main()
