//! What the server does to an expression node before it prints it: names of functions,
//! operators and literals as MariaDB stores them (each rule recorded in
//! `fixtures/expressions/`, see `scripts/record-expressions`).

use super::backquote;
use super::dialect::{call, charset_type};
use sqlparser::ast::{
    BinaryOperator, CastKind, CeilFloorKind, DataType, DateTimeField, Expr, FunctionArg,
    FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident, ObjectName, ObjectNamePart,
    UnaryOperator, Value,
};

/// Function names MariaDB 10.11 stores under another name.
const SERVER_NAMES: &[(&str, &str)] = &[
    ("upper", "ucase"),
    ("lower", "lcase"),
    ("substring", "substr"),
    ("mid", "substr"),
    ("now", "current_timestamp"),
    ("localtime", "current_timestamp"),
    ("localtimestamp", "current_timestamp"),
    ("current_date", "curdate"),
    ("current_time", "curtime"),
    ("character_length", "char_length"),
    ("length", "octet_length"),
    ("lengthb", "octet_length"),
    ("power", "pow"),
    ("ceil", "ceiling"),
    ("json_merge", "json_merge_preserve"),
    ("atan2", "atan"),
    ("geomfromtext", "st_geometryfromtext"),
    ("st_geomfromtext", "st_geometryfromtext"),
    ("astext", "st_astext"),
    ("dimension", "st_dimension"),
    ("geometrytype", "st_geometrytype"),
];

/// One node as the server stores it; children are already rewritten (post-order).
pub(crate) fn rewrite_node(e: &mut Expr) {
    match e {
        // `@x` is a user variable, not a column: stored `@`x``, a system variable's `@@x`
        // as written.
        Expr::Identifier(id) if id.quote_style.is_none() && id.value.starts_with('@') => {
            user_variable(&mut id.value)
        }
        // The tokenizer reads `@`x`` as a placeholder `@x`.
        Expr::Value(v) => match &mut v.value {
            Value::Placeholder(p) if p.starts_with('@') => user_variable(p),
            _ => literal(&mut v.value),
        },
        // `0b101` is a bit literal (the tokenizer reads it as a name): 0x05.
        Expr::Identifier(id) if id.quote_style.is_none() && is_bits(&id.value) => {
            let mut v = Value::SingleQuotedByteStringLiteral(id.value[2..].to_string());
            literal(&mut v);
            *e = Expr::value(v);
        }
        Expr::Identifier(id) => backquote(id),
        Expr::CompoundIdentifier(ids) => ids.iter_mut().for_each(backquote),
        // The server stores SUBSTRING and MID as substr(a,b,c).
        Expr::Substring {
            special, shorthand, ..
        } => {
            *special = true;
            *shorthand = true;
        }
        Expr::Function(_) => {
            function(e);
        }
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::Modulo => *op = BinaryOperator::Custom("MOD".into()),
            // Without PIPES_AS_CONCAT in sql_mode (MariaDB's default), `||` is OR; a column
            // as an operand of AND or OR is stored as `column <> 0`.
            BinaryOperator::StringConcat | BinaryOperator::Or | BinaryOperator::And => {
                if *op == BinaryOperator::StringConcat {
                    *op = BinaryOperator::Or;
                }
                truth_of(left);
                truth_of(right);
            }
            // `CHAR(x USING utf8)`: utf8 is utf8mb3.
            BinaryOperator::Custom(c) if c == "USING" => {
                if let Expr::BinaryOp { right, .. } = e {
                    if let Expr::Value(v) = &mut **right {
                        if let Value::Placeholder(cs) = &mut v.value {
                            if cs.eq_ignore_ascii_case("utf8") {
                                *cs = "utf8mb3".into();
                            }
                        }
                    }
                }
            }
            _ => {}
        },
        Expr::UnaryOp {
            op: op @ UnaryOperator::Not,
            expr,
        } => {
            // `NOT (a > b)` is stored as `a <= b`, `NOT column` as `column = 0`; any other NOT
            // as `!`.
            if let Some(inverse) = inverted(expr) {
                *e = inverse;
            } else {
                *op = UnaryOperator::BangNot;
                parenthesize(expr);
            }
        }
        Expr::UnaryOp {
            op: UnaryOperator::BangNot,
            expr,
        } => {
            if let Some(inverse) = inverted(expr) {
                *e = inverse;
            }
        }
        // `a NOT REGEXP b` is stored as `!(a regexp b)`; RLIKE as REGEXP.
        Expr::RLike {
            negated, regexp, ..
        } => {
            *regexp = true;
            if std::mem::take(negated) {
                let inner = std::mem::replace(e, Expr::value(Value::Null));
                *e = Expr::UnaryOp {
                    op: UnaryOperator::BangNot,
                    expr: Box::new(Expr::Nested(Box::new(inner))),
                };
            }
        }
        // `-0.0` is `0.0`: the server folds the sign of a zero into the literal.
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } if is_zero(expr) => {
            let mut zero = take(expr);
            while let Expr::Nested(inner) = zero {
                zero = *inner;
            }
            *e = zero;
        }
        Expr::IsUnknown(inner) => *e = Expr::IsNull(std::mem::replace(inner, Box::new(null()))),
        Expr::IsNotUnknown(inner) => {
            *e = Expr::IsNotNull(std::mem::replace(inner, Box::new(null())))
        }
        Expr::Position { expr, r#in } => {
            let args = vec![take(expr), take(r#in)];
            *e = call(name("locate"), args);
        }
        Expr::Ceil {
            expr,
            field: CeilFloorKind::DateTimeField(DateTimeField::NoDateTime),
        } => {
            *e = call(name("ceiling"), vec![take(expr)]);
        }
        Expr::Cast { data_type, .. } => cast_type(data_type),
        // `CONVERT(x, type)` is `cast(x as type)`.
        Expr::Convert {
            expr,
            data_type: Some(ty),
            charset: None,
            ..
        } => {
            let mut data_type = ty.clone();
            cast_type(&mut data_type);
            *e = Expr::Cast {
                kind: CastKind::Cast,
                expr: Box::new(take(expr)),
                data_type,
                format: None,
            };
        }
        Expr::Convert {
            charset: Some(cs), ..
        } => utf8(last_ident(cs)),
        _ => {}
    }
}

