//! Node functions for the `admission` area of the core: `admissionReview(review, opts?)`
//! resolves to the decision on one Kubernetes AdmissionReview, as `archcompat webhook` would
//! answer it. Images are read from their registries on the libuv thread pool.
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv;
use archcompat::{FailurePolicy, WebhookConfig as Config, admission_review as review_once};
use napi::bindgen_prelude::{AsyncTask, Either, Uint8Array, Unknown};
use napi::{Env, ScopedTask};
use napi_derive::napi;

/// Options of `admissionReview()`.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct AdmissionOptions {
    /// The cluster's node platforms or profiles (default `["linux/amd64"]`).
    pub cluster_platforms: Option<Vec<String>>,
    /// `"fail"` (deny what cannot be checked, default) or `"ignore"` (admit it with a warning).
    pub failure_policy: Option<String>,
    /// Seconds the review may take (default 8, at most 30).
    pub deadline: Option<f64>,
    /// Reach non-loopback registries over plain HTTP.
    pub insecure: Option<bool>,
}

/// Decides one review off the main thread.
#[derive(Debug)]
pub struct AdmissionTask {
    body: Vec<u8>,
    opts: AdmissionOptions,
}

impl<'task> ScopedTask<'task> for AdmissionTask {
    type Output = serde_json::Value;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let o = &self.opts;
        let policy: FailurePolicy = o
            .failure_policy
            .as_deref()
            .unwrap_or("fail")
            .parse()
            .map_err(conv::err)?;
        let cluster = o
            .cluster_platforms
            .clone()
            .unwrap_or_else(|| vec!["linux/amd64".to_string()]);
        let config = Config::from_specs(
            &cluster,
            policy,
            o.deadline.unwrap_or(8.0),
            0,
            o.insecure.unwrap_or(false),
        )
        .map_err(conv::err)?;
        let decision = review_once(config, &self.body).map_err(conv::err)?;
        Ok(serde_json::json!({ "review": decision.to_review(), "decision": decision }))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        env.to_js_value(&output)
    }
}

/// Decide on a Kubernetes AdmissionReview (`admission.k8s.io/v1`, as a string, Buffer or
/// Uint8Array): `{ review, decision }`, where `review` is the AdmissionReview response the API
/// server expects and `decision` carries the findings with their fixes.
#[napi(ts_return_type = "Promise<AdmissionResult>")]
pub fn admission_review(
    review: Either<String, Uint8Array>,
    opts: Option<AdmissionOptions>,
) -> AsyncTask<AdmissionTask> {
    let body = match review {
        Either::A(s) => s.into_bytes(),
        Either::B(b) => b.to_vec(),
    };
    AsyncTask::new(AdmissionTask {
        body,
        opts: opts.unwrap_or_default(),
    })
}
