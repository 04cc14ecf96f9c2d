//! The only place identifiers and strings are quoted for SQL. A backtick in a name is doubled
//! and a quote or backslash in a string escaped, so no name or comment can inject SQL.

/// `name` → `` `name` ``; a backtick inside is doubled.
pub fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A string literal in single quotes, escaped the way `SHOW CREATE TABLE` prints it.
pub fn string(value: &str) -> String {
    literal(value, false)
}

/// A string literal that keeps line breaks as they are, for statements embedded in a script
/// where a reader should still see their lines.
pub fn string_keeping_lines(value: &str) -> String {
    literal(value, true)
}

fn literal(value: &str, keep_lines: bool) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for ch in value.chars() {
        match ch {
            '\n' if keep_lines => out.push('\n'),
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{1a}' => out.push_str("\\Z"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_double_their_backticks() {
        assert_eq!(ident("users"), "`users`");
        assert_eq!(
            ident("we`ird; DROP TABLE x; --"),
            "`we``ird; DROP TABLE x; --`"
        );
    }

    #[test]
    fn strings_escape_quotes_and_backslashes() {
        assert_eq!(string("it's"), "'it''s'");
        assert_eq!(string("a\\'; DROP"), "'a\\\\''; DROP'");
        assert_eq!(string("line\nbreak"), "'line\\nbreak'");
        assert_eq!(string_keeping_lines("it's\na\\b"), "'it''s\na\\\\b'");
    }
}
