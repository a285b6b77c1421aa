//! Registry sources (`docker://HOST/REPO:TAG` or `@sha256:…`) through the oci-client crate
//! (feature `registry`). A loopback registry is reached over plain HTTP, as Docker does; any
//! other over HTTPS unless `insecure`. Credentials: podman's auth.json (`REGISTRY_AUTH_FILE`,
//! `$XDG_RUNTIME_DIR/containers/auth.json`), then the Docker config (`DOCKER_CONFIG`,
//! `~/.docker/config.json`, credential helpers), with Docker Hub's legacy key mapped;
//! anonymous otherwise. Basic and token (Bearer challenge) auth are negotiated by oci-client.
//! Blobs are streamed: the async byte stream is bridged to `Read` on a private runtime.

use super::Options;
use super::source::{Root, Store};
use crate::manifest::{Descriptor, JsonLimits, media};
use crate::{Error, Result};
use futures_util::StreamExt;
use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

pub(crate) struct Registry {
    input: String,
    rt: tokio::runtime::Runtime,
    client: Client,
    reference: Reference,
    auth: RegistryAuth,
    manifests: HashMap<String, Vec<u8>>,
}

pub(super) fn is_loopback(registry: &str) -> bool {
    let host = if let Some(rest) = registry.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        registry.split(':').next().unwrap_or("")
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The keys a credential may be stored under for `registry`.
fn auth_keys(registry: &str) -> Vec<String> {
    if registry == "docker.io"
        || registry == "index.docker.io"
        || registry == "registry-1.docker.io"
    {
        vec![
            "https://index.docker.io/v1/".into(),
            "docker.io".into(),
            "index.docker.io".into(),
        ]
    } else {
        vec![
            registry.to_string(),
            format!("https://{registry}"),
            format!("http://{registry}"),
        ]
    }
}

fn to_auth(c: docker_credential::DockerCredential) -> Option<RegistryAuth> {
    match c {
        docker_credential::DockerCredential::UsernamePassword(u, p) => {
            Some(RegistryAuth::Basic(u, p))
        }
        docker_credential::DockerCredential::IdentityToken(_) => None,
    }
}

pub(super) fn credentials(registry: &str) -> RegistryAuth {
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("REGISTRY_AUTH_FILE") {
        files.push(p.into());
    }
    if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR") {
        files.push(PathBuf::from(d).join("containers/auth.json"));
    }
    for f in &files {
        for key in auth_keys(registry) {
            if let Ok(file) = std::fs::File::open(f)
                && let Ok(c) = docker_credential::get_credential_from_reader(file, &key)
                && let Some(a) = to_auth(c)
            {
                return a;
            }
        }
    }
    for key in auth_keys(registry) {
        if let Ok(c) = docker_credential::get_credential(&key)
            && let Some(a) = to_auth(c)
        {
            return a;
        }
    }
    RegistryAuth::Anonymous
}

impl Registry {
    pub(crate) fn open(reference: &str, opts: &Options) -> Result<Registry> {
        let input = format!("docker://{reference}");
        let r: Reference = reference
            .parse()
            .map_err(|e| Error::malformed(&input, format!("not a registry reference: {e}")))?;
        let registry = r.resolve_registry().to_string();
        let protocol = if opts.insecure {
            ClientProtocol::Http
        } else if is_loopback(r.registry()) {
            ClientProtocol::HttpsExcept(vec![r.registry().to_string(), registry.clone()])
        } else {
            ClientProtocol::Https
        };
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = Client::new(ClientConfig {
            protocol,
            accept_invalid_certificates: opts.insecure,
            connect_timeout: Some(std::time::Duration::from_secs(20)),
            read_timeout: Some(std::time::Duration::from_secs(120)),
            ..ClientConfig::default()
        });
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io(&input, e))?;
        Ok(Registry {
            auth: credentials(r.registry()),
            input,
            rt,
            client,
            reference: r,
            manifests: HashMap::new(),
        })
    }

    fn err(&self, what: &str, e: impl std::fmt::Display) -> Error {
        Error::Malformed {
            input: self.input.clone(),
            reason: format!("{what}: {e}"),
        }
    }

    fn at_digest(&self, digest: &str) -> Reference {
        Reference::with_digest(
            self.reference.registry().to_string(),
            self.reference.repository().to_string(),
            digest.to_string(),
        )
    }
}

