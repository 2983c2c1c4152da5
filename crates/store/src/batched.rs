//! Multi-row statements for the bulk loader: a one-row statement's row of values repeated
//! for many rows, and an `IN` list of many numbers.
//!
//! Every such statement is written in the source as its one-row form (a complete statement
//! that `scripts/check-postgres.sh` prepares on PostgreSQL like any other) and widened here
//! at run time: the placeholders of the repeated row are renumbered, nothing else changes,
//! and every value is still bound. At most [`ROWS_PER_STATEMENT`] rows, and about
//! [`PARAMETERS_PER_STATEMENT`] parameters, go in one statement: sqlx's binding of `$n` grows
//! with the square of the number of parameters (64 rows of 6 were the best size for the
//! registry's load; for the bulk loader's inserts 96 parameters beat 384 and 768,
//! `docs/import.md`).

/// The most rows (or `IN` values) one statement carries.
pub(crate) const ROWS_PER_STATEMENT: usize = 64;

/// The most parameters one widened statement binds: SQLite finds a parameter's name by
/// walking the statement's list of names, which sqlx asks for every parameter it binds, so
/// binding costs the square of the parameters. Wide rows take fewer rows per statement.
const PARAMETERS_PER_STATEMENT: usize = 96;

/// How many rows of `one_row`'s values one statement carries: [`ROWS_PER_STATEMENT`] at
/// most, and no more than [`PARAMETERS_PER_STATEMENT`] parameters in all (at least one row).
pub(crate) fn rows_per_statement(one_row: &str) -> usize {
    let width = placeholders(one_row).into_iter().max().unwrap_or(1).max(1);
    (PARAMETERS_PER_STATEMENT / width).clamp(1, ROWS_PER_STATEMENT)
}

/// `one_row` (`... VALUES (...) ...`, one row of values without nested parentheses) with
/// its row of values repeated `rows` times, the placeholders of row `r` shifted by `r`
/// times the number of parameters of one row. `rows` = 1 gives `one_row` back.
pub(crate) fn repeat_values(one_row: &str, rows: usize) -> String {
    widen(one_row, " VALUES (", rows, Repeat::Group)
}

/// `one_value` (`... IN ($1) ...`) with `values` parameters in the list: `IN ($1, $2, ...)`.
pub(crate) fn in_list(one_value: &str, values: usize) -> String {
    widen(one_value, " IN (", values, Repeat::Inside)
}

/// What [`widen`] repeats.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// The group with its parentheses: `($1, $2), ($3, $4)`.
    Group,
    /// What is inside the parentheses: `($1, $2)`.
    Inside,
}

/// Repeats the parenthesised group that follows the first `marker` in `sql`.
fn widen(sql: &str, marker: &str, times: usize, repeat: Repeat) -> String {
    let Some(at) = sql.find(marker) else {
        debug_assert!(false, "no `{marker}` in the statement");
        return sql.to_owned();
    };
    let open = at + marker.len() - 1;
    let Some(close) = sql[open..].find(')').map(|i| open + i) else {
        debug_assert!(false, "the group after `{marker}` is not closed");
        return sql.to_owned();
    };
    let (open, close) = match repeat {
        Repeat::Group => (open, close),
        Repeat::Inside => (open + 1, close - 1),
    };
    let group = &sql[open..=close];
    let width = placeholders(group).into_iter().max().unwrap_or(0);
    let mut out = String::with_capacity(sql.len() + (group.len() + 8) * times);
    out.push_str(&sql[..open]);
    for r in 0..times {
        if r > 0 {
            out.push_str(", ");
        }
        shift(group, r * width, &mut out);
    }
    out.push_str(&sql[close + 1..]);
    out
}

/// The numbers of the `$n` placeholders in `text`.
fn placeholders(text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        rest = &rest[i + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(n) = rest[..digits].parse() {
            found.push(n);
        }
        rest = &rest[digits..];
    }
    found
}

/// Appends `text` to `out` with every `$n` written as `$(n + by)`.
fn shift(text: &str, by: usize, out: &mut String) {
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + by).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    //! Starting in lower case, so that `scripts/check-postgres.sh` does not take them for statements.
    use super::*;

    #[test]
    fn a_row_of_values_is_repeated_with_its_placeholders_shifted() {
        let one = "insert into t (a, b, c, d) VALUES ($1, NULL, $2, $2) returning id";
        assert_eq!(repeat_values(one, 1), one);
        assert_eq!(
            repeat_values(one, 3),
            "insert into t (a, b, c, d) VALUES ($1, NULL, $2, $2), ($3, NULL, $4, $4), \
             ($5, NULL, $6, $6) returning id"
        );
    }

    #[test]
    fn wide_rows_go_fewer_to_a_statement() {
        assert_eq!(rows_per_statement("insert into t (a) VALUES ($1)"), ROWS_PER_STATEMENT);
        let twelve = "insert into t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
        assert_eq!(rows_per_statement(twelve), PARAMETERS_PER_STATEMENT / 12);
        assert_eq!(rows_per_statement("insert into t (a) VALUES (1)"), ROWS_PER_STATEMENT);
    }

    #[test]
    fn an_in_list_gets_one_parameter_per_value() {
        let one = "select a from t where ssn IN ($1) and b = true";
        assert_eq!(in_list(one, 1), one);
        assert_eq!(in_list(one, 3), "select a from t where ssn IN ($1, $2, $3) and b = true");
    }
}
