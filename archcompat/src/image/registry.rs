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
use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference, RegistryOperation};
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub(crate) struct Registry {
    input: String,
    rt: tokio::runtime::Runtime,
    /// Token negotiation (Basic and Bearer challenges).
    client: Client,
    /// Every manifest and blob request, so bodies, deadline and rate stay bounded here.
    http: reqwest::Client,
    scheme: &'static str,
    reference: Reference,
    auth: RegistryAuth,
    authz: Option<Authz>,
    manifests: HashMap<String, Vec<u8>>,
    limits: super::Limits,
    deadline: Instant,
}

/// What each request carries, once negotiated.
#[derive(Clone)]
enum Authz {
    None,
    Bearer(String),
    Basic(String, String),
}

/// An error and every cause below it (`connection refused`, `failed to lookup address`, …).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !out.contains(&t) {
            out.push_str(": ");
            out.push_str(&t);
        }
        cur = c.source();
    }
    out
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
        let plain = opts.insecure || is_loopback(r.registry());
        let protocol = if opts.insecure {
            ClientProtocol::Http
        } else if plain {
            ClientProtocol::HttpsExcept(vec![r.registry().to_string(), registry.clone()])
        } else {
            ClientProtocol::Https
        };
        let _ = rustls::crypto::ring::default_provider().install_default();
        let limits = opts.limits;
        let stall = Duration::from_secs(limits.registry_grace_secs.max(1));
        let client = Client::new(ClientConfig {
            protocol,
            accept_invalid_certificates: opts.insecure,
            connect_timeout: Some(Duration::from_secs(20).min(stall)),
            read_timeout: Some(stall),
            ..ClientConfig::default()
        });
        let http = reqwest::Client::builder()
            .danger_accept_invalid_certs(opts.insecure)
            .connect_timeout(Duration::from_secs(20).min(stall))
            // Our own stall check (below, per body) speaks first; this catches stalled headers.
            .read_timeout(stall + Duration::from_secs(5))
            .user_agent(concat!("archcompat/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                Error::malformed(
                    &input,
                    format!("cannot start an HTTP client: {}", chain(&e)),
                )
            })?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io(&input, e))?;
        Ok(Registry {
            auth: credentials(r.registry()),
            input,
            rt,
            client,
            http,
            scheme: if plain { "http" } else { "https" },
            reference: r,
            authz: None,
            manifests: HashMap::new(),
            limits,
            deadline: Instant::now() + Duration::from_secs(limits.registry_deadline_secs),
        })
    }

    fn err(&self, what: &str, e: impl std::fmt::Display) -> Error {
        Error::Registry {
            input: self.input.clone(),
            reason: format!("{what}: {e}"),
        }
    }

    fn limit(&self, reason: String) -> Error {
        Error::LimitExceeded {
            input: self.input.clone(),
            reason,
        }
    }

    /// Run `fut` on the private runtime within what is left of the image's deadline.
    fn run<T>(&self, what: &str, fut: impl std::future::Future<Output = T>) -> Result<T> {
        run_until(&self.rt, self.deadline, fut).ok_or_else(|| {
            self.limit(format!(
                "{what}: not done within the {}-second deadline for the whole image (--registry-timeout)",
                self.limits.registry_deadline_secs
            ))
        })
    }

    fn authz(&mut self) -> Result<Authz> {
        if let Some(a) = &self.authz {
            return Ok(a.clone());
        }
        let token = self
            .run(
                "authenticating",
                self.client
                    .auth(&self.reference, &self.auth, RegistryOperation::Pull),
            )?
            .map_err(|e| self.err("cannot authenticate", chain(&e)))?;
        let a = match (token, &self.auth) {
            (Some(t), _) => Authz::Bearer(t),
            (None, RegistryAuth::Basic(u, p)) => Authz::Basic(u.clone(), p.clone()),
            _ => Authz::None,
        };
        self.authz = Some(a.clone());
        Ok(a)
    }

    fn url(&self, kind: &str, what: &str) -> String {
        format!(
            "{}://{}/v2/{}/{kind}/{what}",
            self.scheme,
            self.reference.resolve_registry(),
            self.reference.repository()
        )
    }

    /// GET `url`; a response that is not a success is an error naming the status and (the
    /// start of) what the registry said.
    fn get(&mut self, url: &str, accept: Option<&str>, what: &str) -> Result<reqwest::Response> {
        let mut req = self.http.get(url);
        if let Some(a) = accept {
            req = req.header("Accept", a);
        }
        req = match self.authz()? {
            Authz::None => req,
            Authz::Bearer(t) => req.bearer_auth(t),
            Authz::Basic(u, p) => req.basic_auth(u, Some(p)),
        };
        let res = self
            // Built inside the runtime: reqwest arms its timers when the request is sent.
            .run(what, async move { req.send().await })?
            .map_err(|e| self.err(&format!("cannot {what}"), chain(&e)))?;
        if res.status().is_success() {
            return Ok(res);
        }
        let status = res.status();
        let mut body = Body::new(res, self, 64 << 10);
        let mut text = Vec::new();
        // The error body is only a hint: read a bounded prefix of it.
        let _ = body.read_to_end(&mut text);
        let text = String::from_utf8_lossy(&text);
        let text: String = text.chars().filter(|c| !c.is_control()).take(300).collect();
        Err(self.err(
            &format!("cannot {what}"),
            format!(
                "HTTP {status}{}",
                if text.is_empty() {
                    String::new()
                } else {
                    format!(": {text}")
                }
            ),
        ))
    }

    /// A manifest by tag or digest, at most `registry_max_body` (and the JSON limit) bytes.
    fn manifest(&mut self, at: &str, limits: &JsonLimits) -> Result<Vec<u8>> {
        let url = self.url("manifests", at);
        let what = format!("pull manifest {at}");
        let res = self.get(&url, Some(&media::ACCEPT.join(", ")), &what)?;
        let max = self.limits.registry_max_body.min(limits.max_bytes);
        let mut v = Vec::new();
        Body::new(res, self, max + 1)
            .read_to_end(&mut v)
            .map_err(|e| self.io(&what, e))?;
        if v.len() as u64 > max {
            return Err(self.limit(format!("{what}: the manifest is larger than {max} bytes")));
        }
        Ok(v)
    }

    fn io(&self, what: &str, e: std::io::Error) -> Error {
        match e
            .get_ref()
            .and_then(|i| i.downcast_ref::<super::tar::LimitHit>())
        {
            Some(s) => self.limit(format!("{what}: {}", s.0)),
            None => self.err(&format!("cannot {what}"), chain(&e)),
        }
    }
}