fn last_ident(name: &mut ObjectName) -> Option<&mut Ident> {
    match name.0.last_mut() {
        Some(ObjectNamePart::Identifier(id)) => Some(id),
        _ => None,
    }
}

fn is_bits(word: &str) -> bool {
    word.len() > 2 && word.starts_with("0b") && word[2..].chars().all(|c| c == '0' || c == '1')
}

fn null() -> Expr {
    Expr::value(Value::Null)
}

fn take(e: &mut Expr) -> Expr {
    std::mem::replace(e, null())
}

fn name(n: &str) -> ObjectName {
    ObjectName::from(vec![Ident::new(n)])
}

/// The comparison that negates `expr`, if it is one.
fn inverted(expr: &mut Expr) -> Option<Expr> {
    let mut inner = &mut *expr;
    while let Expr::Nested(i) = inner {
        inner = i;
    }
    if is_column(inner) {
        return Some(compared_to_zero(take(inner), BinaryOperator::Eq));
    }
    let Expr::BinaryOp { left, op, right } = inner else {
        return None;
    };
    let op = match op {
        BinaryOperator::Gt => BinaryOperator::LtEq,
        BinaryOperator::GtEq => BinaryOperator::Lt,
        BinaryOperator::Lt => BinaryOperator::GtEq,
        BinaryOperator::LtEq => BinaryOperator::Gt,
        BinaryOperator::Eq => BinaryOperator::NotEq,
        BinaryOperator::NotEq => BinaryOperator::Eq,
        _ => return None,
    };
    Some(Expr::BinaryOp {
        left: Box::new(take(left)),
        op,
        right: Box::new(take(right)),
    })
}

/// `@x` or `@`x`` as the server prints it: `@`x``.
fn user_variable(name: &mut String) {
    if name.starts_with("@@") || name.starts_with("@`") {
        return;
    }
    *name = format!("@`{}`", name[1..].replace('`', "``"));
}

