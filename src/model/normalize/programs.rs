//! Stored programs as the server stores them (docs/normalization.md, "Stored programs").
//!
//! The server keeps a body verbatim from its first token to the end of the statement,
//! trailing whitespace trimmed: a `;` after it (`END;` before a `DELIMITER //` line's `//`,
//! as zoneminder's triggers.sql writes) ends the statement and is not kept. What differs is what reaches it: the `mariadb` client strips
//! comments (`-- `, `#`, `/* */`; not `/*! */`) unless run with `--comments`, leaving the
//! whitespace around them, while a driver (and canon's apply) sends them. So both sides'
//! bodies lose their comments exactly as the client drops them, and compare equal however the
//! database was loaded.

use crate::model::{Param, Schema};

pub fn normalize_programs(schema: &mut Schema) {
    let db_collation = schema.collation.clone().unwrap_or_default();
    for t in schema.triggers.values_mut() {
        t.body = body(&t.body);
        if schema.lower_case_names {
            t.table = t.table.to_lowercase();
        }
    }
    for r in (schema.procedures.values_mut()).chain(schema.functions.values_mut()) {
        r.body = body(&r.body);
        // A type's charset is the database's when the text names none: the database's at
        // the routine's creation, which the server records with it (a dump does not say).
        let db = (r.context.as_ref())
            .map(|c| c.database_collation.as_str())
            .filter(|c| !c.is_empty())
            .unwrap_or(&db_collation);
        for Param { data_type, .. } in &mut r.params {
            *data_type = without_collation(data_type, db);
        }
        if let Some(returns) = &mut r.returns {
            *returns = without_collation(returns, db);
        }
    }
    for e in schema.events.values_mut() {
        e.body = body(&e.body);
    }
}

/// `varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci` → `varchar(10)` in a
/// database of that collation.
fn without_collation(data_type: &str, db_collation: &str) -> String {
    match data_type.split_once(" CHARACTER SET ") {
        Some((ty, rest)) if rest.ends_with(&format!(" COLLATE {db_collation}")) => ty.into(),
        _ => data_type.into(),
    }
}

/// A body without the comments the `mariadb` client strips, trimmed as the server trims it.
pub fn body(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut kept) = (0, 0);
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' && q != b'`' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'#' => {
                out.push_str(&text[kept..i]);
                i = line_end(b, i);
                kept = i;
            }
            b'-' if b.get(i + 1) == Some(&b'-')
                && b.get(i + 2).is_none_or(|c| c.is_ascii_whitespace()) =>
            {
                out.push_str(&text[kept..i]);
                i = line_end(b, i);
                kept = i;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let versioned = matches!(b.get(i + 2), Some(b'!'))
                    || (b.get(i + 2) == Some(&b'M') && b.get(i + 3) == Some(&b'!'));
                let close = text[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
                if !versioned {
                    out.push_str(&text[kept..i]);
                    kept = close;
                }
                i = close;
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[kept.min(text.len())..]);
    out.trim_start()
        .trim_end_matches(|c: char| c == ';' || c.is_whitespace())
        .to_string()
}

fn line_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| from + p)
}

#[cfg(test)]
mod tests {
    use super::body;

    /// Sent by `mariadb` 10.11 without `--comments`, then read back from
    /// information_schema.TRIGGERS.ACTION_STATEMENT (the server's recording, verbatim).
    #[test]
    fn comments_go_as_the_client_strips_them() {
        let sent = "BEGIN\n  -- inside comment\n  SET NEW.n = NEW.n + 1; # hash comment\n  /* block comment */\n  SET NEW.n = NEW.n * 2;\nEND   ";
        let stored = "BEGIN\n  \n  SET NEW.n = NEW.n + 1; \n  \n  SET NEW.n = NEW.n * 2;\nEND";
        assert_eq!(body(sent), stored);
        assert_eq!(body(stored), stored);
    }

    /// Sent under `DELIMITER //`, read back from ACTION_STATEMENT (MariaDB 10.11).
    #[test]
    fn semicolons_after_the_statement_are_not_kept() {
        assert_eq!(body("SET @x = 1 ;  "), "SET @x = 1");
        assert_eq!(
            body("BEGIN SET @x = 1; END ; ; \n"),
            "BEGIN SET @x = 1; END"
        );
        assert_eq!(body("SET @x = ';'"), "SET @x = ';'");
    }

    #[test]
    fn quoted_text_and_versioned_comments_stay() {
        let text = "SELECT '-- no', \"# no\", `/* no */`, 'it\\'s -- x' /*!100000 , 1 */";
        assert_eq!(body(text), text);
        assert_eq!(body("SET @a = 1--2"), "SET @a = 1--2");
    }
}