fn run_until<T>(
    rt: &tokio::runtime::Runtime,
    deadline: Instant,
    fut: impl std::future::Future<Output = T>,
) -> Option<T> {
    let left = deadline.saturating_duration_since(Instant::now());
    // The timer must be created inside the runtime.
    rt.block_on(async move { tokio::time::timeout(left, fut).await })
        .ok()
}

fn is_manifest_type(m: &str) -> bool {
    media::ACCEPT.contains(&m)
}

/// A response body read as `Read`: at most `max` bytes, within the image's deadline, never
/// slower on average than `registry_min_rate` once `registry_grace_secs` have passed, and
/// never silent for longer than the grace period.
struct Body<'a> {
    rt: &'a tokio::runtime::Runtime,
    res: reqwest::Response,
    cur: bytes::Bytes,
    done: bool,
    max: u64,
    got: u64,
    start: Instant,
    deadline: Instant,
    limits: super::Limits,
}

impl<'a> Body<'a> {
    fn new(res: reqwest::Response, r: &'a Registry, max: u64) -> Self {
        Body {
            rt: &r.rt,
            res,
            cur: bytes::Bytes::new(),
            done: false,
            max,
            got: 0,
            start: Instant::now(),
            deadline: r.deadline,
            limits: r.limits,
        }
    }

    fn slow(&self, msg: String) -> std::io::Error {
        std::io::Error::other(super::tar::LimitHit(msg))
    }
}

impl Read for Body<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.cur.is_empty() {
            if self.done || self.got >= self.max {
                return Ok(0);
            }
            let grace = Duration::from_secs(self.limits.registry_grace_secs.max(1));
            let stall_end = Instant::now() + grace;
            let until = stall_end.min(self.deadline);
            match run_until(self.rt, until, self.res.chunk()) {
                None if until == self.deadline => {
                    return Err(self.slow(format!(
                        "not done within the {}-second deadline for the whole image (--registry-timeout)",
                        self.limits.registry_deadline_secs
                    )));
                }
                None => {
                    return Err(self.slow(format!(
                        "the registry sent nothing for {} seconds after {} bytes (a stalled transfer)",
                        grace.as_secs(),
                        self.got
                    )));
                }
                Some(Ok(None)) => self.done = true,
                Some(Ok(Some(b))) => {
                    self.got += b.len() as u64;
                    self.cur = b;
                    let secs = self.start.elapsed().as_secs_f64();
                    if secs > grace.as_secs_f64()
                        && (self.got as f64) < secs * self.limits.registry_min_rate as f64
                    {
                        return Err(self.slow(format!(
                            "{} bytes in {secs:.0} seconds, slower than the minimum of {} bytes per second",
                            self.got, self.limits.registry_min_rate
                        )));
                    }
                }
                Some(Err(e)) if e.is_timeout() => {
                    return Err(self.slow(format!(
                        "the registry sent nothing for {} seconds after {} bytes (a stalled transfer)",
                        grace.as_secs(),
                        self.got
                    )));
                }
                Some(Err(e)) => return Err(std::io::Error::other(chain(&e))),
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
            let bytes = self.manifest(&d.digest, &JsonLimits::default())?;
            return Ok(Some(Box::new(std::io::Cursor::new(bytes))));
        }
        let url = self.url("blobs", &d.digest);
        let res = self.get(&url, None, &format!("pull blob {}", d.digest))?;
        let max = if d.size == 0 {
            u64::MAX
        } else {
            d.size.saturating_add(1)
        };
        Ok(Some(Box::new(Body::new(res, self, max))))
    }

    fn has(&mut self, _d: &Descriptor) -> bool {
        true
    }

    fn root(&mut self, limits: &JsonLimits) -> Result<Root> {
        let at = match self.reference.digest() {
            Some(d) => d.to_string(),
            None => self.reference.tag().unwrap_or("latest").to_string(),
        };
        let bytes = self.manifest(&at, limits)?;
        crate::manifest::parse_json(&self.input, &bytes, limits)?;
        let digest = {
            use sha2::Digest;
            format!("sha256:{:x}", sha2::Sha256::digest(&bytes))
        };
        if let Some(want) = self.reference.digest()
            && want != digest
        {
            return Err(self.err(
                "the manifest does not match the digest asked for",
                format!("it hashes to {digest}"),
            ));
        }
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
