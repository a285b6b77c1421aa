//! The documents themselves: descriptors, indexes, manifests and configs, read within limits.

use crate::platform::Platform;
use crate::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// Media types this crate recognises.
pub mod media {
    /// OCI image index.
    pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
    /// OCI image manifest.
    pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
    /// Docker manifest list (v2 schema 2).
    pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
    /// Docker image manifest (v2 schema 2).
    pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
    /// Every manifest media type a registry may serve for a reference.
    pub const ACCEPT: &[&str] = &[OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST];
}

/// Limits on JSON documents (size in bytes and nesting depth).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonLimits {
    /// Largest document accepted, in bytes.
    pub max_bytes: u64,
    /// Deepest nesting of arrays/objects accepted.
    pub max_depth: u32,
}

impl Default for JsonLimits {
    fn default() -> Self {
        JsonLimits {
            max_bytes: 8 << 20,
            max_depth: 64,
        }
    }
}

/// A content descriptor, with the platform carried exactly as written (`os.version`,
/// `os.features` included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    /// Media type of the referenced content.
    #[serde(default)]
    pub media_type: String,
    /// `sha256:…` digest of the referenced content.
    pub digest: String,
    /// Size in bytes of the referenced content.
    #[serde(default)]
    pub size: u64,
    /// Platform of the referenced manifest (index entries only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Annotations.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_map"
    )]
    pub annotations: BTreeMap<String, String>,
    /// Artifact type, when the entry is an artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
}

fn null_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    Ok(Option::<BTreeMap<String, String>>::deserialize(d)?.unwrap_or_default())
}

fn null_vec<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

impl Descriptor {
    /// Whether this index entry is a BuildKit attestation manifest (not runnable): annotated
    /// `vnd.docker.reference.type: attestation-manifest`, or with platform `unknown/unknown`.
    pub fn is_attestation(&self) -> bool {
        if self
            .annotations
            .get("vnd.docker.reference.type")
            .is_some_and(|v| v == "attestation-manifest")
        {
            return true;
        }
        self.platform
            .as_ref()
            .is_some_and(|p| p.os == "unknown" && p.architecture == "unknown")
    }

    /// Whether the descriptor points at an index (nested index).
    pub fn is_index(&self) -> bool {
        self.media_type == media::OCI_INDEX || self.media_type == media::DOCKER_LIST
    }

    /// The digest's hex part, when it is a well-formed `sha256:` digest.
    pub fn sha256_hex(&self) -> Option<&str> {
        sha256_hex(&self.digest)
    }
}

/// A serde error with the JSON key it concerns (`field "size"`), which serde_json's messages
/// (`invalid value: integer \`-1\``) leave out, when the offending value names it.
fn why(bytes: &[u8], e: &serde_json::Error) -> String {
    let msg = e.to_string();
    // `invalid value: integer \`-1\``: find the key written with that value.
    if let Some(lit) = msg
        .split_once("integer `")
        .and_then(|(_, r)| r.split_once('`'))
        .map(|(v, _)| v)
        && let Some(key) = key_of_value(bytes, lit.as_bytes())
    {
        return format!("field \"{}\": {msg}", String::from_utf8_lossy(key));
    }
    msg
}

/// The key of the first `"key": value` pair in `bytes` whose value is written as `lit` (a
/// number: not followed by another word character), the key 1 to 64 bytes without `"` or `\`.
/// A plain scan (this runs once per error; no pattern is compiled).
fn key_of_value<'a>(bytes: &'a [u8], lit: &[u8]) -> Option<&'a [u8]> {
    if lit.is_empty() || lit.len() > bytes.len() {
        return None;
    }
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    (0..=bytes.len() - lit.len()).find_map(|at| {
        if !bytes[at..].starts_with(lit) || bytes.get(at + lit.len()).is_some_and(|&b| word(b)) {
            return None;
        }
        let before = &bytes[..at];
        let before = before.trim_ascii_end().strip_suffix(b":")?;
        let before = before.trim_ascii_end().strip_suffix(b"\"")?;
        // The opening quote is at most 65 bytes back (so a long unquoted run costs nothing).
        let from = before.len().saturating_sub(65);
        let open = from + before[from..].iter().rposition(|&b| b == b'"')?;
        let key = &before[open + 1..];
        // An escaped quote is inside a key, not the start of one.
        let escaped = open > 0 && before[open - 1] == b'\\';
        (!key.is_empty() && !escaped && !key.contains(&b'\\')).then_some(key)
    })
}

