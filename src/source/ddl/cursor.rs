//! A cursor over one statement's tokens (sqlparser's tokenizer), with byte spans.

use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Span, Token, TokenWithSpan, Tokenizer, Whitespace};

/// A problem at a byte range of the statement text.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanError {
    pub message: String,
    pub start: usize,
    pub end: usize,
    pub help: Option<String>,
    /// Set when the text is valid but uses a feature canon does not model: the feature's
    /// name. The statement's table is then refused by name, not the whole file.
    pub unsupported: Option<&'static str>,
}

pub type PResult<T> = Result<T, SpanError>;

/// A comment, kept for the `-- canon: ...` notes it may hold.
struct Note {
    line: u64,
    /// Index of the first token after it.
    next: usize,
    text: String,
}

pub struct Cursor {
    toks: Vec<TokenWithSpan>,
    /// Byte (start, end) of each token in the statement text.
    spans: Vec<(usize, usize)>,
    notes: Vec<Note>,
    pos: usize,
    text_len: usize,
    /// The statement's text: a stored program's body is kept as written.
    text: String,
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Byte offsets of (line, column) locations, walking forward from the previous one: tokens
/// come in order, so a statement is walked once, however long its lines.
struct Locator<'a> {
    text: &'a str,
    starts: Vec<usize>,
    at: (u64, u64, usize),
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Self {
        Locator {
            text,
            starts: line_starts(text),
            at: (1, 1, 0),
        }
    }

    fn offset(&mut self, line: u64, column: u64) -> usize {
        let (l, c, byte) = self.at;
        let (from_col, from_byte) = if line == l && column >= c {
            (c, byte)
        } else {
            match self.starts.get((line as usize).saturating_sub(1)) {
                Some(&ls) => (1, ls),
                None => return self.text.len(),
            }
        };
        let skip = (column - from_col) as usize;
        let found = self.text[from_byte..]
            .char_indices()
            .nth(skip)
            .map_or(self.text.len(), |(i, _)| from_byte + i);
        self.at = (line, column, found);
        found
    }
}

impl Cursor {
    pub fn new(text: &str) -> PResult<Cursor> {
        let dialect = MySqlDialect {};
        let all = Tokenizer::new(&dialect, text)
            .with_unescape(true)
            .tokenize_with_location()
            .map_err(|e| {
                let at = Locator::new(text).offset(e.location.line, e.location.column);
                SpanError {
                    message: format!("cannot read this SQL: {}", e.message),
                    start: at,
                    end: (at + 1).min(text.len()),
                    help: None,
                    unsupported: None,
                }
            })?;
        let mut locate = Locator::new(text);
        let mut notes = Vec::new();
        let mut toks: Vec<TokenWithSpan> = Vec::with_capacity(all.len());
        for t in all {
            match &t.token {
                Token::Whitespace(
                    Whitespace::SingleLineComment { comment: text, .. }
                    | Whitespace::MultiLineComment(text),
                ) => notes.push(Note {
                    line: t.span.start.line,
                    next: toks.len(),
                    text: text.trim().to_string(),
                }),
                Token::Whitespace(_) => {}
                _ => toks.push(t),
            }
        }
        let spans = toks
            .iter()
            .map(|t| {
                let s = locate.offset(t.span.start.line, t.span.start.column);
                let e = locate.offset(t.span.end.line, t.span.end.column);
                (s, e.max(s))
            })
            .collect();
        Ok(Cursor {
            toks,
            spans,
            notes,
            pos: 0,
            text_len: text.len(),
            text: text.to_string(),
        })
    }

    /// The `-- canon: ...` notes (without `canon:`) of the definition spanning tokens
    /// `first..=last`: comments on their own lines just above it, or ending its last line.
    pub fn notes(&self, first: usize, last: usize) -> Vec<&str> {
        let end_line = |i: usize| self.toks.get(i).map_or(0, |t| t.span.end.line);
        let above = if first == 0 { 0 } else { end_line(first - 1) };
        let last_line = end_line(last);
        self.notes
            .iter()
            .filter(|n| {
                (n.next == first && n.line > above)
                    || (n.next > last && n.next <= last + 2 && n.line == last_line)
            })
            .filter_map(|n| n.text.strip_prefix("canon:"))
            .map(str::trim)
            .collect()
    }

