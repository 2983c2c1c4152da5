#!/usr/bin/env python3
"""Precision and recall of each finding code: `personbase import --format json` output
against the answer key of `personbase demo legacy` (CSV: row,code).

Usage: score.py ANSWER_KEY.csv FINDINGS.jsonl
Prints one line per code and exits 1 when an exact finding has recall below 1.0 or the
probable ones miss their goals (recall >= 0.95 at precision >= 0.95).
"""
import csv
import json
import sys
from collections import defaultdict

PROBABLE = {"dup.probable_typo", "dup.probable_name"}


def main() -> int:
    key_path, found_path = sys.argv[1], sys.argv[2]
    expected = defaultdict(set)
    with open(key_path, newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            expected[rec["code"]].add(int(rec["row"]))
    found = defaultdict(set)
    with open(found_path, encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if "code" in obj:
                found[obj["code"]].add(int(obj["row"]))
    ok = True
    print(f"{'code':<24} {'expected':>9} {'found':>9} {'precision':>9} {'recall':>7}")
    for code in sorted(set(expected) | set(found)):
        e, g = expected[code], found[code]
        hit = len(e & g)
        precision = hit / len(g) if g else 1.0
        recall = hit / len(e) if e else 1.0
        goal = (recall >= 0.95 and precision >= 0.95) if code in PROBABLE else recall == 1.0
        ok &= goal
        mark = "" if goal else "  <- below goal"
        print(f"{code:<24} {len(e):>9} {len(g):>9} {precision:>9.4f} {recall:>7.4f}{mark}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
