//! Kubernetes admission: which images a workload runs (containers, init and ephemeral
//! containers of a Pod, or of the pod template of a Deployment, ReplicaSet, StatefulSet,
//! DaemonSet, Job, CronJob, ReplicationController or PodTemplate), on which platforms its pods
//! may be scheduled (`nodeSelector` and required node affinity on `kubernetes.io/arch` and
//! `kubernetes.io/os`, else the cluster's platforms), and the decision: deny when an image
//! offers no entry that such a node runs, allow with warnings for the risky but runnable.
//!
//! This module owns the `admission.k8s.io/v1` AdmissionReview shapes and the decision; the
//! serving side (cache, deadline, failure policy, metrics) is in [`webhook`]. The HTTPS server
//! itself is a front door (`archcompat webhook`).

pub mod webhook;

use crate::finding::{CauseCode, Evidence, Finding, FixTarget, Severity};
use crate::fix::{FixContext, fixes_for};
use crate::image::offered::Offered;
use crate::platform::{AliasKind, Host, Platform, Runs};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The only AdmissionReview version served.
pub const API_VERSION: &str = "admission.k8s.io/v1";

/// Which list of a pod spec a container comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContainerKind {
    /// `spec.containers`.
    Container,
    /// `spec.initContainers`.
    Init,
    /// `spec.ephemeralContainers`.
    Ephemeral,
}

impl ContainerKind {
    fn label(self) -> &'static str {
        match self {
            ContainerKind::Container => "container",
            ContainerKind::Init => "init container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// One container and its image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerImage {
    /// Container name.
    pub name: String,
    /// Image reference as written in the spec.
    pub image: String,
    /// Which list it is in.
    pub kind: ContainerKind,
}

/// A node selector requirement's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operator {
    /// The label's value is one of `values`.
    In,
    /// The label's value is none of `values` (or the label is absent).
    NotIn,
    /// The label exists.
    Exists,
    /// The label does not exist.
    DoesNotExist,
    /// Numeric greater-than (never about platforms).
    Gt,
    /// Numeric less-than (never about platforms).
    Lt,
}

/// One `matchExpressions` entry of a node selector term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// Label key.
    pub key: String,
    /// Operator.
    pub operator: Operator,
    /// Values.
    #[serde(default)]
    pub values: Vec<String>,
}

/// Where a pod may be scheduled, as far as platforms go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    /// `spec.nodeSelector`.
    #[serde(default)]
    pub node_selector: BTreeMap<String, String>,
    /// Required node affinity terms (any one term suffices; all requirements of a term must hold).
    #[serde(default)]
    pub terms: Vec<Vec<Requirement>>,
}

const ARCH_LABELS: [&str; 2] = ["kubernetes.io/arch", "beta.kubernetes.io/arch"];
const OS_LABELS: [&str; 2] = ["kubernetes.io/os", "beta.kubernetes.io/os"];

/// The `kubernetes.io/arch` label of a node of this platform (`amd64`, `arm64`, `arm`).
fn arch_label(p: &Platform) -> String {
    p.alias(AliasKind::Kubernetes)
        .unwrap_or_else(|| p.normalize().architecture)
}

fn os_label(p: &Platform) -> String {
    let os = p.normalize().os;
    if os.is_empty() { "linux".into() } else { os }
}

fn label_of(p: &Platform, key: &str) -> Option<String> {
    if ARCH_LABELS.contains(&key) {
        Some(arch_label(p))
    } else if OS_LABELS.contains(&key) {
        Some(os_label(p))
    } else {
        None
    }
}

impl Requirement {
    /// Whether a node of platform `p` can satisfy this requirement (labels other than
    /// arch and os are not about platforms and are assumed satisfiable).
    fn allows(&self, p: &Platform) -> bool {
        let Some(v) = label_of(p, &self.key) else {
            return true;
        };
        match self.operator {
            Operator::In => self.values.contains(&v),
            Operator::NotIn => !self.values.contains(&v),
            Operator::Exists => true,
            Operator::DoesNotExist => false,
            Operator::Gt | Operator::Lt => false,
        }
    }
}

