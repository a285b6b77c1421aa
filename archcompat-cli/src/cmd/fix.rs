//! `archcompat fix`.

use crate::output::{CliError, Outcome, Output};
use clap::Args;

/// Arguments of this command (defined by the area's owner).
#[derive(Debug, Args)]
pub struct FixArgs {}

pub fn run_fix(_args: FixArgs, _out: &Output) -> Result<Outcome, CliError> {
    Err(CliError::Usage("not available in this build yet".into()))
}
