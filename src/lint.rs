//! `canon lint`: what a reviewer would raise about the canonical DDL itself. Each rule has an
//! id, a name and a level; a finding points at the file and line of the definition, and a
//! comment `-- canon: allow ID-or-NAME` on that line or the line above silences it. Pure:
//! the reading of files for silencing comments happens in [`silenced`].

use crate::model::{ColumnType, IndexKind, ObjectKind, Schema, Table};
use crate::plan::key_types_match;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

/// One rule: its id, its name (either silences it) and level, and what it checks.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub summary: &'static str,
}

mod programs;

pub const RULES: [Rule; 12] = [
    Rule { id: "CL001", name: "no-primary-key", level: Level::Error, summary: "a table without a primary key (replication, online schema changes and many tools need one)" },
    Rule { id: "CL002", name: "mixed-collations", level: Level::Warning, summary: "a column or table whose collation differs from the rest (comparisons and joins across them fail or skip indexes)" },
    Rule { id: "CL003", name: "deprecated-utf8mb3", level: Level::Warning, summary: "utf8mb3 (`utf8`) stores no 4-byte characters such as emoji; use utf8mb4" },
    Rule { id: "CL004", name: "fk-type-mismatch", level: Level::Error, summary: "a foreign key whose column type differs from the referenced column's" },
    Rule { id: "CL005", name: "duplicate-index", level: Level::Warning, summary: "an index that repeats another, or is a left prefix of another non-unique one" },
    Rule { id: "CL006", name: "float-for-money", level: Level::Warning, summary: "FLOAT/DOUBLE for an amount of money: rounding errors; use DECIMAL" },
    Rule { id: "CL007", name: "reserved-word", level: Level::Warning, summary: "a table or column named with a reserved word: every query must quote it" },
    Rule { id: "CL008", name: "nullable-unique", level: Level::Warning, summary: "a nullable column in a unique key: rows with NULL never collide, so it is not unique" },
    Rule { id: "CL009", name: "fk-without-index", level: Level::Warning, summary: "a foreign key the DDL gives no supporting index: the server adds one under a name nobody chose or reviewed" },
    Rule { id: "CL010", name: "definer", level: Level::Warning, summary: "a trigger, routine or event that names its DEFINER: that account must exist on every server the schema goes to" },
    Rule { id: "CL011", name: "routine-security-definer", level: Level::Warning, summary: "a routine without SQL SECURITY INVOKER: callers run it with its definer's privileges" },
    Rule { id: "CL012", name: "writes-other-schema", level: Level::Warning, summary: "a trigger, routine or event whose body writes a table of another schema" },
];

/// A finding: which rule, where, and what.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub message: String,
    pub table: String,
    pub column: Option<String>,
    pub file: Option<String>,
    pub line: Option<usize>,
    /// The name to look for in the file to find the finding's own line (a column or key).
    #[serde(skip)]
    pub near: Option<String>,
}

fn rule(id: &str) -> Rule {
    RULES
        .iter()
        .copied()
        .find(|r| r.id == id)
        .unwrap_or(RULES[0])
}

/// Reserved words of MySQL 8 and MariaDB that people use as names (a subset: the ones seen
/// in schemas, not the whole grammar).
const RESERVED: &[&str] = &[
    "add",
    "all",
    "alter",
    "and",
    "as",
    "asc",
    "between",
    "by",
    "case",
    "change",
    "check",
    "column",
    "condition",
    "constraint",
    "create",
    "cross",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "database",
    "default",
    "delete",
    "desc",
    "describe",
    "distinct",
    "drop",
    "else",
    "exists",
    "explain",
    "fetch",
    "for",
    "foreign",
    "from",
    "function",
    "grant",
    "group",
    "groups",
    "having",
    "if",
    "ignore",
    "in",
    "index",
    "insert",
    "interval",
    "into",
    "is",
    "join",
    "key",
    "keys",
    "kill",
    "lead",
    "leave",
    "left",
    "like",
    "limit",
    "lines",
    "load",
    "lock",
    "match",
    "natural",
    "not",
    "null",
    "of",
    "on",
    "option",
    "or",
    "order",
    "out",
    "over",
    "partition",
    "primary",
    "range",
    "rank",
    "read",
    "references",
    "release",
    "rename",
    "repeat",
    "replace",
    "require",
    "return",
    "revoke",
    "right",
    "row",
    "rows",
    "schema",
    "select",
    "set",
    "show",
    "signal",
    "table",
    "then",
    "to",
    "trigger",
    "union",
    "unique",
    "update",
    "usage",
    "use",
    "using",
    "values",
    "when",
    "where",
    "while",
    "window",
    "with",
    "write",
];

