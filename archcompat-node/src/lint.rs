//! Node functions for Dockerfile lint and rewrites of the user's own input. Shapes are those of
//! the CLI's JSON. Reading a Dockerfile (and its build context) from disk returns a Promise.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{err, to_js};
use archcompat::{
    Redaction, RewriteOptions, rewrite_command as core_rewrite_command,
    rewrite_compose as core_rewrite_compose, rewrite_dockerfile as core_rewrite_dockerfile,
};
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi::{Env, ScopedTask};
use napi_derive::napi;
use serde_json::Value;
use std::path::PathBuf;

fn rewrite_options(platforms: &[String]) -> napi::Result<RewriteOptions> {
    let specs: Vec<&str> = platforms.iter().map(String::as_str).collect();
    RewriteOptions::for_platforms(&specs).map_err(err)
}

/// The redaction switch (`{ redact: false }` echoes user text as written; on by default).
#[napi(object)]
#[derive(Debug, Default, Clone)]
pub struct RedactionOptions {
    /// Redact secrets in echoed user text (default true).
    pub redact: Option<bool>,
}

fn redaction(o: &Option<RedactionOptions>) -> Redaction {
    Redaction::from_flag(o.as_ref().and_then(|o| o.redact).unwrap_or(true))
}

/// Options for rewriting a command line.
#[napi(object)]
#[derive(Debug, Default)]
pub struct CommandRewriteOptions {
    /// Turn a build into a pushed buildx build even for one platform.
    pub push: Option<bool>,
    /// The image is for AWS Lambda: add `--provenance=false`.
    pub lambda: Option<bool>,
    /// Redact secrets in the result (default true).
    pub redact: Option<bool>,
}

/// Lint Dockerfile text (no build context is read). Echoed text is redacted unless `noRedact`.
#[napi(ts_return_type = "LintReport")]
pub fn lint_dockerfile_text(
    text: String,
    path: Option<String>,
    options: Option<RedactionOptions>,
) -> napi::Result<Value> {
    let report = archcompat::lint_input(
        Some(&text),
        path.as_deref().map(std::path::Path::new),
        None,
        redaction(&options),
    )
    .map_err(err)?;
    to_js(&report)
}

/// Lint a Dockerfile read from disk; its directory (or `context`) is the build context.
pub struct LintFile {
    path: PathBuf,
    context: Option<PathBuf>,
    redaction: Redaction,
}

impl<'task> ScopedTask<'task> for LintFile {
    type Output = Value;
    type JsValue = Unknown<'task>;
    fn compute(&mut self) -> napi::Result<Value> {
        let report = archcompat::lint_path(&self.path, self.context.as_deref(), self.redaction)
            .map_err(err)?;
        to_js(&report)
    }
    fn resolve(&mut self, env: &'task Env, output: Value) -> napi::Result<Self::JsValue> {
        env.to_js_value(&output)
    }
}

/// Lint a Dockerfile file (and the scripts it copies from its build context). Echoed text is
/// redacted unless `noRedact`.
#[napi(ts_return_type = "Promise<LintReport>")]
pub fn lint_dockerfile(
    path: String,
    context: Option<String>,
    options: Option<RedactionOptions>,
) -> AsyncTask<LintFile> {
    AsyncTask::new(LintFile {
        path: path.into(),
        context: context.map(PathBuf::from),
        redaction: redaction(&options),
    })
}

/// Rewrite a docker/buildx/compose command line for the target platforms.
#[napi(ts_return_type = "Rewrite")]
pub fn rewrite_command(
    command: String,
    platforms: Vec<String>,
    options: Option<CommandRewriteOptions>,
) -> napi::Result<Value> {
    let mut o = rewrite_options(&platforms)?;
    let options = options.unwrap_or_default();
    o.push = options.push.unwrap_or(false);
    o.lambda = options.lambda.unwrap_or(false);
    o.redaction = Redaction::from_flag(options.redact.unwrap_or(true));
    to_js(&core_rewrite_command(&command, &o).map_err(err)?)
}

/// Add (or correct) `platform:` on compose services (all, or only `services`).
#[napi(ts_return_type = "Rewrite")]
pub fn rewrite_compose(
    text: String,
    platform: String,
    services: Option<Vec<String>>,
    options: Option<RedactionOptions>,
) -> napi::Result<Value> {
    let mut o = rewrite_options(&[platform])?;
    o.redaction = redaction(&options);
    to_js(&core_rewrite_compose(&text, &o, &services.unwrap_or_default()).map_err(err)?)
}

/// Apply every mechanical lint fix to a Dockerfile's text.
#[napi(ts_return_type = "Rewrite")]
pub fn rewrite_dockerfile(text: String, options: Option<RedactionOptions>) -> napi::Result<Value> {
    let o = RewriteOptions {
        redaction: redaction(&options),
        ..RewriteOptions::default()
    };
    to_js(&core_rewrite_dockerfile(&text, &o).map_err(err)?)
}