impl Placement {
    /// Whether a node of platform `p` matches this placement.
    pub fn allows(&self, p: &Platform) -> bool {
        let selector_ok = self
            .node_selector
            .iter()
            .all(|(k, v)| label_of(p, k).is_none_or(|l| &l == v));
        selector_ok
            && (self.terms.is_empty() || self.terms.iter().any(|t| t.iter().all(|r| r.allows(p))))
    }

    /// Whether the placement names architectures or operating systems itself (a selector or an
    /// `In` requirement on the arch/os labels).
    fn pins(&self) -> Vec<Platform> {
        let mut archs: Vec<String> = Vec::new();
        let mut oss: Vec<String> = Vec::new();
        for (k, v) in &self.node_selector {
            if ARCH_LABELS.contains(&k.as_str()) {
                archs.push(v.clone());
            } else if OS_LABELS.contains(&k.as_str()) {
                oss.push(v.clone());
            }
        }
        for t in &self.terms {
            for r in t.iter().filter(|r| r.operator == Operator::In) {
                if ARCH_LABELS.contains(&r.key.as_str()) {
                    archs.extend(r.values.iter().cloned());
                } else if OS_LABELS.contains(&r.key.as_str()) {
                    oss.extend(r.values.iter().cloned());
                }
            }
        }
        if archs.is_empty() {
            return Vec::new();
        }
        if oss.is_empty() {
            oss.push("linux".into());
        }
        let mut out: Vec<Platform> = Vec::new();
        for os in &oss {
            for a in &archs {
                if let Ok(p) = format!("{os}/{a}").parse::<Platform>()
                    && !out.contains(&p)
                {
                    out.push(p);
                }
            }
        }
        out
    }

    /// The platforms pods with this placement may land on: the cluster's platforms that the
    /// placement allows, plus any platform the placement pins that the cluster list lacks.
    pub fn schedulable(&self, cluster: &[Platform]) -> Vec<Platform> {
        let mut out: Vec<Platform> = cluster.iter().filter(|p| self.allows(p)).cloned().collect();
        for p in self.pins() {
            let known = out
                .iter()
                .chain(cluster.iter())
                .any(|c| arch_label(c) == arch_label(&p) && os_label(c) == os_label(&p));
            if !known && self.allows(&p) {
                out.push(p);
            }
        }
        out
    }
}

/// The workload an AdmissionReview asks about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    /// Object kind (`Pod`, `Deployment`, …).
    pub kind: String,
    /// Object name, when the request has one (`generateName` objects have none yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Every container with an image.
    pub containers: Vec<ContainerImage>,
    /// Where its pods may be scheduled.
    pub placement: Placement,
}

/// An AdmissionReview request, the parts a decision needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The request's uid, echoed in the response.
    pub uid: String,
    /// Operation (`CREATE`, `UPDATE`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The workload, absent for requests without an object (DELETE) or of kinds without pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<Workload>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReviewIn {
    #[serde(default)]
    api_version: String,
    #[serde(default)]
    kind: String,
    request: Option<RequestIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestIn {
    uid: String,
    #[serde(default)]
    kind: Option<Gvk>,
    #[serde(default)]
    operation: Option<String>,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    object: Option<Value>,
}

