//! The MySQL dialect of sqlparser, completed with the forms MariaDB and MySQL print that it
//! misreads or refuses, through sqlparser's own extension points (`parse_prefix`,
//! `parse_infix`, `get_next_precedence`). sqlparser treats this dialect as `MySqlDialect`
//! everywhere else (`dialect()` answers its type).
//!
//! Forms with no node of their own in sqlparser's AST are built from nodes that print them
//! exactly: a keyword argument (a charset, a date unit) is a [`word`], never an identifier,
//! so it is neither quoted nor qualified.

use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, DateTimeField, Expr, ExtractSyntax, Function, FunctionArg,
    FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident, ObjectName, UnaryOperator,
    Value,
};
use sqlparser::dialect::{Dialect, MySqlDialect, Precedence};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;
use std::any::TypeId;

/// MySQL as the server prints it.
#[derive(Debug, Default, Clone, Copy)]
pub struct ServerDialect;

const MYSQL: MySqlDialect = MySqlDialect {};

/// A keyword argument, printed as written.
pub fn word(text: &str) -> Expr {
    Expr::value(Value::Placeholder(text.to_string()))
}

/// Functions MariaDB calls without parentheses that sqlparser reads as names.
const NILADIC: &[&str] = &["current_role", "utc_date", "utc_time", "utc_timestamp"];

/// Functions whose first argument is a keyword (a date unit, a date type), not a column.
const KEYWORD_FIRST: &[&str] = &["timestampdiff", "timestampadd", "get_format"];

