//! Everything that writes SQL or review text. Decides nothing: it prints what it is given.
pub mod account;
pub mod ci;
pub mod ddl;
pub mod document;
pub mod files;
pub mod html;
pub mod lint;
pub mod partition;
pub mod quote;
pub mod review;
pub mod sequence;
pub mod sql;
pub mod validation;
