//! Fixes: ready-to-paste changes per ecosystem for each cause, and rewrites of the user's own
//! commands, compose files and Dockerfiles (with unified diffs).

pub mod rewrite;