impl Dialect for ServerDialect {
    fn dialect(&self) -> TypeId {
        TypeId::of::<MySqlDialect>()
    }

    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        if parser.peek_token_ref().token == Token::ExclamationMark {
            parser.next_token();
            let operand = parser.parse_subexpr(self.prec_value(Precedence::DoubleColon));
            return Some(operand.map(|e| Expr::UnaryOp {
                op: UnaryOperator::BangNot,
                expr: Box::new(e),
            }));
        }
        let Token::Word(w) = &parser.peek_token_ref().token else {
            return None;
        };
        if w.quote_style.is_some() {
            return None;
        }
        // `BINARY x` binds tighter than any operator: `BINARY 'a' = 'A'` compares a cast.
        if w.keyword == Keyword::BINARY && parser.peek_nth_token_ref(1).token != Token::LParen {
            parser.next_token();
            let operand = parser.parse_subexpr(self.prec_value(Precedence::DoubleColon));
            return Some(operand.map(|e| Expr::Cast {
                kind: CastKind::Cast,
                expr: Box::new(e),
                data_type: charset_type("char", "binary"),
                format: None,
            }));
        }
        // Functions called without parentheses.
        if NILADIC.iter().any(|f| w.value.eq_ignore_ascii_case(f))
            && parser.peek_nth_token_ref(1).token != Token::LParen
        {
            let name = ObjectName::from(vec![Ident::new(w.value.to_lowercase())]);
            parser.next_token();
            return Some(Ok(call(name, Vec::new())));
        }
        if w.keyword == Keyword::INTERVAL && !top_level_comma(parser) {
            return Some(interval(parser));
        }
        if let Some(function) = sequence_value(parser) {
            return Some(next_or_previous(parser, function));
        }
        if parser.peek_nth_token_ref(1).token != Token::LParen {
            return None;
        }
        let name = w.value.to_lowercase();
        match (name.as_str(), w.keyword) {
            (_, Keyword::CAST) => Some(cast(parser)),
            ("char", _) => Some(char_using(parser)),
            (_, Keyword::EXTRACT) if compound_unit(parser) => Some(extract(parser)),
            (_, Keyword::INTERVAL) => {
                let name = ObjectName::from(vec![Ident::new("interval")]);
                parser.next_token();
                Some(parser.parse_function(name))
            }
            _ if KEYWORD_FIRST.contains(&name.as_str()) => Some(keyword_first(parser)),
            ("weight_string", _) => Some(weight_string(parser)),
            ("column_get" | "column_create" | "column_add", _) => {
                Some(args_with_as(parser, |p| Ok(word(&type_text(p)?))))
            }
            // A UDF's argument prints with its name (`metaphon(`a` AS `a`)`).
            _ if top_level_as(parser) => Some(args_with_as(parser, |p| {
                Ok(word(&crate::sql::quote::ident(
                    &p.parse_identifier()?.value,
                )))
            })),
            _ => None,
        }
    }

    fn parse_infix(
        &self,
        parser: &mut Parser,
        expr: &Expr,
        precedence: u8,
    ) -> Option<Result<Expr, ParserError>> {
        if sounds_like(parser) {
            parser.next_token();
            parser.next_token();
            // Stored as `soundex(a) = soundex(b)`.
            let soundex = |e: Expr| call(ObjectName::from(vec![Ident::new("soundex")]), vec![e]);
            return Some(
                parser
                    .parse_subexpr(precedence)
                    .map(|right| Expr::BinaryOp {
                        left: Box::new(soundex(expr.clone())),
                        op: BinaryOperator::Eq,
                        right: Box::new(soundex(right)),
                    }),
            );
        }
        if parser.parse_keyword(Keyword::MOD) {
            return Some(
                parser
                    .parse_subexpr(precedence)
                    .map(|right| Expr::BinaryOp {
                        left: Box::new(expr.clone()),
                        op: BinaryOperator::Custom("MOD".into()),
                        right: Box::new(right),
                    }),
            );
        }
        MYSQL.parse_infix(parser, expr, precedence)
    }

    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        match &parser.peek_token_ref().token {
            Token::Word(w) if w.keyword == Keyword::MOD && w.quote_style.is_none() => {
                Some(Ok(self.prec_value(Precedence::MulDivModOp)))
            }
            // `&&` is AND, and `||` is OR (MariaDB's default sql_mode has no PIPES_AS_CONCAT).
            Token::Overlap => Some(Ok(self.prec_value(Precedence::And))),
            Token::StringConcat => Some(Ok(self.prec_value(Precedence::Or))),
            _ if sounds_like(parser) => Some(Ok(self.prec_value(Precedence::Like))),
            _ => MYSQL.get_next_precedence(parser),
        }
    }

    fn parse_statement(
        &self,
        parser: &mut Parser,
    ) -> Option<Result<sqlparser::ast::Statement, ParserError>> {
        MYSQL.parse_statement(parser)
    }

    fn is_identifier_start(&self, ch: char) -> bool {
        MYSQL.is_identifier_start(ch)
    }
    fn is_identifier_part(&self, ch: char) -> bool {
        MYSQL.is_identifier_part(ch)
    }
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        MYSQL.is_delimited_identifier_start(ch)
    }
    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        MYSQL.identifier_quote_style(identifier)
    }
    fn is_table_factor_alias(&self, explicit: bool, kw: &Keyword, parser: &mut Parser) -> bool {
        MYSQL.is_table_factor_alias(explicit, kw, parser)
    }
    fn supports_string_literal_backslash_escape(&self) -> bool {
        true
    }
    fn supports_string_literal_concatenation(&self) -> bool {
        true
    }
    fn ignores_wildcard_escapes(&self) -> bool {
        true
    }
    fn supports_numeric_prefix(&self) -> bool {
        true
    }
    fn supports_bitwise_shift_operators(&self) -> bool {
        true
    }
    fn supports_multiline_comment_hints(&self) -> bool {
        true
    }
    fn require_interval_qualifier(&self) -> bool {
        true
    }
    fn supports_limit_comma(&self) -> bool {
        true
    }
    fn supports_create_table_select(&self) -> bool {
        true
    }
    fn supports_insert_set(&self) -> bool {
        true
    }
    fn supports_user_host_grantee(&self) -> bool {
        true
    }
    fn supports_table_hints(&self) -> bool {
        true
    }
    fn requires_single_line_comment_whitespace(&self) -> bool {
        true
    }
    fn supports_match_against(&self) -> bool {
        true
    }
    fn supports_select_modifiers(&self) -> bool {
        true
    }
    fn supports_set_names(&self) -> bool {
        true
    }
    fn supports_comma_separated_set_assignments(&self) -> bool {
        true
    }
    fn supports_update_order_by(&self) -> bool {
        true
    }
    fn supports_data_type_signed_suffix(&self) -> bool {
        true
    }
    fn supports_cross_join_constraint(&self) -> bool {
        true
    }
    fn supports_double_ampersand_operator(&self) -> bool {
        true
    }
    fn supports_binary_kw_as_cast(&self) -> bool {
        true
    }
    fn supports_comment_optimizer_hint(&self) -> bool {
        true
    }
    fn supports_constraint_keyword_without_name(&self) -> bool {
        true
    }
    fn supports_key_column_option(&self) -> bool {
        true
    }
    fn supports_group_by_with_modifier(&self) -> bool {
        true
    }
    fn supports_left_associative_joins_without_parens(&self) -> bool {
        false
    }
}

