//! Everything that writes SQL or review text. Decides nothing: it prints what it is given.
pub mod ci;
pub mod data_checks;
pub mod files;
pub mod fleet;
pub mod html;
pub mod lint;
pub mod review;
pub mod validation;