    pub fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    pub fn peek_at(&self, n: usize) -> &Token {
        self.toks
            .get(self.pos + n)
            .map_or(&Token::EOF, |t| &t.token)
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn advance(&mut self) -> Token {
        let t = self.peek().clone();
        self.pos = (self.pos + 1).min(self.toks.len());
        t
    }

    /// Byte span of the token at `pos + n` (or the end of the statement).
    pub fn span_at(&self, n: usize) -> (usize, usize) {
        self.spans
            .get(self.pos + n)
            .copied()
            .unwrap_or((self.text_len, self.text_len))
    }

    pub fn error<T>(&self, message: impl Into<String>) -> PResult<T> {
        Err(self.error_here(message))
    }

    pub fn error_here(&self, message: impl Into<String>) -> SpanError {
        let (start, end) = self.span_at(0);
        SpanError {
            message: message.into(),
            start,
            end,
            help: None,
            unsupported: None,
        }
    }

    /// Refuse a feature canon does not model, by name, with why.
    pub fn refuse<T>(&self, feature: &'static str, reason: impl Into<String>) -> PResult<T> {
        Err(SpanError {
            unsupported: Some(feature),
            ..self.error_here(reason)
        })
    }

    pub fn is_kw_at(&self, n: usize, kw: &str) -> bool {
        matches!(self.peek_at(n), Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
    }

    pub fn is_kw(&self, kw: &str) -> bool {
        self.is_kw_at(0, kw)
    }

    pub fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Eats the whole keyword sequence, or nothing.
    pub fn eat_kws(&mut self, kws: &[&str]) -> bool {
        if kws.iter().enumerate().all(|(i, k)| self.is_kw_at(i, k)) {
            self.pos += kws.len();
            true
        } else {
            false
        }
    }

    pub fn expect_kw(&mut self, kw: &str) -> PResult<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            self.error(format!("expected {kw} here, found {}", self.describe()))
        }
    }

