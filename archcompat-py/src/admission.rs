//! Python functions for the `admission` area of the core: `admission_review(review, …)` decides
//! on one Kubernetes AdmissionReview as `archcompat webhook` would, reading the images from their
//! registries with the GIL released.

use crate::conv;
use archcompat::{FailurePolicy, WebhookConfig as Config, admission_review as review_once};
use pyo3::prelude::*;

/// Decide on an AdmissionReview (`admission.k8s.io/v1`, as text or bytes): returns
/// `{"decision": {...}, "review": {...}}`, where `review` is the AdmissionReview response the API
/// server expects and `decision` carries the findings with their fixes.
#[pyfunction]
#[pyo3(signature = (review, cluster_platforms=vec!["linux/amd64".to_string()], *, failure_policy="fail", deadline=8.0, insecure=false))]
fn admission_review(
    py: Python<'_>,
    review: &Bound<'_, PyAny>,
    cluster_platforms: Vec<String>,
    failure_policy: &str,
    deadline: f64,
    insecure: bool,
) -> PyResult<Py<PyAny>> {
    let body: Vec<u8> = if let Ok(s) = review.extract::<String>() {
        s.into_bytes()
    } else {
        review.extract::<Vec<u8>>().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(
                "review: give the AdmissionReview as str or bytes",
            )
        })?
    };
    let policy: FailurePolicy = failure_policy.parse().map_err(conv::err)?;
    let decision = py
        .detach(move || {
            let config = Config::from_specs(&cluster_platforms, policy, deadline, 0, insecure)?;
            review_once(config, &body)
        })
        .map_err(conv::err)?;
    let out = serde_json::json!({ "review": decision.to_review(), "decision": decision });
    conv::to_py(py, &out)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(admission_review, m)?)?;
    Ok(())
}
