//! How every message names an object, so a backtick in a name is doubled in all of them.

use crate::model::ObjectKind;

impl ObjectKind {
    /// How every message names an object: table `a``b`, the name quoted as SQL quotes it.
    pub fn label(self, name: &str) -> String {
        let kind = match self {
            ObjectKind::Table => "table",
            ObjectKind::View => "view",
            ObjectKind::Sequence => "sequence",
        };
        format!("{kind} {}", super::quote::ident(name))
    }
}
