//! Node functions for the `admission` area of the core: `admissionReview(review, options?)`
//! resolves to the decision on one Kubernetes AdmissionReview, as `archcompat webhook` would
//! answer it. Images are read from their registries on the libuv thread pool.
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{self, Job, Opts};
use archcompat::{FailurePolicy, WebhookConfig as Config, admission_result};
use napi::Env;
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi_derive::napi;

/// Decide on a Kubernetes AdmissionReview (`admission.k8s.io/v1`, as a string, Buffer or
/// Uint8Array): `{ review, decision }`, where `review` is the AdmissionReview response the API
/// server expects and `decision` carries the findings with their fixes.
#[napi(
    ts_args_type = "review: string | Uint8Array, options?: AdmissionOptions",
    ts_return_type = "Promise<AdmissionResult>"
)]
pub fn admission_review(
    env: &Env,
    review: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> AsyncTask<Job> {
    let args = (|| {
        let body = conv::text(env, review, "review")?.into_bytes();
        let o = Opts::new(
            env,
            options,
            "options",
            &["clusterPlatforms", "failurePolicy", "deadline", "insecure"],
        )?;
        let cluster = o
            .strings(env, "clusterPlatforms")?
            .unwrap_or_else(|| vec!["linux/amd64".to_string()]);
        let policy: FailurePolicy = o
            .string("failurePolicy")?
            .as_deref()
            .unwrap_or("fail")
            .parse()?;
        let deadline = o.seconds("deadline")?.unwrap_or(8.0);
        let insecure = o.bool("insecure")?.unwrap_or(false);
        Ok((body, cluster, policy, deadline, insecure))
    })();
    conv::job(args, |(body, cluster, policy, deadline, insecure)| {
        let config = Config::from_specs(&cluster, policy, deadline, 0, insecure)?;
        admission_result(config, &body)
    })
}
