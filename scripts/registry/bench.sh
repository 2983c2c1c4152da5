#!/usr/bin/env bash
# Benchmark of `personbase registry load` and `personbase registry reconcile`:
#   - a demo database (`personbase demo --persons 1000`) with N more active persons added by
#     make_fixture.py, and a registry snapshot of every in-province person with 1% names,
#     0.5% household addresses and 0.5% numbers absent planted;
#   - `registry load` of the snapshot into the empty snapshot table, then again (a refresh
#     that changes nothing), then `registry reconcile`, each under /usr/bin/time -v.
#
# Usage: scripts/registry/bench.sh              (1 million persons)
#        N=100000 scripts/registry/bench.sh
# Files go to WORK (default /tmp/personbase-registry-bench), rebuilt on every run.
set -euo pipefail

N="${N:-1000000}"
WORK="${WORK:-/tmp/personbase-registry-bench}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"

cargo build --quiet --release -p personbase --manifest-path "$ROOT/Cargo.toml"
BIN="$TARGET/release/personbase"

rm -rf "$WORK" && mkdir -p "$WORK"
DB="sqlite://$WORK/pb.db?mode=rwc"
"$BIN" demo --db "$DB" --persons 1000 > /dev/null
python3 "$HERE/make_fixture.py" "$WORK/pb.db" "$N" "$WORK/registry.csv"

measure() { # label, command...
    local label="$1"; shift
    /usr/bin/time -v "$@" > "$WORK/$label.out" 2> "$WORK/$label.time" || true
    local wall peak
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$WORK/$label.time")
    peak=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/$label.time")
    echo "== $label: ${wall}s wall, peak ${peak} MiB"
    cat "$WORK/$label.out"
}

measure load "$BIN" registry load "$WORK/registry.csv" --db "$DB"
measure reload "$BIN" registry load "$WORK/registry.csv" --db "$DB"
measure reconcile "$BIN" registry reconcile --db "$DB" --out "$WORK/lists"
