#!/usr/bin/env bash
# Numbers validated per second, in one run, on the same generated inputs:
#   1. our library (cargo bench target, one thread, median of 5),
#   2. `personbase id check` end to end with JSON output to /dev/null (median of 3),
#   3. python-stdnum's stdnum.cn.ric,
#   4. id-validator (PyPI), on the first ID_VALIDATOR_LIMIT inputs only: it validates a
#      few hundred numbers a second, so the full million would take hours.
# Each by wall time and by CPU time (numbers per CPU-second), because this machine is
# shared and wall time swings with other work; then the ratios. A second, smaller pass
# compares the command and stdnum on valid numbers only, where stdnum is slowest.
# Needs: pip install python-stdnum id-validator
#
#   scripts/identity/bench.sh                      # 1,000,000 mixed inputs
#   COUNT=100000 VALID_COUNT=0 scripts/identity/bench.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
COUNT="${COUNT:-1000000}"
VALID_COUNT="${VALID_COUNT:-200000}"
ID_VALIDATOR_LIMIT="${ID_VALIDATOR_LIMIT:-5000}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"

calc() { python3 -c "print(round($1))"; }

BIN="${PERSONBASE_BIN:-}"
if [ -z "$BIN" ]; then
    cargo build -q --release -p personbase
    BIN="$TARGET/release/personbase"
fi

# cli FILE LINES: prints "wall_rate cpu_rate" of `personbase id check`, medians of 3.
cli() {
    local walls=() cpus=() t
    for _ in 1 2 3; do
        TIMEFORMAT='%R %U %S'
        t="$({ time "$BIN" id check "$1" > /dev/null || [ $? -eq 1 ]; } 2>&1 | tail -1)"
        read -r real user sys <<< "$t"
        walls+=("$(calc "$2 / $real")")
        cpus+=("$(calc "$2 / ($user + $sys)")")
    done
    echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 2p) $(printf '%s\n' "${cpus[@]}" | sort -n | sed -n 2p)"
}

python3 scripts/identity/gen_numbers.py --count "$COUNT" --seed 7 > "$WORK/numbers.txt"
echo "== $COUNT mixed synthetic inputs (seed 7), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

lib="$(cargo bench -q -p personbase-identity --bench validate -- "$WORK/numbers.txt" 2>/dev/null)"
echo "$lib" | sed 's/^/  /'
parse_wall="$(echo "$lib" | awk '/^library_parse/ {print $2}')"
parse_cpu="$(echo "$lib" | awk '/^library_parse/ {print $7}')"
check_wall="$(echo "$lib" | awk '/^library_check/ {print $2}')"
check_cpu="$(echo "$lib" | awk '/^library_check/ {print $7}')"

read -r cli_wall cli_cpu <<< "$(cli "$WORK/numbers.txt" "$COUNT")"
echo "  cli_json $cli_wall numbers/s (median of 3); $cli_cpu numbers per CPU-second, all threads"

stdnum="$(python3 scripts/identity/bench_python.py "$WORK/numbers.txt" --validator stdnum)"
echo "  $stdnum"
std_wall="$(echo "$stdnum" | awk '{print $2}')"
std_cpu="$(echo "$stdnum" | awk '{print $4}')"
idv="$(python3 scripts/identity/bench_python.py "$WORK/numbers.txt" --validator id-validator --limit "$ID_VALIDATOR_LIMIT")"
echo "  $idv"
idv_wall="$(echo "$idv" | awk '{print $2}')"

echo "ratios (wall / CPU):"
echo "  library parse / stdnum:          $(calc "$parse_wall / $std_wall")x / $(calc "$parse_cpu / $std_cpu")x"
echo "  library check / stdnum:          $(calc "$check_wall / $std_wall")x / $(calc "$check_cpu / $std_cpu")x"
echo "  id check (JSON) / stdnum:        $(calc "$cli_wall / $std_wall")x / $(calc "$cli_cpu / $std_cpu")x   (goal 200x)"
echo "  id check (JSON) / id-validator:  $(calc "$cli_wall / $idv_wall")x (wall)"

if [ "$VALID_COUNT" -gt 0 ]; then
    python3 -c "
import sys; sys.path.insert(0, 'scripts/identity')
from gen_numbers import Generator
g = Generator(11)
sys.stdout.write(''.join(g.valid18() + '\n' for _ in range($VALID_COUNT)))" > "$WORK/valid.txt"
    echo "== $VALID_COUNT valid 18-character numbers only (seed 11)"
    read -r v_wall v_cpu <<< "$(cli "$WORK/valid.txt" "$VALID_COUNT")"
    echo "  cli_json $v_wall numbers/s; $v_cpu numbers per CPU-second"
    v_std="$(python3 scripts/identity/bench_python.py "$WORK/valid.txt" --validator stdnum)"
    echo "  $v_std"
    echo "  id check (JSON) / stdnum: $(calc "$v_wall / $(echo "$v_std" | awk '{print $2}')")x / $(calc "$v_cpu / $(echo "$v_std" | awk '{print $4}')")x"
fi
