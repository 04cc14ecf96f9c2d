//! The statements a file holds, applied in order to the schema being loaded: tables created,
//! replaced, altered and dropped, views, sequences and renames, as a server running the file.

use super::*;

impl Loader {
    pub(super) fn table_mut(&mut self, name: &str) -> Result<&mut Table, String> {
        self.loaded.schema.tables.get_mut(name).ok_or_else(|| {
            format!(
                "{} is not defined before this statement",
                ObjectKind::Table.label(name)
            )
        })
    }

    /// The view a `keep-compat-view` rename keeps under the table's old name: every column,
    /// under its old name, so code not yet moved works until the note is removed.
    pub(super) fn compat_view(
        &mut self,
        old: &str,
        table: &str,
        select: &[(String, Option<String>)],
        origin: &Origin,
        kind: SourceKind,
    ) -> Result<(), String> {
        let view = View {
            name: old.to_string(),
            columns: Vec::new(),
            // Canonicalized by `normalize`, as a written view's query is.
            query: SqlExpr {
                text: sqlexpr::select_columns(table, select),
                key: String::new(),
            },
            algorithm: ViewAlgorithm::Undefined,
            security: ViewSecurity::Definer,
            check_option: None,
            depends_on: Vec::new(),
            origin: None,
        };
        let stmt = Stmt::CreateView {
            view,
            or_replace: false,
        };
        self.apply(stmt, origin.clone(), kind)
    }

