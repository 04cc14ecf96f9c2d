//! How to tell, on the server, whether a step has already run: the guard the idempotent
//! SQL script checks before each step. A step is one atomic statement, so one probe whose
//! answer differs before and after it is enough.

use super::{Action, AlterClause, Step};
use serde::{Deserialize, Serialize};

/// One object the server can be asked about through information_schema.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "object", rename_all = "snake_case")]
pub enum Probe {
    Table {
        name: String,
    },
    View {
        name: String,
    },
    Sequence {
        name: String,
    },
    Column {
        table: String,
        name: String,
    },
    Index {
        table: String,
        name: String,
    },
    ForeignKey {
        table: String,
        name: String,
    },
    Check {
        table: String,
        name: String,
    },
    Partition {
        table: String,
        name: String,
    },
    /// The table is system-versioned.
    Versioned {
        table: String,
    },
    /// A column of that name, filled that way.
    Filled {
        table: String,
        column: String,
        filling: Filling,
    },
}

/// How a column gets its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Filling {
    Regular,
    Virtual,
    Stored,
}

impl Filling {
    fn of(column: &crate::model::Column) -> Filling {
        match &column.generated {
            None => Filling::Regular,
            Some(g) if g.stored => Filling::Stored,
            Some(_) => Filling::Virtual,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    Present,
    Absent,
}

/// One question to the server: is `probe` `applied_when`?
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub probe: Probe,
    pub applied_when: Presence,
}

/// The step has already run when any of these checks holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guard {
    pub any: Vec<Check>,
}

/// The clause's probe and the presence it leaves, when it changes whether something exists.
fn effect(table: &str, clause: &AlterClause) -> Option<(Probe, Presence)> {
    let t = table.to_string();
    use Presence::{Absent, Present};
    Some(match clause {
        AlterClause::AddColumn { column, .. } => (
            Probe::Column {
                table: t,
                name: column.name.clone(),
            },
            Present,
        ),
        AlterClause::DropColumn { name } => (
            Probe::Column {
                table: t,
                name: name.clone(),
            },
            Absent,
        ),
        AlterClause::AddIndex { index } => (
            Probe::Index {
                table: t,
                name: index.name.clone(),
            },
            Present,
        ),
        AlterClause::DropIndex { name } => (
            Probe::Index {
                table: t,
                name: name.clone(),
            },
            Absent,
        ),
        AlterClause::AddForeignKey { fk } => (
            Probe::ForeignKey {
                table: t,
                name: fk.name.clone(),
            },
            Present,
        ),
        AlterClause::DropForeignKey { name } => (
            Probe::ForeignKey {
                table: t,
                name: name.clone(),
            },
            Absent,
        ),
        AlterClause::AddCheck { check } => (
            Probe::Check {
                table: t,
                name: check.name.clone(),
            },
            Present,
        ),
        AlterClause::DropCheck { name } => (
            Probe::Check {
                table: t,
                name: name.clone(),
            },
            Absent,
        ),
        AlterClause::ModifyColumn { .. } | AlterClause::Options { .. } => return None,
        AlterClause::AddPartitions { partitions } => (
            Probe::Partition {
                table: t,
                name: partitions.first()?.name.clone(),
            },
            Present,
        ),
        AlterClause::DropPartitions { names } => (
            Probe::Partition {
                table: t,
                name: names.first()?.clone(),
            },
            Absent,
        ),
        AlterClause::RemovePartitioning { first } => (
            Probe::Partition {
                table: t,
                name: first.clone(),
            },
            Absent,
        ),
        // Partitioning again the same way changes nothing but time.
        AlterClause::PartitionBy { .. } => return None,
        AlterClause::AddSystemVersioning => (Probe::Versioned { table: t }, Present),
        AlterClause::DropSystemVersioning => (Probe::Versioned { table: t }, Absent),
        AlterClause::KeepHistory => return None,
        // The new name appearing is the evidence (the old one goes at the same instant).
        AlterClause::RenameColumn { to, .. } => (
            Probe::Column {
                table: t,
                name: to.clone(),
            },
            Present,
        ),
    })
}

