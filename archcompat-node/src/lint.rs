//! Node functions for Dockerfile lint and rewrites of the user's own input. Shapes are those of
//! the CLI's JSON. Reading a Dockerfile (and its build context) from disk returns a Promise.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{err, to_js};
use archcompat::{
    RewriteOptions, rewrite_command as core_rewrite_command,
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

/// Options for rewriting a command line.
#[napi(object)]
#[derive(Debug, Default)]
pub struct CommandRewriteOptions {
    /// Turn a build into a pushed buildx build even for one platform.
    pub push: Option<bool>,
    /// The image is for AWS Lambda: add `--provenance=false`.
    pub lambda: Option<bool>,
    /// Return the text as it is (secrets are redacted by default).
    pub no_redact: Option<bool>,
}

/// Lint Dockerfile text (no build context is read). Echoed text is redacted unless `noRedact`.
#[napi(ts_return_type = "LintReport")]
pub fn lint_dockerfile_text(
    text: String,
    path: Option<String>,
    no_redact: Option<bool>,
) -> napi::Result<Value> {
    let report = archcompat::lint_input(
        Some(&text),
        path.as_deref().map(std::path::Path::new),
        None,
        no_redact.unwrap_or(false),
    )
    .map_err(err)?;
    to_js(&report)
}

/// Lint a Dockerfile read from disk; its directory (or `context`) is the build context.
pub struct LintFile {
    path: PathBuf,
    context: Option<PathBuf>,
    no_redact: bool,
}

impl<'task> ScopedTask<'task> for LintFile {
    type Output = Value;
    type JsValue = Unknown<'task>;
    fn compute(&mut self) -> napi::Result<Value> {
        let report = archcompat::lint_path(&self.path, self.context.as_deref(), self.no_redact)
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
    no_redact: Option<bool>,
) -> AsyncTask<LintFile> {
    AsyncTask::new(LintFile {
        path: path.into(),
        context: context.map(PathBuf::from),
        no_redact: no_redact.unwrap_or(false),
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
    o.no_redact = options.no_redact.unwrap_or(false);
    to_js(&core_rewrite_command(&command, &o).map_err(err)?)
}

/// Add (or correct) `platform:` on compose services (all, or only `services`).
#[napi(ts_return_type = "Rewrite")]
pub fn rewrite_compose(
    text: String,
    platform: String,
    services: Option<Vec<String>>,
    no_redact: Option<bool>,
) -> napi::Result<Value> {
    let mut o = rewrite_options(&[platform])?;
    o.no_redact = no_redact.unwrap_or(false);
    to_js(&core_rewrite_compose(&text, &o, &services.unwrap_or_default()).map_err(err)?)
}

/// Apply every mechanical lint fix to a Dockerfile's text.
#[napi(ts_return_type = "Rewrite")]
pub fn rewrite_dockerfile(text: String, no_redact: Option<bool>) -> napi::Result<Value> {
    let o = RewriteOptions {
        no_redact: no_redact.unwrap_or(false),
        ..RewriteOptions::default()
    };
    to_js(&core_rewrite_dockerfile(&text, &o).map_err(err)?)
}
