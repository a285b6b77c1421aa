//! Node functions for the `binary` area of the core.
