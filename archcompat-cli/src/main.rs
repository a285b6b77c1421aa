//! The `archcompat` command: the front door for people and CI.
//!
//! Translation only: parse arguments, call the core library, render its results as text,
//! JSON or SARIF, and map outcomes to the contract's exit codes (0 ok, 1 problem found,
//! 2 bad usage or unreadable input). No domain logic lives here.

mod cmd;
mod output;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Will this container run on that machine? If not, why, and exactly what do I change?
#[derive(Debug, Parser)]
#[command(name = "archcompat", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    global: output::GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the stable cause codes of the contract.
    Codes,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout with exit 0; usage errors exit 2.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let out = output::Output::new(&cli.global);
    let result = match cli.command {
        Command::Codes => cmd::codes::run(&out),
    };
    output::finish(result)
}