#[derive(Deserialize)]
struct Gvk {
    #[serde(default)]
    kind: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct PodSpecIn {
    containers: Option<Vec<ContainerIn>>,
    init_containers: Option<Vec<ContainerIn>>,
    ephemeral_containers: Option<Vec<ContainerIn>>,
    node_selector: Option<BTreeMap<String, String>>,
    affinity: Option<AffinityIn>,
}

#[derive(Deserialize)]
struct ContainerIn {
    #[serde(default)]
    name: String,
    #[serde(default)]
    image: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct AffinityIn {
    node_affinity: Option<NodeAffinityIn>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NodeAffinityIn {
    #[serde(rename = "requiredDuringSchedulingIgnoredDuringExecution")]
    required: Option<NodeSelectorIn>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct NodeSelectorIn {
    node_selector_terms: Option<Vec<TermIn>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct TermIn {
    match_expressions: Option<Vec<Requirement>>,
}

/// Where the pod spec sits in an object of `kind`.
fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" => &["spec"],
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicationController" => &["spec", "template", "spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "PodTemplate" => &["template", "spec"],
        _ => return None,
    })
}

/// Parse an AdmissionReview request body (`admission.k8s.io/v1`). `input` names the body in
/// errors.
///
/// (Example: the test `doc_examples::parse_review_example` in this file.)
pub fn parse_review(input: &str, body: &[u8]) -> Result<Request> {
    let review: ReviewIn = serde_json::from_slice(body)
        .map_err(|e| Error::malformed(input, format!("not an AdmissionReview: {e}")))?;
    if review.kind != "AdmissionReview" {
        return Err(Error::malformed(
            input,
            format!("kind is {:?}, expected \"AdmissionReview\"", review.kind),
        ));
    }
    if review.api_version != API_VERSION {
        return Err(Error::Unsupported {
            input: input.to_string(),
            reason: format!(
                "AdmissionReview version {:?}; this webhook serves {API_VERSION} (set admissionReviewVersions: [\"v1\"])",
                review.api_version
            ),
        });
    }
    let req = review
        .request
        .ok_or_else(|| Error::malformed(input, "the AdmissionReview has no request"))?;
    let kind = req.kind.map(|k| k.kind).unwrap_or_default();
    let workload = match (&req.object, pod_spec_path(&kind)) {
        (Some(obj), Some(path)) => {
            let mut v = obj;
            for k in path {
                v = v.get(k).unwrap_or(&Value::Null);
            }
            let spec: PodSpecIn = if v.is_null() {
                PodSpecIn::default()
            } else {
                serde_json::from_value(v.clone())
                    .map_err(|e| Error::malformed(input, format!("the {kind}'s pod spec: {e}")))?
            };
            let meta = obj.get("metadata");
            let name = req.name.clone().filter(|n| !n.is_empty()).or_else(|| {
                meta.and_then(|m| m.get("name"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
            Some(workload_from(
                kind.clone(),
                name,
                req.namespace.clone(),
                spec,
            ))
        }
        _ => None,
    };
    Ok(Request {
        uid: req.uid,
        operation: req.operation,
        workload,
    })
}

fn workload_from(
    kind: String,
    name: Option<String>,
    namespace: Option<String>,
    spec: PodSpecIn,
) -> Workload {
    let mut containers = Vec::new();
    for (list, k) in [
        (spec.init_containers, ContainerKind::Init),
        (spec.containers, ContainerKind::Container),
        (spec.ephemeral_containers, ContainerKind::Ephemeral),
    ] {
        for c in list.unwrap_or_default() {
            if let Some(image) = c.image.filter(|i| !i.trim().is_empty()) {
                containers.push(ContainerImage {
                    name: c.name,
                    image,
                    kind: k,
                });
            }
        }
    }
    let terms = spec
        .affinity
        .and_then(|a| a.node_affinity)
        .and_then(|n| n.required)
        .and_then(|r| r.node_selector_terms)
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.match_expressions.unwrap_or_default())
        .collect();
    Workload {
        kind,
        name,
        namespace,
        containers,
        placement: Placement {
            node_selector: spec.node_selector.unwrap_or_default(),
            terms,
        },
    }
}

/// The registry reference a container image names, as a SOURCE for [`crate::image`]
/// (`nginx` → `docker://docker.io/library/nginx:latest`).
pub fn image_source(image: &str) -> String {
    let image = image.trim();
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let first = name.split('/').next().unwrap_or("");
    let has_registry =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let mut full = if has_registry {
        name.to_string()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    let last = full.rsplit('/').next().unwrap_or("");
    if digest.is_none() && !last.contains(':') {
        full.push_str(":latest");
    }
    match digest {
        Some(d) => format!("docker://{full}@{d}"),
        None => format!("docker://{full}"),
    }
}

/// What to do when an image cannot be checked in time (the API server's `failurePolicy`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailurePolicy {
    /// Deny (fail closed).
    #[default]
    Fail,
    /// Allow with a warning (fail open).
    Ignore,
}

impl std::str::FromStr for FailurePolicy {
    type Err = Error;

    /// `fail` or `ignore` (the API server's `Fail`/`Ignore` are accepted too).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "fail" => Ok(FailurePolicy::Fail),
            "ignore" => Ok(FailurePolicy::Ignore),
            _ => Err(Error::malformed(
                format!("failure policy {s:?}"),
                "expected \"fail\" (deny what cannot be checked) or \"ignore\" (admit it with a warning)",
            )),
        }
    }
}

impl FailurePolicy {
    fn as_str(self) -> &'static str {
        match self {
            FailurePolicy::Fail => "Fail",
            FailurePolicy::Ignore => "Ignore",
        }
    }
}

/// The decision on one AdmissionReview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The request's uid.
    pub uid: String,
    /// Whether the object is admitted.
    pub allowed: bool,
    /// Why not (one line per container that cannot run), when denied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Warnings shown to the user (kubectl prints them) for the risky but runnable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The findings behind the decision, with fixes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// The platforms the workload's pods may land on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<Platform>,
}

impl Decision {
    /// An allowing decision with nothing to say (nothing to check).
    pub fn allow(uid: &str) -> Decision {
        Decision {
            uid: uid.to_string(),
            allowed: true,
            message: None,
            warnings: Vec::new(),
            findings: Vec::new(),
            platforms: Vec::new(),
        }
    }

