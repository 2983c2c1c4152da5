#!/usr/bin/env python3
"""Numbers validated per second by a Python validator, for scripts/identity/bench.sh.

    python3 scripts/identity/bench_python.py FILE --validator stdnum [--limit N]

--validator stdnum: python-stdnum's stdnum.cn.ric.is_valid
--validator id-validator: id-validator's validator.is_valid (PyPI id-validator)
--limit N: only the first N lines (id-validator manages about a hundred a second).
"""

import argparse
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--validator", choices=["stdnum", "id-validator"], required=True)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    with open(args.file, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if args.limit:
        lines = lines[: args.limit]
    if args.validator == "stdnum":
        from stdnum.cn.ric import is_valid as ric

        def is_valid(n):
            try:
                return ric(n)
            except Exception:  # noqa: BLE001 - it raises KeyError on some division codes
                return False
    else:
        from id_validator.validator import is_valid as idv

        def is_valid(n):
            try:
                return idv(n)
            except Exception:  # noqa: BLE001 - it raises on some province codes
                return False

    started = time.perf_counter()
    cpu_started = time.process_time()
    valid = sum(1 for n in lines if is_valid(n))
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(
        f"{args.validator} {len(lines) / elapsed:.0f} numbers/s; {len(lines) / cpu:.0f} numbers per CPU-second"
        f" ({len(lines)} inputs, {valid} valid)"
    )


if __name__ == "__main__":
    main()
