//! Redaction corpus: every secret kind disappears, everything that must stay stays.

use archcompat::{RedactOptions, redact};

const SECRETS: &str = include_str!("../../fixtures/redact/secrets.txt");
const KEEP: &str = include_str!("../../fixtures/redact/keep.txt");

#[test]
fn every_secret_is_removed_and_the_rest_of_the_line_kept() {
    for line in SECRETS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (before, rest) = line.split_once('⟪').unwrap();
        let (secret, after) = rest.split_once('⟫').unwrap();
        let input = format!("{before}{secret}{after}");
        let out = redact(&input, &RedactOptions::default());
        assert!(!out.contains(secret), "secret survived: {out}");
        assert!(
            out.contains("[REDACTED") || out.contains("************"),
            "{out}"
        );
        assert!(
            out.starts_with(before.trim_end_matches(['"', ' '])),
            "prefix changed: {input} -> {out}"
        );
        assert!(
            out.ends_with(after.trim_start_matches(['"', ' ']).trim_end()),
            "suffix changed: {input} -> {out}"
        );
    }
}

#[test]
fn digests_platforms_and_image_references_stay_untouched() {
    for line in KEEP.lines().filter(|l| !l.starts_with('#')) {
        assert_eq!(redact(line, &RedactOptions::default()), line);
    }
}

#[test]
fn private_keys_and_options() {
    let pem = "key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\ndone";
    assert_eq!(
        redact(pem, &RedactOptions::default()),
        "key:\n[REDACTED PRIVATE KEY]\ndone"
    );
    let arn = "arn:aws:lambda:eu-west-1:123456789012:function:api";
    assert_eq!(
        redact(
            arn,
            &RedactOptions {
                account_ids: false,
                ..Default::default()
            }
        ),
        arn
    );
    assert_eq!(
        redact(arn, &RedactOptions::default()),
        "arn:aws:lambda:eu-west-1:************:function:api"
    );
    // Huge input stays linear and bounded.
    let big = "x".repeat(2_000_000);
    assert_eq!(redact(&big, &RedactOptions::default()).len(), big.len());
}
