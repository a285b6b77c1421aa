//! Node functions for Dockerfile lint and rewrites of the user's own input. Shapes are those of
//! the CLI's JSON. Lint returns a Promise (it may read the Dockerfile and its build context from
//! disk); rewrites of given text are synchronous.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{self, Failure, Job, Opts, Res};
use archcompat::{
    Redaction, RewriteOptions, rewrite_command as core_rewrite_command,
    rewrite_compose as core_rewrite_compose, rewrite_dockerfile as core_rewrite_dockerfile,
};
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi::{Env, JsValue, ValueType};
use napi_derive::napi;
use std::path::PathBuf;

fn rewrite_options(platforms: &[String], redaction: Redaction) -> Res<RewriteOptions> {
    let specs: Vec<&str> = platforms.iter().map(String::as_str).collect();
    let mut o = RewriteOptions::for_platforms(&specs)?;
    o.redaction = redaction;
    Ok(o)
}

/// Lint a Dockerfile given as text (a string, Buffer or Uint8Array; `options.path` then only
/// names it) or read from `options.path` (its directory, or `options.context`, is the build
/// context). `lintDockerfile(text, options?)` or `lintDockerfile(options)`. Echoed text is
/// redacted unless `redact: false`.
#[napi(
    ts_args_type = "input: string | Uint8Array | LintOptions, options?: LintOptions",
    ts_return_type = "Promise<LintReport>"
)]
pub fn lint_dockerfile(
    env: &Env,
    input: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> AsyncTask<Job> {
    const KEYS: &[&str] = &["text", "path", "context", "redact"];
    let args = (|| {
        let is_options = input.get_type()? == ValueType::Object
            && !input.is_buffer()?
            && !input.is_typedarray()?;
        let (text, o) = if is_options {
            if options.is_some_and(|o| !matches!(o.get_type(), Ok(ValueType::Undefined))) {
                return Err(Failure::Value(
                    "lintDockerfile(options) takes one argument; give the text as options.text or as the first argument".into(),
                ));
            }
            let o = Opts::new(env, Some(input), "options", KEYS)?;
            (o.text(env, "text")?, o)
        } else {
            let text = conv::text(env, input, "input")?;
            let o = Opts::new(env, options, "options", &KEYS[1..])?;
            (Some(text), o)
        };
        let path = o.string("path")?.map(PathBuf::from);
        if text.is_none() && path.is_none() {
            return Err(Failure::Value(
                "lintDockerfile: give the Dockerfile as text or as options.path".into(),
            ));
        }
        let context = o.string("context")?.map(PathBuf::from);
        Ok((text, path, context, o.redaction()?))
    })();
    conv::job(args, |(text, path, context, redaction)| {
        archcompat::lint_input(text.as_deref(), path.as_deref(), context, redaction)
    })
}

/// Rewrite a docker/buildx/compose command line for the target platforms.
#[napi(
    ts_args_type = "command: string, platforms: string[], options?: CommandRewriteOptions",
    ts_return_type = "Rewrite"
)]
pub fn rewrite_command<'e>(
    env: &'e Env,
    command: Unknown<'_>,
    platforms: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let command = conv::string(command, "command")?;
        let platforms = conv::strings(env, platforms, "platforms")?;
        let o = Opts::new(env, options, "options", &["push", "lambda", "redact"])?;
        let mut ro = rewrite_options(&platforms, o.redaction()?)?;
        ro.push = o.bool("push")?.unwrap_or(false);
        ro.lambda = o.bool("lambda")?.unwrap_or(false);
        Ok(core_rewrite_command(&command, &ro)?)
    })();
    conv::out(env, r)
}

/// Add (or correct) `platform:` on compose services (all, or only `options.services`).
#[napi(
    ts_args_type = "text: string | Uint8Array, platform: string, options?: ComposeRewriteOptions",
    ts_return_type = "Rewrite"
)]
pub fn rewrite_compose<'e>(
    env: &'e Env,
    text: Unknown<'_>,
    platform: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let text = conv::text(env, text, "text")?;
        let platform = conv::string(platform, "platform")?;
        let o = Opts::new(env, options, "options", &["services", "path", "redact"])?;
        let mut ro = rewrite_options(&[platform], o.redaction()?)?;
        ro.path = o.string("path")?;
        let services = o.strings(env, "services")?.unwrap_or_default();
        Ok(core_rewrite_compose(&text, &ro, &services)?)
    })();
    conv::out(env, r)
}

/// Apply every mechanical lint fix to a Dockerfile's text.
#[napi(
    ts_args_type = "text: string | Uint8Array, options?: DockerfileRewriteOptions",
    ts_return_type = "Rewrite"
)]
pub fn rewrite_dockerfile<'e>(
    env: &'e Env,
    text: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let text = conv::text(env, text, "text")?;
        let o = Opts::new(env, options, "options", &["path", "redact"])?;
        let ro = RewriteOptions {
            path: o.string("path")?,
            redaction: o.redaction()?,
            ..RewriteOptions::default()
        };
        Ok(core_rewrite_dockerfile(&text, &ro)?)
    })();
    conv::out(env, r)
}
