//! `PARTITION BY ...` as MariaDB prints it after the table options (and as ALTER TABLE
//! takes it): the scheme, subpartitions, and each partition with its own options.

use super::quote::ident;
use crate::model::*;

/// Partition options in the order MariaDB prints them, before the engine.
const PARTITION_OPTIONS: &[&str] = &[
    "MAX_ROWS",
    "MIN_ROWS",
    "DATA DIRECTORY",
    "INDEX DIRECTORY",
    "COMMENT",
    "CONNECTION",
];

/// A partition's or subpartition's definition, in the table's engine when it is given; named
/// subpartitions on lines of their own, each with the engine instead.
pub fn partition(p: &Partition, engine: Option<&str>) -> String {
    let mut s = format!("PARTITION {}", ident(&p.name));
    match p.values.as_str() {
        "" => {}
        v @ ("DEFAULT" | "HISTORY" | "CURRENT") => s.push_str(&format!(" {v}")),
        v => s.push_str(&format!(" VALUES {v}")),
    }
    if !p.subpartitions.is_empty() {
        let subs: Vec<String> = p
            .subpartitions
            .iter()
            .map(|x| format!("SUB{}", partition(x, engine)))
            .collect();
        return format!("{s}\n ({})", subs.join(",\n  "));
    }
    for k in PARTITION_OPTIONS {
        if let Some(v) = p.options.get(*k) {
            s.push_str(&format!(" {k} = {v}"));
        }
    }
    if let Some(e) = engine {
        s.push_str(&format!(" ENGINE = {e}"));
    }
    // Engine-defined attributes, after the engine, as written (by name when not known).
    let mut attributes: Vec<(&String, &String)> = p
        .options
        .iter()
        .filter(|(k, _)| !PARTITION_OPTIONS.contains(&k.as_str()))
        .collect();
    let order = &p.attribute_order.0;
    attributes.sort_by_key(|(k, _)| order.iter().position(|n| n == *k).unwrap_or(usize::MAX));
    for (k, v) in attributes {
        s.push_str(&format!(" {k} = {v}"));
    }
    s
}

/// `[LINEAR] HASH (...)`-like scheme of a partitioning, as printed after `PARTITION BY `.
fn scheme(p: &Partitioning) -> String {
    let kind = match p.kind {
        PartitionKind::Range => "RANGE",
        PartitionKind::List => "LIST",
        PartitionKind::Hash => "HASH",
        PartitionKind::Key => "KEY",
        PartitionKind::SystemTime => return format!("SYSTEM_TIME {}", rotation(p)),
    };
    let linear = if p.linear { "LINEAR " } else { "" };
    let names = || {
        p.columns
            .iter()
            .map(|c| ident(c))
            .collect::<Vec<_>>()
            .join(",")
    };
    match (&p.expr, p.by_columns) {
        // Two spaces: MariaDB prints the (empty) LINEAR slot's space too.
        (_, true) => format!("{kind}  COLUMNS({})", names()),
        (Some(e), false) => format!("{linear}{kind} ({})", e.text),
        (None, false) => format!("{linear}{kind} ({})", names()),
    }
}

/// `LIMIT n`, `INTERVAL n unit STARTS ...`, `AUTO`: empty when none was written (the server
/// still prints the space after `SYSTEM_TIME`).
fn rotation(p: &Partitioning) -> String {
    let Some(r) = &p.rotation else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some(n) = r.limit {
        parts.push(format!("LIMIT {n}"));
    }
    if let Some(i) = &r.interval {
        parts.push(format!("INTERVAL {i}"));
        if let Some(s) = &r.starts.0 {
            parts.push(format!("STARTS {s}"));
        }
    }
    if r.auto {
        parts.push("AUTO".into());
    }
    parts.join(" ")
}

/// `PARTITION BY ...`, as MariaDB prints it after the table options.
pub fn partitioning(p: &Partitioning, engine: Option<&str>) -> String {
    let mut out = format!("PARTITION BY {}", scheme(p));
    // A count is printed when the partitions are not named, and one only when written.
    let counted = match p.kind {
        PartitionKind::Hash | PartitionKind::Key => p.count > 1 || p.count_written.0,
        PartitionKind::SystemTime => true,
        _ => false,
    };
    if counted && p.partitions.is_empty() {
        out.push_str(&format!("\nPARTITIONS {}", p.count));
    }
    if let Some(sub) = &p.sub {
        out.push_str(&format!("\nSUBPARTITION BY {}", scheme(sub)));
        let named = p.partitions.iter().any(|x| !x.subpartitions.is_empty());
        if (sub.count > 1 || sub.count_written.0) && !named {
            out.push_str(&format!("\nSUBPARTITIONS {}", sub.count));
        }
    }
    if !p.partitions.is_empty() {
        let defs: Vec<String> = p.partitions.iter().map(|x| partition(x, engine)).collect();
        out.push_str(&format!("\n({})", defs.join(",\n ")));
    }
    out
}
