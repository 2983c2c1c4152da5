#!/usr/bin/env python3
"""Runs duckdb_checks.sql on a legacy CSV and prints the seconds it took and the counts.

Usage: duckdb_bench.py FILE.csv [THREADS]
"""
import pathlib
import sys
import time

import duckdb


def main() -> None:
    path = sys.argv[1]
    sql = (pathlib.Path(__file__).with_name("duckdb_checks.sql").read_text(encoding="utf-8")
           .replace("{file}", path.replace("'", "''")))
    con = duckdb.connect()
    if len(sys.argv) > 2:
        con.execute(f"SET threads = {int(sys.argv[2])}")
    start = time.perf_counter()
    result = None
    for stmt in (s for s in sql.split(";") if s.strip()):
        result = con.execute(stmt)
    rows = result.fetchall() if result is not None else []
    seconds = time.perf_counter() - start
    print(f"duckdb_seconds {seconds:.2f}")
    for code, n in rows:
        print(f"duckdb {code:<24} {n}")


if __name__ == "__main__":
    main()
