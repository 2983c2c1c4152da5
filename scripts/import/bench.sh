#!/usr/bin/env bash
# Benchmark of `personbase import` (dry run) on synthetic legacy files:
#   - rows per second and peak memory (/usr/bin/time -v) for each size in ROWS;
#   - precision and recall of each finding against the generator's answer key;
#   - the same deterministic checks as a DuckDB SQL script on the same file, and the ratio;
#   - for each size in APPLY (default 1 million): `import --apply` into a fresh demo
#     province (rows per second, peak memory, database size), a second run of the same file
#     (loads nothing) and `audit verify`.
#
# Usage: scripts/import/bench.sh            (1 and 10 million rows; --apply on 1 million)
#        ROWS="100000" APPLY="100000" scripts/import/bench.sh
#        APPLY="" scripts/import/bench.sh   (dry runs only)
# Files go to WORK (default /tmp/personbase-import-bench) and are kept for reruns; a 10M-row
# file takes about 2 GB. Run it on an otherwise idle machine: figures are wall-clock.
set -euo pipefail

ROWS="${ROWS:-1000000 10000000}"
APPLY="${APPLY-1000000}"
WORK="${WORK:-/tmp/personbase-import-bench}"
SKIP_DRY="${SKIP_DRY:-}"   # set to skip the dry run, scoring and DuckDB (apply only)
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"

cargo build --quiet --release -p personbase --manifest-path "$ROOT/Cargo.toml"
BIN="$TARGET/release/personbase"
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --quiet duckdb

seconds_of() { # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.74" -> seconds
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$1"
}
cpu_of() { # user + system seconds
    awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"
}
peak_mib_of() {
    awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"
}

for n in $ROWS; do
    dir="$WORK/$n"
    mkdir -p "$dir"
    if [ ! -f "$dir/legacy.csv" ]; then
        "$BIN" demo legacy --rows "$n" --out "$dir" --seed 1 > "$dir/demo.txt"
    fi
    size=$(du -m "$dir/legacy.csv" | cut -f1)
    echo "== $n rows ($size MiB CSV)"

    if [ -z "$SKIP_DRY" ]; then
        status=0
        /usr/bin/time -v -o "$dir/time.txt" "$BIN" import "$dir/legacy.csv" --format json --quiet \
            > "$dir/findings.jsonl" || status=$?
        if [ "$status" -gt 1 ]; then
            echo "personbase import failed with status $status" >&2
            exit 2
        fi
        secs=$(seconds_of "$dir/time.txt")
        cpu=$(cpu_of "$dir/time.txt")
        echo "personbase import: ${secs}s wall, ${cpu}s cpu, $(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }') rows/s, peak $(peak_mib_of "$dir/time.txt") MiB"

        python3 "$HERE/score.py" "$dir/answer_key.csv" "$dir/findings.jsonl" || echo "(some goal missed)"

        /usr/bin/time -v -o "$dir/duckdb-time.txt" python3 "$HERE/duckdb_bench.py" "$dir/legacy.csv" \
            > "$dir/duckdb.txt"
        dsecs=$(awk '/^duckdb_seconds/ { print $2 }' "$dir/duckdb.txt")
        dcpu=$(cpu_of "$dir/duckdb-time.txt")
        echo "duckdb (same deterministic checks, without the probable duplicates): ${dsecs}s wall," \
            "${dcpu}s cpu, peak $(peak_mib_of "$dir/duckdb-time.txt") MiB"
        echo "ratio: personbase is $(awk -v a="$dsecs" -v b="$secs" 'BEGIN { printf "%.1f", a / b }')x" \
            "faster in wall time, $(awk -v a="$dcpu" -v b="$cpu" 'BEGIN { printf "%.1f", a / b }')x in cpu time"
    fi

    case " $APPLY " in *" $n "*) ;; *) continue ;; esac
    db="$dir/apply.db"
    rm -f "$db" "$db-wal" "$db-shm"
    # The demo province without its persons: agencies and the operators who load.
    "$BIN" demo --db "sqlite://$db?mode=rwc" --persons 0 > /dev/null
    load=(import "$dir/legacy.csv" --format json --quiet --db "sqlite://$db"
        --operator hrb-nangang-si --agency 哈尔滨市南岗区社会保险事业局 --apply
        --review "$dir/review.csv")
    status=0
    /usr/bin/time -v -o "$dir/apply-time.txt" "$BIN" "${load[@]}" > "$dir/apply.jsonl" || status=$?
    if [ "$status" -gt 1 ]; then
        echo "personbase import --apply failed with status $status" >&2
        exit 2
    fi
    secs=$(seconds_of "$dir/apply-time.txt")
    echo "personbase import --apply: ${secs}s wall, $(cpu_of "$dir/apply-time.txt")s cpu," \
        "$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }') rows/s read," \
        "peak $(peak_mib_of "$dir/apply-time.txt") MiB, database $(du -m "$db" | cut -f1) MiB"
    tail -n 1 "$dir/apply.jsonl" | python3 -c 'import json, sys; print("  load:", json.load(sys.stdin)["load"])'
    status=0
    /usr/bin/time -v -o "$dir/rerun-time.txt" "$BIN" "${load[@]}" > "$dir/rerun.jsonl" || status=$?
    echo "second run of the same file: $(seconds_of "$dir/rerun-time.txt")s wall"
    tail -n 1 "$dir/rerun.jsonl" | python3 -c 'import json, sys; print("  load:", json.load(sys.stdin)["load"])'
    /usr/bin/time -v -o "$dir/verify-time.txt" "$BIN" audit verify --db "sqlite://$db"
    echo "audit verify: $(seconds_of "$dir/verify-time.txt")s wall"
done