/// `a SOUNDS LIKE b` ahead.
fn sounds_like(p: &Parser) -> bool {
    matches!(&p.peek_token_ref().token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("sounds"))
        && matches!(&p.peek_nth_token_ref(1).token, Token::Word(w) if w.keyword == Keyword::LIKE)
}

/// `CAST(x AS type [CHARSET cs | CHARACTER SET cs])`, and `AS BINARY[(n)]`, which the server
/// stores as `char[(n)] charset binary`.
fn cast(p: &mut Parser) -> Result<Expr, ParserError> {
    p.next_token();
    p.expect_token(&Token::LParen)?;
    let expr = p.parse_expr()?;
    p.expect_keyword_is(Keyword::AS)?;
    let data_type = if p.parse_keyword(Keyword::BINARY) {
        let length = optional_length(p)?;
        charset_type(&format!("char{length}"), "binary")
    } else {
        let ty = p.parse_data_type()?;
        if p.parse_keyword(Keyword::CHARSET)
            || p.parse_keywords(&[Keyword::CHARACTER, Keyword::SET])
        {
            let cs = p.parse_identifier()?;
            // `charset latin1 binary`: the charset's binary collation, as MariaDB prints
            // `CAST(x AS CHAR BINARY)`.
            let binary = if p.parse_keyword(Keyword::BINARY) {
                " binary"
            } else {
                ""
            };
            charset_type(
                &ty.to_string().to_lowercase(),
                &format!("{}{binary}", cs.value),
            )
        } else if p.parse_keyword(Keyword::BINARY) {
            // The session's charset, binary collation: stored `charset <cs> binary`.
            let text = format!("{} binary", ty.to_string().to_lowercase());
            DataType::Custom(ObjectName::from(vec![Ident::new(text)]), Vec::new())
        } else {
            ty
        }
    };
    p.expect_token(&Token::RParen)?;
    Ok(Expr::Cast {
        kind: CastKind::Cast,
        expr: Box::new(expr),
        data_type,
        format: None,
    })
}

/// A character type with its charset (`char(4) charset binary`), as one printed type.
pub fn charset_type(ty: &str, charset: &str) -> DataType {
    DataType::Custom(
        ObjectName::from(vec![Ident::new(format!("{ty} charset {charset}"))]),
        Vec::new(),
    )
}

/// `(n)` after a type, as text (`(4)`), or nothing.
fn optional_length(p: &mut Parser) -> Result<String, ParserError> {
    if !p.consume_token(&Token::LParen) {
        return Ok(String::new());
    }
    let n = p.parse_literal_uint()?;
    p.expect_token(&Token::RParen)?;
    Ok(format!("({n})"))
}

/// `CHAR(n, ... [USING cs])`: the charset is kept as `last USING cs`.
fn char_using(p: &mut Parser) -> Result<Expr, ParserError> {
    let name = ObjectName::from(vec![Ident::new(p.next_token().to_string())]);
    p.expect_token(&Token::LParen)?;
    let mut args = p.parse_comma_separated(Parser::parse_expr)?;
    if p.parse_keyword(Keyword::USING) {
        let cs = p.parse_identifier()?;
        if let Some(last) = args.pop() {
            args.push(Expr::BinaryOp {
                left: Box::new(last),
                op: BinaryOperator::Custom("USING".into()),
                right: Box::new(word(&cs.value)),
            });
        }
    }
    p.expect_token(&Token::RParen)?;
    Ok(call(name, args))
}

/// A plain function call.
pub fn call(name: ObjectName, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name,
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args
                .into_iter()
                .map(|e| FunctionArg::Unnamed(FunctionArgExpr::Expr(e)))
                .collect(),
            clauses: Vec::new(),
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: Vec::new(),
    })
}

/// `NEXT VALUE FOR s` and `PREVIOUS VALUE FOR s` (MariaDB's standard spellings), which the
/// server stores as `nextval(s)` and `lastval(s)`: the function they are.
fn sequence_value(p: &Parser) -> Option<&'static str> {
    let is = |n: usize, kw: &str| matches!(&p.peek_nth_token_ref(n).token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw));
    if !(is(1, "VALUE") && is(2, "FOR")) {
        return None;
    }
    if is(0, "NEXT") {
        Some("nextval")
    } else if is(0, "PREVIOUS") {
        Some("lastval")
    } else {
        None
    }
}

