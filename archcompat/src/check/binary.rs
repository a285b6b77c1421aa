//! Problems that would make exec of one classified file fail on a given host.
// TEMP SHIM (never committed)
#[allow(missing_docs)]
pub fn problems(
    _i: &crate::binary::BinaryInfo,
    _h: &crate::platform::Host,
) -> Vec<crate::finding::Finding> {
    Vec::new()
}
