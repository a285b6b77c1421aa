//! The registry's listing API for `archcompat audit` (feature `registry`): the catalog
//! (`/v2/_catalog`) and tag lists (`/v2/<name>/tags/list`), both followed through their
//! `Link: <…>; rel="next"` pages, plus manifest digests (`HEAD`), manifests and config blobs
//! by digest, each body bounded by the JSON limit. Loopback registries are reached over plain
//! HTTP as Docker does; anonymous, basic and Bearer-token auth (the `WWW-Authenticate`
//! challenge, with the same credentials as image pulls). One HTTP client with a bounded pool.

use crate::manifest::media;
use crate::{Error, Result};
use std::collections::HashMap;
use std::sync::Mutex;

/// A registry's listing API.
#[derive(Debug)]
pub(crate) struct RegistryApi {
    pub host: String,
    base: String,
    client: reqwest::Client,
    basic: Option<(String, String)>,
    tokens: Mutex<HashMap<String, String>>,
    max_json: u64,
}

fn link_next(h: &reqwest::header::HeaderMap) -> Option<String> {
    let v = h.get(reqwest::header::LINK)?.to_str().ok()?;
    for part in v.split(',') {
        if part.contains("rel=\"next\"") || part.contains("rel=next") {
            let s = part.find('<')? + 1;
            let e = part.find('>')?;
            return Some(part[s..e].to_string());
        }
    }
    None
}

fn challenge_param(h: &str, key: &str) -> Option<String> {
    let i = h.find(&format!("{key}=\""))? + key.len() + 2;
    let rest = &h[i..];
    Some(rest[..rest.find('"')?].to_string())
}

impl RegistryApi {
    pub(crate) fn new(host: &str, insecure: bool, jobs: usize, max_json: u64) -> Result<Self> {
        let scheme = if insecure || super::registry::is_loopback(host) {
            "http"
        } else {
            "https"
        };
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(jobs.max(1))
            .connect_timeout(std::time::Duration::from_secs(20))
            .timeout(std::time::Duration::from_secs(120))
            .tls_danger_accept_invalid_certs(insecure)
            .build()
            .map_err(|e| Error::malformed(host, format!("cannot build an HTTP client: {e}")))?;
        let basic = match super::registry::credentials(host) {
            oci_client::secrets::RegistryAuth::Basic(u, p) => Some((u, p)),
            _ => None,
        };
        Ok(RegistryApi {
            host: host.to_string(),
            base: format!("{scheme}://{host}"),
            client,
            basic,
            tokens: Mutex::new(HashMap::new()),
            max_json: max_json.max(1024),
        })
    }

    fn err(&self, what: &str, e: impl std::fmt::Display) -> Error {
        Error::Registry {
            input: format!("docker://{}", self.host),
            reason: format!("{what}: {e}"),
        }
    }

