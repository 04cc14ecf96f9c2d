pub mod flavor;
pub mod model;
pub mod render;
pub mod source;
pub mod sqlexpr;
