//! Node functions for the `platform` area of the core.
