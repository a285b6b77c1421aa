//! Which JSON document is this? Raw indexes, manifests and configs (as `crane manifest`,
//! `skopeo inspect --raw`, `buildx imagetools inspect --raw` and `docker manifest inspect` print
//! them), plus the summaries `docker inspect`, `skopeo inspect` and `docker manifest inspect -v`
//! print.

use super::doc::{
    Descriptor, ImageConfig, Index, JsonLimits, check_json_limits, parse_config, parse_manifest,
};
use super::{Manifest, media};
use crate::platform::Platform;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A JSON document about an image, whatever tool printed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Document {
    /// An image index or manifest list (also what `docker manifest inspect -v` lists).
    Index(Index),
    /// An image manifest.
    Manifest(Manifest),
    /// An image config.
    Config(ImageConfig),
    /// The summary `docker inspect` or `skopeo inspect` prints.
    Inspect(InspectSummary),
}

/// What `docker inspect IMAGE` or `skopeo inspect docker://…` say about one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectSummary {
    /// Which tool's format it was (`docker inspect`, `skopeo inspect`).
    pub tool: String,
    /// Manifest digest or image id, when printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Declared platform and process.
    pub config: ImageConfig,
    /// Layer digests listed (compressed for skopeo, diff ids for docker).
    #[serde(default)]
    pub layers: Vec<String>,
}

fn strs(v: Option<&Value>) -> Option<Vec<String>> {
    v?.as_array().map(|a| {
        a.iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect()
    })
}

fn s(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_string)
}

fn summary_from_pascal(tool: &str, o: &Value) -> InspectSummary {
    let cfg = o.get("Config");
    let get = |k: &str| cfg.and_then(|c| c.get(k)).or_else(|| o.get(k));
    let mut platform = Platform::new(
        o.get("Os").and_then(Value::as_str).unwrap_or(""),
        o.get("Architecture").and_then(Value::as_str).unwrap_or(""),
        o.get("Variant").and_then(Value::as_str).unwrap_or(""),
    );
    platform.os_version = s(o.get("OsVersion")).filter(|v| !v.is_empty());
    let layers = strs(o.get("RootFS").and_then(|r| r.get("Layers")))
        .or_else(|| strs(o.get("Layers")))
        .unwrap_or_default();
    InspectSummary {
        tool: tool.to_string(),
        digest: s(o.get("Digest")).or_else(|| s(o.get("Id"))),
        config: ImageConfig {
            platform,
            entrypoint: strs(get("Entrypoint")),
            cmd: strs(get("Cmd")),
            working_dir: s(get("WorkingDir")).filter(|w| !w.is_empty()),
            env: strs(get("Env")).unwrap_or_default(),
            user: s(get("User")).filter(|u| !u.is_empty()),
            diff_ids: Vec::new(),
        },
        layers,
    }
}

/// `docker manifest inspect -v` entries: `{Ref, Descriptor{…platform}, SchemaV2Manifest|OCIManifest}`.
fn verbose_entries(input: &str, items: &[Value]) -> Result<Index> {
    let mut manifests = Vec::new();
    for it in items {
        let d = it.get("Descriptor").ok_or_else(|| {
            Error::malformed(
                input,
                "docker manifest inspect -v entry without a Descriptor",
            )
        })?;
        let d: Descriptor = serde_json::from_value(d.clone()).map_err(|e| {
            Error::malformed(
                input,
                format!("bad Descriptor in docker manifest inspect -v output: {e}"),
            )
        })?;
        manifests.push(d);
    }
    Ok(Index {
        schema_version: 2,
        media_type: Some(media::DOCKER_LIST.to_string()),
        manifests,
        annotations: Default::default(),
    })
}

