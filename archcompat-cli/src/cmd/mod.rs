//! One module per command family; each only translates between arguments, the core and output.

pub mod codes;
