//! `archcompat inspect PATH...`.

use crate::output::{CliError, Outcome, Output};
use clap::Args;

/// Arguments of this command (defined by the area's owner).
#[derive(Debug, Args)]
pub struct InspectArgs {}

pub fn run_inspect(_args: InspectArgs, _out: &Output) -> Result<Outcome, CliError> {
    Err(CliError::Usage("not available in this build yet".into()))
}
