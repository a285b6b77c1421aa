//! The process an image starts: ENTRYPOINT and CMD (exec and shell form), the program found
//! through WorkingDir and PATH and followed through links inside the image, what that file
//! is, and whether its interpreter (ELF `PT_INTERP` or the `#!` program) exists in the image.

use super::fs::{FsView, NodeKind, ResolveError};
use crate::binary::BinaryInfo;
use crate::manifest::ImageConfig;
use serde::{Deserialize, Serialize};

/// Docker's default PATH when the config sets none.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// How the command was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommandForm {
    /// `["/app", "arg"]`.
    Exec,
    /// `/bin/sh -c "…"` (what Docker stores for the shell form).
    Shell,
}

/// A file in the image, as found.
#[derive(Debug, Clone, Serialize)]
pub struct FileFacts {
    /// Absolute path after following links.
    pub path: String,
    /// Layer (blob digest) that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Links followed to get there (`link -> target`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// Size in bytes.
    pub size: u64,
    /// Permission bits.
    pub mode: u32,
    /// What it is (format, platform, details), when classified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binary: Option<BinaryInfo>,
}

/// The interpreter a program asks for.
#[derive(Debug, Clone, Serialize)]
pub struct InterpreterFacts {
    /// The path the program names (`/lib/ld-linux-aarch64.so.1`, `/bin/bash`).
    pub requested: String,
    /// Whether it exists in the image.
    pub found: bool,
    /// The file, when found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileFacts>,
    /// Why it was not found (missing component, link loop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// The entrypoint of an image.
#[derive(Debug, Clone, Serialize)]
pub struct Entrypoint {
    /// ENTRYPOINT followed by CMD, as the runtime would exec them.
    pub argv: Vec<String>,
    /// Exec or shell form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<CommandForm>,
    /// WorkingDir (default `/`).
    pub working_dir: String,
    /// PATH searched for a bare program name.
    pub path_var: String,
    /// The program, as written (argv\[0\]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// The file it resolves to, when found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileFacts>,
    /// Its interpreter, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<InterpreterFacts>,
    /// For the shell form: the program the shell runs, when the command is a simple one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<FileFacts>,
    /// Why the program could not be resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// How exec of the program would fail when it cannot be resolved in the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec_failure: Option<ExecFailure>,
}

/// Why exec of a program that was looked up in the image would fail before the kernel even
/// reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExecFailure {
    /// No such file: the program, a directory on its path, or a link's target is missing (ENOENT).
    NotFound,
    /// A symbolic-link loop or a chain longer than the kernel follows (ELOOP).
    LinkLoop,
}

impl ExecFailure {
    /// The errno exec returns.
    pub fn errno(self) -> &'static str {
        match self {
            ExecFailure::NotFound => "ENOENT",
            ExecFailure::LinkLoop => "ELOOP",
        }
    }
}

/// The argv, form, WorkingDir and PATH from a config, before looking at any file.
pub fn command(config: &ImageConfig) -> Entrypoint {
    let mut argv: Vec<String> = config.entrypoint.clone().unwrap_or_default();
    argv.extend(config.cmd.clone().unwrap_or_default());
    let form = (!argv.is_empty()).then(|| {
        if argv.len() >= 3
            && (argv[0] == "/bin/sh" || argv[0] == "sh" || argv[0].ends_with("/sh"))
            && argv[1] == "-c"
        {
            CommandForm::Shell
        } else {
            CommandForm::Exec
        }
    });
    Entrypoint {
        program: argv.first().cloned(),
        argv,
        form,
        working_dir: config
            .working_dir
            .clone()
            .unwrap_or_else(|| "/".to_string()),
        path_var: config.path_var().unwrap_or(DEFAULT_PATH).to_string(),
        file: None,
        interpreter: None,
        command: None,
        problem: None,
        exec_failure: None,
    }
}

/// The program a shell-form command starts: the first word after `exec` and `VAR=value`
/// assignments, when the command uses no expansion or quoting that would need a shell to read.
fn shell_program(script: &str) -> Option<&str> {
    let mut words = script.split_whitespace().peekable();
    while let Some(w) = words.peek() {
        if *w == "exec" || (w.contains('=') && !w.starts_with('=')) {
            words.next();
        } else {
            break;
        }
    }
    let w = words.next()?;
    let special = |c: char| "$`'\"\\;|&<>(){}*?[]~#".contains(c);
    (!w.chars().any(special)).then_some(w)
}