/// A column (not a user variable), in parentheses or not.
fn is_column(e: &Expr) -> bool {
    match e {
        Expr::Nested(inner) => is_column(inner),
        Expr::Identifier(id) => !(id.quote_style.is_none() && id.value.starts_with('@')),
        Expr::CompoundIdentifier(_) => true,
        _ => false,
    }
}

fn compared_to_zero(e: Expr, op: BinaryOperator) -> Expr {
    Expr::BinaryOp {
        left: Box::new(e),
        op,
        right: Box::new(number("0")),
    }
}

/// An operand of AND or OR as the server tests it: a column `<> 0`.
fn truth_of(operand: &mut Expr) {
    if is_column(operand) {
        *operand = compared_to_zero(take(operand), BinaryOperator::NotEq);
    }
}

/// Parentheses around an operand that is not a single term, as `!` needs them.
fn parenthesize(expr: &mut Box<Expr>) {
    let single = matches!(
        **expr,
        Expr::Value(_)
            | Expr::Identifier(_)
            | Expr::CompoundIdentifier(_)
            | Expr::Function(_)
            | Expr::Nested(_)
            | Expr::Cast { .. }
    );
    if !single {
        let inner = take(expr);
        **expr = Expr::Nested(Box::new(inner));
    }
}

/// Literals as the server prints them.
fn literal(v: &mut Value) {
    match v {
        // TRUE / FALSE are 1 / 0.
        Value::Boolean(b) => *v = Value::Number(if *b { "1" } else { "0" }.into(), false),
        // Strings in single quotes; N'..' is a plain string.
        Value::DoubleQuotedString(s) | Value::NationalStringLiteral(s) => {
            *v = Value::SingleQuotedString(std::mem::take(s))
        }
        // `B'101'` is 0x05; hex digits in lower case, whole bytes.
        Value::SingleQuotedByteStringLiteral(bits) => {
            if let Ok(n) = u128::from_str_radix(bits, 2) {
                let hex = format!("{n:x}");
                let pad = if hex.len() % 2 == 1 { "0" } else { "" };
                *v = Value::HexStringLiteral(format!("{pad}{hex}"));
            }
        }
        Value::HexStringLiteral(h) => {
            *h = h.to_lowercase();
            if h.len() % 2 == 1 {
                h.insert(0, '0');
            }
        }
        // `.5` is 0.5, `007` is 7, `00.50` is 0.50.
        Value::Number(n, _) => {
            if n.starts_with('.') {
                n.insert(0, '0');
            }
            let zeros = n.len() - n.trim_start_matches('0').len();
            let keep = usize::from(!n[zeros..].starts_with(|c: char| c.is_ascii_digit()));
            n.drain(..zeros.saturating_sub(keep));
        }
        _ => {}
    }
}