const MONEY: &[&str] = &[
    "price", "amount", "total", "cost", "balance", "money", "fee", "salary", "subtotal", "tax",
];

struct Ctx<'a> {
    t: &'a Table,
    out: Vec<Finding>,
}

impl Ctx<'_> {
    fn push(&mut self, id: &str, column: Option<&str>, message: String) {
        self.push_near(id, column, column, message);
    }

    fn push_near(&mut self, id: &str, column: Option<&str>, near: Option<&str>, message: String) {
        let r = rule(id);
        self.out.push(Finding {
            rule: r.id,
            name: r.name,
            level: r.level,
            message,
            table: self.t.name.clone(),
            column: column.map(str::to_string),
            file: self.t.origin.as_ref().map(|o| o.file.clone()),
            line: self.t.origin.as_ref().map(|o| o.line),
            near: near.map(str::to_string),
        });
    }
}

fn table_findings(
    t: &Table,
    schema: &Schema,
    common_collation: Option<&str>,
    implicit: &Implicit,
) -> Vec<Finding> {
    let mut c = Ctx { t, out: Vec::new() };
    if !t.indexes.iter().any(|i| i.kind == IndexKind::Primary) {
        c.push(
            "CL001",
            None,
            format!("{} has no primary key", ObjectKind::Table.label(&t.name)),
        );
    }
    if let (Some(own), Some(common)) = (t.options.collation.as_deref(), common_collation) {
        if own != common {
            c.push(
                "CL002",
                None,
                format!(
                    "{} uses {own}; most tables use {common}",
                    ObjectKind::Table.label(&t.name)
                ),
            );
        }
    }
    if t.options.charset.as_deref() == Some("utf8mb3") {
        c.push(
            "CL003",
            None,
            format!("{} defaults to utf8mb3", ObjectKind::Table.label(&t.name)),
        );
    }
    if RESERVED.contains(&t.name.to_ascii_lowercase().as_str()) {
        c.push(
            "CL007",
            None,
            format!(
                "{} is named with a reserved word",
                ObjectKind::Table.label(&t.name)
            ),
        );
    }
    for col in &t.columns {
        let n = Some(col.name.as_str());
        // MariaDB's JSON is longtext in utf8mb4_bin by definition, not by anyone's choice.
        let json = col
            .check
            .as_ref()
            .is_some_and(|c| c.key.contains("json_valid"));
        if col.collation.is_some() && col.collation != t.options.collation && !json {
            c.push(
                "CL002",
                n,
                format!(
                    "column `{}`.`{}` uses {} in a {} table",
                    t.name,
                    col.name,
                    col.collation.as_deref().unwrap_or(""),
                    t.options.collation.as_deref().unwrap_or("")
                ),
            );
        }
        if col.charset.as_deref() == Some("utf8mb3")
            && t.options.charset.as_deref() != Some("utf8mb3")
        {
            c.push(
                "CL003",
                n,
                format!("column `{}`.`{}` is utf8mb3", t.name, col.name),
            );
        }
        let lower = col.name.to_ascii_lowercase();
        if matches!(col.ty, ColumnType::Float { .. })
            && MONEY.iter().any(|m| lower.split('_').any(|w| w == *m))
        {
            c.push(
                "CL006",
                n,
                format!(
                    "column `{}`.`{}` holds money in a floating-point type",
                    t.name, col.name
                ),
            );
        }
        if RESERVED.contains(&lower.as_str()) {
            c.push(
                "CL007",
                n,
                format!(
                    "column `{}`.`{}` is named with a reserved word",
                    t.name, col.name
                ),
            );
        }
    }
    for fk in &t.foreign_keys {
        let added = t.indexes.iter().find(|ix| {
            implicit.contains(&(t.name.clone(), ix.name.clone()))
                && ix.column_names().len() == fk.columns.len()
                && ix
                    .column_names()
                    .iter()
                    .zip(&fk.columns)
                    .all(|(a, b)| a.eq_ignore_ascii_case(b))
        });
        if let Some(ix) = added {
            c.push_near(
                "CL009",
                None,
                Some(&fk.name),
                format!(
                    "foreign key `{}` of `{}` has no index in the DDL: the server adds `{}` ({}); declare it",
                    fk.name,
                    t.name,
                    ix.name,
                    fk.columns.join(", ")
                ),
            );
        }
        let Some(parent) = schema.tables.get(&fk.ref_table) else {
            continue;
        };
        for (a, b) in fk.columns.iter().zip(&fk.ref_columns) {
            let find = |tbl: &Table, n: &str| {
                tbl.columns
                    .iter()
                    .find(|x| x.name.eq_ignore_ascii_case(n))
                    .cloned()
            };
            if let (Some(x), Some(y)) = (find(t, a), find(parent, b)) {
                if !key_types_match(&x, &y) {
                    c.push(
                        "CL004",
                        Some(a),
                        format!(
                            "foreign key `{}`: `{}`.`{a}` and `{}`.`{b}` have different types",
                            fk.name, t.name, fk.ref_table
                        ),
                    );
                }
            }
        }
    }
    for (i, ix) in t.indexes.iter().enumerate() {
        for other in &t.indexes[i + 1..] {
            let (short, long) = if ix.parts.len() <= other.parts.len() {
                (ix, other)
            } else {
                (other, ix)
            };
            let prefix = long.parts.starts_with(&short.parts);
            let same = ix.parts == other.parts && ix.kind == other.kind;
            // A non-unique key that leads another key is redundant; unique ones enforce something.
            if same || (prefix && short.kind == IndexKind::Key && long.kind != IndexKind::Fulltext)
            {
                c.push_near(
                    "CL005",
                    None,
                    Some(&short.name),
                    format!(
                        "index `{}` of `{}` is covered by `{}`",
                        short.name, t.name, long.name
                    ),
                );
            }
        }
        if matches!(ix.kind, IndexKind::Unique) {
            for p in ix.column_names() {
                if t.columns
                    .iter()
                    .any(|col| col.name.eq_ignore_ascii_case(p) && col.nullable)
                {
                    c.push(
                        "CL008",
                        Some(p),
                        format!(
                            "unique key `{}` of `{}` has nullable column `{p}`",
                            ix.name, t.name
                        ),
                    );
                }
            }
        }
    }
    c.out
}

