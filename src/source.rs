//! Where schemas come from: DDL files and dumps, and live servers.
pub mod ddl;
pub mod live;
pub mod shown;

pub use shown::Shown;