/// What a step changes the existence of, each with the presence it leaves. A name both
/// dropped and added in one statement exists before and after it, so it is not listed.
fn effects(step: &Step) -> Vec<(Probe, Presence)> {
    match &step.action {
        Action::CreateTable { table } => vec![(
            Probe::Table {
                name: table.name.clone(),
            },
            Presence::Present,
        )],
        Action::DropTable { table } => vec![(
            Probe::Table {
                name: table.clone(),
            },
            Presence::Absent,
        )],
        // Replacing a view can run any number of times.
        Action::CreateView { replace: true, .. } => vec![],
        Action::CreateView { view, .. } => vec![(
            Probe::View {
                name: view.name.clone(),
            },
            Presence::Present,
        )],
        Action::DropView { view } => vec![(Probe::View { name: view.clone() }, Presence::Absent)],
        Action::CreateSequence { sequence } => vec![(
            Probe::Sequence {
                name: sequence.name.clone(),
            },
            Presence::Present,
        )],
        // Setting every option again changes nothing.
        Action::AlterSequence { .. } => vec![],
        Action::DropSequence { sequence } => vec![(
            Probe::Sequence {
                name: sequence.clone(),
            },
            Presence::Absent,
        )],
        // `CREATE OR REPLACE` (MySQL: `DROP ... IF EXISTS` then `CREATE`) and `DROP ... IF
        // EXISTS` run again without effect (and the server does not prepare them, which a
        // guard needs).
        Action::CreateProgram { .. } | Action::DropProgram { .. } => vec![],
        Action::RenameTable { from, to } => vec![
            (Probe::Table { name: to.clone() }, Presence::Present),
            (Probe::Table { name: from.clone() }, Presence::Absent),
        ],
        Action::AlterTable { table, clauses } => {
            let all: Vec<(Probe, Presence)> =
                clauses.iter().filter_map(|c| effect(table, c)).collect();
            let mut out: Vec<(Probe, Presence)> = all
                .iter()
                .filter(|(p, _)| all.iter().filter(|(q, _)| q == p).count() == 1)
                .cloned()
                .collect();
            // A column dropped and added back (its generation changed) tells by how it is
            // filled: running the step again would drop it again.
            for c in clauses {
                if let AlterClause::AddColumn { column, .. } = c {
                    let dropped = clauses.iter().any(|d| {
                        matches!(d, AlterClause::DropColumn { name } if name.eq_ignore_ascii_case(&column.name))
                    });
                    if dropped {
                        let probe = Probe::Filled {
                            table: table.clone(),
                            column: column.name.clone(),
                            filling: Filling::of(column),
                        };
                        out.push((probe, Presence::Present));
                    }
                }
            }
            out
        }
    }
}

