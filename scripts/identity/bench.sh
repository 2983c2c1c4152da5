#!/usr/bin/env bash
# Numbers validated per second, in one run, on the same generated inputs:
#   1. our library (cargo bench target, one core, median of 5),
#   2. `personbase id check` end to end with JSON output (median of 3),
#   3. python-stdnum's stdnum.cn.ric,
#   4. id-validator (PyPI), on the first ID_VALIDATOR_LIMIT inputs only: it validates
#      about a hundred numbers a second, so the full million would take hours.
# Then the ratios. Needs: pip install python-stdnum id-validator
#
#   scripts/identity/bench.sh            # 1,000,000 inputs
#   COUNT=100000 scripts/identity/bench.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
COUNT="${COUNT:-1000000}"
ID_VALIDATOR_LIMIT="${ID_VALIDATOR_LIMIT:-5000}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"

python3 scripts/identity/gen_numbers.py --count "$COUNT" --seed 7 > "$WORK/numbers.txt"
echo "inputs: $COUNT synthetic numbers (seed 7), $(nproc) cores"

BIN="${PERSONBASE_BIN:-}"
if [ -z "$BIN" ]; then
    cargo build -q --release -p personbase
    BIN="$TARGET/release/personbase"
fi

lib="$(cargo bench -q -p personbase-identity --bench validate -- "$WORK/numbers.txt" 2>/dev/null)"
echo "$lib" | sed 's/^/  /'
lib_parse="$(echo "$lib" | awk '/^library_parse/ {print $2}')"
lib_check="$(echo "$lib" | awk '/^library_check/ {print $2}')"

rates=()
for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$BIN" id check "$WORK/numbers.txt" > /dev/null || [ $? -eq 1 ]
    end=$(date +%s.%N)
    rates+=("$(python3 -c "print($COUNT / ($end - $start))")")
done
cli="$(printf '%s\n' "${rates[@]}" | sort -g | sed -n 2p | xargs printf '%.0f')"
echo "  cli_json $cli numbers/s (personbase id check, JSON to /dev/null, median of 3)"

stdnum="$(python3 scripts/identity/bench_python.py "$WORK/numbers.txt" --validator stdnum)"
echo "  $stdnum"
stdnum_rate="$(echo "$stdnum" | awk '{print $2}')"
idv="$(python3 scripts/identity/bench_python.py "$WORK/numbers.txt" --validator id-validator --limit "$ID_VALIDATOR_LIMIT")"
echo "  $idv"
idv_rate="$(echo "$idv" | awk '{print $2}')"

ratio() { python3 -c "print(round($1 / $2))"; }
echo "ratios:"
echo "  library parse / stdnum:       $(ratio "$lib_parse" "$stdnum_rate")x"
echo "  library check / stdnum:       $(ratio "$lib_check" "$stdnum_rate")x"
echo "  id check (JSON) / stdnum:     $(ratio "$cli" "$stdnum_rate")x (goal 200x)"
echo "  id check (JSON) / id-validator: $(ratio "$cli" "$idv_rate")x"
