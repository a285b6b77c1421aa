//! Fixes: ready-to-paste changes per ecosystem for each cause, and rewrites of the user's own
//! commands, compose files and Dockerfiles (with unified diffs, in [`rewrite`]).
//!
//! All fix text lives in one data table, [`catalogue`] (cause code × ecosystem → title, why,
//! snippet template). [`fixes_for`] fills a cause code's entries from a [`FixContext`] (the
//! host, the image's platforms, the image name, the file involved); [`attach`] gives findings
//! their fixes once, at the end of every pipeline (image, inspect, lint, explain), honouring
//! the [`FixRequest`]s their checks made. Checks never write fix text.
//!
//! (Example: the test `doc_examples::module_example` in this file.)

pub mod catalogue;
pub mod rewrite;

use crate::finding::{CauseCode, Finding, Fix, FixRequest};
use crate::platform::{AliasKind, Platform};
use catalogue::{Entry, When};
use std::borrow::Cow;

pub use crate::finding::FixContext;

/// `linux/arm64` (no `v8`), `linux/arm/v7`, `linux/amd64`: what people type.
fn short(p: &Platform) -> String {
    let n = p.normalize();
    let os = if n.os.is_empty() {
        "linux".to_string()
    } else {
        n.os.clone()
    };
    let mut s = format!("{os}/{}", n.architecture);
    if !n.variant.is_empty() && n.architecture != "amd64" {
        s.push('/');
        s.push_str(&n.variant);
    }
    s
}

/// The values of the catalogue's placeholders for one situation.
struct Vals<'a> {
    ctx: &'a FixContext,
    host: String,
    image_platform: String,
    publish: String,
    image: String,
}

