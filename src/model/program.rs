//! Stored programs: triggers, procedures, functions and events. The server keeps each body as
//! it received it (after the client stripped what it strips), so a body is text, compared as
//! the server stores it; the rest is typed.

use super::Origin;
use serde::{Deserialize, Serialize};

/// What the server stores with a program besides its definition: the `sql_mode` and the
/// character sets of the session that created it, and the database's collation at the time.
/// Drift only when asked (`programs.context: manage`); always shown in the review.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    pub sql_mode: String,
    pub character_set_client: String,
    pub collation_connection: String,
    pub database_collation: String,
}

/// Who the program runs as (`user@host`, as information_schema prints it). Not drift unless
/// the `definer` option manages it.
pub type Definer = String;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TriggerTiming {
    Before,
    After,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TriggerEvent {
    Insert,
    Update,
    Delete,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: String,
    pub table: String,
    pub timing: TriggerTiming,
    pub event: TriggerEvent,
    /// 1-based position among the table's triggers of the same timing and event
    /// (information_schema's `ACTION_ORDER`; `FOLLOWS`/`PRECEDES` in DDL decide it).
    pub action_order: u32,
    pub body: String,
    /// None where the source does not say (a DDL file without `DEFINER=`).
    pub definer: Option<Definer>,
    /// None where the source does not say (a DDL file; the server fills in its session's; a
    /// dump's `SET` lines give it).
    pub context: Option<Context>,
    #[serde(skip)]
    pub origin: Option<Origin>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RoutineKind {
    Procedure,
    Function,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ParamMode {
    In,
    Out,
    InOut,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    /// None for a function's parameters, which have no mode.
    pub mode: Option<ParamMode>,
    pub name: String,
    /// As information_schema's `DTD_IDENTIFIER` prints it (`int(11)`, `varchar(10)`), then
    /// ` CHARACTER SET cs COLLATE coll` where that is not the database's collation (normalized).
    pub data_type: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DataAccess {
    ContainsSql,
    NoSql,
    ReadsSqlData,
    ModifiesSqlData,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Security {
    Definer,
    Invoker,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routine {
    pub name: String,
    pub kind: RoutineKind,
    pub params: Vec<Param>,
    /// A function's return type, as `params`' types are written; None for a procedure.
    pub returns: Option<String>,
    pub deterministic: bool,
    pub data_access: DataAccess,
    pub security: Security,
    pub comment: String,
    pub body: String,
    pub definer: Option<Definer>,
    pub context: Option<Context>,
    #[serde(skip)]
    pub origin: Option<Origin>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// `AT timestamp`: the server stores the timestamp it evaluated.
    At { at: String },
    /// `EVERY value unit [STARTS s] [ENDS e]`; `starts` None where the source does not say
    /// (the server stores the time of creation: a server's STARTS equal to its CREATED reads
    /// as None; a dump writes it out, so a diff takes None as matching any start).
    Every {
        value: String,
        unit: String,
        starts: Option<String>,
        ends: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventStatus {
    Enabled,
    Disabled,
    /// `DISABLE ON SLAVE`: created by replication, disabled on this replica.
    DisabledOnReplica,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub name: String,
    pub schedule: Schedule,
    /// `ON COMPLETION PRESERVE`.
    pub preserve: bool,
    pub status: EventStatus,
    pub comment: String,
    pub body: String,
    pub definer: Option<Definer>,
    pub context: Option<Context>,
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// The four kinds of stored program, as statements and messages name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgramKind {
    Trigger,
    Procedure,
    Function,
    Event,
}

impl ProgramKind {
    /// The keyword of its `CREATE`/`DROP` statements.
    pub fn keyword(self) -> &'static str {
        match self {
            ProgramKind::Trigger => "TRIGGER",
            ProgramKind::Procedure => "PROCEDURE",
            ProgramKind::Function => "FUNCTION",
            ProgramKind::Event => "EVENT",
        }
    }

    /// `trigger`, `procedure`, ...: how messages name it.
    pub fn word(self) -> &'static str {
        match self {
            ProgramKind::Trigger => "trigger",
            ProgramKind::Procedure => "procedure",
            ProgramKind::Function => "function",
            ProgramKind::Event => "event",
        }
    }
}
