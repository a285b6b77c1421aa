//! OCI image indexes, image manifests and configs (and their Docker equivalents): parsing,
//! detection of every JSON form users paste (`docker inspect`, `docker manifest inspect -v`,
//! `skopeo inspect`, `crane manifest`, `buildx imagetools inspect --raw`), attestation
//! recognition, and the selection of the manifest a host would pull. A fact module.
//!
//! Manifests and configs are read with `oci-spec`; image-index descriptors use this module's
//! own [`Descriptor`], because `oci-spec`'s descriptor platform drops `os.version` and
//! `os.features` (youki-dev/oci-spec-rs#163).

mod detect;
mod doc;
pub mod select;

pub use detect::{Document, parse_document};
pub use doc::{
    Descriptor, ImageConfig, Index, JsonLimits, Manifest, media, parse_config, parse_index,
    parse_json, parse_manifest,
};
pub use select::{EntryReport, EntryStatus, Selection, select};
