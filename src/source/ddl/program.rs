//! `CREATE`/`DROP` of triggers, procedures, functions and events. The header is read into the
//! model; the body is kept as text from its first token to the end of the statement, which is
//! what the server stores (model/normalize/programs.rs says what it strips).

use super::cursor::{end, Cursor, PResult};
use super::parse::Stmt;
use super::program_clauses::{event_change, routine_change};
use super::types::column_type;
use crate::flavor::{canonical_charset_name, Flavor};
use crate::model::normalize::fill_int_width;
use crate::model::*;
use crate::sql::ddl::column_type as type_text;
use sqlparser::tokenizer::Token;

/// A program as a CREATE statement defines it.
#[derive(Debug)]
pub enum Program {
    Trigger(Trigger, Option<TriggerOrder>),
    Routine(Routine),
    Event(Event),
}

/// `FOLLOWS other` / `PRECEDES other`: where a trigger goes among its table's triggers of the
/// same timing and event.
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerOrder {
    Follows(String),
    Precedes(String),
}

impl Program {
    pub fn kind(&self) -> ProgramKind {
        match self {
            Program::Trigger(..) => ProgramKind::Trigger,
            Program::Routine(r) if r.kind == RoutineKind::Procedure => ProgramKind::Procedure,
            Program::Routine(_) => ProgramKind::Function,
            Program::Event(_) => ProgramKind::Event,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Program::Trigger(t, _) => &t.name,
            Program::Routine(r) => &r.name,
            Program::Event(e) => &e.name,
        }
    }
}

/// The program keyword at the cursor, eaten (`AGGREGATE FUNCTION` is refused: MariaDB's
/// aggregate functions are not modelled).
pub(super) fn program_kind(c: &mut Cursor) -> PResult<Option<ProgramKind>> {
    if c.is_kw("AGGREGATE") {
        return c.error("aggregate functions are not modelled yet");
    }
    for kind in [
        ProgramKind::Trigger,
        ProgramKind::Procedure,
        ProgramKind::Function,
        ProgramKind::Event,
    ] {
        if c.eat_kw(kind.keyword()) {
            return Ok(Some(kind));
        }
    }
    Ok(None)
}

/// `DEFINER = user@host` (the keyword already eaten), as information_schema prints it:
/// `user@host`, unquoted. `CURRENT_USER` is whoever runs the file: None.
pub(super) fn definer(c: &mut Cursor) -> PResult<Option<Definer>> {
    c.eat_equals();
    if c.eat_kw("CURRENT_USER") {
        if c.eat(&Token::LParen) {
            c.expect(&Token::RParen)?;
        }
        return Ok(None);
    }
    let user = account_part(c)?;
    let mut definer = user;
    // The tokenizer reads `@host` as one word, or `@` then the quoted host.
    match c.peek().clone() {
        Token::Word(w) if w.quote_style.is_none() && w.value.starts_with('@') => {
            c.advance();
            definer.push_str(&w.value);
            if w.value == "@" {
                definer.push_str(&account_part(c)?);
            }
        }
        Token::AtSign => {
            c.advance();
            definer.push('@');
            definer.push_str(&account_part(c)?);
        }
        _ => {}
    }
    Ok(Some(definer))
}

fn account_part(c: &mut Cursor) -> PResult<String> {
    match c.peek().clone() {
        Token::Word(w) => {
            c.advance();
            Ok(w.value)
        }
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => {
            c.advance();
            Ok(s)
        }
        _ => c.error(format!("expected a user name here, found {}", c.describe())),
    }
}

/// The rest of `CREATE [OR REPLACE] [DEFINER=...] kind ...`, after the kind's keyword.
pub(super) fn create_program(
    c: &mut Cursor,
    kind: ProgramKind,
    or_replace: bool,
    definer: Option<Definer>,
    flavor: Flavor,
) -> PResult<Stmt> {
    let if_not_exists = c.eat_kws(&["IF", "NOT", "EXISTS"]);
    let name = c.ident()?;
    let program = match kind {
        ProgramKind::Trigger => trigger(c, name, definer)?,
        ProgramKind::Procedure | ProgramKind::Function => routine(c, kind, name, definer, flavor)?,
        ProgramKind::Event => event(c, name, definer)?,
    };
    Ok(Stmt::CreateProgram {
        program: Box::new(program),
        or_replace,
        if_not_exists,
    })
}

/// `DROP kind [IF EXISTS] name` (the kind's keyword already eaten).
pub(super) fn drop_program(c: &mut Cursor, kind: ProgramKind) -> PResult<Stmt> {
    let if_exists = c.eat_kws(&["IF", "EXISTS"]);
    let name = c.ident()?;
    end(c)?;
    Ok(Stmt::DropProgram {
        kind,
        name,
        if_exists,
    })
}

pub(super) fn body(c: &mut Cursor) -> PResult<String> {
    if c.at_end() {
        return c.error("expected the program's body here");
    }
    Ok(c.rest_text())
}

