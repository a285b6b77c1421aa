//! Node functions for explaining error logs.
