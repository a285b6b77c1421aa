//! One module per command family; each only translates between arguments, the core and output.

pub mod audit;
pub mod codes;
pub mod explain;
pub mod fix;
pub mod image;
pub mod inspect;
pub mod lint;
pub mod platform;
pub mod report;
pub mod text;
pub mod verify;
#[cfg(feature = "webhook")]
pub mod webhook;
