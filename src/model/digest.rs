//! What a diff compares, as digests: one per table or view, and their sum, the schema's
//! fingerprint (what plans record and `apply` checks).

use super::*;
use serde::Serialize;

impl Schema {
    /// A digest of everything a diff compares, in a form where equal schemas are equal
    /// bytes: keys sorted by name, expressions by their comparison key, NO ACTION as RESTRICT.
    /// Where definitions came from does not count. A sum of one digest per object, so a
    /// plan's checkpoints (the schema after each step) cost one object each.
    pub fn fingerprint(&self) -> String {
        self.fingerprint_sum().finish()
    }

    /// Each object's digest by kind and name: what a stale plan compares to name what moved.
    pub fn digests(&self) -> Vec<(ObjectKind, &str, [u8; 32])> {
        let tables = self
            .tables
            .values()
            .map(|t| (ObjectKind::Table, t.name.as_str(), t.digest()));
        let views = self
            .views
            .values()
            .map(|v| (ObjectKind::View, v.name.as_str(), v.digest()));
        let sequences = self
            .sequences
            .values()
            .map(|s| (ObjectKind::Sequence, s.name.as_str(), s.digest()));
        let triggers =
            (self.triggers.values()).map(|t| (ObjectKind::Trigger, t.name.as_str(), t.digest()));
        let procedures = (self.procedures.values())
            .map(|r| (ObjectKind::Procedure, r.name.as_str(), r.digest()));
        let functions =
            (self.functions.values()).map(|r| (ObjectKind::Function, r.name.as_str(), r.digest()));
        let events =
            (self.events.values()).map(|e| (ObjectKind::Event, e.name.as_str(), e.digest()));
        tables
            .chain(views)
            .chain(sequences)
            .chain(triggers)
            .chain(procedures)
            .chain(functions)
            .chain(events)
            .collect()
    }

    /// One object's digest, as [`Schema::digests`] has it; None if there is no such object.
    pub fn digest_of(&self, kind: ObjectKind, name: &str) -> Option<[u8; 32]> {
        match kind {
            ObjectKind::Table => self.tables.get(name).map(Table::digest),
            ObjectKind::View => self.views.get(name).map(View::digest),
            ObjectKind::Sequence => self.sequences.get(name).map(Sequence::digest),
            ObjectKind::Trigger => self.triggers.get(name).map(Trigger::digest),
            ObjectKind::Procedure => self.procedures.get(name).map(Routine::digest),
            ObjectKind::Function => self.functions.get(name).map(Routine::digest),
            ObjectKind::Event => self.events.get(name).map(Event::digest),
        }
    }

    pub fn fingerprint_sum(&self) -> FingerprintSum {
        let mut sum = FingerprintSum::default();
        for (kind, name, digest) in self.digests() {
            sum.add(kind, name, &digest);
        }
        sum
    }
}

/// A schema fingerprint being built: the lane-wise sum of one hash per object (kind, name and
/// definition digest), so objects can be added and removed in any order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FingerprintSum([u64; 4]);

