//! information_schema.VIEWS rows → views: the one kind of object whose metadata (algorithm,
//! security, check option) canon reads from information_schema rather than printed DDL.

use super::record::{must, MissingColumn, Record};
use crate::model::*;

pub(super) fn view(
    row: &impl Record,
    name: String,
    definition: String,
) -> Result<View, MissingColumn> {
    Ok(View {
        name,
        columns: Vec::new(),
        query: SqlExpr {
            text: definition,
            key: String::new(),
        },
        algorithm: match must(row, "algorithm")?.as_str() {
            "MERGE" => ViewAlgorithm::Merge,
            "TEMPTABLE" => ViewAlgorithm::Temptable,
            _ => ViewAlgorithm::Undefined,
        },
        security: match must(row, "security")?.as_str() {
            "INVOKER" => ViewSecurity::Invoker,
            _ => ViewSecurity::Definer,
        },
        check_option: match must(row, "check_option")?.as_str() {
            "CASCADED" => Some(CheckOption::Cascaded),
            "LOCAL" => Some(CheckOption::Local),
            _ => None,
        },
        depends_on: Vec::new(),
        origin: None,
    })
}