    pub fn eat(&mut self, tok: &Token) -> bool {
        if self.peek() == tok {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn expect(&mut self, tok: &Token) -> PResult<()> {
        if self.eat(tok) {
            Ok(())
        } else {
            self.error(format!("expected `{tok}` here, found {}", self.describe()))
        }
    }

    pub fn eat_equals(&mut self) {
        self.eat(&Token::Eq);
    }

    pub fn describe(&self) -> String {
        match self.peek() {
            Token::EOF => "the end of the statement".to_string(),
            t => format!("`{t}`"),
        }
    }

    /// An identifier, quoted or not; `db.name` gives `name`.
    pub fn ident(&mut self) -> PResult<String> {
        let mut name = self.single_ident()?;
        while self.peek() == &Token::Period {
            self.advance();
            name = self.single_ident()?;
        }
        Ok(name)
    }

    /// A name with its qualifiers: `db`.`t` is ["db", "t"].
    pub fn qualified_ident(&mut self) -> PResult<Vec<String>> {
        let mut parts = vec![self.single_ident()?];
        while self.eat(&Token::Period) {
            parts.push(self.single_ident()?);
        }
        Ok(parts)
    }

    fn single_ident(&mut self) -> PResult<String> {
        match self.peek() {
            Token::Word(w) => {
                let v = w.value.clone();
                self.advance();
                Ok(v)
            }
            _ => self.error(format!("expected a name here, found {}", self.describe())),
        }
    }

    pub fn number(&mut self) -> PResult<u32> {
        match self.peek() {
            Token::Number(n, _) => match n.parse() {
                Ok(v) => {
                    self.advance();
                    Ok(v)
                }
                Err(_) => self.error(format!("expected a whole number, found `{n}`")),
            },
            _ => self.error(format!("expected a number here, found {}", self.describe())),
        }
    }

    pub fn string(&mut self) -> PResult<String> {
        match self.peek() {
            Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => {
                let v = s.clone();
                self.advance();
                Ok(v)
            }
            _ => self.error(format!(
                "expected a quoted string here, found {}",
                self.describe()
            )),
        }
    }

    /// A word or string value, as in `ENGINE=InnoDB` or `COMPRESSION='zlib'`.
    pub fn word_or_string(&mut self) -> PResult<String> {
        match self.peek() {
            Token::Word(w) => {
                let v = w.value.clone();
                self.advance();
                Ok(v)
            }
            Token::Number(n, _) => {
                let v = n.clone();
                self.advance();
                Ok(v)
            }
            _ => self.string(),
        }
    }

    /// `(a, b, c)` of identifiers.
    pub fn ident_list(&mut self) -> PResult<Vec<String>> {
        self.expect(&Token::LParen)?;
        let mut out = vec![self.ident()?];
        while self.eat(&Token::Comma) {
            out.push(self.ident()?);
        }
        self.expect(&Token::RParen)?;
        Ok(out)
    }

    /// The tokens inside the parentheses that start here; the cursor moves past them.
    pub fn parenthesized(&mut self) -> PResult<(Vec<TokenWithSpan>, usize)> {
        let open = self.pos;
        self.expect(&Token::LParen)?;
        let mut depth = 1usize;
        let from = self.pos;
        while depth > 0 {
            match self.advance() {
                Token::LParen => depth += 1,
                Token::RParen => depth -= 1,
                Token::EOF => {
                    self.pos = open;
                    return self.error("this parenthesis is never closed");
                }
                _ => {}
            }
        }
        Ok((self.toks[from..self.pos - 1].to_vec(), from))
    }

    /// The remaining tokens.
    pub fn rest(&mut self) -> (Vec<TokenWithSpan>, usize) {
        let from = self.pos;
        self.pos = self.toks.len();
        (self.toks[from..].to_vec(), from)
    }

    /// The text from the current token to the end of the statement, trimmed (a stored
    /// program's body, as the server keeps it); the cursor moves to the end.
    pub fn rest_text(&mut self) -> String {
        let from = self.span_at(0).0;
        self.pos = self.toks.len();
        self.text[from..].trim().to_string()
    }

    /// Truncate the statement at token index `at` (e.g. a trailing `WITH CHECK OPTION`).
    pub fn truncate(&mut self, at: usize) {
        self.toks.truncate(at);
        self.spans.truncate(at);
    }

    /// Step back over the token just consumed.
    pub fn back(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    /// The tokens from index `from` up to the current position.
    pub fn slice_since(&self, from: usize) -> Vec<TokenWithSpan> {
        self.toks[from..self.pos].to_vec()
    }

    /// The text of the tokens from `span.start` to `span.end` (a node of a sub-parse), one
    /// space where the statement has space between them.
    pub fn source_of(&self, span: Span) -> Option<String> {
        let first = self.toks.iter().position(|t| t.span.start == span.start)?;
        let mut last = first
            + self.toks[first..]
                .iter()
                .position(|t| t.span.end == span.end)?;
        // sqlparser's span of a call can stop at its name or its last argument: the text
        // runs on to the parenthesis that closes what it opened.
        let depth = |toks: &[TokenWithSpan]| {
            toks.iter().fold(0i32, |d, t| match t.token {
                Token::LParen => d + 1,
                Token::RParen => d - 1,
                _ => d,
            })
        };
        if depth(&self.toks[first..=last]) == 0
            && self.toks.get(last + 1).map(|t| &t.token) == Some(&Token::LParen)
        {
            last += 1;
        }
        while depth(&self.toks[first..=last]) > 0 && last + 1 < self.toks.len() {
            last += 1;
        }
        let mut text = String::new();
        for k in first..=last {
            if k > first && self.spans[k].0 > self.spans[k - 1].1 {
                text.push(' ');
            }
            text.push_str(&self.toks[k].token.to_string());
        }
        Some(text)
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    /// An error spanning the tokens `from..from + count`.
    pub fn error_over(&self, from: usize, count: usize, message: impl Into<String>) -> SpanError {
        let start = self.spans.get(from).map_or(self.text_len, |s| s.0);
        let end = self
            .spans
            .get(from + count.max(1) - 1)
            .map_or(self.text_len, |s| s.1);
        SpanError {
            message: message.into(),
            start,
            end: end.max(start),
            help: None,
            unsupported: None,
        }
    }

    /// Run sqlparser on a token slice, which must be consumed completely.
    pub fn sub_parse<T>(
        &self,
        tokens: Vec<TokenWithSpan>,
        from: usize,
        what: &str,
        f: impl FnOnce(&mut Parser) -> Result<T, sqlparser::parser::ParserError>,
    ) -> PResult<T> {
        let count = tokens.len();
        if count == 0 {
            return Err(self.error_over(
                from.saturating_sub(1),
                1,
                format!("expected {what} here"),
            ));
        }
        let dialect = crate::sqlexpr::ServerDialect;
        let mut parser = Parser::new(&dialect).with_tokens_with_locations(tokens);
        let value = f(&mut parser)
            .map_err(|e| self.error_over(from, count, format!("cannot read {what}: {e}")))?;
        let next = parser.peek_token();
        if next.token != Token::EOF {
            return Err(self.error_over(
                from,
                count,
                format!("unexpected `{}` in {what}", next.token),
            ));
        }
        Ok(value)
    }
}
/// The statement ends here, or the error names what follows.
pub(super) fn end(c: &Cursor) -> PResult<()> {
    if c.at_end() {
        Ok(())
    } else {
        c.error(format!(
            "unexpected {} at the end of the statement",
            c.describe()
        ))
    }
}

/// `( expr )`: an expression in parentheses, canonical (`what` names it in errors).
pub(super) fn paren_expr(c: &mut Cursor, what: &str) -> PResult<crate::model::SqlExpr> {
    let (tokens, from) = c.parenthesized()?;
    let expr = c.sub_parse(tokens, from, what, |p| p.parse_expr())?;
    Ok(crate::sqlexpr::from_expr(expr))
}

/// `ALGORITHM=INPLACE`, `LOCK=NONE`: how to run a change, not part of the schema.
pub(super) fn online_hints(c: &mut Cursor) -> PResult<()> {
    while c.is_kw("ALGORITHM") || c.is_kw("LOCK") {
        c.advance();
        c.eat_equals();
        c.ident()?;
    }
    Ok(())
}