/// (table, index) pairs of indexes the server adds for foreign keys (see `Loaded`).
pub type Implicit = std::collections::BTreeSet<(String, String)>;

/// Every finding in the canonical schema, by table name.
pub fn lint(schema: &Schema, implicit: &Implicit) -> Vec<Finding> {
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for t in schema.tables.values() {
        if let Some(c) = t.options.collation.as_deref() {
            *counts.entry(c).or_default() += 1;
        }
    }
    let common = counts.iter().max_by_key(|(_, n)| **n).map(|(c, _)| *c);
    let tables = (schema.tables.values()).flat_map(|t| table_findings(t, schema, common, implicit));
    tables.chain(programs::findings(schema)).collect()
}

/// Move each finding to the line of its column (when it has one) and drop those silenced by
/// `-- canon: allow ID` (or the rule's name) on that line or the line above.
pub fn silenced(findings: Vec<Finding>, read: impl Fn(&str) -> Option<String>) -> Vec<Finding> {
    let mut files: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    findings
        .into_iter()
        .filter_map(|mut f| {
            let (Some(file), Some(line)) = (f.file.clone(), f.line) else {
                return Some(f);
            };
            let lines = files.entry(file.clone()).or_insert_with(|| {
                read(&file)
                    .map(|t| t.lines().map(str::to_string).collect())
                    .unwrap_or_default()
            });
            // The statement may start with comments: its own line is the CREATE TABLE.
            let create = lines
                .iter()
                .enumerate()
                .skip(line.saturating_sub(1))
                .find(|(_, l)| {
                    let l = l.to_ascii_lowercase();
                    l.contains("create")
                        && ["table", "trigger", "procedure", "function", "event"]
                            .iter()
                            .any(|k| l.contains(k))
                });
            let start = create.map_or(line, |(i, _)| i + 1);
            f.line = Some(start);
            if let Some(name) = &f.near {
                let quoted = format!("`{name}`");
                let found = lines.iter().enumerate().skip(start).find(|(_, l)| {
                    let t = l.trim_start();
                    !t.starts_with("--")
                        && (t.starts_with(&quoted)
                            || t.split_whitespace()
                                .take(3)
                                .any(|w| w == quoted || w.eq_ignore_ascii_case(name)))
                });
                if let Some((i, _)) = found {
                    f.line = Some(i + 1);
                }
            }
            let at = f.line.unwrap_or(start);
            let allows = |n: usize| {
                n >= 1
                    && lines.get(n - 1).is_some_and(|l| {
                        l.split("canon: allow").nth(1).is_some_and(|rest| {
                            rest.split(|c: char| c == ',' || c.is_whitespace())
                                .any(|w| {
                                    w.eq_ignore_ascii_case(f.rule) || w.eq_ignore_ascii_case(f.name)
                                })
                        })
                    })
            };
            (!(allows(at) || allows(at.saturating_sub(1)))).then_some(f)
        })
        .collect()
}
