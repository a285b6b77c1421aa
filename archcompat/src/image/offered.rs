//! The platforms an image offers, read without its layers: the index entries (nested indexes
//! flattened), or the one image's declared platform from its config. This is what an admission
//! check or a registry audit needs before it decides whether a node can pull the image.

use super::source::{Root, SourceSpec, Store};
use super::{Options, flatten, looks_like_index, need_json_blob};
use crate::manifest::{Descriptor, Document, Selection, parse_config, parse_index, select};
use crate::platform::{Host, Platform, Runs};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// What an image offers: its digest and the manifests a puller chooses among.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offered {
    /// The SOURCE as given.
    pub source: String,
    /// Digest of the index or manifest the source names, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Whether the source is an index (several entries) rather than one image.
    pub is_index: bool,
    /// The entries to choose among (one, with the config's platform, for a single image).
    pub entries: Vec<Descriptor>,
}

/// How one target platform fares against what an image offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// The target (a node's platform).
    pub target: Platform,
    /// The entry the target would pull, with how it runs there; absent when none runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pulls: Option<Pulled>,
    /// Every entry and its fate for this target.
    pub selection: Selection,
}

/// The entry a target pulls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pulled {
    /// Manifest digest.
    pub digest: String,
    /// Its declared platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// How the target runs it (native, compatible, emulated).
    pub runs: Runs,
}

impl Offered {
    /// The runnable platforms offered (attestation entries and entries without a platform left out).
    pub fn platforms(&self) -> Vec<Platform> {
        self.entries
            .iter()
            .filter(|d| !d.is_attestation())
            .filter_map(|d| d.platform.clone())
            .collect()
    }

    /// How many entries are attestation manifests (provenance/SBOM, `unknown/unknown`).
    pub fn attestations(&self) -> usize {
        self.entries.iter().filter(|d| d.is_attestation()).count()
    }

    /// Whether every entry's platform is known (an index entry may omit it).
    pub fn platforms_known(&self) -> bool {
        self.entries
            .iter()
            .all(|d| d.is_attestation() || d.platform.is_some())
    }

    /// What `host` would pull, containerd's way, and how it runs it.
    pub fn coverage(&self, host: &Host) -> Coverage {
        let selection = select(&self.entries, host);
        let pulls = selection.selected.and_then(|i| {
            let d = &self.entries[i];
            let runs = selection.entries[i].runs.unwrap_or(Runs::Native);
            (runs != Runs::No).then(|| Pulled {
                digest: d.digest.clone(),
                platform: d.platform.clone(),
                runs,
            })
        });
        Coverage {
            target: host.platform.clone(),
            pulls,
            selection,
        }
    }
}

/// Read what `source` offers (any SOURCE `archcompat image` takes), fetching only the index,
/// and for a single image its manifest and config, never a layer.
///
/// ```
/// use archcompat::{Options, offered};
/// let o = offered("../examples/hello-multiarch", &Options::default())?;
/// assert!(o.is_index);
/// let platforms: Vec<String> = o.platforms().iter().map(|p| p.to_string()).collect();
/// assert_eq!(platforms, ["linux/amd64", "linux/arm64/v8"]);
/// assert_eq!(o.attestations(), 1);
/// # Ok::<(), archcompat::Error>(())
/// ```
pub fn offered(source: &str, opts: &Options) -> Result<Offered> {
    let mut store = super::open_store(source, &SourceSpec::parse(source)?, opts)
        .map_err(|e| super::with_source(e, source))?;
    offered_in(source, store.as_mut(), opts).map_err(|e| super::with_source(e, source))
}

fn single(source: &str, digest: String, media_type: String, platform: Platform) -> Offered {
    Offered {
        source: source.to_string(),
        digest: Some(digest.clone()).filter(|d| !d.is_empty()),
        is_index: false,
        entries: vec![Descriptor {
            media_type,
            digest,
            size: 0,
            platform: Some(platform),
            annotations: Default::default(),
            artifact_type: None,
        }],
    }
}

fn offered_in(source: &str, store: &mut dyn Store, opts: &Options) -> Result<Offered> {
    let limits = &opts.limits;
    let index = |store: &mut dyn Store, digest: Option<String>, idx| -> Result<Offered> {
        let mut entries = Vec::new();
        flatten(
            store,
            &idx,
            limits,
            0,
            &mut Default::default(),
            &mut entries,
        )?;
        Ok(Offered {
            source: source.to_string(),
            digest,
            is_index: true,
            entries,
        })
    };
    match store.root(&limits.json)? {
        Root::Index(idx) => index(store, None, idx),
        Root::Legacy { config, .. } => {
            let bytes = need_json_blob(store, &config, limits, "config")?;
            let cfg = parse_config(&config.digest, &bytes, &limits.json)?;
            Ok(single(
                source,
                config.digest,
                config.media_type,
                cfg.platform,
            ))
        }
        Root::Desc(d) => {
            let bytes = need_json_blob(store, &d, limits, "manifest")?;
            if d.is_index() || looks_like_index(&bytes) {
                let idx = parse_index(&d.digest, &bytes, &limits.json)?;
                return index(store, Some(d.digest.clone()), idx);
            }
            let m = crate::manifest::parse_manifest(&d.digest, &bytes, &limits.json)?;
            let cfg_bytes = need_json_blob(store, &m.config, limits, "config")?;
            let cfg = parse_config(&m.config.digest, &cfg_bytes, &limits.json)?;
            Ok(single(source, d.digest, d.media_type, cfg.platform))
        }
        Root::Doc(Document::Index(idx)) => index(store, None, idx),
        Root::Doc(Document::Config(c)) => {
            Ok(single(source, String::new(), String::new(), c.platform))
        }
        Root::Doc(Document::Inspect(s)) => Ok(single(
            source,
            s.digest.unwrap_or_default(),
            String::new(),
            s.config.platform,
        )),
        Root::Doc(Document::Manifest(m)) => Err(Error::malformed(
            source,
            format!(
                "an image manifest alone states no platform (its config {} does)",
                m.config.digest
            ),
        )),
    }
}
