//! SQL text's one home below the pipeline's layers, so sources, plans, apply and render all
//! use it: quoting, and the statements canon runs for itself.

pub mod quote;
pub mod session;