fn trigger(c: &mut Cursor, name: String, definer: Option<Definer>) -> PResult<Program> {
    use TriggerEvent::*;
    use TriggerTiming::*;
    let timing = one_of(c, &[("BEFORE", Before), ("AFTER", After)])?;
    let event = one_of(
        c,
        &[("INSERT", Insert), ("UPDATE", Update), ("DELETE", Delete)],
    )?;
    c.expect_kw("ON")?;
    let table = c.ident()?;
    c.expect_kw("FOR")?;
    c.expect_kw("EACH")?;
    c.expect_kw("ROW")?;
    let order = if c.eat_kw("FOLLOWS") {
        Some(TriggerOrder::Follows(c.ident()?))
    } else if c.eat_kw("PRECEDES") {
        Some(TriggerOrder::Precedes(c.ident()?))
    } else {
        None
    };
    let trigger = Trigger {
        name,
        table,
        timing,
        event,
        action_order: 0,
        body: body(c)?,
        definer,
        context: None,
        origin: None,
    };
    Ok(Program::Trigger(trigger, order))
}

/// One of the keywords, eaten: its value.
pub(super) fn one_of<T: Copy>(c: &mut Cursor, words: &[(&str, T)]) -> PResult<T> {
    match words.iter().find(|(w, _)| c.eat_kw(w)) {
        Some((_, v)) => Ok(*v),
        None => {
            let names: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
            c.error(format!(
                "expected {} here, found {}",
                names.join(" or "),
                c.describe()
            ))
        }
    }
}

fn routine(
    c: &mut Cursor,
    kind: ProgramKind,
    name: String,
    definer: Option<Definer>,
    flavor: Flavor,
) -> PResult<Program> {
    let function = kind == ProgramKind::Function;
    c.expect(&Token::LParen)?;
    let mut params = Vec::new();
    if !c.eat(&Token::RParen) {
        loop {
            let mode = if function {
                None
            } else if c.eat_kw("INOUT") {
                Some(ParamMode::InOut)
            } else if c.eat_kw("OUT") {
                Some(ParamMode::Out)
            } else {
                c.eat_kw("IN");
                Some(ParamMode::In)
            };
            let name = c.ident()?;
            let data_type = data_type(c, flavor)?;
            params.push(Param {
                mode,
                name,
                data_type,
            });
            if c.eat(&Token::Comma) {
                continue;
            }
            c.expect(&Token::RParen)?;
            break;
        }
    }
    let returns = if function {
        c.expect_kw("RETURNS")?;
        Some(data_type(c, flavor)?)
    } else {
        None
    };
    let mut routine = Routine {
        name,
        kind: if function {
            RoutineKind::Function
        } else {
            RoutineKind::Procedure
        },
        params,
        returns,
        deterministic: false,
        data_access: DataAccess::ContainsSql,
        security: Security::Definer,
        comment: String::new(),
        body: String::new(),
        definer,
        context: None,
        origin: None,
    };
    while let Some(change) = routine_change(c)? {
        change
            .apply_to_routine(&mut routine)
            .map_err(|m| c.error_here(m))?;
    }
    routine.body = body(c)?;
    Ok(Program::Routine(routine))
}

/// A parameter's or return type, as information_schema's `DTD_IDENTIFIER` prints it, with
/// ` CHARACTER SET cs COLLATE coll` where the text names either (normalization drops it where
/// it is the database's own).
fn data_type(c: &mut Cursor, flavor: Flavor) -> PResult<String> {
    let (mut ty, implied) = column_type(c)?;
    fill_int_width(&mut ty, flavor);
    let mut text = type_text(&ty);
    let (mut charset, mut collation) = (implied.charset.map(str::to_string), None);
    loop {
        if c.eat_kw("CHARSET") || c.eat_kws(&["CHARACTER", "SET"]) {
            charset = Some(canonical_charset_name(&c.word_or_string()?));
        } else if c.eat_kw("COLLATE") {
            collation = Some(canonical_charset_name(&c.word_or_string()?));
        } else if c.eat_kw("BINARY") {
            collation = Some(format!("{}_bin", charset.as_deref().unwrap_or("utf8mb4")));
        } else {
            break;
        }
    }
    let charset = charset.or_else(|| {
        collation
            .as_deref()
            .and_then(Flavor::charset_of_collation)
            .map(str::to_string)
    });
    if let Some(cs) = charset {
        let coll = collation
            .or_else(|| flavor.default_collation(&cs))
            .unwrap_or_default();
        text.push_str(&format!(" CHARACTER SET {cs} COLLATE {coll}"));
    }
    Ok(text)
}

fn event(c: &mut Cursor, name: String, definer: Option<Definer>) -> PResult<Program> {
    c.expect_kw("ON")?;
    c.expect_kw("SCHEDULE")?;
    let mut event = Event {
        name,
        schedule: schedule(c)?,
        preserve: false,
        status: EventStatus::Enabled,
        comment: String::new(),
        body: String::new(),
        definer,
        context: None,
        origin: None,
    };
    while let Some(change) = event_change(c, false)? {
        change.apply_to_event(&mut event);
    }
    if event.body.is_empty() {
        return c.error(format!(
            "expected DO and the event's body here, found {}",
            c.describe()
        ));
    }
    Ok(Program::Event(event))
}