/// Function calls the server stores as other calls or operators.
fn function(e: &mut Expr) {
    let Expr::Function(f) = e else { return };
    for part in &mut f.name.0 {
        if let ObjectNamePart::Identifier(id) = part {
            let lower = id.value.to_lowercase();
            id.value = SERVER_NAMES
                .iter()
                .find(|(from, _)| *from == lower)
                .map_or(lower, |(_, to)| to.to_string());
            id.quote_style = None;
        }
    }
    // `CURRENT_TIMESTAMP` without parentheses is the call `current_timestamp()`.
    if matches!(f.args, FunctionArguments::None) {
        f.args = FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: Vec::new(),
            clauses: Vec::new(),
        });
    }
    let FunctionArguments::List(list) = &mut f.args else {
        return;
    };
    let fname = f.name.to_string();
    if let Some(get) = match fname.as_str() {
        "column_get" => Some(true),
        "column_create" | "column_add" => Some(false),
        _ => None,
    } {
        for a in &mut list.args {
            if let FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::BinaryOp {
                op: BinaryOperator::Custom(op),
                right,
                ..
            })) = a
            {
                if let (true, Expr::Value(v)) = (op == "AS", &mut **right) {
                    if let Value::Placeholder(ty) = &mut v.value {
                        *ty = dynamic_type(ty, get);
                    }
                }
            }
        }
        return;
    }
    // The server stores `count(*)` as `count(0)`.
    if fname == "count" {
        for arg in &mut list.args {
            if let FunctionArg::Unnamed(a @ FunctionArgExpr::Wildcard) = arg {
                *a = FunctionArgExpr::Expr(number("0"));
            }
        }
    }
    if !list.clauses.is_empty() || list.duplicate_treatment.is_some() || f.over.is_some() {
        return;
    }
    let mut args: Vec<Expr> = Vec::new();
    for a in &list.args {
        match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => args.push(x.clone()),
            _ => return,
        }
    }
    let binary = |l: Expr, op: BinaryOperator, r: Expr| Expr::BinaryOp {
        left: Box::new(l),
        op,
        right: Box::new(r),
    };
    let interval = |value: Expr, unit: &str| {
        Expr::Interval(sqlparser::ast::Interval {
            value: Box::new(value),
            leading_field: Some(unit_of(unit)),
            leading_precision: None,
            last_field: None,
            fractional_seconds_precision: None,
        })
    };
    let mut a = args.into_iter();
    *e = match (fname.as_str(), a.len()) {
        ("substr", 2 | 3) => {
            let expr = Box::new(next(&mut a));
            let from = Some(Box::new(next(&mut a)));
            let length = a.next().map(Box::new);
            Expr::Substring {
                expr,
                substring_from: from,
                substring_for: length,
                special: true,
                shorthand: true,
            }
        }
        ("instr", 2) => {
            let (s, sub) = (next(&mut a), next(&mut a));
            call(name("locate"), vec![sub, s])
        }
        ("bin", 1) => call(name("conv"), vec![next(&mut a), number("10"), number("2")]),
        ("oct", 1) => call(name("conv"), vec![next(&mut a), number("10"), number("8")]),
        ("weekofyear", 1) => call(name("week"), vec![next(&mut a), number("3")]),
        ("yearweek", 1) => call(name("yearweek"), vec![next(&mut a), number("0")]),
        ("from_unixtime", 2) => {
            let time = call(name("from_unixtime"), vec![next(&mut a)]);
            call(name("date_format"), vec![time, next(&mut a)])
        }
        ("add_months", 2) => {
            let (d, n) = (next(&mut a), next(&mut a));
            binary(d, BinaryOperator::Plus, interval(n, "month"))
        }
        ("timestampadd", 3) => {
            let unit = next(&mut a).to_string().to_lowercase();
            let (n, d) = (next(&mut a), next(&mut a));
            binary(d, BinaryOperator::Plus, interval(n, &unit))
        }
        ("mod", 2) => binary(
            next(&mut a),
            BinaryOperator::Custom("MOD".into()),
            next(&mut a),
        ),
        ("round", 1) => call(name("round"), vec![next(&mut a), number("0")]),
        ("weight_string", 1) => call(
            name("weight_string"),
            vec![next(&mut a), number("0"), number("0"), number("1")],
        ),
        ("isnull", 1) => Expr::IsNull(Box::new(next(&mut a))),
        ("date" | "time", 1) => Expr::Cast {
            kind: CastKind::Cast,
            expr: Box::new(next(&mut a)),
            data_type: if fname == "date" {
                DataType::Date
            } else {
                DataType::Time(None, sqlparser::ast::TimezoneInfo::None)
            },
            format: None,
        },
        ("datediff", 2) => binary(
            call(name("to_days"), vec![next(&mut a)]),
            BinaryOperator::Minus,
            call(name("to_days"), vec![next(&mut a)]),
        ),
        ("date_add" | "adddate", 2) | ("date_sub" | "subdate", 2) => {
            let op = if fname.starts_with("add") || fname == "date_add" {
                BinaryOperator::Plus
            } else {
                BinaryOperator::Minus
            };
            let (d, n) = (next(&mut a), next(&mut a));
            let n = if matches!(n, Expr::Interval(_)) {
                n
            } else {
                interval(n, "day")
            };
            binary(d, op, n)
        }
        _ => return,
    };
}