impl<'a> Vals<'a> {
    fn of(ctx: &'a FixContext) -> Vals<'a> {
        let host = ctx.host.as_ref().map(short);
        let target = ctx.targets.first().map(short);
        let host_s = host.clone().unwrap_or_else(|| "linux/amd64".into());
        let img_s = target.clone().unwrap_or_else(|| {
            if host_s == "linux/arm64" {
                "linux/amd64".into()
            } else {
                "linux/arm64".into()
            }
        });
        let mut publish: Vec<String> = Vec::new();
        for p in host.iter().cloned().chain(ctx.targets.iter().map(short)) {
            if !publish.contains(&p) {
                publish.push(p);
            }
        }
        if publish.len() < 2 {
            for extra in ["linux/amd64", "linux/arm64"] {
                if !publish.iter().any(|p| p == extra) {
                    publish.push(extra.into());
                }
            }
        }
        Vals {
            ctx,
            host: host_s,
            image_platform: img_s,
            publish: publish.join(","),
            image: ctx.image.clone().unwrap_or_else(|| "IMAGE".into()),
        }
    }

    /// The value of a catalogue placeholder (`None`: not known, the entry is left out).
    fn get(&self, key: &str) -> Option<String> {
        let arch = |s: &str| s.split('/').nth(1).unwrap_or("amd64").to_string();
        let alias =
            |spec: &str, kind: AliasKind| spec.parse::<Platform>().ok().and_then(|p| p.alias(kind));
        Some(match key {
            "host" => self.host.clone(),
            "host_arch" => arch(&self.host),
            "image_platform" => self.image_platform.clone(),
            "image_arch" => arch(&self.image_platform),
            "image_os" => self
                .ctx
                .targets
                .first()
                .map(|p| p.os.clone())
                .filter(|o| !o.is_empty())
                .unwrap_or_else(|| "linux".into()),
            "publish" => self.publish.clone(),
            "image" => self.image.clone(),
            "image_basename" => self.image.rsplit('/').next().unwrap_or("IMAGE").to_string(),
            "path" => self
                .ctx
                .path
                .clone()
                .unwrap_or_else(|| "entrypoint.sh".into()),
            "download_path" => self
                .ctx
                .path
                .clone()
                .unwrap_or_else(|| "/usr/local/bin/tool".into()),
            "interpreter" => self
                .ctx
                .interpreter
                .clone()
                .filter(|i| !i.is_empty())
                .unwrap_or_else(|| "an interpreter".into()),
            "k8s_arch" => alias(&self.image_platform, AliasKind::Kubernetes)?,
            "ecs_arch" => alias(&self.image_platform, AliasKind::EcsCpuArchitecture)?,
            "lambda_arch" => alias(&self.image_platform, AliasKind::LambdaArchitecture)?,
            "host_lambda_arch" => alias(&self.host, AliasKind::LambdaArchitecture)?,
            "rust_triple" => alias(&self.host, AliasKind::RustTripleMusl)?,
            "verify_commands" => self
                .publish
                .split(',')
                .map(|p| format!("archcompat image docker://{} --host {p}", self.image))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => return None,
        })
    }

    fn holds(&self, when: When) -> bool {
        let interp = self.ctx.interpreter.as_deref().unwrap_or("");
        let shell = interp.contains("bash");
        let musl = interp.contains("ld-musl");
        match when {
            When::Always => true,
            When::HostIsArm32 => self.host.starts_with("linux/arm/"),
            When::ShellInterpreter => shell,
            When::MuslInterpreter => musl,
            When::OtherInterpreter => !shell && !musl,
            When::TargetKnown => !self.ctx.targets.is_empty(),
            When::TargetIsNotHost => self
                .ctx
                .targets
                .first()
                .is_some_and(|t| short(t) != self.host),
        }
    }

    /// The entry filled in, or `None` when it does not apply here.
    fn render(&self, entry: &Entry, req: Option<&FixRequest>) -> Option<Fix> {
        if !self.holds(entry.when) {
            return None;
        }
        let value = |k: &str| {
            req.and_then(|r| r.values.iter().find(|(n, _)| *n == k))
                .map(|(_, v)| v.clone())
                .or_else(|| self.get(k))
        };
        let snippet = match req.and_then(|r| r.snippet.clone()) {
            Some(s) => Cow::Owned(s),
            None => catalogue::fill(entry.snippet, &value)?,
        };
        Some(Fix {
            id: Cow::Borrowed(entry.id),
            title: catalogue::fill(entry.title, &value)?,
            why: catalogue::fill(entry.why, &value)?,
            applies_to: entry.target,
            snippet,
            diff: req.and_then(|r| r.diff.clone()),
        })
    }

    fn offers(&self, code: CauseCode, req: Option<&FixRequest>) -> Vec<Fix> {
        catalogue::offered(code)
            .iter()
            .filter_map(|id| catalogue::entry(id))
            .filter_map(|e| self.render(e, req))
            .collect()
    }
}

/// Concrete fixes for a cause, filled with what `ctx` knows, with the redaction policy applied
/// to the user text they echo (image references keep their names; credentials go).
pub fn fixes_for_with(
    code: CauseCode,
    ctx: &FixContext,
    redaction: crate::redact::Redaction,
) -> Vec<Fix> {
    let mut fixes = fixes_for(code, ctx);
    for f in &mut fixes {
        redaction.fix(f);
    }
    fixes
}

/// Concrete fixes for a cause, filled with what `ctx` knows: the catalogue's offers for the
/// code, in order. Every code has at least one.
pub fn fixes_for(code: CauseCode, ctx: &FixContext) -> Vec<Fix> {
    Vals::of(ctx).offers(code, None)
}

/// Give each finding its fixes, once, at the end of the pipeline: the fixes its check asked
/// for ([`Finding::requests`]), or else the catalogue's offers for its code. Fixes already
/// present are kept, ids are not repeated, and the requests are cleared.
pub fn attach(findings: &mut [Finding], ctx: &FixContext) {
    let v = Vals::of(ctx);
    for f in findings {
        let requests = std::mem::take(&mut f.requests);
        let mut new: Vec<Fix> = Vec::new();
        if requests.is_empty() {
            new = v.offers(f.code, None);
        }
        for r in &requests {
            match r.id {
                Some(id) => {
                    debug_assert!(catalogue::entry(id).is_some(), "no catalogue entry {id}");
                    new.extend(catalogue::entry(id).and_then(|e| v.render(e, Some(r))));
                }
                None => new.extend(v.offers(f.code, Some(r))),
            }
        }
        for fx in new {
            if !f.fixes.iter().any(|e| e.id == fx.id) {
                f.fixes.push(fx);
            }
        }
    }
}

// The tests of this module against real files and corpora (`tests/`).
#[cfg(test)]
mod tests {
    mod snippets;
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn module_example() {
        use crate::fix::{FixContext, fixes_for};
        use crate::{CauseCode, FixTarget};
        let ctx = FixContext {
            host: Some("linux/amd64".parse().unwrap()),
            targets: vec!["linux/arm64".parse().unwrap()],
            image: Some("ghcr.io/acme/api:1.4".into()),
            ..Default::default()
        };
        let fixes = fixes_for(CauseCode::ArchMismatch, &ctx);
        let buildx = fixes
            .iter()
            .find(|f| f.applies_to == FixTarget::Buildx)
            .unwrap();
        assert!(
            buildx
                .snippet
                .contains("--platform linux/amd64,linux/arm64 -t ghcr.io/acme/api:1.4 --push .")
        );
    }
}
