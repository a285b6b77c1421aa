//! The registry's listing API for `archcompat audit` (feature `registry`): the catalog
//! (`/v2/_catalog`) and tag lists (`/v2/<name>/tags/list`), both followed through their
//! `Link: <…>; rel="next"` pages, plus manifest digests (`HEAD`), manifests and config blobs
//! by digest, each body bounded by the JSON limit. Loopback registries are reached over plain
//! HTTP as Docker does; anonymous, basic and Bearer-token auth (the `WWW-Authenticate`
//! challenge, with the same credentials as image pulls), negotiated by `registry.rs`, whose
//! process-wide runtime and pooled client these requests share: run them on
//! [`RegistryApi::runtime`].

use super::registry::{BodyError, Creds, bounded_body, credentials, send_authorized, shared};
use crate::manifest::media;
use crate::{Error, Result};
use std::sync::Arc;
use std::time::Duration;

/// A registry's listing API.
#[derive(Debug)]
pub(crate) struct RegistryApi {
    pub host: String,
    base: String,
    rt: Arc<tokio::runtime::Runtime>,
    client: reqwest::Client,
    creds: Creds,
    max_json: u64,
}

/// Time allowed for one listing request, body included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

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

impl RegistryApi {
    pub(crate) fn new(host: &str, insecure: bool, max_json: u64) -> Result<Self> {
        let scheme = if insecure || super::registry::is_loopback(host) {
            "http"
        } else {
            "https"
        };
        let input = format!("docker://{host}");
        let stall = Duration::from_secs(super::Limits::default().registry_grace_secs);
        let (rt, client) = shared(&input, insecure, stall)?;
        Ok(RegistryApi {
            host: host.to_string(),
            base: format!("{scheme}://{host}"),
            rt,
            client,
            creds: credentials(host),
            max_json: max_json.max(1024),
        })
    }

    /// The runtime the requests must run on (the one their pooled connections live on).
    pub(crate) fn runtime(&self) -> Arc<tokio::runtime::Runtime> {
        self.rt.clone()
    }

    fn err(&self, what: &str, e: impl std::fmt::Display) -> Error {
        Error::Registry {
            input: format!("docker://{}", self.host),
            reason: format!("{what}: {e}"),
        }
    }

    /// A request with auth (see [`send_authorized`]).
    async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        scope: &str,
        accept: Option<&str>,
    ) -> Result<reqwest::Response> {
        let make = || {
            let rb = self
                .client
                .request(method.clone(), url)
                .timeout(REQUEST_TIMEOUT);
            match accept {
                Some(a) => rb.header(reqwest::header::ACCEPT, a),
                None => rb,
            }
        };
        let resp = send_authorized(&self.client, &self.host, scope, &self.creds, &make)
            .await
            .map_err(|e| self.err(url, e))?;
        if resp.status() == reqwest::StatusCode::UNAUTHORIZED {
            return Err(self.err(
                url,
                "HTTP 401 unauthorized (check the registry credentials)",
            ));
        }
        Ok(resp)
    }

    async fn body(&self, resp: reqwest::Response, what: &str) -> Result<Vec<u8>> {
        bounded_body(resp, self.max_json)
            .await
            .map_err(|e| match e {
                BodyError::TooLarge(_) => Error::LimitExceeded {
                    input: format!("docker://{}: {what}", self.host),
                    reason: e.to_string(),
                },
                BodyError::Transport(_) => self.err(what, e),
            })
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
    }
}
