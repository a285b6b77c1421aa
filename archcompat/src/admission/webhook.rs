//! Serving admission reviews: what the images offer, read through a resolver with a cache
//! (by reference, with a TTL; digest-pinned references never change), every image of a review
//! resolved in parallel within a per-review deadline below the API server's 10 s, the failure
//! policy applied to whatever is not known by then, and counters for `GET /metrics`
//! (Prometheus text). The HTTPS listener is the CLI's (`archcompat webhook`).

use super::{Decision, FailurePolicy, decide, image_source, parse_review};
use crate::image::offered::Offered;
use crate::platform::Host;
use crate::redact::{RedactOptions, redact};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Reads what an image offers (a registry in production, anything in tests).
pub type Resolver = Arc<dyn Fn(&str) -> crate::Result<Offered> + Send + Sync>;

/// How the webhook decides.
#[derive(Clone)]
pub struct Config {
    /// The platforms the cluster's nodes have (as hosts, so profiles may bring emulators).
    pub cluster: Vec<Host>,
    /// What to do with images that cannot be checked in time.
    pub failure_policy: FailurePolicy,
    /// Time allowed for one review (keep it below the webhook's `timeoutSeconds`).
    pub deadline: Duration,
    /// How long a resolved tag is trusted.
    pub ttl: Duration,
    /// Largest request body accepted.
    pub max_body: usize,
    /// Reads what an image offers, given a SOURCE (`docker://…`).
    pub resolver: Resolver,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("cluster", &self.cluster)
            .field("failure_policy", &self.failure_policy)
            .field("deadline", &self.deadline)
            .field("ttl", &self.ttl)
            .field("max_body", &self.max_body)
            .finish()
    }
}

impl Config {
    /// A configuration from what a user types: the cluster's platforms or profiles
    /// (`linux/amd64,linux/arm64`, `aws-graviton2`), the failure policy, the per-review deadline
    /// in seconds (more than 0, at most 30: the API server waits at most 30 s, 10 by default),
    /// the cache lifetime in seconds, and whether non-loopback registries are reached over HTTP.
    /// Images are read from their registries.
    ///
    /// ```
    /// use archcompat::{FailurePolicy, WebhookConfig as Config};
    /// let c = Config::from_specs(&["linux/amd64", "linux/arm64"], FailurePolicy::Fail, 8.0, 300, false)?;
    /// assert_eq!(c.cluster.len(), 2);
    /// assert!(Config::from_specs(&["linux/amd64"], FailurePolicy::Fail, 60.0, 300, false).is_err());
    /// # Ok::<(), archcompat::Error>(())
    /// ```
    pub fn from_specs(
        cluster: &[impl AsRef<str>],
        failure_policy: FailurePolicy,
        deadline_secs: f64,
        ttl_secs: u64,
        insecure: bool,
    ) -> crate::Result<Config> {
        if !(deadline_secs > 0.0 && deadline_secs <= 30.0) {
            return Err(crate::Error::malformed(
                format!("deadline {deadline_secs}"),
                "give seconds more than 0 and at most 30 (the API server waits at most 30, 10 by default)",
            ));
        }
        let cluster = cluster
            .iter()
            .map(|s| s.as_ref().trim())
            .filter(|s| !s.is_empty())
            .map(Host::resolve)
            .collect::<crate::Result<Vec<_>>>()?;
        if cluster.is_empty() {
            return Err(crate::Error::malformed(
                "cluster platforms",
                "name at least one platform or profile the cluster's nodes have",
            ));
        }
        Ok(Config {
            cluster,
            failure_policy,
            deadline: Duration::from_secs_f64(deadline_secs),
            ttl: Duration::from_secs(ttl_secs),
            max_body: DEFAULT_MAX_BODY,
            resolver: registry_resolver(crate::image::Options {
                insecure,
                ..Default::default()
            }),
        })
    }
}

/// Decide on one AdmissionReview body with a fresh webhook (no cache carried over): what the
/// bindings offer to code that serves reviews itself.
pub fn review_once(config: Config, body: &[u8]) -> crate::Result<Decision> {
    Webhook::new(config).review(body)
}

/// Defaults: 8 s per review (the API server allows at most 10 s), tags trusted for 5 minutes,
/// request bodies up to 3 MiB (the API server's own object limit).
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(8);
/// Default cache lifetime of a resolved tag.
pub const DEFAULT_TTL: Duration = Duration::from_secs(300);
/// Default largest request body.
pub const DEFAULT_MAX_BODY: usize = 3 << 20;

/// The registry resolver: [`crate::image::offered::offered`] with the given image options.
pub fn registry_resolver(opts: crate::image::Options) -> Resolver {
    Arc::new(move |source: &str| crate::image::offered::offered(source, &opts))
}

type Answer = std::result::Result<Arc<Offered>, String>;