    pub(super) fn apply(
        &mut self,
        stmt: Stmt,
        origin: Origin,
        kind: SourceKind,
    ) -> Result<(), String> {
        let schema = &mut self.loaded.schema;
        match stmt {
            Stmt::CreateTable {
                mut table,
                if_not_exists,
                or_replace,
                renamed,
            } => {
                if schema.views.contains_key(&table.name) {
                    return Err(format!(
                        "{} is already defined as a view",
                        ident(&table.name)
                    ));
                }
                if schema.sequences.contains_key(&table.name) {
                    return Err(format!("`{}` is already defined as a sequence", table.name));
                }
                if let Some(existing) = schema.tables.get(&table.name) {
                    if if_not_exists {
                        return Ok(());
                    }
                    if !or_replace {
                        let first = existing.origin.as_ref().map_or(String::new(), |o| {
                            format!(" (first defined at {}:{})", o.file, o.line)
                        });
                        return Err(format!(
                            "{} is defined twice{first}",
                            ObjectKind::Table.label(&table.name)
                        ));
                    }
                }
                table.origin = Some(origin.clone());
                for ix in settle_keys(&mut table).map_err(|e| e.to_string())? {
                    self.loaded
                        .implicit_indexes
                        .insert((table.name.clone(), ix));
                }
                let name = table.name.clone();
                // Old code reads the old column names too.
                let select: Vec<(String, Option<String>)> = table
                    .columns
                    .iter()
                    .map(|c| {
                        let old = renamed.iter().find(|r| r.column.as_ref() == Some(&c.name));
                        (c.name.clone(), old.map(|r| r.from.clone()))
                    })
                    .collect();
                schema.tables.insert(name.clone(), table);
                for r in renamed {
                    if r.keep_compat_view {
                        self.compat_view(&r.from, &name, &select, &origin, kind)?;
                    }
                    self.loaded.schema.renames.push(Rename {
                        table: name.clone(),
                        column: r.column,
                        from: r.from,
                        keep_compat_view: r.keep_compat_view,
                        origin: Some(origin.clone()),
                    });
                }
            }
            Stmt::CreateView {
                mut view,
                or_replace,
            } => {
                if schema.tables.contains_key(&view.name)
                    || schema.sequences.contains_key(&view.name)
                {
                    return Err(format!(
                        "{} is already defined as a table",
                        ident(&view.name)
                    ));
                }
                if schema.views.contains_key(&view.name) && !or_replace {
                    return Err(format!(
                        "{} is defined twice",
                        ObjectKind::View.label(&view.name)
                    ));
                }
                view.origin = Some(origin);
                schema.views.insert(view.name.clone(), view);
            }
            Stmt::Refused {
                name,
                feature,
                reason,
            } => {
                schema.tables.remove(&name);
                self.loaded.unsupported.retain(|r| r.table != name);
                self.loaded.unsupported.push(Refusal {
                    table: name,
                    feature: feature.to_string(),
                    reason,
                    origin,
                });
            }
            Stmt::Alter { table, ops } if schema.sequences.contains_key(&table) => {
                // A sequence's engine and comment change through ALTER TABLE.
                let s = schema.sequences.get_mut(&table).expect("checked above");
                for op in ops {
                    match op {
                        parse::AlterOp::Options(o) => alter::merge_options(&mut s.options, o),
                        _ => return Err(format!("`{table}` is a sequence: ALTER TABLE changes only its engine and comment")),
                    }
                }
            }
            Stmt::Alter { table, .. }
                if !schema.tables.contains_key(&table)
                    && self.loaded.unsupported.iter().any(|r| r.table == table) =>
            {
                // A change to a refused table (a dump's DISABLE KEYS): it stays refused.
            }
            Stmt::Alter { table, ops } => {
                let adds_index = ops
                    .iter()
                    .any(|op| matches!(op, parse::AlterOp::AddIndex(_)));
                let implicit: Vec<String> = (self.loaded.implicit_indexes.iter())
                    .filter(|(t, _)| *t == table)
                    .map(|(_, i)| i.clone())
                    .collect();
                let t = self.table_mut(&table)?;
                for op in ops {
                    alter::apply_alter(t, op)?;
                }
                let name = t.name.clone();
                let dropped = match adds_index {
                    true => alter::drop_served_implicit(t, &implicit),
                    false => Vec::new(),
                };
                let added = settle_keys(t).map_err(|e| e.to_string())?;
                for ix in dropped {
                    self.loaded.implicit_indexes.remove(&(name.clone(), ix));
                }
                for ix in added {
                    self.loaded.implicit_indexes.insert((name.clone(), ix));
                }
            }
            Stmt::DropTables { names, if_exists } => {
                for n in names {
                    // A dump drops a view's stand-in table by either name; DROP TABLE drops
                    // a sequence too.
                    let sequence = schema.sequences.remove(&n).is_some();
                    if schema.tables.remove(&n).is_none() && !sequence && !if_exists {
                        return Err(format!("{} does not exist", ObjectKind::Table.label(&n)));
                    }
                    program_apply::drop_triggers_of(schema, &n);
                }
            }
            Stmt::CreateSequence {
                mut sequence,
                if_not_exists,
                or_replace,
            } => {
                let name = sequence.name.clone();
                if schema.tables.contains_key(&name) || schema.views.contains_key(&name) {
                    return Err(format!("`{name}` is already defined as a table or view"));
                }
                if schema.sequences.contains_key(&name) && !or_replace {
                    if if_not_exists {
                        return Ok(());
                    }
                    return Err(format!(
                        "{} is defined twice",
                        ObjectKind::Sequence.label(&name)
                    ));
                }
                sequence.origin = Some(origin);
                schema.sequences.insert(name, sequence);
            }
            Stmt::AlterSequence {
                name,
                options,
                if_exists,
            } => match schema.sequences.get_mut(&name) {
                Some(s) => s.alter(options),
                None if if_exists => {}
                None => {
                    return Err(format!(
                        "{} is not defined before this statement",
                        ObjectKind::Sequence.label(&name)
                    ))
                }
            },
            Stmt::DropSequences { names, if_exists } => {
                for n in names {
                    if schema.sequences.remove(&n).is_none() && !if_exists {
                        return Err(format!("{} does not exist", ObjectKind::Sequence.label(&n)));
                    }
                }
            }
            Stmt::DropViews { names, if_exists } => {
                for n in names {
                    if schema.views.remove(&n).is_none() && !if_exists {
                        return Err(format!("{} does not exist", ObjectKind::View.label(&n)));
                    }
                }
            }
            Stmt::Database { charset, collation } => {
                schema.charset = charset.or(schema.charset.take());
                schema.collation = collation.or(schema.collation.take());
            }
            Stmt::CreateProgram {
                program,
                or_replace,
                if_not_exists,
            } => program_apply::create(schema, *program, or_replace, if_not_exists, origin)?,
            Stmt::AlterProgram {
                kind,
                name,
                changes,
            } => program_apply::alter(schema, kind, &name, changes)?,
            Stmt::DropProgram {
                kind,
                name,
                if_exists,
            } => program_apply::drop_program(schema, kind, &name, if_exists)?,
            Stmt::Session | Stmt::Data { .. } | Stmt::Temporary { .. } => {}
        }
        Ok(())
    }
}