/// Recognise and parse any of the JSON forms above. `input` names the document in errors.
///
/// (Example: the test `doc_examples::parse_document_example` in this file.)
pub fn parse_document(input: &str, bytes: &[u8], limits: &JsonLimits) -> Result<Document> {
    check_json_limits(input, bytes, limits)?;
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::malformed(input, format!("invalid JSON: {e}")))?;
    let v = match v {
        Value::Array(items) if items.is_empty() => {
            return Err(Error::malformed(
                input,
                "empty JSON array, nothing to inspect",
            ));
        }
        Value::Array(items) => {
            if items[0].get("Descriptor").is_some() {
                return verbose_entries(input, &items).map(Document::Index);
            }
            // `docker inspect` prints an array; take the first image.
            if items.len() > 1 {
                return Err(Error::Unsupported {
                    input: input.to_string(),
                    reason: format!(
                        "{} images in one docker inspect output; inspect one at a time",
                        items.len()
                    ),
                });
            }
            items.into_iter().next().unwrap_or(Value::Null)
        }
        v => v,
    };
    let o = v
        .as_object()
        .ok_or_else(|| Error::malformed(input, "expected a JSON object or array"))?;
    if o.contains_key("Descriptor") {
        return verbose_entries(input, std::slice::from_ref(&v)).map(Document::Index);
    }
    if o.contains_key("manifests") {
        let bytes = serde_json::to_vec(&v).unwrap_or_default();
        return super::parse_index(input, &bytes, limits).map(Document::Index);
    }
    if o.contains_key("layers")
        || o.contains_key("fsLayers")
        || o.get("schemaVersion").is_some() && o.contains_key("config")
    {
        let bytes = serde_json::to_vec(&v).unwrap_or_default();
        return parse_manifest(input, &bytes, limits).map(Document::Manifest);
    }
    if o.contains_key("rootfs") && o.contains_key("architecture") {
        return parse_config(input, bytes, limits).map(Document::Config);
    }
    if o.contains_key("Architecture") && (o.contains_key("RootFS") || o.contains_key("Id")) {
        return Ok(Document::Inspect(summary_from_pascal("docker inspect", &v)));
    }
    if o.contains_key("Architecture") && (o.contains_key("Layers") || o.contains_key("Digest")) {
        return Ok(Document::Inspect(summary_from_pascal("skopeo inspect", &v)));
    }
    Err(Error::malformed(
        input,
        "not an image index, manifest, config, or docker/skopeo inspect output",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn parse(s: &str) -> Result<Document> {
        parse_document("t.json", s.as_bytes(), &JsonLimits::default())
    }

    #[test]
    fn detects_every_form() {
        let idx = format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","manifests":[{{"digest":"{D}","size":1,"platform":{{"os":"linux","architecture":"arm64","variant":"v8"}}}}]}}"#,
            media::DOCKER_LIST
        );
        assert!(matches!(parse(&idx).unwrap(), Document::Index(_)));
        let man = format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","config":{{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"{D}","size":1}},"layers":[]}}"#,
            media::DOCKER_MANIFEST
        );
        assert!(matches!(parse(&man).unwrap(), Document::Manifest(_)));
        let cfg =
            r#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;
        assert!(matches!(parse(cfg).unwrap(), Document::Config(_)));
        let skopeo = r#"{"Name":"r/x","Digest":"sha256:1","Architecture":"s390x","Os":"linux","Layers":["sha256:2"],"Env":["PATH=/bin"]}"#;
        match parse(skopeo).unwrap() {
            Document::Inspect(s) => {
                assert_eq!(s.tool, "skopeo inspect");
                assert_eq!(s.config.platform.architecture, "s390x");
                assert_eq!(s.layers.len(), 1);
            }
            o => panic!("{o:?}"),
        }
        let verbose = format!(
            r#"[{{"Ref":"r/x@{D}","Descriptor":{{"mediaType":"{}","digest":"{D}","size":1,"platform":{{"architecture":"arm","os":"linux","variant":"v7"}}}},"SchemaV2Manifest":{{}}}}]"#,
            media::DOCKER_MANIFEST
        );
        match parse(&verbose).unwrap() {
            Document::Index(i) => {
                assert_eq!(i.manifests[0].platform.as_ref().unwrap().variant, "v7")
            }
            o => panic!("{o:?}"),
        }
        assert!(parse(r#"{"hello":1}"#).is_err());
        assert!(parse("[]").is_err());
        assert!(parse("nope").is_err());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = parse_document("fuzz.json", &bytes, &JsonLimits::default());
        }

        #[test]
        fn arbitrary_json_shapes_never_panic(s in r#"[\[\]{}":,a-zA-Z0-9 ]{0,200}"#) {
            let _ = parse_document("fuzz.json", s.as_bytes(), &JsonLimits::default());
        }
    }
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn parse_document_example() -> Result<(), Box<dyn std::error::Error>> {
        use crate::manifest::{Document, JsonLimits, parse_document};
        let docker_inspect = br#"[{"Id":"sha256:1","Architecture":"arm64","Os":"linux",
          "Config":{"Entrypoint":["/app"]},"RootFS":{"Type":"layers","Layers":[]}}]"#;
        match parse_document("inspect.json", docker_inspect, &JsonLimits::default()).unwrap() {
            Document::Inspect(s) => assert_eq!(s.config.platform.to_string(), "linux/arm64"),
            other => panic!("{other:?}"),
        }
        Ok(())
    }
}
