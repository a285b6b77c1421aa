//! Node functions for the `diagnose` area of the core.
