//! The compatibility lint's table, its documentation, and its behaviour on
//! accounts beyond the vectors (tests/vectors/uri_import.json).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use otp_core::{
    Algorithm, OtpAuth, OtpKind, Secret, Severity,
    lint::{COMPATIBILITY, Condition, lint, lint_uri},
    uri::LENIENT_FINDINGS,
};

fn account() -> OtpAuth {
    OtpAuth::totp(Secret::from_bytes(&[7; 20]).unwrap(), "alice@example.com").with_issuer("ACME")
}

fn codes(otp: &OtpAuth) -> Vec<&'static str> {
    lint(otp).iter().map(|f| f.code).collect()
}

#[test]
fn the_readme_table_is_the_core_table() {
    let readme = include_str!("../README.md");
    let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with("| `") && l.contains("](http")).collect();
    assert_eq!(rows.len(), COMPATIBILITY.len(), "one README row per fact");
    for (fact, row) in COMPATIBILITY.iter().zip(&rows) {
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(cells[0], format!("| `{}`", fact.code));
        assert_eq!(cells[1], fact.app, "{}", fact.code);
        assert_eq!(cells[2], fact.parameter, "{}", fact.code);
        assert_eq!(cells[3], fact.severity.as_str(), "{}", fact.code);
        assert!(row.contains(&format!("]({})", fact.source)), "{}: source", fact.code);
    }
    for f in LENIENT_FINDINGS {
        assert!(readme.contains(&format!("| `{}` | {} |", f.code, f.severity.as_str())), "{} documented", f.code);
    }
}

#[test]
fn every_fact_has_a_source_and_a_unique_code_per_app() {
    let mut seen = std::collections::BTreeSet::new();
    for fact in &COMPATIBILITY {
        assert!(fact.source.starts_with("https://"), "{}", fact.code);
        assert!(seen.insert((fact.code, fact.app)), "{} twice for {}", fact.code, fact.app);
        let finding = fact.finding();
        assert_eq!((finding.app, finding.source), (Some(fact.app), Some(fact.source)));
    }
}

#[test]
fn a_plain_account_has_no_finding() {
    assert!(lint(&account()).is_empty());
}

#[test]
fn each_condition_and_its_edges() {
    let mut a = account();
    a.algorithm = Algorithm::Sha256;
    assert_eq!(codes(&a), ["algorithm_ignored"]);
    let mut a = account();
    a.digits = 8;
    assert_eq!(codes(&a), ["digits_ignored"]); // 8 is fine on a YubiKey
    a.digits = 9;
    assert_eq!(codes(&a), ["digits_ignored", "digits_unsupported"]);
    for (period, expect) in [
        (15, vec!["period_ignored"]),
        (60, vec!["period_ignored"]),
        (45, vec!["period_ignored", "period_unsupported"]),
        (120, vec!["period_ignored", "period_unsupported"]),
        (121, vec!["period_ignored", "period_unsupported", "period_above_120s"]),
    ] {
        let mut a = account();
        a.kind = OtpKind::Totp { period };
        assert_eq!(codes(&a), expect, "period {period}");
    }
    // HOTP has no period rows, whatever it holds.
    let mut a = account();
    a.kind = OtpKind::Hotp { counter: 300 };
    assert!(codes(&a).is_empty());
    let mut a = account();
    a.issuer = None;
    assert_eq!(codes(&a), ["issuer_missing"]);
    let mut a = account();
    a.account = "team:alice".into();
    assert_eq!(codes(&a), ["colon_in_account"]);
    let mut a = account();
    a.image = Some("https://example.com/logo.png".into());
    assert_eq!(codes(&a), ["image_not_portable"]);
    // `ACME:` (5 bytes) + 59 = 64 bytes: fits; one more does not.
    let mut a = account();
    a.account = "a".repeat(59);
    assert!(codes(&a).is_empty());
    a.account.push('a');
    assert_eq!(codes(&a), ["label_too_long"]);
    // Another period is stored in the name (`60/ACME:…`, 3 bytes more) and
    // is itself a finding on a YubiKey.
    let mut a = account();
    a.account = "a".repeat(56);
    a.kind = OtpKind::Totp { period: 60 };
    assert!(!codes(&a).contains(&"label_too_long"), "{:?}", codes(&a));
    a.account.push('a');
    assert!(codes(&a).contains(&"label_too_long"), "{:?}", codes(&a));
    a.account = "a".repeat(55);
    a.kind = OtpKind::Totp { period: 120 };
    assert!(!codes(&a).contains(&"label_too_long"), "{:?}", codes(&a));
    a.account.push('a');
    assert!(codes(&a).contains(&"label_too_long"), "{:?}", codes(&a));
    let mut a = account();
    a.secret = Secret::from_bytes_with(&[7; 13], otp_core::SecretPolicy::Import).unwrap();
    assert_eq!(codes(&a), ["secret_below_112_bits"]);
    a.secret = Secret::from_bytes(&[7; 14]).unwrap();
    assert!(codes(&a).is_empty());
}

#[test]
fn uri_only_conditions_never_apply_to_an_account() {
    for fact in
        COMPATIBILITY.iter().filter(|f| matches!(f.condition, Condition::LiteralPlus | Condition::NoIssuerPrefix))
    {
        assert!(!lint(&account()).iter().any(|f| f.code == fact.code));
    }
    // The URI that `to_uri` writes never triggers them (it encodes `+` and
    // always writes the prefix).
    let mut a = account();
    a.account = "alice+tag@example.com".into();
    assert!(lint_uri(&a.to_uri().unwrap()).unwrap().is_empty());
}

#[test]
fn severities_order_and_errors_are_normative() {
    assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Error);
    for fact in COMPATIBILITY.iter().filter(|f| f.severity == Severity::Error) {
        assert!(matches!(fact.app, "NIST SP 800-63B-4" | "Google Authenticator"), "{}", fact.code);
    }
}

#[test]
fn lint_uri_errors_are_the_lenient_parse_errors() {
    assert_eq!(lint_uri("https://example.com").unwrap_err().code(), "invalid_uri");
    assert_eq!(lint_uri("otpauth://totp/a?issuer=x").unwrap_err().code(), "missing_parameter");
    assert_eq!(lint_uri(&"x".repeat(5000)).unwrap_err().code(), "input_too_long");
}