#[derive(Default)]
struct Counters {
    reviews_allowed: AtomicU64,
    reviews_denied: AtomicU64,
    reviews_invalid: AtomicU64,
    warnings: AtomicU64,
    cache_hits: AtomicU64,
    cache_misses: AtomicU64,
    registry_errors: AtomicU64,
    deadline_exceeded: AtomicU64,
    registry_latency: Histogram,
    review_latency: Histogram,
}

const BUCKETS: [f64; 11] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    fn observe(&self, d: Duration) {
        let s = d.as_secs_f64();
        for (b, c) in BUCKETS.iter().zip(&self.counts) {
            if s <= *b {
                c.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(
            d.as_micros().min(u64::MAX as u128) as u64,
            Ordering::Relaxed,
        );
    }

    fn render(&self, name: &str, help: &str, out: &mut String) {
        use std::fmt::Write;
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        for (b, c) in BUCKETS.iter().zip(&self.counts) {
            let _ = writeln!(
                out,
                "{name}_bucket{{le=\"{b}\"}} {}",
                c.load(Ordering::Relaxed)
            );
        }
        let n = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {n}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {n}");
    }
}

/// The webhook's state: configuration, cache and counters. Shared by every connection.
pub struct Webhook {
    config: Config,
    cache: Mutex<HashMap<String, (Instant, Answer)>>,
    counters: Counters,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("config", &self.config)
            .finish()
    }
}

/// An HTTP answer: status code, content type and body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Content type.
    pub content_type: String,
    /// Body.
    pub body: Vec<u8>,
}

impl Reply {
    fn json(status: u16, v: &serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: "application/json".into(),
            body: serde_json::to_vec(v).unwrap_or_default(),
        }
    }

    /// A plain-text error reply.
    pub fn error(status: u16, message: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8".into(),
            body: format!("{}\n", redact(message, &RedactOptions::default())).into_bytes(),
        }
    }
}

