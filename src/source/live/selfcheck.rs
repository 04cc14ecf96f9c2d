//! The self-check: each table as information_schema describes it must render exactly as
//! the server's own `SHOW CREATE TABLE` of it does. A table that differs is one canon cannot
//! represent faithfully: it is reported, by name, and left out rather than planned wrongly.

use crate::flavor::Flavor;
use crate::model::normalize::normalize;
use crate::model::*;
use crate::source::ddl::printed::without_counter;
use crate::source::ddl::{Loader, SourceKind};
use std::collections::BTreeMap;

/// Check every table of the schema; the unfaithful ones move to `unsupported`. A worker
/// that fails fails the whole read: its tables would otherwise be missing, and planned as new.
pub(super) fn self_check(
    shown: &BTreeMap<String, String>,
    schema: &mut Schema,
    flavor: Flavor,
    unsupported: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let (charset, collation) = (schema.charset.clone(), schema.collation.clone());
    let lower = schema.lower_case_names;
    // Each table's check stands alone: the tables move into one worker per core.
    let mut tables: Vec<(String, Table)> = std::mem::take(&mut schema.tables)
        .into_iter()
        .filter(|(name, _)| !unsupported.iter().any(|(n, _)| n == name))
        .collect();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = tables.len().div_ceil(workers).max(1);
    let mut parts = Vec::new();
    while !tables.is_empty() {
        let rest = tables.split_off(chunk.min(tables.len()));
        parts.push(std::mem::replace(&mut tables, rest));
    }
    let (cs, coll) = (&charset, &collation);
    let verdicts: Vec<(String, Result<Table, String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| {
                s.spawn(move || {
                    part.into_iter()
                        .map(|(name, t)| {
                            let verdict =
                                check_one(&name, t, shown.get(&name), (cs, coll, lower), flavor);
                            (name, verdict)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        joined(handles.into_iter().map(|h| h.join()).collect())
    })?;
    for (name, verdict) in verdicts {
        match verdict {
            Ok(table) => {
                schema.tables.insert(name, table);
            }
            Err(why) => unsupported.push((name, why)),
        }
    }
    Ok(())
}

/// Every worker's answers, or an error when any worker panicked.
fn joined<T>(results: Vec<std::thread::Result<Vec<T>>>) -> Result<Vec<T>, String> {
    let mut out = Vec::new();
    for r in results {
        out.extend(r.map_err(|_| "the self-check failed inside canon (a bug: please report it)")?);
    }
    Ok(out)
}

/// One table's self-check: the information_schema model with its gaps filled, or why not.
fn check_one(
    name: &str,
    mut t: Table,
    shown: Option<&String>,
    database: (&Option<String>, &Option<String>, bool),
    flavor: Flavor,
) -> Result<Table, String> {
    let text = shown.ok_or("it appeared while canon was reading")?;
    if printed_alike(&mut t, text, flavor) {
        return Ok(t);
    }
    // Otherwise both are read through canon's canonical form (expressions compare by
    // structure: the server prints their keywords in lower case).
    let sc = server_reading(name, text, database, flavor)?;
    fill_gaps(&mut t, &sc);
    let ours = crate::sql::ddl::create_table(&t, flavor);
    let theirs = crate::sql::ddl::create_table(&sc, flavor);
    if ours == theirs {
        Ok(t)
    } else {
        Err(first_difference(&ours, &theirs))
    }
}

/// The common case, without parsing the server's text: with the key order and `USING` read
/// off its lines, and its AUTO_INCREMENT counter left out (data, not schema), canon renders
/// the table byte for byte as the server printed it. Whatever else the text holds (or a
/// wrong reading of its lines) makes the two differ, and the full reading decides.
fn printed_alike(t: &mut Table, shown: &str, flavor: Flavor) -> bool {
    if ["PARTITION", "COMPRESSED", "WITH PARSER", "PERIOD FOR"]
        .iter()
        .any(|w| shown.contains(w))
    {
        return false;
    }
    let mut order = Vec::with_capacity(t.indexes.len());
    for line in shown.lines() {
        let line = line.trim_start();
        let name = if line.starts_with("PRIMARY KEY ") {
            Some("PRIMARY".to_string())
        } else {
            ["UNIQUE KEY ", "KEY ", "FULLTEXT KEY ", "SPATIAL KEY "]
                .iter()
                .find_map(|k| line.strip_prefix(k))
                .and_then(quoted_name)
        };
        if let Some(name) = name {
            let using = if line.contains(" USING BTREE") {
                Some(IndexAlgorithm::Btree)
            } else if line.contains(" USING HASH") {
                Some(IndexAlgorithm::Hash)
            } else {
                None
            };
            order.push((name, using));
        }
    }
    if order.len() != t.indexes.len() {
        return false;
    }
    let mut sorted = Vec::with_capacity(order.len());
    for (name, using) in order {
        let Some(at) = t.indexes.iter().position(|i| i.name == name) else {
            return false;
        };
        let mut ix = t.indexes.swap_remove(at);
        ix.using = using;
        sorted.push(ix);
    }
    t.indexes = sorted;
    let ours = crate::sql::ddl::create_table(t, flavor);
    ours == without_counter(shown)
}

/// The name in backticks at the start of `s` (doubled backticks are one).
fn quoted_name(s: &str) -> Option<String> {
    let rest = s.strip_prefix('`')?;
    let mut name = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '`' {
            if chars.peek() != Some(&'`') {
                return Some(name);
            }
            chars.next();
        }
        name.push(c);
    }
    None
}

/// The table as canon reads the server's `SHOW CREATE TABLE` text.
fn server_reading(
    name: &str,
    shown: &str,
    (charset, collation, lower_case_names): (&Option<String>, &Option<String>, bool),
    flavor: Flavor,
) -> Result<Table, String> {
    let mut loader = Loader::new(flavor);
    loader
        .load_text("SHOW CREATE TABLE", format!("{shown};"), SourceKind::Dump)
        .map_err(|e| format!("canon cannot read its SHOW CREATE TABLE: {e}"))?;
    let loaded = loader.finish();
    if let Some(r) = loaded.unsupported.first() {
        return Err(format!("{}: {}", r.feature, r.reason));
    }
    let mut parsed = loaded.schema;
    parsed.charset = charset.clone();
    parsed.collation = collation.clone();
    parsed.lower_case_names = lower_case_names;
    normalize(&mut parsed, flavor).map_err(|e| e.to_string())?;
    parsed
        .tables
        .remove(name)
        .ok_or_else(|| "SHOW CREATE TABLE printed another table".to_string())
}

fn first_difference(ours: &str, theirs: &str) -> String {
    ours.lines()
        .zip(theirs.lines())
        .find(|(a, b)| a != b)
        .map(|(a, b)| {
            format!(
                "information_schema says `{}` where SHOW CREATE TABLE says `{}`",
                a.trim(),
                b.trim()
            )
        })
        .unwrap_or_else(|| "the definitions differ in length".to_string())
}

fn fill_gaps(t: &mut Table, sc: &Table) {
    t.options.other = sc.options.other.clone();
    t.options.attribute_order = sc.options.attribute_order.clone();
    t.options.partitioning = sc.options.partitioning.clone();
    // information_schema has no periods; it lists each as the CHECK that enforces it.
    t.periods = sc.periods.clone();
    t.checks.retain(|c| {
        !sc.periods
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&c.name))
    });
    let order: Vec<&str> = sc.indexes.iter().map(|i| i.name.as_str()).collect();
    t.indexes.sort_by_key(|i| {
        order
            .iter()
            .position(|n| *n == i.name)
            .unwrap_or(usize::MAX)
    });
    for ix in &mut t.indexes {
        if let Some(s) = sc.index(&ix.name) {
            ix.using = s.using;
            ix.parser = s.parser.clone();
            ix.attributes = s.attributes.clone();
            ix.key_block_size = s.key_block_size;
        }
    }
    for c in &mut t.columns {
        if let Some(s) = sc.column(&c.name) {
            c.compressed = s.compressed;
            c.attributes = s.attributes.clone();
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_worker_that_panics_fails_the_read() {
        let ok = std::thread::spawn(|| vec![1, 2]).join();
        let failed = std::thread::spawn(|| -> Vec<i32> { panic!("worker") }).join();
        assert_eq!(super::joined(vec![ok]), Ok(vec![1, 2]));
        let ok = std::thread::spawn(|| vec![1, 2]).join();
        assert!(super::joined(vec![ok, failed]).is_err());
    }
    use super::*;

    const SHOWN: &str = "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `b` int(11) DEFAULT NULL,\n  `a` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `z``q` (`b`) USING BTREE,\n  KEY `a_ix` (`a`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

    fn flavor() -> Flavor {
        Flavor::from_server_version("10.11.9-MariaDB").unwrap()
    }

    /// The table as information_schema gives it: keys by name, no `USING`.
    fn as_information_schema() -> Table {
        let mut t = server_reading(
            "t",
            SHOWN,
            (&Some("utf8mb4".into()), &None, false),
            flavor(),
        )
        .unwrap();
        t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        t.indexes.iter_mut().for_each(|i| i.using = None);
        t
    }

    #[test]
    fn the_common_case_takes_key_order_and_using_from_the_printed_lines() {
        let mut t = as_information_schema();
        let shown = SHOWN.replace(") ENGINE=InnoDB ", ") ENGINE=InnoDB AUTO_INCREMENT=42 ");
        assert!(printed_alike(&mut t, &shown, flavor()));
        let keys: Vec<_> = t
            .indexes
            .iter()
            .map(|i| (i.name.as_str(), i.using))
            .collect();
        assert_eq!(
            keys,
            [
                ("PRIMARY", None),
                ("z`q", Some(IndexAlgorithm::Btree)),
                ("a_ix", None)
            ]
        );
    }

    #[test]
    fn anything_else_in_the_printed_text_goes_to_the_full_reading() {
        for other in [
            SHOWN.replace("`a` int(11) DEFAULT NULL", "`a` int(11) DEFAULT 7"),
            SHOWN.replace(
                "  KEY `a_ix` (`a`)\n",
                "  KEY `a_ix` (`a`),\n  KEY `c` (`b`,`a`)\n",
            ),
            SHOWN.replace("utf8mb4_general_ci", "utf8mb4_general_ci COMMENT='x'"),
            format!("{SHOWN}\n PARTITION BY HASH (`id`)\nPARTITIONS 2"),
        ] {
            assert!(
                !printed_alike(&mut as_information_schema(), &other, flavor()),
                "{other}"
            );
        }
        // The full reading still accepts what is faithful.
        let shown = SHOWN.replace("KEY `a_ix` (`a`)", "KEY `a_ix` (`a`) COMMENT 'PARTITION'");
        let mut t = as_information_schema();
        if let Some(ix) = t.indexes.iter_mut().find(|i| i.name == "a_ix") {
            ix.comment = Some("PARTITION".into());
        }
        assert!(!printed_alike(&mut t.clone(), &shown, flavor()));
        let verdict = check_one(
            "t",
            t,
            Some(&shown),
            (&Some("utf8mb4".into()), &None, false),
            flavor(),
        );
        assert!(verdict.is_ok(), "{verdict:?}");
    }

    #[test]
    fn names_in_backticks_and_counters() {
        assert_eq!(quoted_name("`a``b` (`x`)").as_deref(), Some("a`b"));
        assert_eq!(quoted_name("`open"), None);
        assert_eq!(
            without_counter("CREATE TABLE `t` (\n  `c` int COMMENT 'AUTO_INCREMENT=1'\n) ENGINE=Aria AUTO_INCREMENT=7 PAGE_CHECKSUM=1"),
            "CREATE TABLE `t` (\n  `c` int COMMENT 'AUTO_INCREMENT=1'\n) ENGINE=Aria PAGE_CHECKSUM=1"
        );
    }
}
