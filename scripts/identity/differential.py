#!/usr/bin/env python3
"""Differential check of `personbase id check` against python-stdnum's stdnum.cn.ric.

Generates synthetic numbers (scripts/identity/gen_numbers.py, fixed seed), pipes them
through the `personbase` binary, validates the same strings with stdnum, and sorts every
disagreement into a documented class of policy difference (docs/identity.md). Exits 1 on
any disagreement no class explains, or when the two disagree on a birth date.

    python3 scripts/identity/differential.py [--count 120000] [--seed 2026] [--bin PATH]

Without --bin (or PERSONBASE_BIN) it builds the binary with `cargo build -p personbase`.
Needs: pip install python-stdnum
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_numbers import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

# Each class: why the two validators may disagree. Documented in docs/identity.md.
CLASSES = {
    "fifteen_digit": "15-digit numbers: we upgrade them to 18 characters, stdnum only takes 18",
    "division_history": "division code unknown to stdnum's table, or outside its years: we warn, stdnum rejects",
    "permit_kinds": "residence permits (810000/820000/830000) and 2023 permanent residence numbers (9…) that stdnum has no place for",
    "normalisation": "inner white space or full-width characters: we normalise, stdnum does not",
    "future_date": "birth date after today: we reject, stdnum does not look at the clock",
    "early_year": "birth year before 1800: we reject as impossible, stdnum accepts any calendar date",
    "stdnum_crash": "stdnum raises KeyError for codes its table lists without a county (e.g. 429004, cities directly under a province): we accept",
}


def binary(args):
    if args.bin:
        return args.bin
    if os.environ.get("PERSONBASE_BIN"):
        return os.environ["PERSONBASE_BIN"]
    profile = ["--release"] if args.release else []
    subprocess.run(["cargo", "build", "-q", "-p", "personbase", *profile], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return str(target / ("release" if args.release else "debug") / "personbase")


def ours(bin_path, numbers):
    text = "".join(n + "\n" for n in numbers)
    p = subprocess.run([bin_path, "id", "check"], input=text.encode(), capture_output=True)
    if p.returncode not in (0, 1):
        sys.exit(f"personbase id check failed with {p.returncode}: {p.stderr.decode()[:500]}")
    lines = p.stdout.decode().splitlines()
    if len(lines) != len(numbers):
        sys.exit(f"personbase printed {len(lines)} lines for {len(numbers)} inputs")
    return [json.loads(line) for line in lines]


def theirs(number):
    """(valid, reason) from stdnum: reason is the exception class name or 'place'."""
    try:
        ric.validate(number)
        return True, None
    except stdnum_errors.InvalidComponent:
        try:
            ric.get_birth_date(number)
        except Exception:  # noqa: BLE001 - any failure here means the date
            return False, "date"
        return False, "place"
    except stdnum_errors.ValidationError as e:
        return False, type(e).__name__
    except Exception as e:  # noqa: BLE001 - a crash of stdnum is a finding, not ours
        return False, "crash:" + type(e).__name__


def classify(number, mine, valid, reason):
    kind = mine.get("kind")
    codes = {e["code"] for e in mine["errors"]}
    if mine["valid"] and not valid:
        if kind == "citizen15":
            return "fifteen_digit"
        if kind in ("hong_kong_macao_residence_permit", "taiwan_residence_permit",
                    "foreign_permanent_residence_2023"):
            return "permit_kinds"
        if reason == "place":
            return "division_history"
        if reason == "crash:KeyError":
            return "stdnum_crash"
        if set(mine["normalizations"]) & {"inner_whitespace", "full_width"}:
            return "normalisation"
    if valid and not mine["valid"]:
        if codes == {"id.future"}:
            return "future_date"
        if codes == {"id.date"} and int(number.strip()[6:10]) < 1800:
            return "early_year"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=120_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--bin")
    ap.add_argument("--release", action="store_true")
    args = ap.parse_args()

    started = time.time()
    bin_path = binary(args)
    numbers = generate(args.count, args.seed)
    results = ours(bin_path, numbers)

    agree = collections.Counter()
    classes = collections.Counter()
    unexplained = []
    date_mismatch = []
    for number, mine in zip(numbers, results):
        valid, reason = theirs(number)
        if mine["valid"] == valid:
            agree["valid" if valid else "invalid"] += 1
            if valid and mine["birth_date"] != ric.get_birth_date(number).isoformat():
                date_mismatch.append(number)
            continue
        cls = classify(number, mine, valid, reason)
        if cls is None:
            unexplained.append((number, mine["valid"], [e["code"] for e in mine["errors"]], reason))
        else:
            classes[cls] += 1

    total = len(numbers)
    print(f"differential: {total} numbers (seed {args.seed}) in {time.time() - started:.1f}s")
    print(f"  agree: {agree['valid']} valid, {agree['invalid']} invalid")
    for cls, text in CLASSES.items():
        print(f"  explained {cls}: {classes[cls]}  ({text})")
    print(f"  birth date mismatches: {len(date_mismatch)}")
    print(f"  unexplained: {len(unexplained)}")
    for row in unexplained[:20]:
        print("    ", row)
    for n in date_mismatch[:20]:
        print("    birth date differs:", n)
    if unexplained or date_mismatch:
        sys.exit(1)


if __name__ == "__main__":
    main()
