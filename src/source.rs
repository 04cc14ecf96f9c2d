//! Where schemas come from: DDL files and dumps (and, later, live servers).
pub mod ddl;
pub mod live;