type Lookup = Result<FileFacts, (String, Option<ExecFailure>)>;

fn facts(fs: &FsView, path: &str, hops: u32, layers: &[String]) -> Result<FileFacts, String> {
    facts_why(fs, path, hops, layers).map_err(|e| e.0)
}

fn facts_why(fs: &FsView, path: &str, hops: u32, layers: &[String]) -> Lookup {
    let nf = |m: String| (m, Some(ExecFailure::NotFound));
    match fs.resolve(path, hops) {
        Ok(r) => match &r.node.kind {
            NodeKind::File { size, info } => Ok(FileFacts {
                path: r.path.clone(),
                layer: layers.get(r.node.layer).cloned(),
                links: r.links.clone(),
                size: *size,
                mode: r.node.mode,
                binary: info.as_ref().map(|i| (**i).clone()),
            }),
            NodeKind::Dir => Err((format!("{} is a directory", r.path), None)),
            _ => Err((format!("{} is not a regular file", r.path), None)),
        },
        Err(ResolveError::NotFound(p))
            if p == path || p == format!("/{}", path.trim_start_matches('/')) =>
        {
            Err(nf(format!("{path} does not exist in the image")))
        }
        Err(ResolveError::NotFound(p)) => Err(nf(format!(
            "{path} does not exist in the image ({p} is missing)"
        ))),
        Err(ResolveError::TooManyLinks(p)) => Err((
            format!("{path}: more than {hops} symbolic links (a loop or too long a chain, at {p})"),
            Some(ExecFailure::LinkLoop),
        )),
    }
}

fn join(dir: &str, rel: &str) -> String {
    format!("{}/{}", dir.trim_end_matches('/'), rel)
}

/// Find `prog` as the runtime would: a path (relative to WorkingDir) or a name searched in PATH.
fn lookup(ep: &Entrypoint, prog: &str, fs: &FsView, hops: u32, layers: &[String]) -> Lookup {
    if prog.contains('/') {
        let p = if prog.starts_with('/') {
            prog.to_string()
        } else {
            join(&ep.working_dir, prog)
        };
        return facts_why(fs, &p, hops, layers);
    }
    for dir in ep.path_var.split(':').filter(|d| !d.is_empty()) {
        let dir = if dir.starts_with('/') {
            dir.to_string()
        } else {
            join(&ep.working_dir, dir)
        };
        if let Ok(f) = facts(fs, &join(&dir, prog), hops, layers) {
            return Ok(f);
        }
    }
    Err((
        format!("{prog} not found in PATH={}", ep.path_var),
        Some(ExecFailure::NotFound),
    ))
}

/// Resolve the program and its interpreter in the merged filesystem.
pub fn resolve(mut ep: Entrypoint, fs: &FsView, hops: u32, layers: &[String]) -> Entrypoint {
    let Some(prog) = ep.program.clone() else {
        ep.problem = Some("the image sets neither ENTRYPOINT nor CMD".into());
        return ep;
    };
    let found = lookup(&ep, &prog, fs, hops, layers);
    if ep.form == Some(CommandForm::Shell)
        && let Some(cmd) = ep.argv.get(2).and_then(|c| shell_program(c))
    {
        ep.command = lookup(&ep, cmd, fs, hops, layers).ok();
    }
    match found {
        Ok(f) => {
            let interp = f
                .binary
                .as_ref()
                .and_then(|b| b.interpreter().map(str::to_string));
            ep.file = Some(f);
            if let Some(req) = interp {
                ep.interpreter = Some(match facts(fs, &req, hops, layers) {
                    Ok(file) => InterpreterFacts {
                        requested: req,
                        found: true,
                        file: Some(file),
                        problem: None,
                    },
                    Err(problem) => InterpreterFacts {
                        requested: req,
                        found: false,
                        file: None,
                        problem: Some(problem),
                    },
                });
            }
        }
        Err((p, why)) => {
            ep.problem = Some(p);
            ep.exec_failure = why;
        }
    }
    ep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_commands_yield_their_program_when_simple() {
        assert_eq!(shell_program("exec ./app --x"), Some("./app"));
        assert_eq!(
            shell_program("FOO=1 BAR=2 /usr/bin/app"),
            Some("/usr/bin/app")
        );
        assert_eq!(shell_program("node server.js"), Some("node"));
        assert_eq!(shell_program("$APP"), None);
        assert_eq!(shell_program(""), None);
    }
}