fn next_or_previous(p: &mut Parser, function: &str) -> Result<Expr, ParserError> {
    for _ in 0..3 {
        p.next_token();
    }
    let sequence = p.parse_object_name(false)?;
    let name = ObjectName::from(vec![Ident::new(function)]);
    let mut parts: Vec<Ident> = sequence
        .0
        .iter()
        .filter_map(|part| part.as_ident().cloned())
        .collect();
    let arg = match parts.len() {
        1 => Expr::Identifier(parts.remove(0)),
        _ => Expr::CompoundIdentifier(parts),
    };
    Ok(call(name, vec![arg]))
}

/// `EXTRACT(` followed by a unit sqlparser does not know (`YEAR_MONTH`, `DAY_MINUTE`, ...).
fn compound_unit(p: &Parser) -> bool {
    matches!(&p.peek_nth_token_ref(2).token, Token::Word(w) if w.value.contains('_'))
}

fn extract(p: &mut Parser) -> Result<Expr, ParserError> {
    p.next_token();
    p.expect_token(&Token::LParen)?;
    let unit = p.parse_identifier()?;
    p.expect_keyword_is(Keyword::FROM)?;
    let expr = p.parse_expr()?;
    p.expect_token(&Token::RParen)?;
    Ok(Expr::Extract {
        field: DateTimeField::Custom(Ident::new(unit.value.to_lowercase())),
        syntax: ExtractSyntax::From,
        expr: Box::new(expr),
    })
}

/// `INTERVAL expr unit`, with MySQL's compound units (`DAY_HOUR`, `YEAR_MONTH`, ...) too.
fn interval(p: &mut Parser) -> Result<Expr, ParserError> {
    p.next_token();
    let value = p.parse_expr()?;
    let unit = match &p.peek_token_ref().token {
        Token::Word(w) if w.value.contains('_') => {
            let unit = w.value.to_uppercase();
            p.next_token();
            DateTimeField::Custom(Ident::new(unit))
        }
        _ => p.parse_date_time_field()?,
    };
    Ok(Expr::Interval(sqlparser::ast::Interval {
        value: Box::new(value),
        leading_field: Some(unit),
        leading_precision: None,
        last_field: None,
        fractional_seconds_precision: None,
    }))
}

/// Whether the parentheses after the current token hold a comma at their top level: then
/// `INTERVAL(...)` is the function, not `INTERVAL (expr) unit`.
fn top_level_comma(p: &Parser) -> bool {
    at_top_level(p, |t| *t == Token::Comma)
}

/// Whether the parentheses after the current token hold `AS` at their top level (a UDF's
/// named argument).
fn top_level_as(p: &Parser) -> bool {
    at_top_level(
        p,
        |t| matches!(t, Token::Word(w) if w.keyword == Keyword::AS && w.quote_style.is_none()),
    )
}

/// Whether a token `found` answers holds at the top level of the parentheses after the
/// current token.
fn at_top_level(p: &Parser, found: impl Fn(&Token) -> bool) -> bool {
    if p.peek_nth_token_ref(1).token != Token::LParen {
        return false;
    }
    let mut depth = 0usize;
    for n in 1.. {
        let t = &p.peek_nth_token_ref(n).token;
        match t {
            Token::LParen => depth += 1,
            Token::RParen if depth <= 1 => return false,
            Token::RParen => depth -= 1,
            Token::EOF => return false,
            _ if depth == 1 && found(t) => return true,
            _ => {}
        }
    }
    false
}

/// `TIMESTAMPDIFF(MONTH, a, b)`: the unit is a keyword.
fn keyword_first(p: &mut Parser) -> Result<Expr, ParserError> {
    let name = ObjectName::from(vec![Ident::new(p.next_token().to_string())]);
    let mut e = p.parse_function(name)?;
    if let Expr::Function(Function {
        args: FunctionArguments::List(list),
        ..
    }) = &mut e
    {
        if let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(first))) = list.args.first_mut() {
            if let Expr::Identifier(id) = first {
                if id.quote_style.is_none() {
                    *first = word(&id.value);
                }
            }
        }
    }
    Ok(e)
}

