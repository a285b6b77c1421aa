//! `archcompat lint [DOCKERFILE]`.

use crate::output::{CliError, Outcome, Output};
use clap::Args;

/// Arguments of this command (defined by the area's owner).
#[derive(Debug, Args)]
pub struct LintArgs {}

pub fn run_lint(_args: LintArgs, _out: &Output) -> Result<Outcome, CliError> {
    Err(CliError::Usage("not available in this build yet".into()))
}