/// `AT time` or `EVERY n unit [STARTS time] [ENDS time]`, after `ON SCHEDULE`.
pub(super) fn schedule(c: &mut Cursor) -> PResult<Schedule> {
    if c.eat_kw("AT") {
        return Ok(Schedule::At { at: time_value(c)? });
    }
    c.expect_kw("EVERY")?;
    // information_schema prints a number as it is and a string quoted.
    let value = match c.advance() {
        Token::Number(n, _) => n,
        Token::SingleQuotedString(s) => crate::sql::quote::string(&s),
        _ => {
            c.back();
            return c.error(format!("expected an interval here, found {}", c.describe()));
        }
    };
    let unit = c.ident()?.to_ascii_uppercase();
    let starts = if c.eat_kw("STARTS") {
        Some(time_value(c)?)
    } else {
        None
    };
    let ends = if c.eat_kw("ENDS") {
        Some(time_value(c)?)
    } else {
        None
    };
    Ok(Schedule::Every {
        value,
        unit,
        starts,
        ends,
    })
}

/// A schedule's time: a string literal is the timestamp the server stores; any other
/// expression is kept as written (the server stores what it evaluates to, which no file says).
pub(super) fn time_value(c: &mut Cursor) -> PResult<String> {
    if let Token::SingleQuotedString(s) = c.peek().clone() {
        if matches!(c.peek_at(1), Token::EOF | Token::Word(_) | Token::SemiColon)
            && !c.is_kw_at(1, "INTERVAL")
        {
            c.advance();
            return Ok(s);
        }
    }
    let from = c.position();
    while !c.at_end()
        && !["STARTS", "ENDS", "ON", "ENABLE", "DISABLE", "COMMENT", "DO"]
            .iter()
            .any(|k| c.is_kw(k))
    {
        c.advance();
    }
    if c.position() == from {
        return c.error("expected a time here");
    }
    Ok(c.slice_since(from)
        .iter()
        .map(|t| t.token.to_string())
        .collect::<Vec<_>>()
        .join(" "))
}

/// The session settings a dump writes around each program (`SET sql_mode = '...'`,
/// `SET character_set_client = utf8mb4`, ...): the context the server stored it with.
#[derive(Debug, Default)]
pub struct Session {
    sql_mode: Option<String>,
    character_set_client: Option<String>,
    collation_connection: Option<String>,
}

impl Session {
    /// Follow a `SET` statement; a setting restored from a variable is unknown again.
    pub fn follow(&mut self, text: &str) {
        let Ok(mut c) = Cursor::new(text) else {
            return;
        };
        if !c.eat_kw("SET") {
            return;
        }
        while !c.at_end() {
            let _ = c.eat_kw("SESSION") || c.eat_kw("LOCAL");
            let name = match c.advance() {
                Token::Word(w) => w
                    .value
                    .trim_start_matches("@@session.")
                    .to_ascii_lowercase(),
                _ => return,
            };
            if name == "names" {
                let charset = value(&mut c);
                self.collation_connection = if c.eat_kw("COLLATE") {
                    value(&mut c)
                } else {
                    None
                };
                self.character_set_client = charset;
            } else {
                let _ = c.eat(&Token::Eq) || c.eat(&Token::Assignment);
                let v = value(&mut c);
                match name.as_str() {
                    "sql_mode" => self.sql_mode = v,
                    "character_set_client" => self.character_set_client = v,
                    "collation_connection" => self.collation_connection = v,
                    _ => {}
                }
            }
            if !c.eat(&Token::Comma) {
                return;
            }
        }
    }

    /// The context of a program made now, when the dump said all of it.
    pub fn context(&self, database_collation: Option<&str>) -> Option<Context> {
        Some(Context {
            sql_mode: self.sql_mode.clone()?,
            character_set_client: canonical_charset_name(self.character_set_client.as_ref()?),
            collation_connection: canonical_charset_name(self.collation_connection.as_ref()?),
            database_collation: database_collation.unwrap_or_default().to_string(),
        })
    }
}

/// A setting's literal value; None for a variable (`@saved_sql_mode`) or anything else.
fn value(c: &mut Cursor) -> Option<String> {
    match c.advance() {
        Token::SingleQuotedString(s) => Some(s),
        Token::Word(w) if !w.value.starts_with('@') && !w.value.eq_ignore_ascii_case("DEFAULT") => {
            Some(w.value)
        }
        _ => None,
    }
}

impl Program {
    pub fn set_context(&mut self, context: Option<Context>) {
        match self {
            Program::Trigger(t, _) => t.context = context,
            Program::Routine(r) => r.context = context,
            Program::Event(e) => e.context = context,
        }
    }
}