/// A call whose arguments may carry `AS` and what follows it (`after`): a dynamic-column
/// call's type (`column_get(b, 'x' AS int)`), a UDF's argument name. Kept as `value AS
/// what`, printed as the server prints it.
fn args_with_as(
    p: &mut Parser,
    after: fn(&mut Parser) -> Result<Expr, ParserError>,
) -> Result<Expr, ParserError> {
    let name = ObjectName::from(vec![Ident::new(p.next_token().to_string().to_lowercase())]);
    p.expect_token(&Token::LParen)?;
    let args = p.parse_comma_separated(|p| {
        let e = p.parse_expr()?;
        if !p.parse_keyword(Keyword::AS) {
            return Ok(e);
        }
        Ok(Expr::BinaryOp {
            left: Box::new(e),
            op: BinaryOperator::Custom("AS".into()),
            right: Box::new(after(p)?),
        })
    })?;
    p.expect_token(&Token::RParen)?;
    Ok(call(name, args))
}

/// The tokens of a type up to the next `,` or `)`, as the server prints them
/// (`unsigned int`, `decimal(5,2)`, `char charset utf8mb3`).
fn type_text(p: &mut Parser) -> Result<String, ParserError> {
    let mut text = String::new();
    let mut depth = 0usize;
    loop {
        match &p.peek_token_ref().token {
            Token::Comma | Token::RParen if depth == 0 => break,
            Token::EOF => return p.expected("a type", p.peek_token()),
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ => {}
        }
        let t = p.next_token().token;
        let glued = matches!(t, Token::LParen | Token::RParen | Token::Comma)
            || text.ends_with('(')
            || text.ends_with(',');
        if !glued && !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&t.to_string().to_lowercase());
    }
    Ok(text)
}

/// `WEIGHT_STRING(x [AS CHAR(n) | AS BINARY(n)] [LEVEL ...])`, stored as
/// `weight_string(x,0,n,flags)`: flags 1 per level (bit level-1), +256 for DESC, +65536 for
/// REVERSE, +64 when padded to n characters (values recorded in fixtures/expressions/).
fn weight_string(p: &mut Parser) -> Result<Expr, ParserError> {
    let name = ObjectName::from(vec![Ident::new("weight_string")]);
    p.next_token();
    p.expect_token(&Token::LParen)?;
    let mut expr = p.parse_expr()?;
    if p.consume_token(&Token::Comma) {
        // Already in the stored form.
        let mut args = vec![expr];
        args.extend(p.parse_comma_separated(Parser::parse_expr)?);
        p.expect_token(&Token::RParen)?;
        return Ok(call(name, args));
    }
    let (mut length, mut flags) = (0u64, 0u64);
    if p.parse_keyword(Keyword::AS) {
        let binary = p.parse_keyword(Keyword::BINARY);
        if !binary {
            p.expect_keyword_is(Keyword::CHAR)?;
        }
        p.expect_token(&Token::LParen)?;
        length = p.parse_literal_uint()?;
        p.expect_token(&Token::RParen)?;
        flags |= 64;
        if binary {
            expr = Expr::Cast {
                kind: CastKind::Cast,
                expr: Box::new(expr),
                data_type: charset_type(&format!("char({length})"), "binary"),
                format: None,
            };
        }
    }
    if p.parse_keyword(Keyword::LEVEL) {
        loop {
            let from = p.parse_literal_uint()?;
            let to = if p.consume_token(&Token::Minus) {
                p.parse_literal_uint()?
            } else {
                from
            };
            let mut order = 0;
            if p.parse_keyword(Keyword::DESC) {
                order |= 256;
            } else {
                let _ = p.parse_keyword(Keyword::ASC);
            }
            if matches!(&p.peek_token_ref().token, Token::Word(w) if w.value.eq_ignore_ascii_case("reverse"))
            {
                p.next_token();
                order |= 65536;
            }
            for level in from..=to.min(6) {
                let bit = 1u64 << (level.max(1) - 1);
                flags |= bit | (bit * order);
            }
            if !p.consume_token(&Token::Comma) {
                break;
            }
        }
    } else {
        flags |= 1;
    }
    p.expect_token(&Token::RParen)?;
    let number = |n: u64| Expr::value(Value::Number(n.to_string(), false));
    Ok(call(
        name,
        vec![expr, number(0), number(length), number(flags)],
    ))
}
