#!/bin/sh
# Fails when docs/ARCHITECTURE.md names a file path that does not exist, so the code map
# stays true. Paths are the backticked words that contain a slash and end in a known suffix
# or a slash; paths under a crate's `src/` are looked up in every crate.
set -eu
cd "$(dirname "$0")/.."
missing=0
for path in $(grep -o '`[^` ]*/[^` ]*`' docs/ARCHITECTURE.md | tr -d '`' | sort -u); do
    case "$path" in
        /api/*|*{*) continue ;;
    esac
    if [ -e "$path" ]; then continue; fi
    if ls crates/*/"$path" >/dev/null 2>&1; then continue; fi
    echo "docs/ARCHITECTURE.md names $path, which does not exist"
    missing=1
done
exit $missing
