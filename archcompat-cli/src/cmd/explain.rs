//! `archcompat explain [FILE|-]`.

use crate::output::{CliError, Outcome, Output};
use clap::Args;

/// Arguments of this command (defined by the area's owner).
#[derive(Debug, Args)]
pub struct ExplainArgs {}

pub fn run_explain(_args: ExplainArgs, _out: &Output) -> Result<Outcome, CliError> {
    Err(CliError::Usage("not available in this build yet".into()))
}
