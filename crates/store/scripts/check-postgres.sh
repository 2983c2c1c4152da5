#!/bin/sh
# Checks that the store's SQL is also PostgreSQL's: applies migrations/postgres to a fresh
# database and prepares every statement of src/*.rs against it, but those of db.rs, the
# backend-specific module (PREPARE parses, resolves names and infers parameter types
# without running anything).
#
# Usage: crates/store/scripts/check-postgres.sh [psql connection options]
#   e.g.  crates/store/scripts/check-postgres.sh -h /tmp/pg -p 54329 -U postgres
# Needs psql and python3; the user must be allowed to create databases. Exit 0 when every
# statement prepares, 1 when one does not, 2 on a usage or connection problem.

set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
db="personbase_store_check_$$"

psql "$@" -d postgres -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" || exit 2
trap 'psql "$@" -d postgres -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT

for migration in "$here"/migrations/postgres/*.sql; do
    psql "$@" -d "$db" -q -v ON_ERROR_STOP=1 -f "$migration" || exit 1
done

python3 - "$here/src" >"/tmp/$db.sql" <<'PY'
import glob, re, sys

# db.rs is the backend-specific module (connecting, locking, the SQLite catalogue); its
# PostgreSQL twin will have its own statements.
sources = {
    f: open(f).read()
    for f in sorted(glob.glob(sys.argv[1] + "/*.rs"))
    if not f.endswith("/db.rs")
}
literal = re.compile(r'"((?:[^"\\]|\\.)*)"', re.S)

def text(s):
    return re.sub(r"\\\n\s*", "", s).replace('\\"', '"').replace("\\n", "\n")

columns = {}
for source in sources.values():
    for m in re.finditer(r'const (\w+_COLUMNS): &str =\s*((?:"(?:[^"\\]|\\.)*"\s*)+);', source, re.S):
        columns[m.group(1)] = text(literal.search(m.group(2)).group(1))

count = 0
for name, source in sources.items():
    for m in literal.finditer(source):
        sql = text(m.group(1)).strip()
        if not re.match(r"(SELECT|INSERT|UPDATE|DELETE)\b", sql):
            continue
        sql = sql.replace("{cols}", columns["REQUEST_COLUMNS"])
        for key, value in columns.items():
            sql = sql.replace("{" + key + "}", value)
        # Optional filters spliced in with format!: check the statement with the filter.
        sql = sql.replace("{by_birth}", "AND birth_date = $3")
        # Batched inserts: check the statement with one row.
        sql = sql.replace("{rows}", "($1, $2, $3, $4, $5, $6)")
        print(f"-- {name.rsplit('/', 1)[-1]}\nPREPARE s{count} AS {sql};")
        count += 1
print(f"\\echo {count} statements prepared")
PY

psql "$@" -d "$db" -q -v ON_ERROR_STOP=1 -f "/tmp/$db.sql" || { rm -f "/tmp/$db.sql"; exit 1; }
rm -f "/tmp/$db.sql"
