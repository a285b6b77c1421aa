//! Redaction of secrets from any user text we echo (evidence, diffs, snippets).
