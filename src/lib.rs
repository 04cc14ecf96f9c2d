pub mod diff;
pub mod flavor;
pub mod model;
pub mod plan;
pub mod render;
pub mod source;
pub mod sqlexpr;
