#!/usr/bin/env python3
"""Builds crates/identity/data/nationalities.tsv: GB/T 2659 (= ISO 3166-1) countries.

Source: the PyPI package pycountry (data from Debian's iso-codes, LGPL-2.1-or-later):
its ISO 3166-1 database gives alpha-2, alpha-3, numeric and English names, and its
zh_CN translation catalogue gives the Chinese short names. One line per country:

    alpha2 <TAB> alpha3 <TAB> numeric <TAB> english name <TAB> chinese name

Usage (from the repository root):
    pip install pycountry
    python3 scripts/identity/build_nationalities.py
"""

import gettext
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[2] / "crates/identity/data/nationalities.tsv"


def main():
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    rows = []
    for c in pycountry.countries:
        name_zh = zh.gettext(c.name)
        if name_zh == c.name:
            raise SystemExit(f"no Chinese name for {c.alpha_3}")
        for field in (c.name, name_zh):
            if "\t" in field or "\n" in field:
                raise SystemExit(f"unexpected name for {c.alpha_3}")
        rows.append((c.alpha_2, c.alpha_3, c.numeric, c.name, name_zh))
    rows.sort(key=lambda r: r[1])
    version = getattr(pycountry, "__version__", None)
    if version is None:
        from importlib.metadata import version as v

        version = v("pycountry")
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("# GB/T 2659 = ISO 3166-1: alpha-2, alpha-3, numeric, English name, Chinese name.\n")
        f.write(f"# Built by scripts/identity/build_nationalities.py from pycountry {version}\n")
        f.write("# (PyPI; data of Debian iso-codes, LGPL-2.1-or-later). Do not edit by hand.\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"wrote {len(rows)} countries to {OUT}")


if __name__ == "__main__":
    main()
