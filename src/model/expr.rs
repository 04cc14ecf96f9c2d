//! How two expressions compare: by key, with the charsets a session fills in matched.

use super::SqlExpr;
use serde::Deserialize;

/// Marks, in a key, a charset the server fills in from the session that creates the object
/// when none is written (`CAST(x AS CHAR)` is stored `cast(x as char charset
/// <character_set_connection>)`, `CHR(n)` as `char(n using <character_set_database>)`): the
/// marker, then the charset, or nothing when none was written. A NUL, which no name holds
/// and keys escape in strings.
pub const SESSION_CHARSET: char = '\0';

impl PartialEq for SqlExpr {
    /// Equal keys; a charset left to the session matches whichever one the server filled in,
    /// a charset written must match exactly.
    fn eq(&self, other: &Self) -> bool {
        if self.key == other.key {
            return true;
        }
        let (mut a, mut b) = (
            self.key.split(SESSION_CHARSET),
            other.key.split(SESSION_CHARSET),
        );
        if a.next() != b.next() {
            return false;
        }
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) => {
                    let ((cx, rx), (cy, ry)) = (charset_first(x), charset_first(y));
                    if rx != ry || !(cx == cy || cx.is_empty() || cy.is_empty()) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }
}

/// The charset name a key segment starts with, and the rest.
fn charset_first(segment: &str) -> (&str, &str) {
    let end = segment
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(segment.len());
    segment.split_at(end)
}

impl SqlExpr {
    /// The key with the charsets a session may fill in left out: what a digest hashes, so
    /// that an object created from a file has the digest the server's copy of it has.
    pub fn session_free_key(&self) -> String {
        let mut parts = self.key.split(SESSION_CHARSET);
        let mut out = parts.next().unwrap_or_default().to_string();
        for p in parts {
            out.push(SESSION_CHARSET);
            out.push_str(charset_first(p).1);
        }
        out
    }
}

/// An expression as a plan file holds it: its text (plans written before keys were left out
/// hold a key too, which is ignored, since its markers are not canon's to trust from a file).
#[derive(Deserialize)]
pub(super) struct Written {
    text: String,
}

impl From<Written> for SqlExpr {
    /// Read back, the text is its own key: two expressions read from a file are equal only
    /// when written the same, never by a key nobody computed.
    fn from(w: Written) -> Self {
        SqlExpr {
            key: w.text.clone(),
            text: w.text,
        }
    }
}
