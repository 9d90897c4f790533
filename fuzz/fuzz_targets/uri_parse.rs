//! Arbitrary bytes as an otpauth URI.
//!
//! Properties, for both secret policies:
//! * parsing never panics, and every error is one the `uri` module documents
//!   for parsing;
//! * on success the value is valid: `validate()` and `to_uri()` succeed, the
//!   URI re-parses (same policy) to an equal value, and `to_uri()` of that is
//!   the same string (the output is canonical);
//! * `otp()` succeeds and builds a generator with the parsed parameters;
//! * the two policies differ only in the secret length: a URI accepted with
//!   `Standard` is accepted, equal, with `AllowLegacy`; one accepted only with
//!   `AllowLegacy` is refused by `Standard` with `SecretTooShort`;
//! * the lenient import never panics, fails only with a documented error,
//!   reads every strictly accepted URI to the same value without a finding
//!   other than a non-canonical secret or a `+` read as a space, and its
//!   findings are listed codes; `lint_uri` never panics either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use otp_core::{Error, Otp, OtpAuth, OtpKind, SecretPolicy};

/// Every error `OtpAuth::parse_with` may return (module documentation of `uri`).
const PARSE_ERRORS: &[Error] = &[
    Error::InputTooLong,
    Error::InvalidUri,
    Error::UnsupportedType,
    Error::MissingParameter,
    Error::DuplicateParameter,
    Error::IssuerMismatch,
    Error::InvalidDigits,
    Error::InvalidPeriod,
    Error::InvalidCounter,
    Error::UnsupportedAlgorithm,
    Error::InvalidSecret,
    Error::SecretTooShort,
    Error::SecretTooLong,
    Error::InvalidLabel,
];

fn check(uri: &str, policy: SecretPolicy) -> Result<OtpAuth, Error> {
    let parsed = OtpAuth::parse_with(uri, policy);
    let value = match parsed {
        Ok(v) => v,
        Err(e) => {
            assert!(PARSE_ERRORS.contains(&e), "undocumented parse error {e:?}");
            return Err(e);
        }
    };
    if let Err(e) = value.validate() {
        panic!("parsed value fails validate(): {e:?} for {value:?}");
    }
    let out = match value.to_uri() {
        Ok(u) => u,
        Err(e) => panic!("to_uri() of a parsed value failed: {e:?} for {value:?}"),
    };
    let back = match OtpAuth::parse_with(&out, policy) {
        Ok(b) => b,
        Err(e) => panic!("re-parse of to_uri() failed: {e:?}\n  in:  {uri:?}\n  out: {out:?}"),
    };
    assert_eq!(back, value, "round trip changed the value\n  in:  {uri:?}\n  out: {out:?}");
    assert_eq!(back.to_uri().ok().as_deref(), Some(out.as_str()), "to_uri() is not canonical");

    match value.otp() {
        Ok(Otp::Totp(t)) => {
            let OtpKind::Totp { period } = value.kind else { panic!("TOTP generator for {:?}", value.kind) };
            assert_eq!(t.period(), period);
            assert_eq!(t.digits(), value.digits);
            assert_eq!(t.algorithm(), value.algorithm);
            assert_eq!(t.at_step(0).len() as u32, value.digits);
        }
        Ok(Otp::Hotp(h, counter)) => {
            assert_eq!(value.kind, OtpKind::Hotp { counter });
            assert_eq!(h.digits(), value.digits);
            assert_eq!(h.algorithm(), value.algorithm);
            assert_eq!(h.at(counter).len() as u32, value.digits);
        }
        Err(e) => panic!("otp() of a parsed value failed: {e:?}"),
    }
    if policy == SecretPolicy::Standard {
        assert!(!value.secret.is_legacy());
    }
    Ok(value)
}

fuzz_target!(|data: &[u8]| {
    let Ok(uri) = std::str::from_utf8(data) else { return };
    let standard = check(uri, SecretPolicy::Standard);
    let legacy = check(uri, SecretPolicy::AllowLegacy);
    match (&standard, &legacy) {
        (Ok(s), Ok(l)) => assert_eq!(s, l),
        (Err(Error::SecretTooShort), Ok(l)) => assert!(l.secret.is_legacy()),
        // The legacy parse gets past the secret and may fail on a later field.
        (Err(Error::SecretTooShort), Err(_)) => {}
        (Err(s), Err(l)) => assert_eq!(s, l, "policies disagree on the error"),
        (s, l) => panic!("policies disagree: standard {s:?}, legacy {l:?}"),
    }
    match OtpAuth::parse_lenient(uri) {
        Ok(imported) => {
            for f in &imported.findings {
                assert!(otp_core::uri::LENIENT_FINDINGS.contains(f), "unlisted finding {f:?}");
            }
            // `encoder=steam` is the one parameter strict parsing ignores.
            // The lenient import trims the whole URI (a pasted one).
            if let (Ok(strict), false, true) = (&legacy, imported.steam, uri.trim() == uri) {
                assert_eq!(&imported.otp, strict, "lenient and strict read {uri:?} differently");
                assert!(
                    imported.findings.iter().all(|f| matches!(
                        f.code,
                        "secret_reformatted" | "plus_as_space" | "secret_below_80_bits" | "secret_below_112_bits"
                    )),
                    "a strictly valid URI got {:?}",
                    imported.findings
                );
            }
        }
        Err(e) => {
            assert!(PARSE_ERRORS.contains(&e), "undocumented lenient error {e:?}");
            assert!(legacy.is_err() || uri.contains("encoder"), "strict accepts what lenient refuses: {uri:?}");
        }
    }
    let _ = otp_core::lint::lint_uri(uri);
});