/// The guard of each step, or None when running the step again changes nothing (modifying
/// columns or options, replacing a view, re-creating a key of the same name).
///
/// A step's own check is a probe no later step changes again, where it has one. When a later
/// step does change it back (a foreign key dropped here and re-added later), the later step
/// having run is evidence too: a probe of that step that no other step touches.
pub fn guards(steps: &[Step]) -> Vec<Option<Guard>> {
    let all: Vec<Vec<(Probe, Presence)>> = steps.iter().map(effects).collect();
    // Which steps touch each probe, in order.
    let mut touching: std::collections::HashMap<&Probe, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, effects) in all.iter().enumerate() {
        for (p, _) in effects {
            touching.entry(p).or_default().push(i);
        }
    }
    let steps_of = |p: &Probe| touching.get(p).map_or(&[][..], |v| v.as_slice());
    let first_after = |p: &Probe, i: usize| steps_of(p).iter().copied().find(|&j| j > i);
    let check = |(probe, applied_when): &(Probe, Presence)| Check {
        probe: probe.clone(),
        applied_when: *applied_when,
    };
    // A check true exactly once step i has run: its probe is no other step's.
    let evidence = |i: usize| {
        all[i]
            .iter()
            .find(|(p, _)| steps_of(p).len() == 1)
            .map(check)
    };
    (0..steps.len())
        .map(|k| {
            let own = all[k]
                .iter()
                .find(|(p, _)| first_after(p, k).is_none())
                .or_else(|| all[k].first())?;
            let mut any = vec![check(own)];
            let mut from = k;
            while let Some(j) = first_after(&own.0, from) {
                any.extend(evidence(j));
                from = j;
            }
            Some(Guard { any })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Index, IndexKind};
    use crate::plan::{ObjectKind, ObjectRef, Safety};

    fn alter(clauses: Vec<AlterClause>) -> Step {
        Step {
            object: ObjectRef {
                kind: ObjectKind::Table,
                name: "t".into(),
            },
            action: Action::AlterTable {
                table: "t".into(),
                clauses,
            },
            safety: Safety::Safe,
            summary: vec![],
        }
    }

    fn index(name: &str) -> Index {
        Index::on_columns(name.into(), IndexKind::Key, &["a".into()])
    }

    #[test]
    fn a_key_dropped_and_re_added_is_no_probe_but_the_next_clause_is() {
        let step = alter(vec![
            AlterClause::DropIndex { name: "a".into() },
            AlterClause::AddIndex { index: index("a") },
            AlterClause::DropColumn { name: "old".into() },
        ]);
        assert_eq!(
            guards(&[step])[0],
            Some(Guard {
                any: vec![Check {
                    probe: Probe::Column {
                        table: "t".into(),
                        name: "old".into()
                    },
                    applied_when: Presence::Absent
                }]
            })
        );
        let rerunnable = alter(vec![
            AlterClause::DropIndex { name: "a".into() },
            AlterClause::AddIndex { index: index("a") },
        ]);
        assert_eq!(guards(&[rerunnable])[0], None);
    }

    fn fk(name: &str, add: bool) -> AlterClause {
        if add {
            AlterClause::AddForeignKey {
                fk: crate::model::ForeignKey {
                    name: name.into(),
                    columns: vec!["a".into()],
                    ref_table: "p".into(),
                    ref_columns: vec!["id".into()],
                    on_delete: None,
                    on_update: None,
                },
            }
        } else {
            AlterClause::DropForeignKey { name: name.into() }
        }
    }

    fn probes(g: &Option<Guard>) -> Vec<(String, Presence)> {
        g.iter()
            .flat_map(|g| &g.any)
            .map(|c| match &c.probe {
                Probe::ForeignKey { name, .. } | Probe::Index { name, .. } => {
                    (name.clone(), c.applied_when)
                }
                other => panic!("unexpected probe {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_probe_a_later_step_changes_back_is_avoided_or_backed_by_that_step() {
        use Presence::{Absent, Present};
        // Drop f1 and `gone`, later re-add f1: `gone` tells whether the first step ran.
        let g = guards(&[
            alter(vec![fk("f1", false), fk("gone", false)]),
            alter(vec![fk("f1", true)]),
        ]);
        assert_eq!(probes(&g[0]), vec![("gone".into(), Absent)]);
        assert_eq!(probes(&g[1]), vec![("f1".into(), Present)]);
        // The rollback of that: drop f1, then add f1 and `gone`. Once the second step has run,
        // f1 is back, and only `gone` says the first one ran.
        let g = guards(&[
            alter(vec![fk("f1", false)]),
            alter(vec![fk("f1", true), fk("gone", true)]),
        ]);
        assert_eq!(
            probes(&g[0]),
            vec![("f1".into(), Absent), ("gone".into(), Present)]
        );
        // Kinds differ: an index and a foreign key of one name are different probes.
        let g = guards(&[
            alter(vec![fk("x", false)]),
            alter(vec![AlterClause::DropIndex { name: "x".into() }]),
        ]);
        assert_eq!(probes(&g[0]), vec![("x".into(), Absent)]);
    }

    #[test]
    fn a_column_added_back_is_probed_by_how_it_is_filled() {
        let sql = "CREATE TABLE t (a int, v int AS (a + 1) STORED)";
        let column = crate::model::normalize::schema_of(sql, crate::flavor::Flavor::DEFAULT).tables
            ["t"]
            .columns[1]
            .clone();
        let step = alter(vec![
            AlterClause::DropColumn { name: "v".into() },
            AlterClause::AddColumn {
                column,
                position: crate::model::Position::After("a".into()),
            },
        ]);
        assert_eq!(
            guards(&[step])[0],
            Some(Guard {
                any: vec![Check {
                    probe: Probe::Filled {
                        table: "t".into(),
                        column: "v".into(),
                        filling: Filling::Stored
                    },
                    applied_when: Presence::Present
                }]
            })
        );
    }

    #[test]
    fn adding_a_primary_key_is_probed_by_its_name() {
        let mut pk = index("PRIMARY");
        pk.kind = IndexKind::Primary;
        let g = guards(&[alter(vec![AlterClause::AddIndex { index: pk }])])[0]
            .clone()
            .unwrap();
        assert_eq!(g.any.len(), 1);
        let g = &g.any[0];
        assert_eq!(
            g.probe,
            Probe::Index {
                table: "t".into(),
                name: "PRIMARY".into()
            }
        );
        assert_eq!(g.applied_when, Presence::Present);
    }
}
