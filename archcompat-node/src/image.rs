//! Node functions for the `image` area of the core.