impl FingerprintSum {
    fn entry(kind: ObjectKind, name: &str, digest: &[u8; 32]) -> [u64; 4] {
        let mut h = blake3::Hasher::new();
        h.update(&[kind as u8]);
        h.update(&(name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update(digest);
        let bytes = h.finalize();
        let b = bytes.as_bytes();
        std::array::from_fn(|i| {
            u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap_or_default())
        })
    }

    pub fn add(&mut self, kind: ObjectKind, name: &str, digest: &[u8; 32]) {
        let e = Self::entry(kind, name, digest);
        for (lane, v) in self.0.iter_mut().zip(e) {
            *lane = lane.wrapping_add(v);
        }
    }

    pub fn remove(&mut self, kind: ObjectKind, name: &str, digest: &[u8; 32]) {
        let e = Self::entry(kind, name, digest);
        for (lane, v) in self.0.iter_mut().zip(e) {
            *lane = lane.wrapping_sub(v);
        }
    }

    pub fn finish(&self) -> String {
        let mut h = blake3::Hasher::new();
        h.update(b"canon schema fingerprint 2");
        for lane in self.0 {
            h.update(&lane.to_le_bytes());
        }
        h.finalize().to_hex().to_string()
    }
}

fn digest_json<T: Serialize>(value: &T) -> [u8; 32] {
    let mut hasher = std::io::BufWriter::with_capacity(1 << 12, blake3::Hasher::new());
    let _ = serde_json::to_writer(&mut hasher, value);
    match hasher.into_inner() {
        Ok(h) => *h.finalize().as_bytes(),
        Err(_) => [0; 32],
    }
}

// A program's definer, creation context and an event's start are left out of its digest:
// the canonical files may not say them (the server fills them in), and the diff compares
// them only where a policy and both sides say; a fingerprint must match the live schema
// after a plan that did not write them.
impl Trigger {
    pub fn digest(&self) -> [u8; 32] {
        let (definer, context) = (None, None);
        digest_json(&Trigger {
            definer,
            context,
            ..self.clone()
        })
    }
}

impl Routine {
    pub fn digest(&self) -> [u8; 32] {
        let (definer, context) = (None, None);
        digest_json(&Routine {
            definer,
            context,
            ..self.clone()
        })
    }
}

impl Event {
    pub fn digest(&self) -> [u8; 32] {
        let mut e = self.clone();
        (e.definer, e.context) = (None, None);
        if let Schedule::Every { starts, .. } = &mut e.schedule {
            *starts = None;
        }
        digest_json(&e)
    }
}

impl Sequence {
    /// What the diff compares of this sequence, as a digest (its origin is not serialized).
    pub fn digest(&self) -> [u8; 32] {
        digest_json(self)
    }
}

impl Table {
    /// What the diff compares of this table, as a digest.
    pub fn digest(&self) -> [u8; 32] {
        fn expr(e: &mut SqlExpr) {
            e.text = e.session_free_key();
            e.key.clear();
        }
        let mut t = self.clone();
        for c in &mut t.columns {
            if let Some(DefaultValue::Expr(e)) = &mut c.default {
                expr(e);
            }
            if let Some(g) = &mut c.generated {
                expr(&mut g.expr);
            }
            if let Some(e) = &mut c.check {
                expr(e);
            }
        }
        for i in &mut t.indexes {
            for p in &mut i.parts {
                if let KeyTarget::Expr(e) = &mut p.target {
                    expr(e);
                }
            }
        }
        t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        for f in &mut t.foreign_keys {
            for a in [&mut f.on_delete, &mut f.on_update] {
                *a = FkAction::effect(*a);
            }
        }
        t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        t.checks.iter_mut().for_each(|c| expr(&mut c.expr));
        t.checks.sort_by(|a, b| a.name.cmp(&b.name));
        digest_json(&t)
    }
}

impl View {
    /// What the diff compares of this view (not its text or definer), as a digest.
    pub fn digest(&self) -> [u8; 32] {
        digest_json(&(
            &self.name,
            &self.query.session_free_key(),
            self.algorithm,
            self.security,
            self.check_option,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_programs_definer_and_context_leave_the_fingerprint_alone() {
        use crate::diff::programs::tests::trigger;
        let mut s = Schema::default();
        s.triggers
            .insert("t".into(), trigger("t", "a", "SET @a = 1"));
        let before = s.fingerprint();
        let t = s.triggers.get_mut("t").unwrap();
        t.definer = Some("root@localhost".into());
        t.context = Some(Context::default());
        assert_eq!(s.fingerprint(), before);
        s.triggers.get_mut("t").unwrap().body = "SET @a = 2".into();
        assert_ne!(s.fingerprint(), before);
    }

    #[test]
    fn a_fingerprint_sum_is_order_free_and_undoes_exactly() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        let mut one = FingerprintSum::default();
        one.add(ObjectKind::Table, "a", &a);
        one.add(ObjectKind::View, "b", &b);
        let mut two = FingerprintSum::default();
        two.add(ObjectKind::View, "b", &b);
        two.add(ObjectKind::Table, "a", &a);
        assert_eq!(one.finish(), two.finish());
        // Kind and name count, not only the definition.
        let mut swapped = FingerprintSum::default();
        swapped.add(ObjectKind::View, "a", &a);
        swapped.add(ObjectKind::View, "b", &b);
        assert_ne!(one.finish(), swapped.finish());
        two.remove(ObjectKind::View, "b", &b);
        let mut only_a = FingerprintSum::default();
        only_a.add(ObjectKind::Table, "a", &a);
        assert_eq!(two.finish(), only_a.finish());
        assert_ne!(
            FingerprintSum::default().finish(),
            only_a.finish(),
            "an empty schema differs from one with a table"
        );
    }
}
