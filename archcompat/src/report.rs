//! Rendering findings to exchange formats: SARIF 2.1.0.
