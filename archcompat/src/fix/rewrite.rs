//! Rewrites of the user's own input — a docker/buildx/compose command line, a compose file or a
//! Dockerfile — into a corrected version plus a unified diff, keeping everything else exactly.
