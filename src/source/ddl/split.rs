//! Splits a DDL file or a dump into statements, as the `mariadb` client and the server read it.
//!
//! The file is fed in chunks that end at a line end (or the end of the file), so a dump of any
//! size is read with memory for one line and the schema statements only: the text of bulk data
//! statements (INSERT, REPLACE, UPDATE, DELETE, LOAD DATA) is never kept, only their verb.
//!
//! Rules, each checked against MariaDB 10.11's client and server (tests quote the evidence):
//! - `DELIMITER x` at the start of a line, with no statement pending, changes the terminator to
//!   the first word after it (any string; quotes allowed).
//! - `--` followed by whitespace or the line end starts a comment; at the start of a statement
//!   any `--` does (the client drops such lines, e.g. a line of dashes). `#` always does.
//! - Versioned comments the target server runs (`/*!40101 ... */`, `/*M!100301 ... */`) become
//!   code: their markers are blanked to spaces so that every byte offset still points into the
//!   file. Those it skips are blanked whole (MariaDB skips `/*!50700`..`/*!99999`: MySQL 5.7+).
//! - `CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT` bodies written with `BEGIN ... END` and no
//!   `DELIMITER` are kept whole: `;` ends them only outside every `BEGIN`/`CASE` block.

use crate::flavor::{Flavor, Vendor};

#[cfg(test)]
mod tests;

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The statement's code (versioned-comment markers blanked), without its terminator and
    /// leading whitespace. Empty for bulk data statements.
    pub text: String,
    /// The same bytes as in the file, for error messages.
    pub raw: String,
    /// Byte offset of `text` in the file, and its line (1-based) and column (0-based, bytes).
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    /// The verb of a bulk data statement, whose text was not kept.
    pub bulk: Option<&'static str>,
    /// The file a client `source FILE` (or `\\. FILE`) command reads here, as written.
    pub source: Option<String>,
}

/// Statements whose text is data, dropped while reading.
const BULK: &[&str] = &["INSERT", "REPLACE", "UPDATE", "DELETE", "LOAD"];
/// Words after `END` that close a block `BEGIN`/`CASE` did not open.
const END_OF_OTHER: &[&str] = &["IF", "LOOP", "WHILE", "REPEAT", "FOR"];
/// Head words looked at to tell what a statement is.
const HEAD_WORDS: usize = 8;

