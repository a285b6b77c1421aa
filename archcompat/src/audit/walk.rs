//! The registry walk of `archcompat audit` (feature `registry`): catalog and tag pages, then
//! every tag (a `HEAD` for its digest; each manifest, index and config digest fetched at most
//! once, shared across tags and repositories), at most `jobs` requests in flight, on the
//! process's registry runtime. `deep` checks read layers afterwards on at most `jobs` threads, each
//! (digest, target) once.

use super::{AuditOptions, AuditProgress, State, TagRecord, TargetStatus, dedupe, deep_of};
use crate::check::image::check_image;
use crate::image::catalog::RegistryApi;
use crate::manifest::{parse_config, parse_index, parse_json, parse_manifest};
use crate::platform::{Host, Platform};
use crate::{Error, Result};
use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use futures_util::stream::{self, StreamExt};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Clone, Default)]
struct Info {
    index: bool,
    platforms: Vec<Platform>,
    attestations: usize,
}

type InfoFuture = Shared<LocalBoxFuture<'static, std::result::Result<Info, String>>>;

struct Cache {
    api: RegistryApi,
    docs: RefCell<HashMap<String, InfoFuture>>,
    fetched: Cell<usize>,
    reused: Cell<usize>,
    json: crate::manifest::JsonLimits,
    max_depth: u32,
}

/// What `digest` (a manifest, index or config of `repo`) says; fetched once per digest.
fn info(c: &Rc<Cache>, repo: &str, digest: &str, config: bool, depth: u32) -> InfoFuture {
    if let Some(f) = c.docs.borrow().get(digest) {
        c.reused.set(c.reused.get() + 1);
        return f.clone();
    }
    let (c2, repo, d) = (c.clone(), repo.to_string(), digest.to_string());
    let fut: LocalBoxFuture<'static, std::result::Result<Info, String>> = async move {
        fetch(&c2, &repo, &d, config, depth)
            .await
            .map_err(|e| e.to_string())
    }
    .boxed_local();
    let shared = fut.shared();
    c.docs
        .borrow_mut()
        .insert(digest.to_string(), shared.clone());
    shared
}

async fn fetch(c: &Rc<Cache>, repo: &str, digest: &str, config: bool, depth: u32) -> Result<Info> {
    c.fetched.set(c.fetched.get() + 1);
    if config {
        let b = c.api.blob(repo, digest).await?;
        let cfg = parse_config(digest, &b, &c.json)?;
        return Ok(Info {
            index: false,
            platforms: vec![cfg.platform],
            attestations: 0,
        });
    }
    let (bytes, _) = c.api.manifest(repo, digest).await?;
    let v = parse_json(digest, &bytes, &c.json)?;
    if v.get("manifests").is_some() {
        let idx = parse_index(digest, &bytes, &c.json)?;
        let mut out = Info {
            index: true,
            ..Info::default()
        };
        for d in &idx.manifests {
            if d.is_attestation() {
                out.attestations += 1;
            } else if d.is_index() {
                if depth >= c.max_depth {
                    return Err(Error::LimitExceeded {
                        input: d.digest.clone(),
                        reason: format!("indexes nested deeper than {}", c.max_depth),
                    });
                }
                let child = info(c, repo, &d.digest, false, depth + 1).await;
                let child = child.map_err(|e| Error::malformed(&d.digest, e))?;
                out.platforms.extend(child.platforms);
                out.attestations += child.attestations;
            } else if let Some(p) = &d.platform {
                if !out.platforms.contains(p) {
                    out.platforms.push(p.clone());
                }
            } else {
                let m = info(c, repo, &d.digest, false, depth + 1).await;
                out.platforms
                    .extend(m.map_err(|e| Error::malformed(&d.digest, e))?.platforms);
            }
        }
        return Ok(out);
    }
    let m = parse_manifest(digest, &bytes, &c.json)?;
    let cfg = info(c, repo, &m.config.digest, true, depth).await;
    cfg.map_err(|e| Error::malformed(&m.config.digest, e))
}

async fn one(c: &Rc<Cache>, repo: &str, tag: &str, targets: &[Platform]) -> TagRecord {
    let mut rec = TagRecord::new(repo, tag);
    let r: Result<(String, Info)> = async {
        let digest = match c.api.head(repo, tag).await? {
            Some(d) => d,
            None => {
                c.fetched.set(c.fetched.get() + 1);
                c.api.manifest(repo, tag).await?.1
            }
        };
        let i = info(c, repo, &digest, false, 0)
            .await
            .map_err(|e| Error::malformed(format!("{repo}:{tag}"), e))?;
        Ok((digest, i))
    }
    .await;
    match r {
        Ok((digest, i)) => {
            rec.digest = Some(digest);
            rec.kind = Some(if i.index { "index" } else { "manifest" }.into());
            rec.platforms = i.platforms;
            rec.attestations = i.attestations;
        }
        Err(e) => {
            rec.error =
                Some(crate::redact::redact(&e.to_string(), &Default::default()).into_owned())
        }
    }
    rec.judge(targets);
    rec
}

type Walked = (Vec<TagRecord>, usize, usize);

