//! MariaDB sequences (`CREATE SEQUENCE`, 10.3+): objects of their own, beside tables and views.
//! The server stores every option, defaults included, and `SHOW CREATE SEQUENCE` prints them
//! all (MariaDB 10.11 has no information_schema.SEQUENCES).

use super::{Origin, TableOptions};
use serde::{Deserialize, Serialize};

/// A sequence as the server stores it. Its next value is data (mariadb-dump's `SETVAL`), not
/// schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: String,
    pub start: i64,
    pub min: i64,
    pub max: i64,
    pub increment: i64,
    /// 0 is `nocache`.
    pub cache: u64,
    pub cycle: bool,
    /// Its table's options: the engine (None until normalized: the server's default), the
    /// comment, and engine-defined attributes (`PAGE_COMPRESSED`).
    pub options: TableOptions,
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// The options as written: what was left out takes the server's default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SequenceOptions {
    pub start: Option<i64>,
    /// `Some(None)`: `NO MINVALUE` / `NOMINVALUE`.
    pub min: Option<Option<i64>>,
    pub max: Option<Option<i64>>,
    pub increment: Option<i64>,
    pub cache: Option<u64>,
    pub cycle: Option<bool>,
}

impl Sequence {
    /// The sequence the server creates from these options (recorded on MariaDB 10.11: an
    /// ascending one runs from 1 to 2^63 - 2, a descending one from -(2^63 - 1) to -1, and
    /// starts at the end it counts from; `increment by 0` counts as ascending).
    pub fn from_options(name: String, o: SequenceOptions, options: TableOptions) -> Sequence {
        let increment = o.increment.unwrap_or(1);
        let (min, max) = if increment >= 0 {
            (1, i64::MAX - 1)
        } else {
            (i64::MIN + 1, -1)
        };
        let min = o.min.flatten().unwrap_or(min);
        let max = o.max.flatten().unwrap_or(max);
        Sequence {
            name,
            start: o.start.unwrap_or(if increment >= 0 { min } else { max }),
            min,
            max,
            increment,
            cache: o.cache.unwrap_or(1000),
            cycle: o.cycle.unwrap_or(false),
            options,
            origin: None,
        }
    }

    /// Whether two sequences are defined alike (where they came from does not count).
    pub fn same_definition(&self, other: &Sequence) -> bool {
        Sequence {
            origin: None,
            ..self.clone()
        } == Sequence {
            origin: None,
            ..other.clone()
        }
    }

    /// Whether the options `ALTER SEQUENCE` sets are the same (the table's options change
    /// through `ALTER TABLE`).
    pub fn same_sequence_options(&self, to: &Sequence) -> bool {
        (
            self.start,
            self.min,
            self.max,
            self.increment,
            self.cache,
            self.cycle,
        ) == (to.start, to.min, to.max, to.increment, to.cache, to.cycle)
    }

    /// `ALTER SEQUENCE`: what is written changes, the rest stays (`NO MINVALUE` is the
    /// default for the direction it counts in).
    pub fn alter(&mut self, o: SequenceOptions) {
        let fresh = Sequence::from_options(
            self.name.clone(),
            SequenceOptions {
                increment: o.increment.or(Some(self.increment)),
                ..SequenceOptions::default()
            },
            TableOptions::default(),
        );
        self.increment = fresh.increment;
        if let Some(min) = o.min {
            self.min = min.unwrap_or(fresh.min);
        }
        if let Some(max) = o.max {
            self.max = max.unwrap_or(fresh.max);
        }
        self.start = o.start.unwrap_or(self.start);
        self.cache = o.cache.unwrap_or(self.cache);
        self.cycle = o.cycle.unwrap_or(self.cycle);
    }
}
