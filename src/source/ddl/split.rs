//! Splits a DDL file or a dump into statements.
//!
//! Versioned comments that the target server would execute (`/*!40101 ... */`,
//! `/*M!100301 ... */`) become code: their markers are blanked to spaces so that every byte
//! offset still points into the original file. `DELIMITER` lines change the terminator.

use crate::flavor::{Flavor, Vendor};

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The statement's code (versioned-comment markers blanked), without its terminator.
    pub text: String,
    /// Byte offset of `text` in the file.
    pub offset: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Code,
    Quoted(u8),
    LineComment,
    BlockComment,
}

/// Whether the server of `flavor` runs the content of the versioned comment starting at `i`
/// (which points at `/*`). Returns the length of the opening marker when it does.
fn executed_marker(bytes: &[u8], i: usize, flavor: Flavor) -> Option<usize> {
    let rest = &bytes[i + 2..];
    let (mariadb_only, skip) = match rest {
        [b'!', ..] => (false, 1),
        [b'M', b'!', ..] => (true, 2),
        _ => return None,
    };
    let digits = rest[skip..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let number: u64 = std::str::from_utf8(&rest[skip..skip + digits])
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    let runs = match (mariadb_only, flavor.vendor) {
        (true, Vendor::MySql) => false,
        _ => digits == 0 || number <= flavor.version.comment_number(),
    };
    runs.then_some(2 + skip + digits)
}

pub fn split(src: &str, flavor: Flavor) -> Vec<Statement> {
    let bytes = src.as_bytes();
    let mut code = bytes.to_vec();
    let mut out = Vec::new();
    let mut state = State::Code;
    // Depth of executed versioned comments we are inside: their `*/` must be blanked too.
    let mut versioned_depth = 0usize;
    let mut delimiter: Vec<u8> = b";".to_vec();
    let mut start = 0usize;
    let mut i = 0usize;
    let mut line_start = true;

    let push = |from: usize, to: usize, code: &[u8], out: &mut Vec<Statement>| {
        let text = String::from_utf8_lossy(&code[from..to]).into_owned();
        if !text.trim().is_empty() {
            out.push(Statement { text, offset: from });
        }
    };

    while i < bytes.len() {
        let b = bytes[i];
        match state {
            State::Code => {
                if line_start
                    && starts_with_ci(&bytes[i..], b"DELIMITER ")
                    && src[start..i].trim().is_empty()
                {
                    let end = bytes[i..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(bytes.len(), |p| i + p);
                    let d = src[i + 10..end].trim();
                    if !d.is_empty() {
                        delimiter = d.as_bytes().to_vec();
                    }
                    i = end;
                    start = end;
                    continue;
                }
                line_start = false;
                if bytes[i..].starts_with(&delimiter) {
                    push(start, i, &code, &mut out);
                    i += delimiter.len();
                    start = i;
                    continue;
                }
                match b {
                    b'\'' | b'"' | b'`' => state = State::Quoted(b),
                    b'#' => state = State::LineComment,
                    b'-' if bytes.get(i + 1) == Some(&b'-')
                        && bytes.get(i + 2).is_none_or(|c| c.is_ascii_whitespace()) =>
                    {
                        state = State::LineComment
                    }
                    b'/' if bytes.get(i + 1) == Some(&b'*') => {
                        if let Some(len) = executed_marker(bytes, i, flavor) {
                            code[i..i + len].fill(b' ');
                            versioned_depth += 1;
                            i += len;
                            continue;
                        }
                        state = State::BlockComment;
                        i += 2;
                        continue;
                    }
                    b'*' if versioned_depth > 0 && bytes.get(i + 1) == Some(&b'/') => {
                        code[i..i + 2].fill(b' ');
                        versioned_depth -= 1;
                        i += 2;
                        continue;
                    }
                    b'\n' => line_start = true,
                    _ => {}
                }
            }
            State::Quoted(q) => {
                if b == b'\\' && q != b'`' {
                    i += 2;
                    continue;
                }
                if b == q {
                    if bytes.get(i + 1) == Some(&q) {
                        i += 2;
                        continue;
                    }
                    state = State::Code;
                }
            }
            State::LineComment => {
                if b == b'\n' {
                    state = State::Code;
                    line_start = true;
                }
            }
            State::BlockComment => {
                if b == b'*' && bytes.get(i + 1) == Some(&b'/') {
                    state = State::Code;
                    i += 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    push(start, bytes.len(), &code, &mut out);
    out
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<String> {
        split(src, Flavor::DEFAULT)
            .into_iter()
            .map(|s| s.text.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let got = texts(
            "CREATE TABLE a (x varchar(3) DEFAULT ';');\n-- a; comment\n/* b; */ DROP TABLE `c;d`;",
        );
        assert_eq!(
            got,
            vec![
                "CREATE TABLE a (x varchar(3) DEFAULT ';')",
                "-- a; comment /* b; */ DROP TABLE `c;d`"
            ]
        );
    }

    #[test]
    fn unwraps_versioned_comments_the_server_runs() {
        let src = "/*!40101 SET NAMES utf8mb4 */;\n/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select 1 AS `x` */;";
        assert_eq!(
            texts(src),
            vec![
                "SET NAMES utf8mb4",
                "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v` AS select 1 AS `x`"
            ]
        );
    }

    #[test]
    fn keeps_versioned_comments_for_newer_or_other_servers_as_comments() {
        let src = "/*M!999999\\- enable the sandbox mode */\nCREATE TABLE t (c text /*M!100301 COMPRESSED*/);";
        let got = texts(src);
        assert_eq!(got.len(), 1);
        assert!(
            got[0].ends_with("CREATE TABLE t (c text COMPRESSED )"),
            "{got:?}"
        );
        let mysql: Flavor = "mysql-8.0".parse().unwrap();
        let s = split(src, mysql);
        assert!(
            s[0].text.contains("/*M!100301"),
            "MySQL does not run MariaDB comments"
        );
    }

    #[test]
    fn offsets_point_into_the_original_file() {
        let src = "SET x=1;\n  CREATE TABLE t (a int);";
        let s = split(src, Flavor::DEFAULT);
        assert_eq!(
            &src[s[1].offset..s[1].offset + s[1].text.len()],
            "\n  CREATE TABLE t (a int)"
        );
    }

    #[test]
    fn honours_delimiter_lines() {
        let src = "DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END ;;\nDELIMITER ;\nCREATE TABLE b (x int);";
        let got = texts(src);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with("CREATE TRIGGER") && got[0].ends_with("END"));
        assert_eq!(got[1], "CREATE TABLE b (x int)");
    }

    #[test]
    fn backslash_escapes_in_strings() {
        let got = texts("CREATE TABLE a (x varchar(3) DEFAULT 'it\\'s;');SELECT 1;");
        assert_eq!(got.len(), 2);
    }
}
