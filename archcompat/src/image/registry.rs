//! Registry sources (`docker://HOST/REPO:TAG` or `@sha256:…`) over the registry HTTP API
//! (feature `registry`), and the pieces every registry client of the core shares (this one and
//! the audit's listing API in `catalog.rs`): one runtime and one pooled HTTP client per process,
//! credentials read once per change of their files, and the auth negotiation (Basic, or a Bearer
//! token from the `WWW-Authenticate` challenge, cached until it expires). A loopback registry is
//! reached over plain HTTP, as Docker does; any other over HTTPS unless `insecure`. Credentials:
//! podman's auth.json (`REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`), then the
//! Docker config (`DOCKER_CONFIG`, `~/.docker/config.json`, credential helpers), with Docker
//! Hub's legacy key mapped; anonymous otherwise. Blobs are streamed: the async byte stream is
//! bridged to `Read` on the shared runtime.

use super::Options;
use super::source::{Root, Store};
use crate::manifest::{Descriptor, JsonLimits, media};
use crate::{Error, Result};
use oci_client::Reference;
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

pub(crate) struct Registry {
    input: String,
    rt: Arc<tokio::runtime::Runtime>,
    /// Every manifest and blob request (and token requests), so bodies, deadline and rate stay
    /// bounded here; a clone of the process's pooled client.
    http: reqwest::Client,
    scheme: &'static str,
    reference: Reference,
    creds: Creds,
    manifests: HashMap<String, Vec<u8>>,
    limits: super::Limits,
    deadline: Instant,
}

/// Credentials for one registry.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Creds {
    Anonymous,
    Basic(String, String),
}

impl std::fmt::Debug for Creds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Creds::Anonymous => f.write_str("Anonymous"),
            Creds::Basic(u, _) => write!(f, "Basic({u}, …)"),
        }
    }
}

/// What one process shares between registry requests: the runtime the HTTP connections live
/// on, and one client (connection pool, TLS configuration) per kind of connection.
struct Shared {
    pid: u32,
    rt: Arc<tokio::runtime::Runtime>,
    clients: HashMap<(bool, u64), reqwest::Client>,
}

static SHARED: Mutex<Option<Shared>> = Mutex::new(None);

/// The process's runtime and its client for (`insecure`, seconds a read may stall). Pooled
/// connections belong to the runtime that opened them, so the two are made and kept together;
/// a forked child (Python's multiprocessing) gets its own pair, its parent's is left alone.
pub(crate) fn shared(
    input: &str,
    insecure: bool,
    stall: Duration,
) -> Result<(Arc<tokio::runtime::Runtime>, reqwest::Client)> {
    let mut g = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    if g.as_ref().is_some_and(|s| s.pid != pid) {
        // Its worker threads do not exist in this process: never join them.
        std::mem::forget(g.take());
    }
    if g.is_none() {
        let rt = Arc::new(
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::io(input, e))?,
        );
        // One thread owns the runtime's IO and timer drivers for the life of the process, so
        // pooled connections stay served between requests; every other thread's `block_on`
        // polls its own future and hooks into these drivers (tokio's current-thread runtime
        // allows concurrent `block_on` callers).
        let driver = rt.clone();
        std::thread::Builder::new()
            .name("archcompat-registry".into())
            .spawn(move || driver.block_on(std::future::pending::<()>()))
            .map_err(|e| Error::io(input, e))?;
        *g = Some(Shared {
            pid,
            rt,
            clients: HashMap::new(),
        });
    }
    let Some(s) = g.as_mut() else {
        return Err(Error::malformed(
            input,
            "the registry runtime is not available",
        ));
    };
    let key = (insecure, stall.as_secs());
    if let Some(c) = s.clients.get(&key) {
        return Ok((s.rt.clone(), c.clone()));
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(insecure)
        .connect_timeout(Duration::from_secs(20).min(stall))
        // Our own stall check (per body) speaks first; this catches stalled headers.
        .read_timeout(stall + Duration::from_secs(5))
        .user_agent(concat!("archcompat/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| {
            Error::malformed(input, format!("cannot start an HTTP client: {}", chain(&e)))
        })?;
    s.clients.insert(key, client.clone());
    Ok((s.rt.clone(), client))
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

fn to_creds(c: docker_credential::DockerCredential) -> Option<Creds> {
    match c {
        docker_credential::DockerCredential::UsernamePassword(u, p) => Some(Creds::Basic(u, p)),
        docker_credential::DockerCredential::IdentityToken(_) => None,
    }
}

/// The credential files looked at, in order: podman's, then Docker's.
fn credential_files() -> (Vec<PathBuf>, Option<PathBuf>) {
    let mut podman: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("REGISTRY_AUTH_FILE") {
        podman.push(p.into());
    }
    if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR") {
        podman.push(PathBuf::from(d).join("containers/auth.json"));
    }
    let docker = std::env::var_os("DOCKER_CONFIG")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker")))
        .map(|d| d.join("config.json"));
    (podman, docker)
}

