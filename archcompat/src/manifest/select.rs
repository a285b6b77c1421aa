//! Picking the index entry a host would pull, containerd's way: attestation entries
//! (`unknown/unknown`, `vnd.docker.reference.type: attestation-manifest`) are skipped and
//! reported; entries with no platform are kept and ranked last; the rest are kept when the
//! host's `Only` matcher accepts them, stably sorted by its preference, and the first wins.
//! Every other entry says why it was not taken.

use super::Descriptor;
use crate::platform::{Host, Platform, Runs, matcher};
use serde::{Deserialize, Serialize};

/// What happened to one index entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryStatus {
    /// The entry the host would pull.
    Selected,
    /// Acceptable, but a better entry exists.
    Candidate,
    /// A BuildKit attestation manifest: not runnable, skipped.
    Attestation,
    /// The host's matcher rejects it.
    Rejected,
}

/// One index entry and its fate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryReport {
    /// Manifest digest.
    pub digest: String,
    /// Declared platform (absent when the entry has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Selected, candidate, attestation or rejected.
    pub status: EntryStatus,
    /// Whether and how the host runs this platform (native, compatible, emulated, no).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<Runs>,
    /// Why, in words.
    pub reason: String,
}

/// The outcome of selection over a flat list of index entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// Index into `entries` (and the input list) of the chosen entry.
    pub selected: Option<usize>,
    /// Every entry, in input order.
    pub entries: Vec<EntryReport>,
}

/// Select among `entries` (nested indexes already flattened) for `host`.
pub fn select(entries: &[Descriptor], host: &Host) -> Selection {
    let m = matcher::only(&host.platform);
    let mut reports = Vec::with_capacity(entries.len());
    let mut keep: Vec<usize> = Vec::new();
    for (i, d) in entries.iter().enumerate() {
        let runs = d.platform.as_ref().map(|p| host.runs(p));
        let (status, reason) = if d.is_attestation() {
            let refd = d
                .annotations
                .get("vnd.docker.reference.digest")
                .map(|r| format!(" for {r}"))
                .unwrap_or_default();
            (
                EntryStatus::Attestation,
                format!(
                    "attestation manifest{refd} (provenance/SBOM, platform unknown/unknown): not runnable, skipped"
                ),
            )
        } else if !d.media_type.is_empty()
            && !crate::manifest::media::ACCEPT.contains(&d.media_type.as_str())
        {
            (
                EntryStatus::Rejected,
                format!(
                    "not an image: media type {} (an artifact or other content), skipped",
                    d.media_type
                ),
            )
        } else {
            match &d.platform {
                None => {
                    keep.push(i);
                    (
                        EntryStatus::Candidate,
                        "entry declares no platform; its config decides".to_string(),
                    )
                }
                Some(p) if m.matches(p) => {
                    keep.push(i);
                    (
                        EntryStatus::Candidate,
                        format!("{} is accepted by a {} host", p, host.platform),
                    )
                }
                Some(p) => {
                    let why = runs
                        .as_ref()
                        .map(|r| r.reason.clone())
                        .filter(|r| !r.is_empty())
                        .unwrap_or_else(|| format!("{} cannot run {p}", host.platform));
                    let hint = if runs.as_ref().is_some_and(|r| r.runs == Runs::Emulated) {
                        " (it would run under emulation only if asked for with --platform)"
                    } else {
                        ""
                    };
                    (
                        EntryStatus::Rejected,
                        format!("{p} not selected for a {} host: {why}{hint}", host.platform),
                    )
                }
            }
        };
        reports.push(EntryReport {
            digest: d.digest.clone(),
            platform: d.platform.clone(),
            status,
            runs: runs.map(|r| r.runs),
            reason,
        });
    }
    // Stable sort: platform-bearing entries by preference, no-platform entries last.
    keep.sort_by(
        |&a, &b| match (&entries[a].platform, &entries[b].platform) {
            (Some(pa), Some(pb)) => {
                if m.less(pa, pb) {
                    std::cmp::Ordering::Less
                } else if m.less(pb, pa) {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        },
    );
    let selected = keep.first().copied();
    if let Some(s) = selected {
        reports[s].status = EntryStatus::Selected;
        reports[s].reason = match &entries[s].platform {
            Some(p) => format!("{p} is the best match for a {} host", host.platform),
            None => "the first entry without a platform (its config decides)".to_string(),
        };
        for &other in keep.iter().skip(1) {
            reports[other].reason = format!(
                "{} (a better entry, {}, was preferred)",
                reports[other].reason, entries[s].digest
            );
        }
    }
    Selection {
        selected,
        entries: reports,
    }
}