impl Webhook {
    /// A webhook with this configuration and an empty cache.
    pub fn new(config: Config) -> Arc<Webhook> {
        Arc::new(Webhook {
            config,
            cache: Mutex::new(HashMap::new()),
            counters: Counters::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn cached(&self, source: &str) -> Option<Answer> {
        let cache = self.cache.lock().ok()?;
        let (at, answer) = cache.get(source)?;
        let pinned = source.contains("@sha256:");
        // Failures are retried on the next review; pinned digests never change.
        (answer.is_ok() && (pinned || at.elapsed() < self.config.ttl)).then(|| answer.clone())
    }

    fn store(&self, source: &str, answer: Answer) {
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() > 10_000 {
                let ttl = self.config.ttl;
                cache.retain(|_, (at, _)| at.elapsed() < ttl);
                if cache.len() > 10_000 {
                    cache.clear();
                }
            }
            cache.insert(source.to_string(), (Instant::now(), answer));
        }
    }

    /// Resolve every image (cache first, the rest in parallel), waiting until `deadline`.
    fn resolve_all(self: &Arc<Self>, images: &[String], deadline: Instant) -> Vec<Answer> {
        let mut out: Vec<Option<Answer>> = vec![None; images.len()];
        let (tx, rx) = mpsc::channel::<(usize, Answer)>();
        let mut pending = 0usize;
        let mut started: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, image) in images.iter().enumerate() {
            let source = image_source(image);
            if let Some(a) = self.cached(&source) {
                self.counters.cache_hits.fetch_add(1, Ordering::Relaxed);
                out[i] = Some(a);
                continue;
            }
            if let Some(waiting) = started.get_mut(&source) {
                waiting.push(i);
                continue;
            }
            self.counters.cache_misses.fetch_add(1, Ordering::Relaxed);
            started.insert(source.clone(), vec![i]);
            pending += 1;
            let me = Arc::clone(self);
            let tx = tx.clone();
            std::thread::spawn(move || {
                let t0 = Instant::now();
                let answer: Answer = (me.config.resolver)(&source)
                    .map(Arc::new)
                    .map_err(|e| redact(&e.to_string(), &RedactOptions::default()).into_owned());
                me.counters.registry_latency.observe(t0.elapsed());
                if answer.is_err() {
                    me.counters.registry_errors.fetch_add(1, Ordering::Relaxed);
                }
                // Stored even when the review gave up waiting: the next review finds it.
                me.store(&source, answer.clone());
                let _ = tx.send((i, answer));
            });
        }
        drop(tx);
        while pending > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok((i, answer)) => {
                    pending -= 1;
                    let source = image_source(&images[i]);
                    for &j in started.get(&source).into_iter().flatten() {
                        out[j] = Some(answer.clone());
                    }
                }
                Err(_) => break,
            }
        }
        if pending > 0 {
            self.counters
                .deadline_exceeded
                .fetch_add(1, Ordering::Relaxed);
        }
        let secs = self.config.deadline.as_secs_f64();
        out.into_iter()
            .map(|a| {
                a.unwrap_or_else(|| Err(format!("the registry did not answer within {secs} s")))
            })
            .collect()
    }

    /// Decide on one AdmissionReview body.
    pub fn review(self: &Arc<Self>, body: &[u8]) -> crate::Result<Decision> {
        let t0 = Instant::now();
        let deadline = t0 + self.config.deadline;
        let request = parse_review("the AdmissionReview request", body)?;
        let images: Vec<String> = request
            .workload
            .as_ref()
            .map(|w| w.containers.iter().map(|c| c.image.clone()).collect())
            .unwrap_or_default();
        let answers = self.resolve_all(&images, deadline);
        let resolved: Vec<std::result::Result<Offered, String>> = answers
            .into_iter()
            .map(|a| a.map(|o| (*o).clone()))
            .collect();
        let decision = decide(
            &request,
            &resolved,
            &self.config.cluster,
            self.config.failure_policy,
        );
        let c = &self.counters;
        if decision.allowed {
            c.reviews_allowed.fetch_add(1, Ordering::Relaxed);
        } else {
            c.reviews_denied.fetch_add(1, Ordering::Relaxed);
        }
        c.warnings
            .fetch_add(decision.warnings.len() as u64, Ordering::Relaxed);
        c.review_latency.observe(t0.elapsed());
        Ok(decision)
    }

    /// Answer one HTTP request: `POST /validate`, `GET /healthz`, `GET /metrics`.
    pub fn handle(self: &Arc<Self>, method: &str, path: &str, body: &[u8]) -> Reply {
        let path = path.split('?').next().unwrap_or(path);
        match (method, path) {
            ("GET", "/healthz") => Reply {
                status: 200,
                content_type: "text/plain; charset=utf-8".into(),
                body: b"ok\n".to_vec(),
            },
            ("GET", "/metrics") => Reply {
                status: 200,
                content_type: "text/plain; version=0.0.4; charset=utf-8".into(),
                body: self.metrics().into_bytes(),
            },
            ("POST", "/validate") => {
                if body.len() > self.config.max_body {
                    self.counters
                        .reviews_invalid
                        .fetch_add(1, Ordering::Relaxed);
                    return Reply::error(
                        413,
                        &format!("request body over {} bytes", self.config.max_body),
                    );
                }
                match self.review(body) {
                    Ok(d) => Reply::json(200, &d.to_review()),
                    Err(e) => {
                        self.counters
                            .reviews_invalid
                            .fetch_add(1, Ordering::Relaxed);
                        Reply::error(400, &e.to_string())
                    }
                }
            }
            (_, "/validate" | "/healthz" | "/metrics") => Reply::error(405, "method not allowed"),
            _ => Reply::error(
                404,
                "not found: the webhook serves /validate, /healthz and /metrics",
            ),
        }
    }

    /// Counter for invalid requests rejected before they reach [`Webhook::handle`] (e.g. a body
    /// over the limit or a client too slow to send it).
    pub fn count_invalid(&self) {
        self.counters
            .reviews_invalid
            .fetch_add(1, Ordering::Relaxed);
    }

    /// Prometheus text exposition of the counters.
    pub fn metrics(&self) -> String {
        use std::fmt::Write;
        let c = &self.counters;
        let mut s = String::new();
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let _ = writeln!(
            s,
            "# HELP archcompat_webhook_reviews_total Admission reviews answered, by decision.\n\
             # TYPE archcompat_webhook_reviews_total counter\n\
             archcompat_webhook_reviews_total{{decision=\"allowed\"}} {}\n\
             archcompat_webhook_reviews_total{{decision=\"denied\"}} {}\n\
             archcompat_webhook_reviews_total{{decision=\"invalid\"}} {}",
            load(&c.reviews_allowed),
            load(&c.reviews_denied),
            load(&c.reviews_invalid)
        );
        for (name, help, v) in [
            (
                "archcompat_webhook_denials_total",
                "Reviews denied.",
                &c.reviews_denied,
            ),
            (
                "archcompat_webhook_warnings_total",
                "Warnings returned with allowed reviews.",
                &c.warnings,
            ),
            (
                "archcompat_webhook_cache_hits_total",
                "Images answered from the cache.",
                &c.cache_hits,
            ),
            (
                "archcompat_webhook_cache_misses_total",
                "Images resolved from the registry.",
                &c.cache_misses,
            ),
            (
                "archcompat_webhook_registry_errors_total",
                "Registry look-ups that failed.",
                &c.registry_errors,
            ),
            (
                "archcompat_webhook_deadline_exceeded_total",
                "Reviews answered by the failure policy because the registry was too slow.",
                &c.deadline_exceeded,
            ),
        ] {
            let _ = writeln!(
                s,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                load(v)
            );
        }
        c.registry_latency.render(
            "archcompat_webhook_registry_latency_seconds",
            "Time to read what one image offers from its registry.",
            &mut s,
        );
        c.review_latency.render(
            "archcompat_webhook_review_duration_seconds",
            "Time to decide one admission review.",
            &mut s,
        );
        s
    }
}