#[derive(Clone, Copy, PartialEq, Debug)]
enum State {
    Code,
    Quoted(u8),
    LineComment,
    /// A block comment; `true` when it is blanked from the code (a skipped versioned comment).
    BlockComment(bool),
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Head {
    Unknown,
    Plain,
    Bulk(&'static str),
    /// A stored program: its `BEGIN ... END` blocks hold `;`.
    Routine,
}

pub struct Splitter {
    flavor: Flavor,
    state: State,
    delimiter: Vec<u8>,
    /// The bytes that can change the state in code: data between them is skipped at once.
    interesting: [bool; 256],
    /// Executed versioned comments we are inside: their `*/` is blanked too.
    versioned_depth: usize,
    /// Whether the file had versioned comments, whose reading depends on the server version.
    pub versioned: bool,
    /// File offset of the chunk being read, the current line and its start offset.
    pos: usize,
    line: usize,
    line_begin: usize,
    /// Only whitespace so far on this line.
    line_start: bool,
    // The statement being read.
    started: bool,
    has_code: bool,
    offset: usize,
    stmt_line: usize,
    stmt_column: usize,
    raw: Vec<u8>,
    /// Ranges of `raw` (relative to `offset`) blanked in the code.
    blanks: Vec<(usize, usize)>,
    /// Start (file offset) of a blanked comment still open.
    blank_from: Option<usize>,
    head: Head,
    words: Vec<String>,
    depth: usize,
    pending_end: bool,
}

impl Splitter {
    pub fn new(flavor: Flavor) -> Self {
        Splitter {
            flavor,
            state: State::Code,
            delimiter: b";".to_vec(),
            interesting: interesting(b";"),
            versioned_depth: 0,
            versioned: false,
            pos: 0,
            line: 1,
            line_begin: 0,
            line_start: true,
            started: false,
            has_code: false,
            offset: 0,
            stmt_line: 1,
            stmt_column: 0,
            raw: Vec::new(),
            blanks: Vec::new(),
            blank_from: None,
            head: Head::Unknown,
            words: Vec::new(),
            depth: 0,
            pending_end: false,
        }
    }

    fn keeps_text(&self) -> bool {
        !matches!(self.head, Head::Bulk(_))
    }

    /// Read the next chunk of the file; it must end at a line end or at the end of the file.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<Statement>) {
        // Start (in `chunk`) of the bytes not yet copied into the statement.
        let mut seg = 0usize;
        let mut i = 0usize;
        while i < chunk.len() {
            if self.state == State::Code && self.has_code && !self.keeps_text() {
                // Inside a data statement, between strings: numbers, commas, parentheses.
                let n = chunk[i..]
                    .iter()
                    .position(|&c| self.interesting[c as usize])
                    .unwrap_or(chunk.len() - i);
                if n > 0 {
                    i += n;
                    continue;
                }
            }
            let b = chunk[i];
            if b == b'\n' {
                self.line += 1;
                self.line_begin = self.pos + i + 1;
                self.line_start = true;
                if self.state == State::LineComment {
                    self.state = State::Code;
                    self.blank(self.pos + i);
                }
                i += 1;
                continue;
            }
            if !self.started {
                if b.is_ascii_whitespace() {
                    i += 1;
                    seg = i;
                    continue;
                }
                self.started = true;
                self.offset = self.pos + i;
                self.stmt_line = self.line;
                self.stmt_column = self.offset - self.line_begin;
                seg = i;
            }
            let first_on_line = self.line_start && !b.is_ascii_whitespace();
            if !b.is_ascii_whitespace() {
                self.line_start = false;
            }
            match self.state {
                State::Quoted(q) => {
                    // Data is mostly strings: jump from one byte that matters to the next.
                    while let Some(n) = chunk
                        .get(i..)
                        .and_then(|rest| memchr::memchr3(q, b'\\', b'\n', rest))
                    {
                        i += n;
                        match chunk[i] {
                            // A line end (escaped or not) is counted by the outer loop.
                            b'\n' => break,
                            b'\\' if q != b'`' && chunk.get(i + 1) != Some(&b'\n') => i += 2,
                            b'\\' => i += 1,
                            _ if chunk.get(i + 1) == Some(&q) => i += 2,
                            _ => {
                                self.state = State::Code;
                                i += 1;
                                break;
                            }
                        }
                    }
                    if self.state != State::Code && chunk.get(i) != Some(&b'\n') {
                        i = chunk.len();
                    }
                    continue;
                }
                State::LineComment => {
                    i += 1;
                    continue;
                }
                State::BlockComment(blanked) => {
                    if b == b'*' && chunk.get(i + 1) == Some(&b'/') {
                        self.state = State::Code;
                        i += 2;
                        if blanked {
                            self.blank(self.pos + i);
                        }
                    } else {
                        i += 1;
                    }
                    continue;
                }
                State::Code => {}
            }
            if first_on_line && !self.has_code {
                if let Some((delimiter, len)) = delimiter_command(&chunk[i..]) {
                    // The client takes the line as a command: nothing of it reaches the server.
                    if let Some(d) = delimiter {
                        self.interesting = interesting(&d);
                        self.delimiter = d;
                    }
                    self.reset();
                    i += len;
                    seg = i;
                    continue;
                }
                if let Some((file, len)) = source_command(&chunk[i..]) {
                    let raw = String::from_utf8_lossy(&chunk[i..i + len]).into_owned();
                    out.push(Statement {
                        text: String::new(),
                        raw: raw.trim_ascii_end().to_string(),
                        // The command's own line: comments before it are not part of it.
                        offset: self.pos + i,
                        line: self.line,
                        column: self.pos + i - self.line_begin,
                        bulk: None,
                        source: Some(file),
                    });
                    self.reset();
                    i += len;
                    seg = i;
                    continue;
                }
            }
            let at_delimiter = b == self.delimiter[0] && chunk[i..].starts_with(&self.delimiter);
            if (at_delimiter || b == b';') && self.ends_here(at_delimiter) {
                self.copy(&chunk[seg..i]);
                self.emit(out);
                i += if at_delimiter {
                    self.delimiter.len()
                } else {
                    1
                };
                seg = i;
                continue;
            }
            if b.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            match b {
                b'\'' | b'"' | b'`' => self.state = State::Quoted(b),
                b'#' => {
                    self.state = State::LineComment;
                    i += 1;
                    continue;
                }
                b'-' if chunk.get(i + 1) == Some(&b'-') => {
                    let third = chunk.get(i + 2);
                    if third.is_none_or(|c| c.is_ascii_whitespace()) {
                        self.state = State::LineComment;
                        i += 2;
                        continue;
                    }
                    if !self.has_code {
                        // Only the client reads this as a comment: hide it from the tokenizer.
                        self.state = State::LineComment;
                        self.blank_from = Some(self.pos + i);
                        i += 2;
                        continue;
                    }
                }
                b'/' if chunk.get(i + 1) == Some(&b'*') => {
                    match versioned(&chunk[i..], self.flavor) {
                        Some(Versioned::Runs(len)) => {
                            self.versioned = true;
                            self.blanks.push(self.relative(i, len));
                            self.versioned_depth += 1;
                            i += len;
                        }
                        Some(Versioned::Skipped) => {
                            self.versioned = true;
                            self.state = State::BlockComment(true);
                            self.blank_from = Some(self.pos + i);
                            i += 2;
                        }
                        None => {
                            self.state = State::BlockComment(false);
                            i += 2;
                        }
                    }
                    continue;
                }
                b'*' if self.versioned_depth > 0 && chunk.get(i + 1) == Some(&b'/') => {
                    self.blanks.push(self.relative(i, 2));
                    self.versioned_depth -= 1;
                    i += 2;
                    continue;
                }
                _ => {}
            }
            self.has_code = true;
            if is_word_byte(b) && (i == 0 || !is_word_byte(chunk[i - 1])) {
                let len = chunk[i..]
                    .iter()
                    .position(|&c| !is_word_byte(c))
                    .unwrap_or(chunk.len() - i);
                // `NEW.end`, `@begin`: names, not keywords.
                let qualified = i > 0 && matches!(chunk[i - 1], b'.' | b'@');
                if self.watches_words() && !qualified {
                    let word = String::from_utf8_lossy(&chunk[i..i + len]).to_ascii_uppercase();
                    self.word(word);
                }
                // A word holds no terminator, unless the delimiter itself is a word.
                if !self.delimiter.first().is_some_and(|&d| is_word_byte(d)) {
                    i += len;
                    continue;
                }
            }
            i += 1;
        }
        self.copy(&chunk[seg.min(chunk.len())..]);
        self.pos += chunk.len();
    }

    /// The last statement, at the end of the file.
    pub fn finish(&mut self, out: &mut Vec<Statement>) {
        if self.state == State::LineComment {
            self.blank(self.pos);
        }
        self.emit(out);
    }

    /// `(start, len)` of chunk bytes `i..i + len`, relative to the statement.
    fn relative(&self, i: usize, len: usize) -> (usize, usize) {
        (self.pos + i - self.offset, len)
    }

    /// Blank the comment open since `blank_from` up to file offset `to`.
    fn blank(&mut self, to: usize) {
        if let Some(from) = self.blank_from.take() {
            self.blanks.push((from - self.offset, to - from));
        }
    }

    fn copy(&mut self, bytes: &[u8]) {
        if self.started && self.keeps_text() {
            self.raw.extend_from_slice(bytes);
        }
    }

    fn watches_words(&self) -> bool {
        self.head == Head::Unknown || (self.head == Head::Routine && self.delimiter == b";")
    }

    /// Whether the delimiter (or a `;`) found here ends the statement. The client sends all
    /// up to its delimiter as one query, which the server runs as statements split at `;`
    /// outside a stored program's `BEGIN ... END` blocks.
    fn ends_here(&mut self, at_delimiter: bool) -> bool {
        if self.head != Head::Routine {
            return true;
        }
        if self.delimiter != b";" {
            return at_delimiter;
        }
        if std::mem::take(&mut self.pending_end) {
            self.depth = self.depth.saturating_sub(1);
        }
        self.depth == 0
    }

    fn word(&mut self, word: String) {
        if self.head == Head::Unknown {
            self.words.push(word);
            self.head = head(&self.words);
            if !self.keeps_text() {
                self.raw.clear();
                self.blanks.clear();
            }
            return;
        }
        let w = word.as_str();
        if std::mem::take(&mut self.pending_end) {
            if END_OF_OTHER.contains(&w) {
                return;
            }
            self.depth = self.depth.saturating_sub(1);
            if w == "CASE" {
                return;
            }
        }
        match w {
            "BEGIN" | "CASE" => self.depth += 1,
            "END" => self.pending_end = true,
            _ => {}
        }
    }

    fn emit(&mut self, out: &mut Vec<Statement>) {
        if self.started && self.has_code {
            let bulk = match self.head {
                Head::Bulk(verb) => Some(verb),
                _ => None,
            };
            let mut code = self.raw.clone();
            for &(from, len) in &self.blanks {
                let to = (from + len).min(code.len());
                code[from.min(to)..to].fill(b' ');
            }
            let trim = |b: Vec<u8>| String::from_utf8_lossy(b.trim_ascii_end()).into_owned();
            out.push(Statement {
                text: trim(code),
                raw: trim(std::mem::take(&mut self.raw)),
                offset: self.offset,
                line: self.stmt_line,
                column: self.stmt_column,
                bulk,
                source: None,
            });
        }
        self.reset();
    }

    fn reset(&mut self) {
        self.started = false;
        self.has_code = false;
        self.raw.clear();
        self.blanks.clear();
        self.blank_from = None;
        self.head = Head::Unknown;
        self.words.clear();
        self.depth = 0;
        self.pending_end = false;
        self.versioned_depth = 0;
    }
}

/// Split a whole text (small files, tests).
pub fn split(src: &str, flavor: Flavor) -> Vec<Statement> {
    let mut s = Splitter::new(flavor);
    let mut out = Vec::new();
    s.feed(src.as_bytes(), &mut out);
    s.finish(&mut out);
    out
}

fn interesting(delimiter: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    for &b in b"'\"`#-/*;\n".iter().chain(delimiter.first()) {
        t[b as usize] = true;
    }
    t
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// What the statement is, from its first words (None-like `Unknown` while undecided).
fn head(words: &[String]) -> Head {
    let first = words[0].as_str();
    if let Some(verb) = BULK.iter().find(|v| **v == first) {
        return Head::Bulk(verb);
    }
    if first != "CREATE" {
        return Head::Plain;
    }
    let mut definer = false;
    for w in &words[1..] {
        match w.as_str() {
            "TRIGGER" | "PROCEDURE" | "FUNCTION" | "EVENT" => return Head::Routine,
            "OR" | "REPLACE" | "AGGREGATE" => {}
            "DEFINER" => definer = true,
            // An unquoted `user@host` or CURRENT_USER.
            _ if definer => {}
            _ => return Head::Plain,
        }
    }
    if words.len() >= HEAD_WORDS {
        Head::Plain
    } else {
        Head::Unknown
    }
}

/// A `DELIMITER x` client command at `line`: (the new delimiter, if one is given; bytes up to
/// the line end).
fn delimiter_command(line: &[u8]) -> Option<(Option<Vec<u8>>, usize)> {
    const WORD: &[u8] = b"DELIMITER";
    let follows = line.get(WORD.len())?;
    if !line[..WORD.len()].eq_ignore_ascii_case(WORD) || !matches!(follows, b' ' | b'\t') {
        return None;
    }
    let end = line.iter().position(|&c| c == b'\n').unwrap_or(line.len());
    let arg = line[WORD.len()..end].trim_ascii();
    let word = match arg.first() {
        Some(&q @ (b'\'' | b'"' | b'`')) => {
            let close = arg[1..]
                .iter()
                .position(|&c| c == q)
                .map_or(arg.len(), |p| p + 1);
            &arg[1..close]
        }
        _ => {
            let stop = arg
                .iter()
                .position(|c| c.is_ascii_whitespace())
                .unwrap_or(arg.len());
            &arg[..stop]
        }
    };
    Some(((!word.is_empty()).then(|| word.to_vec()), end))
}

/// A `source FILE` or `\\. FILE` client command at `line`: (the file, bytes up to the line
/// end). Seen with MariaDB 10.11's client: any case, only at the start of a statement, the
/// rest of the line is the file name, a `;` after it is dropped.
fn source_command(line: &[u8]) -> Option<(String, usize)> {
    let end = line.iter().position(|&c| c == b'\n').unwrap_or(line.len());
    let arg = if line.starts_with(b"\\.") {
        &line[2..end]
    } else if line.len() > 6 && line[..6].eq_ignore_ascii_case(b"SOURCE") {
        &line[6..end]
    } else {
        return None;
    };
    if !arg.first().is_some_and(|c| matches!(c, b' ' | b'\t')) {
        return None;
    }
    let file = arg.trim_ascii().trim_ascii_end();
    let file = file.strip_suffix(b";").unwrap_or(file).trim_ascii_end();
    (!file.is_empty()).then(|| (String::from_utf8_lossy(file).into_owned(), end))
}

enum Versioned {
    /// The server runs the content: the opening marker's length.
    Runs(usize),
    /// The server skips it as a comment.
    Skipped,
}

/// How the server of `flavor` reads the comment at `rest` (which starts with `/*`); None for a
/// plain comment. Seen on MariaDB 10.11: a version has 5 or 6 digits (fewer are content:
/// `/*!1234 x*/` runs `1234 x`), and the MySQL 5.7+ range 50700..=99999 is skipped unless
/// written `/*M!`. MySQL (from its manual): 5 digits, and `/*M!` is a plain comment.
fn versioned(rest: &[u8], flavor: Flavor) -> Option<Versioned> {
    let (mariadb_only, skip) = match &rest[2..] {
        [b'!', ..] => (false, 3),
        [b'M', b'!', ..] => (true, 4),
        _ => return None,
    };
    let maria = flavor.vendor == Vendor::MariaDb;
    if mariadb_only && !maria {
        return Some(Versioned::Skipped);
    }
    let digits = rest[skip..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let digits = match digits {
        0..=4 => 0,
        6.. if maria => 6,
        _ => 5,
    };
    if digits == 0 {
        return Some(Versioned::Runs(skip));
    }
    let version: u64 = std::str::from_utf8(&rest[skip..skip + digits])
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(u64::MAX);
    let mysql_57_and_later = (50700..=99999).contains(&version);
    let runs = version <= flavor.version.comment_number()
        && !(maria && !mariadb_only && mysql_57_and_later);
    Some(if runs {
        Versioned::Runs(skip + digits)
    } else {
        Versioned::Skipped
    })
}
