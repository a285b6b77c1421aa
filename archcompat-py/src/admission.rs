//! Python functions for the `admission` area of the core: `admission_review(review, …)` decides
//! on one Kubernetes AdmissionReview as `archcompat webhook` would, reading the images from their
//! registries with the GIL released.

use crate::conv;
use archcompat::{FailurePolicy, WebhookConfig as Config, admission_result};
use pyo3::prelude::*;

/// Decide on an AdmissionReview (`admission.k8s.io/v1`, as str or bytes-like): returns
/// `{"review": {...}, "decision": {...}}`, where `review` is the AdmissionReview response the API
/// server expects and `decision` carries the findings with their fixes.
#[pyfunction]
#[pyo3(signature = (review, cluster_platforms=None, *, failure_policy=None, deadline=None, insecure=None))]
fn admission_review(
    py: Python<'_>,
    review: &Bound<'_, PyAny>,
    cluster_platforms: Option<&Bound<'_, PyAny>>,
    failure_policy: Option<&Bound<'_, PyAny>>,
    deadline: Option<&Bound<'_, PyAny>>,
    insecure: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let body = conv::text_or_bytes(review, "review")?.into_bytes();
    let cluster = conv::opt_texts(cluster_platforms, "cluster_platforms")?
        .unwrap_or_else(|| vec!["linux/amd64".to_string()]);
    let policy: FailurePolicy = conv::opt_text(failure_policy, "failure_policy")?
        .as_deref()
        .unwrap_or("fail")
        .parse()
        .map_err(conv::err)?;
    let deadline = conv::seconds(deadline, "deadline", 8.0)?;
    let insecure = conv::flag(insecure, "insecure", false)?;
    let out = py
        .detach(move || {
            let config = Config::from_specs(&cluster, policy, deadline, 0, insecure)?;
            admission_result(config, &body)
        })
        .map_err(conv::err)?;
    conv::to_py(py, &out)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(admission_review, m)?)?;
    Ok(())
}