fn read_credentials(registry: &str, podman: &[PathBuf]) -> Creds {
    for f in podman {
        for key in auth_keys(registry) {
            if let Ok(file) = std::fs::File::open(f)
                && let Ok(c) = docker_credential::get_credential_from_reader(file, &key)
                && let Some(a) = to_creds(c)
            {
                return a;
            }
        }
    }
    for key in auth_keys(registry) {
        if let Ok(c) = docker_credential::get_credential(&key)
            && let Some(a) = to_creds(c)
        {
            return a;
        }
    }
    Creds::Anonymous
}

/// How long credentials read from unchanged files are trusted (a credential helper may hand
/// out short-lived ones).
const CREDENTIALS_TTL: Duration = Duration::from_secs(60);

type FileStamp = (PathBuf, Option<(SystemTime, u64)>);
/// Credentials read for a registry: from which files as they were then, when.
type CachedCreds = (String, Vec<FileStamp>, Instant, Creds);

/// The credentials for `registry`, read again only when a credential file changed (path,
/// modification time, size) or after [`CREDENTIALS_TTL`]: a webhook reviewing many pods reads
/// its mounted Docker config once, not per review.
pub(crate) fn credentials(registry: &str) -> Creds {
    static CACHE: Mutex<Vec<CachedCreds>> = Mutex::new(Vec::new());
    let (podman, docker) = credential_files();
    let stamps: Vec<FileStamp> = podman
        .iter()
        .chain(docker.iter())
        .map(|p| {
            let m = std::fs::metadata(p)
                .ok()
                .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
            (p.clone(), m)
        })
        .collect();
    if let Ok(c) = CACHE.lock()
        && let Some((.., creds)) = c
            .iter()
            .find(|(r, s, at, _)| r == registry && *s == stamps && at.elapsed() < CREDENTIALS_TTL)
    {
        return creds.clone();
    }
    let creds = read_credentials(registry, &podman);
    if let Ok(mut c) = CACHE.lock() {
        c.retain(|(r, _, at, _)| r != registry && at.elapsed() < CREDENTIALS_TTL);
        if c.len() < 1024 {
            c.push((registry.to_string(), stamps, Instant::now(), creds.clone()));
        }
    }
    creds
}

/// A Bearer token per (registry, scope, user), until shortly before it expires.
type TokenKey = (String, String, String);
static TOKENS: Mutex<Option<HashMap<TokenKey, (Instant, String)>>> = Mutex::new(None);
/// Registries known to ask for Basic auth: credentials are sent with the first request.
static BASIC: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn user(creds: &Creds) -> String {
    match creds {
        Creds::Anonymous => String::new(),
        Creds::Basic(u, _) => u.clone(),
    }
}

fn cached_token(key: &TokenKey) -> Option<String> {
    let g = TOKENS.lock().ok()?;
    let (until, t) = g.as_ref()?.get(key)?;
    (Instant::now() < *until).then(|| t.clone())
}

