pub mod flavor;
pub mod model;
pub mod source;
pub mod sqlexpr;
