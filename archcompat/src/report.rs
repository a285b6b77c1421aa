//! Rendering findings to exchange formats: SARIF 2.1.0 for code-scanning UIs (GitHub code
//! scanning, GitLab, Azure DevOps). One rule per cause code, one result per finding, with the
//! location's line and columns, the evidence and the fixes kept as result properties.
//!
//! ```
//! use archcompat::{CauseCode, Finding, Location, Severity};
//! let mut f = Finding::new(CauseCode::HardcodedArch, Severity::Error, "GOARCH=amd64 hard-codes the target");
//! f.location = Some(Location::line("Dockerfile", 5));
//! let sarif = archcompat::sarif("0.1.0", &[f]);
//! assert_eq!(sarif["version"], "2.1.0");
//! assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "hardcoded-arch");
//! assert_eq!(sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 5);
//! ```

use crate::finding::{CauseCode, Finding, Severity};
use serde_json::{Value, json};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_name(code: CauseCode) -> String {
    code.as_str()
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Path to a SARIF `uri`: relative paths stay relative (resolved against the checkout).
fn uri(path: &str) -> String {
    let p = path.strip_prefix("./").unwrap_or(path);
    p.replace(' ', "%20")
}

/// A SARIF 2.1.0 log of `findings`, produced by archcompat `tool_version`.
pub fn sarif(tool_version: &str, findings: &[Finding]) -> Value {
    let mut codes: Vec<CauseCode> = findings.iter().map(|f| f.code).collect();
    codes.sort();
    codes.dedup();
    let rules: Vec<Value> = codes
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": rule_name(*c),
                "shortDescription": { "text": c.description() },
                "fullDescription": { "text": c.description() },
                "helpUri": format!("https://github.com/archcompat/archcompat/blob/main/README.md#cause-codes"),
                "properties": { "tags": ["architecture", "containers"] }
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut r = json!({
                "ruleId": f.code.as_str(),
                "ruleIndex": codes.iter().position(|c| *c == f.code).unwrap_or(0),
                "level": level(f.severity),
                "message": { "text": f.message },
            });
            if let Some(loc) = &f.location {
                let mut region = serde_json::Map::new();
                if let Some(l) = loc.line.filter(|l| *l > 0) {
                    region.insert("startLine".into(), json!(l));
                    if let Some(c) = loc.column.filter(|c| *c > 0) {
                        region.insert("startColumn".into(), json!(c));
                        if let Some(e) = loc.end_column.filter(|e| *e > c) {
                            region.insert("endColumn".into(), json!(e));
                        }
                    }
                }
                let mut phys = json!({ "artifactLocation": { "uri": uri(&loc.path) } });
                if !region.is_empty() {
                    phys["region"] = Value::Object(region);
                }
                r["locations"] = json!([{ "physicalLocation": phys }]);
            }
            let props = json!({ "evidence": f.evidence, "fixes": f.fixes });
            r["properties"] = props;
            r
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "archcompat",
                "version": tool_version,
                "informationUri": "https://github.com/archcompat/archcompat",
                "rules": rules,
            }},
            "results": results,
        }]
    })
}

/// GitLab Code Quality issues (the `codequality` report artifact) from a SARIF 2.1.0 log —
/// archcompat's own, or any other tool's. `input` names the log in errors. Each result becomes
/// one issue with its rule as `check_name`, the SARIF level mapped to a Code Quality severity
/// (error → critical, warning → major, note → minor, none → info), the first location's file
/// and line (line 1 when it has none), and a stable fingerprint of rule, file, line and message.
///
/// ```
/// use archcompat::{CauseCode, Finding, Location, Severity};
/// let mut f = Finding::new(CauseCode::HardcodedArch, Severity::Error, "GOARCH=amd64 hard-codes the target");
/// f.location = Some(Location::line("Dockerfile", 5));
/// let sarif = archcompat::sarif("0.1.0", &[f]);
/// let cq = archcompat::code_quality(&sarif, "lint.sarif")?;
/// assert_eq!(cq[0]["check_name"], "hardcoded-arch");
/// assert_eq!(cq[0]["severity"], "critical");
/// assert_eq!(cq[0]["location"]["path"], "Dockerfile");
/// assert_eq!(cq[0]["location"]["lines"]["begin"], 5);
/// # Ok::<(), archcompat::Error>(())
/// ```
pub fn code_quality(sarif: &Value, input: &str) -> crate::Result<Value> {
    use sha2::{Digest, Sha256};
    let runs = sarif
        .get("runs")
        .and_then(Value::as_array)
        .ok_or_else(|| crate::Error::malformed(input, "not a SARIF log (no \"runs\" array)"))?;
    let mut issues = Vec::new();
    for run in runs {
        for r in run
            .get("results")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let rule = r
                .get("ruleId")
                .and_then(Value::as_str)
                .unwrap_or("archcompat");
            let message = r
                .pointer("/message/text")
                .and_then(Value::as_str)
                .unwrap_or(rule);
            let severity = match r.get("level").and_then(Value::as_str).unwrap_or("warning") {
                "error" => "critical",
                "warning" => "major",
                "note" => "minor",
                _ => "info",
            };
            let loc = r.pointer("/locations/0/physicalLocation");
            let path = loc
                .and_then(|l| l.pointer("/artifactLocation/uri"))
                .and_then(Value::as_str)
                .unwrap_or(input)
                .replace("%20", " ");
            let line = loc
                .and_then(|l| l.pointer("/region/startLine"))
                .and_then(Value::as_u64)
                .unwrap_or(1);
            let fingerprint = format!(
                "{:x}",
                Sha256::digest(format!("{rule}\0{path}\0{line}\0{message}").as_bytes())
            );
            issues.push(json!({
                "description": message,
                "check_name": rule,
                "fingerprint": &fingerprint[..32],
                "severity": severity,
                "location": { "path": path, "lines": { "begin": line } },
            }));
        }
    }
    Ok(Value::Array(issues))
}