fn store_token(key: TokenKey, token: String, lifetime: Duration) {
    if let Ok(mut g) = TOKENS.lock() {
        let map = g.get_or_insert_with(HashMap::new);
        if map.len() >= 4096 {
            let now = Instant::now();
            map.retain(|_, (until, _)| *until > now);
            if map.len() >= 4096 {
                map.clear();
            }
        }
        map.insert(key, (Instant::now() + lifetime, token));
    }
}

/// A parameter of a `WWW-Authenticate` challenge (`realm="…"`).
pub(super) fn challenge_param(h: &str, key: &str) -> Option<String> {
    let lower = h.to_ascii_lowercase();
    let pat = format!("{}=\"", key.to_ascii_lowercase());
    let mut from = 0;
    while let Some(i) = lower[from..].find(&pat) {
        let at = from + i;
        // A whole parameter name, not the tail of another one.
        let whole = at == 0 || matches!(lower.as_bytes()[at - 1], b' ' | b',');
        let rest = &h[at + pat.len()..];
        if whole {
            return Some(rest[..rest.find('"')?].to_string());
        }
        from = at + pat.len();
    }
    None
}

/// Why a bounded body could not be read.
pub(super) enum BodyError {
    /// More than the bound (the bound).
    TooLarge(u64),
    /// The transfer failed.
    Transport(String),
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::TooLarge(max) => write!(f, "answer larger than {max} bytes"),
            BodyError::Transport(e) => f.write_str(e),
        }
    }
}

/// Read at most `max` bytes of a body (token answers, listing pages).
pub(super) async fn bounded_body(
    mut resp: reqwest::Response,
    max: u64,
) -> std::result::Result<Vec<u8>, BodyError> {
    let mut out = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| BodyError::Transport(chain(&e)))?
    {
        out.extend_from_slice(&chunk);
        if out.len() as u64 > max {
            return Err(BodyError::TooLarge(max));
        }
    }
    Ok(out)
}

/// The token a Bearer challenge's realm hands out for `scope`, with how long it lives.
async fn fetch_token(
    http: &reqwest::Client,
    challenge: &str,
    scope: &str,
    creds: &Creds,
) -> std::result::Result<(String, Duration), String> {
    let realm = challenge_param(challenge, "realm").ok_or("a Bearer challenge without a realm")?;
    let mut q: Vec<(&str, String)> = Vec::new();
    if let Some(s) = challenge_param(challenge, "service") {
        q.push(("service", s));
    }
    let scope = challenge_param(challenge, "scope").unwrap_or_else(|| scope.to_string());
    if !scope.is_empty() {
        q.push(("scope", scope));
    }
    let url = reqwest::Url::parse_with_params(&realm, &q)
        .map_err(|e| format!("the token realm {realm} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("the token realm {realm} is not HTTP"));
    }
    let mut rb = http.get(url);
    if let Creds::Basic(u, p) = creds {
        rb = rb.basic_auth(u, Some(p));
    }
    let resp = rb
        .send()
        .await
        .map_err(|e| format!("cannot get a token: {}", chain(&e)))?;
    if !resp.status().is_success() {
        return Err(format!("cannot get a token: HTTP {}", resp.status()));
    }
    let body = bounded_body(resp, 64 << 10)
        .await
        .map_err(|e| format!("cannot get a token: {e}"))?;
    let v: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| format!("the token answer is not JSON: {e}"))?;
    let token = v
        .get("token")
        .or_else(|| v.get("access_token"))
        .and_then(|t| t.as_str())
        .ok_or("no token in the token answer")?
        .to_string();
    // The distribution spec's default lifetime is 60 s; renew a little early.
    let secs = v.get("expires_in").and_then(|e| e.as_u64()).unwrap_or(60);
    Ok((
        token,
        Duration::from_secs(secs.saturating_sub(secs / 10 + 1)),
    ))
}

