//! `archcompat platform parse|match` and `archcompat host`.

use crate::output::{CliError, Outcome, Output};
use clap::Args;

/// Arguments of this command (defined by the area's owner).
#[derive(Debug, Args)]
pub struct PlatformArgs {}

pub fn run_platform(_args: PlatformArgs, _out: &Output) -> Result<Outcome, CliError> {
    Err(CliError::Usage("not available in this build yet".into()))
}

/// Arguments of this command (defined by the area's owner).
#[derive(Debug, Args)]
pub struct HostArgs {}

pub fn run_host(_args: HostArgs, _out: &Output) -> Result<Outcome, CliError> {
    Err(CliError::Usage("not available in this build yet".into()))
}