pub(super) fn registry(
    host: &str,
    prefix: &str,
    opts: &AuditOptions,
    state: &State,
    tick: &(dyn Fn(&TagRecord) + Sync),
) -> Result<Walked> {
    let jobs = opts.jobs.clamp(1, 64);
    let page = opts.page_size.clamp(1, 10_000);
    let limits = &opts.image.limits;
    let cache = Rc::new(Cache {
        api: RegistryApi::new(host, opts.image.insecure, limits.json.max_bytes)?,
        docs: RefCell::new(HashMap::new()),
        fetched: Cell::new(0),
        reused: Cell::new(0),
        json: limits.json,
        max_depth: limits.max_index_depth,
    });
    // The process's registry runtime: the pooled connections live there.
    let rt = cache.api.runtime();
    let prefix = prefix.trim_end_matches('/');
    let (mut records, fetched, reused) = rt.block_on(async {
        let repos: Vec<String> = match cache.api.catalog(page).await {
            Ok(all) => all
                .into_iter()
                .filter(|r| {
                    prefix.is_empty() || r == prefix || r.starts_with(&format!("{prefix}/"))
                })
                .collect(),
            // Registries that refuse the catalog (Docker Hub, GHCR) still list the tags of a
            // repository named in full.
            Err(_) if !prefix.is_empty() => vec![prefix.to_string()],
            Err(e) => return Err(e),
        };
        let lists: Vec<(String, Result<Vec<String>>)> = stream::iter(repos)
            .map(|r| {
                let c = cache.clone();
                async move {
                    let t = c.api.tags(&r, page).await;
                    (r, t)
                }
            })
            .buffer_unordered(jobs)
            .collect()
            .await;
        let mut items = Vec::new();
        let mut out = Vec::new();
        for (repo, tags) in lists {
            match tags {
                Ok(tags) => {
                    for t in tags {
                        if !state.done.contains_key(&(repo.clone(), t.clone())) {
                            items.push((repo.clone(), t));
                        }
                    }
                }
                Err(e) => {
                    let mut rec = TagRecord::new(&repo, "*");
                    rec.error = Some(e.to_string());
                    out.push(rec);
                }
            }
        }
        if let Some(cb) = &opts.progress {
            cb(AuditProgress::Listed {
                tags: items.len() + state.done.len(),
            });
        }
        let targets = &opts.targets;
        let recs: Vec<TagRecord> = stream::iter(items)
            .map(|(repo, tag)| {
                let c = cache.clone();
                async move {
                    let rec = one(&c, &repo, &tag, targets).await;
                    if !opts.deep {
                        state.record(&rec);
                        tick(&rec);
                    }
                    rec
                }
            })
            .buffer_unordered(jobs)
            .collect()
            .await;
        out.extend(recs);
        Ok::<Walked, Error>((out, cache.fetched.get(), cache.reused.get()))
    })?;
    if opts.deep {
        deep(host, &mut records, opts, state, tick, jobs);
    }
    Ok((records, fetched, reused))
}

/// Read each served target's image (layers included), each (digest, target) once.
fn deep(
    host: &str,
    records: &mut [TagRecord],
    opts: &AuditOptions,
    state: &State,
    tick: &(dyn Fn(&TagRecord) + Sync),
    jobs: usize,
) {
    let seen: Mutex<HashMap<(String, String), Vec<crate::finding::Finding>>> =
        Mutex::new(HashMap::new());
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<&mut TagRecord>> = records.iter_mut().map(Mutex::new).collect();
    std::thread::scope(|sc| {
        for _ in 0..jobs.min(slots.len().max(1)) {
            sc.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(slot) = slots.get(i) else { break };
                    let Ok(mut rec) = slot.lock() else { continue };
                    if rec.error.is_none()
                        && let Some(digest) = rec.digest.clone()
                    {
                        let mut found = Vec::new();
                        for t in rec.targets.clone() {
                            if t.status == TargetStatus::Missing {
                                continue;
                            }
                            let key = (digest.clone(), t.target.to_string());
                            let cached = seen.lock().ok().and_then(|s| s.get(&key).cloned());
                            let fs = match cached {
                                Some(f) => f,
                                None => {
                                    let src = format!("docker://{host}/{}@{digest}", rec.repository);
                                    let h = Host::from_platform(t.target.clone());
                                    let f = match check_image(&src, &h, &opts.image) {
                                        Ok(r) => deep_of(&r, &t.target, &rec),
                                        Err(e) => {
                                            let mut f = crate::finding::Finding::new(
                                                crate::finding::CauseCode::NotExecutableContent,
                                                crate::finding::Severity::Warning,
                                                format!(
                                                    "{}:{} for {}: the layers could not be read: {e}",
                                                    rec.repository, rec.tag, t.target
                                                ),
                                            );
                                            f.location = Some(rec.location());
                                            vec![f]
                                        }
                                    };
                                    if let Ok(mut s) = seen.lock() {
                                        s.insert(key, f.clone());
                                    }
                                    f
                                }
                            };
                            found.extend(fs.into_iter().map(|mut f| {
                                f.location = Some(rec.location());
                                f
                            }));
                        }
                        rec.findings.extend(dedupe(found));
                    }
                    state.record(&rec);
                    tick(&rec);
                }
            });
        }
    });
}
