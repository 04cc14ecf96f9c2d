//! `canon validate` reports: text for people, JSON with stable keys for scripts.

use crate::model::ObjectKind;
use crate::source::Shown;
use crate::sql::ddl::column_type;
use crate::validate::Validation;
use owo_colors::OwoColorize;
use serde_json::{json, Value};
use std::fmt::Write;

fn collation(c: &Option<String>) -> String {
    c.clone().unwrap_or_else(|| "none".into())
}

pub fn json(v: &Validation, target: &Shown) -> String {
    let report: Value = json!({
        "target": target,
        "passed": v.passed(),
        "missing_tables": v.missing_tables,
        "missing_programs": v.missing_programs,
        "compat_views": v.compat_views.iter().map(|c| &c.name).collect::<Vec<_>>(),
        "compat_views_count": v.compat_views.len(),
        "compat_view_details": v.compat_views,
        "tables_without_primary_key": v.tables_without_primary_key,
        "collation_mismatches": v.collation_mismatches.iter().map(|m| json!({
            "table": m.table,
            "column": m.column,
            "current": m.current,
            "canonical": m.canonical,
        })).collect::<Vec<_>>(),
        "foreign_key_type_mismatches": v.foreign_key_type_mismatches.iter().map(|m| json!({
            "table": m.table,
            "foreign_key": m.foreign_key,
            "column": m.column,
            "type": column_type(&m.column_type),
            "ref_table": m.ref_table,
            "ref_column": m.ref_column,
            "ref_type": column_type(&m.ref_type),
        })).collect::<Vec<_>>(),
        "missing_migrations": v.missing_migrations,
    });
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}

fn line(out: &mut String, ok: bool, what: &str, items: &[String]) {
    let tag = if ok {
        "ok  ".green().to_string()
    } else {
        "FAIL".red().bold().to_string()
    };
    if items.is_empty() {
        let _ = writeln!(out, "  {tag} {what}: none");
    } else {
        let _ = writeln!(out, "  {tag} {what} ({}):", items.len());
        for i in items {
            let _ = writeln!(out, "         - {i}");
        }
    }
}

/// `pedidos`: reads `orders`; exposes id, total; read by no view.
pub fn compat_line(c: &crate::compat::CompatView) -> String {
    let names = |v: &[String]| {
        v.iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "`{}`: reads {}; exposes {}; {}",
        c.name,
        names(&c.reads),
        c.columns.join(", "),
        if c.used_by.is_empty() {
            "read by no view".to_string()
        } else {
            format!("read by {}", names(&c.used_by))
        }
    )
}

pub fn text(v: &Validation, target: &Shown, canonical: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "validate {target} against {canonical}");
    line(
        &mut out,
        v.missing_tables.is_empty(),
        "missing tables",
        &v.missing_tables,
    );
    line(
        &mut out,
        v.missing_programs.is_empty(),
        "missing triggers, routines and events",
        &v.missing_programs,
    );
    let compat: Vec<String> = v.compat_views.iter().map(compat_line).collect();
    line(
        &mut out,
        v.compat_views.is_empty(),
        "compatibility views",
        &compat,
    );
    line(
        &mut out,
        v.tables_without_primary_key.is_empty(),
        "tables without a primary key",
        &v.tables_without_primary_key,
    );
    let coll: Vec<String> = v
        .collation_mismatches
        .iter()
        .map(|m| match &m.column {
            Some(c) => format!(
                "column `{}`.`{c}`: {} (canonical {})",
                m.table,
                collation(&m.current),
                collation(&m.canonical)
            ),
            None => format!(
                "{}: {} (canonical {})",
                ObjectKind::Table.label(&m.table),
                collation(&m.current),
                collation(&m.canonical)
            ),
        })
        .collect();
    line(
        &mut out,
        coll.is_empty(),
        "charset/collation differs",
        &coll,
    );
    let fks: Vec<String> = v
        .foreign_key_type_mismatches
        .iter()
        .map(|m| {
            format!(
                "`{}`.`{}` {} → `{}`.`{}` {} (foreign key `{}`)",
                m.table,
                m.column,
                column_type(&m.column_type),
                m.ref_table,
                m.ref_column,
                column_type(&m.ref_type),
                m.foreign_key
            )
        })
        .collect();
    line(
        &mut out,
        fks.is_empty(),
        "foreign keys with mismatched column types",
        &fks,
    );
    if let Some(m) = &v.missing_migrations {
        line(&mut out, m.is_empty(), "missing migrations", m);
    }
    let _ = writeln!(
        out,
        "{}",
        if v.passed() {
            "passed".green().bold().to_string()
        } else {
            "failed".red().bold().to_string()
        }
    );
    out
}