fn is_manifest_type(m: &str) -> bool {
    media::ACCEPT.contains(&m)
}

struct BlobReader<'a> {
    rt: &'a tokio::runtime::Runtime,
    stream: oci_client::client::SizedStream,
    cur: bytes::Bytes,
    /// The stream ended (it must not be polled again: its digest check would run twice).
    done: bool,
}

impl Read for BlobReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.cur.is_empty() {
            if self.done {
                return Ok(0);
            }
            match self.rt.block_on(self.stream.next()) {
                None => {
                    self.done = true;
                    return Ok(0);
                }
                Some(Ok(b)) => self.cur = b,
                Some(Err(e)) => return Err(e),
            }
        }
        let n = buf.len().min(self.cur.len());
        buf[..n].copy_from_slice(&self.cur.split_to(n));
        Ok(n)
    }
}

impl Store for Registry {
    fn open(&mut self, d: &Descriptor) -> Result<Option<Box<dyn Read + '_>>> {
        if is_manifest_type(&d.media_type) || self.manifests.contains_key(&d.digest) {
            if let Some(b) = self.manifests.get(&d.digest) {
                return Ok(Some(Box::new(std::io::Cursor::new(b.clone()))));
            }
            let r = self.at_digest(&d.digest);
            let (bytes, _) = self
                .rt
                .block_on(self.client.pull_manifest_raw(&r, &self.auth, media::ACCEPT))
                .map_err(|e| self.err(&format!("cannot pull manifest {}", d.digest), e))?;
            return Ok(Some(Box::new(std::io::Cursor::new(bytes.to_vec()))));
        }
        let r = self.at_digest(&d.digest);
        let stream = self
            .rt
            .block_on(self.client.pull_blob_stream(&r, d.digest.as_str()))
            .map_err(|e| self.err(&format!("cannot pull blob {}", d.digest), e))?;
        Ok(Some(Box::new(BlobReader {
            rt: &self.rt,
            stream,
            cur: bytes::Bytes::new(),
            done: false,
        })))
    }

    fn has(&mut self, _d: &Descriptor) -> bool {
        true
    }

    fn root(&mut self, limits: &JsonLimits) -> Result<Root> {
        let (bytes, digest) = self
            .rt
            .block_on(
                self.client
                    .pull_manifest_raw(&self.reference, &self.auth, media::ACCEPT),
            )
            .map_err(|e| self.err("cannot pull manifest", e))?;
        crate::manifest::parse_json(&self.input, &bytes, limits)?;
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let media_type = v
            .get("mediaType")
            .and_then(|m| m.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| {
                if v.get("manifests").is_some() {
                    media::OCI_INDEX.to_string()
                } else {
                    media::OCI_MANIFEST.to_string()
                }
            });
        self.manifests.insert(digest.clone(), bytes.to_vec());
        Ok(Root::Desc(Descriptor {
            media_type,
            digest,
            size: bytes.len() as u64,
            platform: None,
            annotations: Default::default(),
            artifact_type: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_use_plain_http() {
        for h in [
            "127.0.0.1:5000",
            "localhost:5000",
            "localhost",
            "[::1]:5000",
            "127.1.2.3",
        ] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["registry.example.com", "10.0.0.1:5000", "docker.io"] {
            assert!(!is_loopback(h), "{h}");
        }
    }

    #[test]
    fn docker_hub_maps_to_its_legacy_key() {
        assert_eq!(auth_keys("docker.io")[0], "https://index.docker.io/v1/");
    }
}