/// Send the request `make` builds to `registry`, authorized: a cached token or (for
/// registries known to want it) Basic credentials go with the first try; a 401 with a Bearer
/// challenge is answered with a token (cached), one with a Basic challenge with the
/// credentials, once. Any other answer is returned as it is.
pub(crate) async fn send_authorized(
    http: &reqwest::Client,
    registry: &str,
    scope: &str,
    creds: &Creds,
    make: &(dyn Fn() -> reqwest::RequestBuilder + Sync),
) -> std::result::Result<reqwest::Response, String> {
    let key = (registry.to_string(), scope.to_string(), user(creds));
    let basic_known = BASIC.lock().is_ok_and(|b| b.iter().any(|r| r == registry));
    let with_basic = |rb: reqwest::RequestBuilder| match creds {
        Creds::Basic(u, p) => rb.basic_auth(u, Some(p)),
        Creds::Anonymous => rb,
    };
    let first = match cached_token(&key) {
        Some(t) => make().bearer_auth(t),
        None if basic_known => with_basic(make()),
        None => make(),
    };
    let resp = first.send().await.map_err(|e| chain(&e))?;
    if resp.status() != reqwest::StatusCode::UNAUTHORIZED {
        return Ok(resp);
    }
    let challenge = resp
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let scheme = challenge
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let retry = match scheme.as_str() {
        "bearer" => {
            let (token, life) = fetch_token(http, &challenge, scope, creds).await?;
            store_token(key, token.clone(), life);
            make().bearer_auth(token)
        }
        "basic" if matches!(creds, Creds::Basic(..)) && !basic_known => {
            if let Ok(mut b) = BASIC.lock()
                && !b.iter().any(|r| r == registry)
                && b.len() < 1024
            {
                b.push(registry.to_string());
            }
            with_basic(make())
        }
        _ => return Ok(resp),
    };
    retry.send().await.map_err(|e| chain(&e))
}

impl Registry {
    pub(crate) fn open(reference: &str, opts: &Options) -> Result<Registry> {
        let input = format!("docker://{reference}");
        let r: Reference = reference
            .parse()
            .map_err(|e| Error::malformed(&input, format!("not a registry reference: {e}")))?;
        let plain = opts.insecure || is_loopback(r.registry());
        let limits = opts.limits;
        let stall = Duration::from_secs(limits.registry_grace_secs.max(1));
        let (rt, http) = shared(&input, opts.insecure, stall)?;
        Ok(Registry {
            creds: credentials(r.registry()),
            input,
            rt,
            http,
            scheme: if plain { "http" } else { "https" },
            reference: r,
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
    fn get(&self, url: &str, accept: Option<&str>, what: &str) -> Result<reqwest::Response> {
        let http = self.http.clone();
        let make = || {
            let req = http.get(url);
            match accept {
                Some(a) => req.header(reqwest::header::ACCEPT, a),
                None => req,
            }
        };
        let registry = self.reference.resolve_registry().to_string();
        let scope = format!("repository:{}:pull", self.reference.repository());
        let res = self
            // Sent inside the runtime: reqwest arms its timers when the request is sent.
            .run(
                what,
                send_authorized(&self.http, &registry, &scope, &self.creds, &make),
            )?
            .map_err(|e| self.err(&format!("cannot {what}"), e))?;
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
    fn challenges_are_read() {
        let c = "Bearer realm=\"https://auth.example/token\",service=\"reg\",scope=\"x\"";
        assert_eq!(
            challenge_param(c, "realm").unwrap(),
            "https://auth.example/token"
        );
        assert_eq!(challenge_param(c, "service").unwrap(), "reg");
        assert_eq!(challenge_param(c, "scope").unwrap(), "x");
        // `scope` is not the tail of another parameter's name.
        let c = "Bearer realm=\"r\",subscope=\"no\"";
        assert_eq!(challenge_param(c, "scope"), None);
    }

    #[test]
    fn docker_hub_maps_to_its_legacy_key() {
        assert_eq!(auth_keys("docker.io")[0], "https://index.docker.io/v1/");
    }
}
