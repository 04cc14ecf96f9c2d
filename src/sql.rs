//! SQL text's home below the pipeline's layers, so sources, plans, apply and render all use
//! it: quoting, a table, view or stored program as `CREATE` DDL, and the statements canon
//! runs for itself.
//! Plan steps as statements are render's (`render/sql.rs`): they are made of plan types.

pub mod ddl;
mod label;
pub mod osc;
mod partition;
pub mod program;
pub mod program_steps;
pub mod quote;
pub mod sequence;
pub mod session;
pub mod steps;
