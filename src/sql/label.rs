//! How every message names an object, so a backtick in a name is doubled in all of them.

use crate::model::ObjectKind;

impl ObjectKind {
    /// How every message names an object: table `a``b`, the name quoted as SQL quotes it.
    pub fn label(self, name: &str) -> String {
        format!("{} {}", self.word(), super::quote::ident(name))
    }

    /// The kind as a word: `table`, `trigger`, ...
    pub fn word(self) -> &'static str {
        match self {
            ObjectKind::Table => "table",
            ObjectKind::View => "view",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Procedure => "procedure",
            ObjectKind::Function => "function",
            ObjectKind::Event => "event",
        }
    }

    pub const ALL: [ObjectKind; 7] = [
        ObjectKind::Table,
        ObjectKind::View,
        ObjectKind::Sequence,
        ObjectKind::Trigger,
        ObjectKind::Procedure,
        ObjectKind::Function,
        ObjectKind::Event,
    ];
}