/// A decimal or integer literal zero (`0`, `0.00`), in parentheses or not; `-0e0` keeps its
/// sign.
fn is_zero(e: &Expr) -> bool {
    match e {
        Expr::Nested(inner) => is_zero(inner),
        Expr::Value(v) => matches!(&v.value, Value::Number(n, _)
            if n.chars().all(|c| c == '0' || c == '.')),
        _ => false,
    }
}

fn next(a: &mut impl Iterator<Item = Expr>) -> Expr {
    a.next().unwrap_or_else(null)
}

fn number(n: &str) -> Expr {
    Expr::value(Value::Number(n.into(), false))
}

/// A unit printed as sqlparser prints the ones it knows (`DAY`).
fn unit_of(unit: &str) -> DateTimeField {
    DateTimeField::Custom(Ident::new(unit.to_uppercase()))
}

/// `utf8` is `utf8mb3` (MariaDB 10.6+).
fn utf8(cs: Option<&mut Ident>) {
    if let Some(cs) = cs {
        if cs.value.eq_ignore_ascii_case("utf8") {
            cs.value = "utf8mb3".into();
        }
    }
}

/// A dynamic column's type as the server prints it: `column_get` as a cast's type
/// (`signed`, `decimal(10,0)`), `column_create` and `column_add` by kind alone (`int`,
/// `decimal`, `datetime`).
fn dynamic_type(ty: &str, get: bool) -> String {
    let ty = ty.replace("character set", "charset");
    let ty = match ty.strip_suffix(" charset utf8") {
        Some(t) => format!("{t} charset utf8mb3"),
        None => ty,
    };
    let (base, length) = match ty.split_once('(') {
        Some((b, rest)) if !b.contains(' ') => match rest.split_once(')') {
            Some((n, "")) => (b.to_string(), Some(n.to_string())),
            _ => return ty,
        },
        _ => (ty.clone(), None),
    };
    let paren = |n: &Option<String>| n.as_ref().map(|n| format!("({n})")).unwrap_or_default();
    match (base.as_str(), get) {
        ("int" | "integer" | "signed" | "signed int" | "signed integer", true) => "signed".into(),
        ("unsigned" | "unsigned int" | "unsigned integer", true) => "unsigned".into(),
        ("int" | "integer", false) => "int".into(),
        ("unsigned int" | "unsigned integer", false) => "unsigned int".into(),
        ("decimal", true) => match length.as_deref().map(|n| n.split_once(',')) {
            None => "decimal(10,0)".into(),
            Some(None) => format!("decimal({},0)", length.unwrap_or_default()),
            Some(Some(_)) => ty,
        },
        ("decimal", false) => "decimal".into(),
        ("datetime" | "time", false) => base,
        ("double" | "float" | "real", false) => "double".into(),
        ("binary", true) => format!("char{} charset binary", paren(&length)),
        ("nchar", _) => format!("char{} charset utf8mb3", paren(&length)),
        _ => ty,
    }
}

/// `BINARY[(n)]` as a cast type is `char[(n)] charset binary`, `NCHAR` `char charset utf8mb3`;
/// `utf8` is `utf8mb3`.
fn cast_type(ty: &mut DataType) {
    match ty {
        DataType::SignedInteger => *ty = DataType::Signed,
        DataType::UnsignedInteger => *ty = DataType::Unsigned,
        DataType::Binary(n) => {
            let length = n.map(|n| format!("({n})")).unwrap_or_default();
            *ty = charset_type(&format!("char{length}"), "binary");
        }
        // NCHAR is utf8mb3's.
        DataType::Custom(name, length)
            if name.to_string().eq_ignore_ascii_case("nchar") && length.len() <= 1 =>
        {
            let length = length.first().map(|n| format!("({n})")).unwrap_or_default();
            *ty = charset_type(&format!("char{length}"), "utf8mb3");
        }
        DataType::Custom(name, _) => {
            if let Some(id) = last_ident(name) {
                if let Some(ty) = id.value.strip_suffix(" charset utf8") {
                    id.value = format!("{ty} charset utf8mb3");
                }
            }
        }
        _ => {}
    }
}