/// The hex part of a well-formed `sha256:<64 hex>` digest.
pub(crate) fn sha256_hex(digest: &str) -> Option<&str> {
    let hex = digest.strip_prefix("sha256:")?;
    (hex.len() == 64
        && hex
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
    .then_some(hex)
}

/// An image index (OCI) or manifest list (Docker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    /// Always 2.
    #[serde(default)]
    pub schema_version: u32,
    /// Media type, when the document states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Entries (`null` is read as empty, as Docker 25 wrote it).
    #[serde(default, deserialize_with = "null_vec")]
    pub manifests: Vec<Descriptor>,
    /// Annotations.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_map"
    )]
    pub annotations: BTreeMap<String, String>,
}

/// An image manifest (OCI or Docker schema 2), read with `oci-spec`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Media type as stated (may be empty for OCI manifests).
    pub media_type: String,
    /// The config descriptor.
    pub config: Descriptor,
    /// Layers, base first.
    pub layers: Vec<Descriptor>,
}

/// What matters of an image config: the declared platform and the process it starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfig {
    /// Declared platform (`architecture`, `os`, `variant`, `os.version`, `os.features`).
    pub platform: Platform,
    /// `config.Entrypoint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    /// `config.Cmd`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    /// `config.WorkingDir`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// `config.Env`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// `config.User`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// `rootfs.diff_ids` (uncompressed layer digests).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diff_ids: Vec<String>,
}

impl ImageConfig {
    /// The value of `PATH` in `Env`, if set.
    pub fn path_var(&self) -> Option<&str> {
        self.env.iter().find_map(|e| e.strip_prefix("PATH="))
    }
}

/// Check size and nesting depth, then parse JSON. `input` names the document in errors.
pub fn parse_json(input: &str, bytes: &[u8], limits: &JsonLimits) -> Result<serde_json::Value> {
    check_json_limits(input, bytes, limits)?;
    serde_json::from_slice(bytes).map_err(|e| Error::malformed(input, format!("invalid JSON: {e}")))
}

