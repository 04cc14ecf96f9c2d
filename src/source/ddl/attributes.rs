//! Engine-defined attributes: `name = value` after a table, column or key definition
//! (InnoDB's `page_compressed`, `encrypted`; CONNECT's `TABLE_TYPE`, ...). MariaDB keeps
//! them for the engine, under the name as written, and prints them back as `name`='value'.

use super::cursor::{Cursor, PResult};
use crate::model::Attribute;
use sqlparser::tokenizer::Token;

/// InnoDB's attributes, which people write without backticks. Any other attribute is read
/// in the server's own form, its name in backticks, so that a misspelt option stays an error.
const INNODB: &[&str] = &[
    "PAGE_COMPRESSED",
    "PAGE_COMPRESSION_LEVEL",
    "ENCRYPTED",
    "ENCRYPTION_KEY_ID",
];

/// The attribute at the cursor, if a name followed by `=` is there.
pub fn attribute(c: &mut Cursor) -> PResult<Option<Attribute>> {
    let name = match c.peek() {
        Token::Word(w)
            if c.peek_at(1) == &Token::Eq
                && (w.quote_style == Some('`')
                    || INNODB.iter().any(|k| w.value.eq_ignore_ascii_case(k))) =>
        {
            w.value.clone()
        }
        _ => return Ok(None),
    };
    c.advance();
    c.advance();
    let value = match c.peek().clone() {
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => s,
        Token::Number(n, _) => n,
        Token::Word(w) if w.quote_style.is_none() => w.value,
        _ => return c.error(format!("expected the value of the attribute `{name}` here")),
    };
    c.advance();
    Ok(Some(Attribute { name, value }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> PResult<Option<Attribute>> {
        attribute(&mut Cursor::new(text)?)
    }

    #[test]
    fn names_keep_their_case_and_values_are_strings() {
        let a = |name: &str, value: &str| {
            Some(Attribute {
                name: name.into(),
                value: value.into(),
            })
        };
        assert_eq!(
            read("page_compressed=1").unwrap(),
            a("page_compressed", "1")
        );
        assert_eq!(read("`TABLE_TYPE`='CSV'").unwrap(), a("TABLE_TYPE", "CSV"));
        assert_eq!(read("encrypted = yes").unwrap(), a("encrypted", "yes"));
        assert_eq!(read("COMMENT 'x'").unwrap(), None);
        assert_eq!(read("frobnicate = 1").unwrap(), None);
        assert!(read("`x` = (1)").unwrap_err().message.contains("`x`"));
    }
}
