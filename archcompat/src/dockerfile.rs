//! Dockerfile architecture hazards: parse, lint with line numbers.
