//! Findings from facts: what would make a binary fail on a host, and the verdict on an image.

pub mod binary;
pub mod image;