    /// The AdmissionReview response document the API server expects.
    pub fn to_review(&self) -> Value {
        let mut response = serde_json::json!({ "uid": self.uid, "allowed": self.allowed });
        if !self.allowed {
            response["status"] = serde_json::json!({
                "code": 403,
                "reason": "Forbidden",
                "message": self.message.clone().unwrap_or_default(),
            });
        }
        if !self.warnings.is_empty() {
            response["warnings"] = serde_json::json!(self.warnings);
        }
        serde_json::json!({ "apiVersion": API_VERSION, "kind": "AdmissionReview", "response": response })
    }
}

fn join(ps: &[Platform]) -> String {
    ps.iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn describe_workload(w: &Workload) -> String {
    match &w.name {
        Some(n) => format!("{} {n}", w.kind),
        None => w.kind.clone(),
    }
}

/// Decide on a request given what each image offers (`resolved[i]` for `workload.containers[i]`:
/// what it offers, or why it could not be read), the cluster's platforms (as hosts: a profile
/// may register emulators), and the failure policy for images that could not be read.
pub fn decide(
    request: &Request,
    resolved: &[std::result::Result<Offered, String>],
    cluster: &[Host],
    policy: FailurePolicy,
) -> Decision {
    let mut d = Decision::allow(&request.uid);
    let Some(w) = &request.workload else {
        return d;
    };
    let cluster_platforms: Vec<Platform> = cluster.iter().map(|h| h.platform.clone()).collect();
    let targets = w.placement.schedulable(&cluster_platforms);
    d.platforms = targets.clone();
    let hosts: Vec<Host> = targets
        .iter()
        .map(|p| {
            cluster
                .iter()
                .find(|h| &h.platform == p)
                .cloned()
                .unwrap_or_else(|| Host::from_platform(p.clone()))
        })
        .collect();
    let subject = describe_workload(w);
    let mut denials: Vec<String> = Vec::new();
    if targets.is_empty() && !w.containers.is_empty() {
        d.warnings.push(format!(
            "{subject}: its nodeSelector/affinity matches none of the cluster platforms ({}); its pods cannot be scheduled",
            join(&cluster_platforms)
        ));
    }
    for (c, r) in w.containers.iter().zip(resolved) {
        let who = format!("{} {:?} (image {})", c.kind.label(), c.name, c.image);
        let offered = match r {
            Ok(o) => o,
            Err(e) => {
                match policy {
                    FailurePolicy::Fail => denials.push(format!(
                        "{who}: could not be checked ({e}); failurePolicy {} denies it",
                        policy.as_str()
                    )),
                    FailurePolicy::Ignore => d.warnings.push(format!(
                        "{who}: could not be checked ({e}); failurePolicy {} admits it unchecked",
                        policy.as_str()
                    )),
                }
                continue;
            }
        };
        let has = offered.platforms();
        let mut missing = Vec::new();
        for (t, h) in targets.iter().zip(&hosts) {
            let cov = offered.coverage(h);
            match cov.pulls.as_ref().map(|p| p.runs) {
                None => missing.push(t.clone()),
                Some(Runs::Emulated) => d.warnings.push(format!(
                    "{who}: on {t} nodes only under emulation (it offers {})",
                    join(&has)
                )),
                Some(Runs::Compatible) => d.warnings.push(format!(
                    "{who}: on {t} nodes only in 32-bit compatibility mode (it offers {})",
                    join(&has)
                )),
                _ => {}
            }
        }
        if !offered.platforms_known() {
            d.warnings.push(format!(
                "{who}: some index entries state no platform; nodes pull them only when nothing else matches"
            ));
        }
        if offered.attestations() > 0 && missing.is_empty() {
            d.warnings.push(format!(
                "{who}: the index carries {} attestation manifest(s) (unknown/unknown); Kubernetes skips them, some consumers reject such indexes",
                offered.attestations()
            ));
        }
        if missing.is_empty() {
            continue;
        }
        let has_text = if has.is_empty() {
            "no runnable platform".to_string()
        } else {
            join(&has)
        };
        let mut f = Finding::new(
            CauseCode::NoMatchingManifest,
            Severity::Error,
            format!(
                "{who} offers {has_text}; {subject}'s pods may run on {}, and no entry runs on {}",
                join(&targets),
                join(&missing)
            ),
        );
        f.evidence.push(Evidence::detail(format!(
            "{} offers {has_text}{}",
            offered.source,
            offered
                .digest
                .as_ref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        )));
        let ctx = FixContext {
            host: missing.first().cloned(),
            targets: has.clone(),
            image: Some(c.image.clone()),
            path: None,
            interpreter: None,
        };
        let mut fixes = fixes_for(CauseCode::NoMatchingManifest, &ctx);
        fixes.extend(fixes_for(CauseCode::ArchMismatch, &ctx));
        fixes.retain(|x| matches!(x.applies_to, FixTarget::Buildx | FixTarget::Kubernetes));
        let mut seen = std::collections::HashSet::new();
        fixes.retain(|x| seen.insert(x.id.clone()));
        // The message carries each fix's title and its key line; the findings carry the rest.
        let key_line = |snippet: &str| {
            snippet
                .lines()
                .map(str::trim)
                .find(|l| l.contains("--platform") || l.contains("kubernetes.io/arch"))
                .map(str::to_string)
        };
        let hint: Vec<String> = fixes
            .iter()
            .filter(|x| x.applies_to == FixTarget::Buildx && x.snippet.contains("--platform"))
            .take(1)
            .chain(
                fixes
                    .iter()
                    .filter(|x| x.applies_to == FixTarget::Kubernetes)
                    .take(1),
            )
            .map(|x| match key_line(&x.snippet) {
                Some(l) => format!("{} ({l})", x.title),
                None => x.title.to_string(),
            })
            .collect();
        f.fixes = fixes;
        denials.push(format!(
            "{}{}",
            f.message,
            if hint.is_empty() {
                String::new()
            } else {
                format!(". Fix: {}", hint.join("; or "))
            }
        ));
        d.findings.push(f);
    }
    if !denials.is_empty() {
        d.allowed = false;
        d.message = Some(format!(
            "archcompat denied {subject}: {}",
            denials.join(" | ")
        ));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(kind: &str, object: Value) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "apiVersion": API_VERSION, "kind": "AdmissionReview",
            "request": {"uid": "u", "kind": {"group": "apps", "version": "v1", "kind": kind},
                        "operation": "CREATE", "namespace": "ns", "object": object}
        }))
        .unwrap()
    }

    #[test]
    fn every_workload_kind_yields_its_containers() {
        let spec = serde_json::json!({
            "initContainers": [{"name": "init", "image": "busybox"}],
            "containers": [{"name": "app", "image": "nginx"}],
        });
        for (kind, obj) in [
            ("Pod", serde_json::json!({"spec": spec})),
            (
                "Deployment",
                serde_json::json!({"spec": {"template": {"spec": spec}}}),
            ),
            (
                "StatefulSet",
                serde_json::json!({"spec": {"template": {"spec": spec}}}),
            ),
            (
                "DaemonSet",
                serde_json::json!({"spec": {"template": {"spec": spec}}}),
            ),
            (
                "ReplicaSet",
                serde_json::json!({"spec": {"template": {"spec": spec}}}),
            ),
            (
                "Job",
                serde_json::json!({"spec": {"template": {"spec": spec}}}),
            ),
            (
                "CronJob",
                serde_json::json!({"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}),
            ),
        ] {
            let r = parse_review("r", &review(kind, obj)).unwrap();
            let w = r.workload.unwrap();
            let names: Vec<_> = w
                .containers
                .iter()
                .map(|c| (c.name.as_str(), c.kind))
                .collect();
            assert_eq!(
                names,
                [
                    ("init", ContainerKind::Init),
                    ("app", ContainerKind::Container)
                ],
                "{kind}"
            );
        }
        let r = parse_review("r", &review("ConfigMap", serde_json::json!({"data": {}}))).unwrap();
        assert!(r.workload.is_none());
    }

    #[test]
    fn wrong_versions_and_shapes_are_errors_naming_the_input() {
        let e = parse_review("body", b"not json").unwrap_err().to_string();
        assert!(e.contains("body"), "{e}");
        let v1beta1 = br#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"x"}}"#;
        let e = parse_review("body", v1beta1).unwrap_err().to_string();
        assert!(e.contains("v1beta1"), "{e}");
        let e = parse_review(
            "body",
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"Pod"}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("AdmissionReview"), "{e}");
    }

    fn p(s: &str) -> Platform {
        s.parse().unwrap()
    }

    #[test]
    fn placement_from_selector_and_affinity() {
        let cluster = [p("linux/amd64"), p("linux/arm64"), p("linux/arm/v7")];
        let none = Placement::default();
        assert_eq!(none.schedulable(&cluster), cluster.to_vec());
        let sel = Placement {
            node_selector: [("kubernetes.io/arch".to_string(), "arm64".to_string())].into(),
            terms: vec![],
        };
        assert_eq!(sel.schedulable(&cluster), vec![p("linux/arm64")]);
        let not_arm = Placement {
            node_selector: BTreeMap::new(),
            terms: vec![vec![Requirement {
                key: "kubernetes.io/arch".into(),
                operator: Operator::NotIn,
                values: vec!["arm".into(), "arm64".into()],
            }]],
        };
        assert_eq!(not_arm.schedulable(&cluster), vec![p("linux/amd64")]);
        // Terms are ORed; a term with an unrelated label is not about platforms.
        let either = Placement {
            node_selector: BTreeMap::new(),
            terms: vec![
                vec![Requirement {
                    key: "kubernetes.io/arch".into(),
                    operator: Operator::In,
                    values: vec!["amd64".into()],
                }],
                vec![Requirement {
                    key: "kubernetes.io/arch".into(),
                    operator: Operator::In,
                    values: vec!["s390x".into()],
                }],
            ],
        };
        // s390x is pinned by the pod though the cluster list lacks it: its pods say they go there.
        assert_eq!(
            either.schedulable(&cluster),
            vec![p("linux/amd64"), p("linux/s390x")]
        );
    }

    #[test]
    fn image_references_become_registry_sources() {
        assert_eq!(
            image_source("nginx"),
            "docker://docker.io/library/nginx:latest"
        );
        assert_eq!(
            image_source("bitnami/redis:7"),
            "docker://docker.io/bitnami/redis:7"
        );
        assert_eq!(
            image_source("127.0.0.1:5000/app@sha256:abc"),
            "docker://127.0.0.1:5000/app@sha256:abc"
        );
        assert_eq!(image_source("localhost/x"), "docker://localhost/x:latest");
        assert_eq!(image_source("ghcr.io/o/r:1.2"), "docker://ghcr.io/o/r:1.2");
    }
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn parse_review_example() -> crate::Result<()> {
        let body = br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
          "request":{"uid":"u1","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE",
          "object":{"spec":{"nodeSelector":{"kubernetes.io/arch":"arm64"},
          "containers":[{"name":"app","image":"nginx:1.27"}]}}}}"#;
        let r = crate::admission::parse_review("request", body)?;
        let w = r.workload.unwrap();
        assert_eq!(w.containers[0].image, "nginx:1.27");
        let on = w
            .placement
            .schedulable(&["linux/amd64".parse()?, "linux/arm64".parse()?]);
        assert_eq!(on, vec!["linux/arm64".parse::<crate::Platform>()?]);
        Ok(())
    }
}