    async fn token(&self, challenge: &str, scope: &str) -> Result<String> {
        let realm = challenge_param(challenge, "realm")
            .ok_or_else(|| self.err("auth", "Bearer challenge without a realm"))?;
        let mut q: Vec<(&str, String)> = vec![("scope", scope.to_string())];
        if let Some(s) = challenge_param(challenge, "service") {
            q.push(("service", s));
        }
        let url =
            reqwest::Url::parse_with_params(&realm, &q).map_err(|e| self.err("auth realm", e))?;
        let mut rb = self.client.get(url);
        if let Some((u, p)) = &self.basic {
            rb = rb.basic_auth(u, Some(p));
        }
        let resp = rb.send().await.map_err(|e| self.err("token", e))?;
        if !resp.status().is_success() {
            return Err(self.err("token", format!("HTTP {}", resp.status())));
        }
        let body = self.body(resp, "token").await?;
        let v: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| self.err("token", e))?;
        v.get("token")
            .or_else(|| v.get("access_token"))
            .and_then(|t| t.as_str())
            .map(str::to_string)
            .ok_or_else(|| self.err("token", "no token in the answer"))
    }

    /// A request with auth; a 401 with a Bearer challenge is answered once.
    async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        scope: &str,
        accept: Option<&str>,
    ) -> Result<reqwest::Response> {
        let build = |tok: Option<&str>| {
            let mut rb = self.client.request(method.clone(), url);
            if let Some(a) = accept {
                rb = rb.header(reqwest::header::ACCEPT, a);
            }
            match (tok, &self.basic) {
                (Some(t), _) => rb.bearer_auth(t),
                (None, Some((u, p))) => rb.basic_auth(u, Some(p)),
                (None, None) => rb,
            }
        };
        let cached = self.tokens.lock().ok().and_then(|t| t.get(scope).cloned());
        let resp = build(cached.as_deref())
            .send()
            .await
            .map_err(|e| self.err(url, e))?;
        if resp.status() != reqwest::StatusCode::UNAUTHORIZED {
            return Ok(resp);
        }
        let challenge = resp
            .headers()
            .get(reqwest::header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        if !challenge.to_ascii_lowercase().starts_with("bearer") {
            return Err(self.err(
                url,
                "HTTP 401 unauthorized (check the registry credentials)",
            ));
        }
        let tok = self.token(&challenge, scope).await?;
        if let Ok(mut t) = self.tokens.lock() {
            t.insert(scope.to_string(), tok.clone());
        }
        build(Some(&tok)).send().await.map_err(|e| self.err(url, e))
    }

    async fn body(&self, mut resp: reqwest::Response, what: &str) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.err(what, e))? {
            out.extend_from_slice(&chunk);
            if out.len() as u64 > self.max_json {
                return Err(Error::LimitExceeded {
                    input: format!("docker://{}: {what}", self.host),
                    reason: format!("answer larger than {} bytes", self.max_json),
                });
            }
        }
        Ok(out)
    }

    async fn list(
        &self,
        first: String,
        scope: &str,
        key: &str,
        max_pages: usize,
    ) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut url = first;
        for _ in 0..max_pages {
            let resp = self.send(reqwest::Method::GET, &url, scope, None).await?;
            if !resp.status().is_success() {
                return Err(self.err(&url, format!("HTTP {}", resp.status())));
            }
            let next = link_next(resp.headers());
            let body = self.body(resp, &url).await?;
            let v: serde_json::Value =
                serde_json::from_slice(&body).map_err(|e| self.err(&url, e))?;
            if let Some(a) = v.get(key).and_then(|a| a.as_array()) {
                out.extend(a.iter().filter_map(|s| s.as_str().map(str::to_string)));
            }
            match next {
                Some(n) if n.starts_with('/') => url = format!("{}{n}", self.base),
                Some(n) => url = n,
                None => return Ok(out),
            }
        }
        Err(Error::LimitExceeded {
            input: format!("docker://{}", self.host),
            reason: format!("more than {max_pages} pages of {key}"),
        })
    }

    /// Every repository, following the catalog's pages of `page` names.
    pub(crate) async fn catalog(&self, page: usize) -> Result<Vec<String>> {
        self.list(
            format!("{}/v2/_catalog?n={page}", self.base),
            "registry:catalog:*",
            "repositories",
            100_000,
        )
        .await
    }

    /// Every tag of `repo`, following the pages.
    pub(crate) async fn tags(&self, repo: &str, page: usize) -> Result<Vec<String>> {
        self.list(
            format!("{}/v2/{repo}/tags/list?n={page}", self.base),
            &format!("repository:{repo}:pull"),
            "tags",
            100_000,
        )
        .await
    }

    /// `METHOD /v2/REPO/manifests/REFERENCE` accepting every manifest and index type; an
    /// unsuccessful status is an error naming the URL.
    async fn manifest_request(
        &self,
        method: reqwest::Method,
        repo: &str,
        reference: &str,
    ) -> Result<(reqwest::Response, String)> {
        let url = format!("{}/v2/{repo}/manifests/{reference}", self.base);
        let resp = self
            .send(
                method,
                &url,
                &format!("repository:{repo}:pull"),
                Some(&media::ACCEPT.join(", ")),
            )
            .await?;
        if !resp.status().is_success() {
            return Err(self.err(&url, format!("HTTP {}", resp.status())));
        }
        Ok((resp, url))
    }

    /// The digest a tag points at (`HEAD`, `Docker-Content-Digest`); `None` when the registry
    /// does not say (then the manifest must be fetched).
    pub(crate) async fn head(&self, repo: &str, reference: &str) -> Result<Option<String>> {
        let (resp, _) = self
            .manifest_request(reqwest::Method::HEAD, repo, reference)
            .await?;
        Ok(resp
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string))
    }

    /// A manifest or index by tag or digest: (bytes, digest).
    pub(crate) async fn manifest(&self, repo: &str, reference: &str) -> Result<(Vec<u8>, String)> {
        let (resp, url) = self
            .manifest_request(reqwest::Method::GET, repo, reference)
            .await?;
        let body = self.body(resp, &url).await?;
        use sha2::Digest;
        let digest = format!("sha256:{:x}", sha2::Sha256::digest(&body));
        if reference.starts_with("sha256:") && reference != digest {
            return Err(self.err(&url, format!("digest mismatch: content hashes to {digest}")));
        }
        Ok((body, digest))
    }

    /// A (small) blob by digest, verified.
    pub(crate) async fn blob(&self, repo: &str, digest: &str) -> Result<Vec<u8>> {
        let url = format!("{}/v2/{repo}/blobs/{digest}", self.base);
        let resp = self
            .send(
                reqwest::Method::GET,
                &url,
                &format!("repository:{repo}:pull"),
                None,
            )
            .await?;
        if !resp.status().is_success() {
            return Err(self.err(&url, format!("HTTP {}", resp.status())));
        }
        let body = self.body(resp, &url).await?;
        use sha2::Digest;
        let got = format!("sha256:{:x}", sha2::Sha256::digest(&body));
        if got != digest {
            return Err(self.err(&url, format!("digest mismatch: content hashes to {got}")));
        }
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers_and_challenges_are_read() {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert(
            reqwest::header::LINK,
            "</v2/_catalog?last=b&n=2>; rel=\"next\"".parse().unwrap(),
        );
        assert_eq!(link_next(&h).unwrap(), "/v2/_catalog?last=b&n=2");
        let c = "Bearer realm=\"https://auth.example/token\",service=\"reg\",scope=\"x\"";
        assert_eq!(
            challenge_param(c, "realm").unwrap(),
            "https://auth.example/token"
        );
        assert_eq!(challenge_param(c, "service").unwrap(), "reg");
    }
}
