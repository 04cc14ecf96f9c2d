//! Everything that writes SQL or review text. Decides nothing: it prints what it is given.
pub mod ddl;
pub mod quote;
