//! OCI image indexes, image manifests and configs (and their Docker equivalents): parsing,
//! attestation recognition and the selection of the manifest a host would pull. A fact module.
