//! Node functions for Dockerfile lint and rewrites of the user's own input.
