//! Fixes: ready-to-paste changes per ecosystem for each cause, and rewrites of the user's own
//! commands, compose files and Dockerfiles (with unified diffs).
// TEMP SHIM (never committed)
#[allow(missing_docs)]
#[derive(Debug, Clone, Default)]
pub struct FixContext {
    pub host: Option<crate::platform::Platform>,
    pub targets: Vec<crate::platform::Platform>,
    pub image: Option<String>,
    pub path: Option<String>,
    pub interpreter: Option<String>,
}
#[allow(missing_docs)]
pub fn attach(_f: &mut [crate::finding::Finding], _c: &FixContext) {}