pub(crate) fn check_json_limits(input: &str, bytes: &[u8], limits: &JsonLimits) -> Result<()> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(Error::LimitExceeded {
            input: input.to_string(),
            reason: format!(
                "JSON document is {} bytes, the limit is {} (raise --max-json-bytes)",
                bytes.len(),
                limits.max_bytes
            ),
        });
    }
    // Depth scan that understands strings, so brackets inside strings do not count.
    let (mut depth, mut in_str, mut esc) = (0u32, false, false);
    for &b in bytes {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(Error::LimitExceeded {
                        input: input.to_string(),
                        reason: format!("JSON nesting deeper than {}", limits.max_depth),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Parse an image index or Docker manifest list.
///
/// (Example: the test `doc_examples::parse_index_example` in this file.)
pub fn parse_index(input: &str, bytes: &[u8], limits: &JsonLimits) -> Result<Index> {
    check_json_limits(input, bytes, limits)?;
    let idx: Index = serde_json::from_slice(bytes)
        .map_err(|e| Error::malformed(input, format!("not an image index: {}", why(bytes, &e))))?;
    for d in &idx.manifests {
        if sha256_hex(&d.digest).is_none() {
            return Err(Error::malformed(
                input,
                format!("index entry has an unsupported digest {:?}", d.digest),
            ));
        }
    }
    Ok(idx)
}

fn convert_descriptor(d: &oci_spec::image::Descriptor) -> Descriptor {
    Descriptor {
        media_type: d.media_type().to_string(),
        digest: d.digest().to_string(),
        size: d.size(),
        platform: None,
        annotations: d
            .annotations()
            .as_ref()
            .map(|a| a.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        artifact_type: d.artifact_type().as_ref().map(|m| m.to_string()),
    }
}

/// Parse an image manifest (OCI or Docker schema 2) with `oci-spec`.
pub fn parse_manifest(input: &str, bytes: &[u8], limits: &JsonLimits) -> Result<Manifest> {
    check_json_limits(input, bytes, limits)?;
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::malformed(input, format!("invalid JSON: {e}")))?;
    if v.get("schemaVersion").and_then(|s| s.as_u64()) == Some(1) {
        return Err(Error::Unsupported {
            input: input.to_string(),
            reason: "Docker schema 1 manifest (deprecated, carries no image config); re-push the image with a current client".into(),
        });
    }
    if let Some(mt) = v.pointer("/config/mediaType").and_then(|m| m.as_str())
        && !mt.is_empty()
        && mt != "application/vnd.oci.image.config.v1+json"
        && mt != "application/vnd.docker.container.image.v1+json"
    {
        let at = v
            .get("artifactType")
            .and_then(|a| a.as_str())
            .map(|a| format!("artifactType {a}, "))
            .unwrap_or_default();
        return Err(Error::Unsupported {
            input: input.to_string(),
            reason: format!(
                "an OCI artifact ({at}config media type {mt}), not a runnable image: there is no platform or entrypoint to check"
            ),
        });
    }
    let m: oci_spec::image::ImageManifest = serde_json::from_value(v).map_err(|e| {
        Error::malformed(input, format!("not an image manifest: {}", why(bytes, &e)))
    })?;
    let out = Manifest {
        media_type: m
            .media_type()
            .as_ref()
            .map(|m| m.to_string())
            .unwrap_or_default(),
        config: convert_descriptor(m.config()),
        layers: m.layers().iter().map(convert_descriptor).collect(),
    };
    for d in std::iter::once(&out.config).chain(&out.layers) {
        if sha256_hex(&d.digest).is_none() {
            return Err(Error::malformed(
                input,
                format!("unsupported digest {:?} (only sha256 is read)", d.digest),
            ));
        }
    }
    Ok(out)
}

/// Parse an image config with `oci-spec` and keep what matters.
pub fn parse_config(input: &str, bytes: &[u8], limits: &JsonLimits) -> Result<ImageConfig> {
    check_json_limits(input, bytes, limits)?;
    let c: oci_spec::image::ImageConfiguration = serde_json::from_slice(bytes)
        .map_err(|e| {
            let v: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
            if v.get("architecture").is_none() && v.get("os").is_none() {
                return Error::Unsupported {
                    input: input.to_string(),
                    reason: "not an image config: it states no architecture or os (an OCI artifact's or attestation's config, not a runnable image)".into(),
                };
            }
            Error::malformed(input, format!("not an image config: {}", why(bytes, &e)))
        })?;
    let mut platform = Platform::new(
        &c.os().to_string(),
        &c.architecture().to_string(),
        c.variant().as_deref().unwrap_or(""),
    );
    platform.os_version = c.os_version().clone();
    platform.os_features = c.os_features().clone().unwrap_or_default();
    let cfg = c.config().as_ref();
    Ok(ImageConfig {
        platform,
        entrypoint: cfg.and_then(|c| c.entrypoint().clone()),
        cmd: cfg.and_then(|c| c.cmd().clone()),
        working_dir: cfg
            .and_then(|c| c.working_dir().clone())
            .filter(|w| !w.is_empty()),
        env: cfg.and_then(|c| c.env().clone()).unwrap_or_default(),
        user: cfg.and_then(|c| c.user().clone()).filter(|u| !u.is_empty()),
        diff_ids: c.rootfs().diff_ids().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    #[test]
    fn index_keeps_os_version_and_recognises_attestations() {
        let json = format!(
            r#"{{"schemaVersion":2,"manifests":[
            {{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{D}","size":10,
              "platform":{{"architecture":"unknown","os":"unknown"}},
              "annotations":{{"vnd.docker.reference.type":"attestation-manifest"}}}},
            {{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{D}","size":10,
              "platform":{{"architecture":"amd64","os":"windows","os.version":"10.0.17763.1","os.features":["win32k"]}}}}]}}"#
        );
        let idx = parse_index("t", json.as_bytes(), &JsonLimits::default()).unwrap();
        assert!(idx.manifests[0].is_attestation());
        assert!(!idx.manifests[1].is_attestation());
        let p = idx.manifests[1].platform.as_ref().unwrap();
        assert_eq!(p.os_features, vec!["win32k".to_string()]);
        assert_eq!(p.os_version.as_deref(), Some("10.0.17763.1"));
    }

    #[test]
    fn null_manifests_is_an_empty_index() {
        let idx = parse_index(
            "t",
            br#"{"schemaVersion":2,"manifests":null}"#,
            &JsonLimits::default(),
        )
        .unwrap();
        assert!(idx.manifests.is_empty());
    }

    #[test]
    fn limits_trip_with_the_input_named() {
        let deep = "[".repeat(100) + &"]".repeat(100);
        let e = parse_json("deep.json", deep.as_bytes(), &JsonLimits::default()).unwrap_err();
        assert!(e.to_string().contains("deep.json"), "{e}");
        assert_eq!(e.kind(), "limit-exceeded");
        // Brackets inside strings do not count.
        let s = format!("{{\"a\":\"{}\"}}", "[".repeat(100));
        parse_json("s.json", s.as_bytes(), &JsonLimits::default()).unwrap();
        let big = JsonLimits {
            max_bytes: 4,
            max_depth: 64,
        };
        assert!(parse_json("b.json", b"[1,2,3]", &big).is_err());
    }

    #[test]
    fn schema1_is_unsupported_with_a_reason() {
        let e = parse_manifest(
            "m",
            br#"{"schemaVersion":1,"name":"x","fsLayers":[]}"#,
            &JsonLimits::default(),
        )
        .unwrap_err();
        assert_eq!(e.kind(), "unsupported");
    }

    #[test]
    fn config_reads_process_and_platform() {
        let json = br#"{"architecture":"arm","os":"linux","variant":"v7",
          "config":{"Entrypoint":["/bin/app"],"Cmd":["--x"],"Env":["PATH=/usr/bin:/bin"],"WorkingDir":"/srv"},
          "rootfs":{"type":"layers","diff_ids":[]}}"#;
        let c = parse_config("c", json, &JsonLimits::default()).unwrap();
        assert_eq!(c.platform.to_string(), "linux/arm/v7");
        assert_eq!(c.entrypoint.as_deref(), Some(&["/bin/app".to_string()][..]));
        assert_eq!(c.path_var(), Some("/usr/bin:/bin"));
        assert_eq!(c.working_dir.as_deref(), Some("/srv"));
    }

    #[test]
    fn serde_errors_name_the_field_and_artifact_configs_say_what_they_are() {
        let m = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{D}","size":-1}},"layers":[]}}"#
        );
        let e = parse_manifest("m.json", m.as_bytes(), &JsonLimits::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("field \"size\"") && e.contains("-1"), "{e}");
        let e = parse_config("c.json", b"{}", &JsonLimits::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("artifact"), "{e}");
    }

    #[test]
    fn the_key_of_a_value_is_found_by_a_plain_scan() {
        let k = |b: &str, l: &str| {
            key_of_value(b.as_bytes(), l.as_bytes())
                .map(|k| String::from_utf8_lossy(k).into_owned())
        };
        assert_eq!(
            k(r#"{"a": 1, "size" :  -1}"#, "-1").as_deref(),
            Some("size")
        );
        // `-10` is not `-1`; the first pair written with the value wins.
        assert_eq!(k(r#"{"x":-10,"y":-1,"z":-1}"#, "-1").as_deref(), Some("y"));
        // Not after a key: an array element, a key with an escape, a key over 64 bytes.
        assert_eq!(k(r#"[-1, 2]"#, "-1"), None);
        assert_eq!(k(r#"{"a\"b":-1}"#, "-1"), None);
        let long = format!(r#"{{"{}":-1}}"#, "k".repeat(65));
        assert_eq!(k(&long, "-1"), None);
        let max = format!(r#"{{"{}":-1}}"#, "k".repeat(64));
        assert_eq!(k(&max, "-1"), Some("k".repeat(64)));
        assert_eq!(k("", "-1"), None);
    }
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn parse_index_example() {
        use crate::manifest::{JsonLimits, parse_index};
        let json = br#"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
          "digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1,
          "platform":{"os":"windows","architecture":"amd64","os.version":"10.0.20348.1"}}]}"#;
        let idx = parse_index("index.json", json, &JsonLimits::default()).unwrap();
        let p = idx.manifests[0].platform.as_ref().unwrap();
        assert_eq!(p.os_version.as_deref(), Some("10.0.20348.1"));
    }
}
