//! `archcompat codes`: the stable cause codes.

use crate::output::{CliError, Format, Outcome, Output};
use archcompat::CauseCode;

pub fn run(out: &Output) -> Result<Outcome, CliError> {
    match out.format {
        Format::Json => out.json(&CauseCode::ALL)?,
        _ => {
            let text: String = CauseCode::ALL.iter().map(|c| format!("{c}\n")).collect();
            out.text(&text)?
        }
    }
    Ok(Outcome::Ok)
}
