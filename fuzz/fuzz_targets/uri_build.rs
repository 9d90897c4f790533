//! Structured `OtpAuth` values → `to_uri()` → `parse_with(.., AllowLegacy)`.
//!
//! Properties:
//! * if `validate()` is Ok, `to_uri()` returns exactly the encoding the
//!   `uri` module documents (checked against a reference encoder written
//!   here), or `InputTooLong` exactly when that encoding exceeds MAX_URI_LEN;
//! * when `to_uri()` succeeds, `OtpAuth::parse_with(&uri, AllowLegacy) ==
//!   value` (the contract stated on `OtpAuth`), and re-encoding gives the
//!   same URI;
//! * if `validate()` fails, `to_uri()` fails with the same error, and that
//!   error is one `validate()` documents;
//! * `otp()` succeeds exactly when digits and period are in range.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use otp_core::{Algorithm, Error, OtpAuth, OtpKind, Secret, SecretPolicy};

/// A piece of a label: raw text, a character that URIs treat specially, or
/// a repeated run (to reach the length bounds).
#[derive(Arbitrary, Debug)]
enum Piece {
    Raw(String),
    Special(u8),
    Repeat(u8, String),
}

const SPECIALS: &[&str] = &[
    " ",
    ":",
    "+",
    "%",
    "%3A",
    "%20",
    "@",
    "&",
    "=",
    "?",
    "#",
    "/",
    "é",
    "\u{a0}",
    "\u{3000}",
    "\n",
    "\t",
    "\u{7f}",
    "\u{85}",
    "\u{200b}",
    "😀",
    "ACME Co",
    "alice@example.com",
    "a:b",
];

#[derive(Arbitrary, Debug)]
struct Text(Vec<Piece>);

impl Text {
    fn build(&self) -> String {
        let mut s = String::new();
        for p in &self.0 {
            match p {
                Piece::Raw(r) => s.push_str(r),
                Piece::Special(i) => s.push_str(SPECIALS[usize::from(*i) % SPECIALS.len()]),
                Piece::Repeat(n, r) => {
                    for _ in 0..*n {
                        s.push_str(r);
                    }
                }
            }
            if s.len() > 4096 {
                break;
            }
        }
        s
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    hotp: bool,
    /// Selects the period: mostly near the valid range, sometimes raw.
    period_sel: u8,
    period_raw: u64,
    counter: u64,
    algorithm: u8,
    digits_raw: u32,
    secret: Vec<u8>,
    secret_len: u8,
    account: Text,
    issuer: Option<Text>,
    image: Option<Text>,
}

/// The URI as the `uri` module documentation describes it, written
/// independently of `to_uri`: parameters in the order secret, issuer,
/// counter, algorithm, digits, period, image; defaults omitted; every byte
/// outside `A–Z a–z 0–9 - . _ ~` percent-encoded with upper-case hex.
fn reference_uri(v: &OtpAuth) -> String {
    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    let mut u = String::from(match v.kind {
        OtpKind::Totp { .. } => "otpauth://totp/",
        OtpKind::Hotp { .. } => "otpauth://hotp/",
    });
    if let Some(i) = &v.issuer {
        u += &format!("{}:", enc(i));
    }
    u += &format!("{}?secret={}", enc(&v.account), otp_core::base32::encode(v.secret.as_bytes()));
    if let Some(i) = &v.issuer {
        u += &format!("&issuer={}", enc(i));
    }
    if let OtpKind::Hotp { counter } = v.kind {
        u += &format!("&counter={counter}");
    }
    if v.algorithm != Algorithm::Sha1 {
        u += &format!("&algorithm={}", v.algorithm.name());
    }
    if v.digits != 6 {
        u += &format!("&digits={}", v.digits);
    }
    if let OtpKind::Totp { period } = v.kind
        && period != 30
    {
        u += &format!("&period={period}");
    }
    if let Some(i) = &v.image {
        u += &format!("&image={}", enc(i));
    }
    u
}

fuzz_target!(|input: Input| {
    // Secret of 10..=128 bytes.
    let len = 10 + usize::from(input.secret_len) % 119;
    let mut bytes = input.secret.clone();
    bytes.resize(len, 0xA5);
    let secret =
        Secret::from_bytes_with(&bytes, SecretPolicy::AllowLegacy).expect("10..=128 bytes is a valid legacy secret");

    let period = match input.period_sel % 4 {
        0 => input.period_raw,
        1 => 30,
        _ => input.period_raw % 86_402, // 0..=86401: both bounds and a bit past
    };
    let digits = if input.digits_raw > 64 { input.digits_raw } else { input.digits_raw % 13 };
    let algorithm = Algorithm::ALL[usize::from(input.algorithm) % 3];
    let kind = if input.hotp { OtpKind::Hotp { counter: input.counter } } else { OtpKind::Totp { period } };

    let value = OtpAuth {
        kind,
        secret,
        algorithm,
        digits,
        account: input.account.build(),
        issuer: input.issuer.as_ref().map(Text::build),
        image: input.image.as_ref().map(Text::build),
    };

    let in_range = (6..=10).contains(&digits) && (input.hotp || (1..=86_400).contains(&period));
    assert_eq!(value.otp().is_ok(), in_range, "otp() disagrees with the documented ranges");

    match value.validate() {
        Ok(()) => {
            assert!(in_range);
            let want = reference_uri(&value);
            let uri = match value.to_uri() {
                Ok(u) => u,
                // Documented: a URI longer than parse accepts is refused.
                Err(Error::InputTooLong) if want.len() > otp_core::uri::MAX_URI_LEN => return,
                Err(e) => panic!("validate() is Ok but to_uri() failed: {e:?} (reference is {} bytes)", want.len()),
            };
            assert_eq!(uri, want, "to_uri() differs from the documented encoding");
            assert!(uri.len() <= otp_core::uri::MAX_URI_LEN);
            let parsed = match OtpAuth::parse_with(&uri, SecretPolicy::AllowLegacy) {
                Ok(p) => p,
                Err(e) => panic!(
                    "to_uri() is Ok but parse_with(to_uri()) failed with {e:?}\n  value: {value:?}\n  uri ({} bytes): {uri:?}",
                    uri.len()
                ),
            };
            assert_eq!(parsed, value, "round trip changed the value\n  uri: {uri:?}");
            assert_eq!(parsed.to_uri().ok().as_deref(), Some(uri.as_str()));
        }
        Err(e) => {
            assert!(
                matches!(
                    e,
                    Error::InvalidDigits
                        | Error::InvalidPeriod
                        | Error::InvalidLabel
                        | Error::InvalidUri
                        | Error::InputTooLong
                ),
                "undocumented validate() error {e:?}"
            );
            assert_eq!(value.to_uri(), Err(e), "to_uri() must fail as validate() does");
        }
    }
});
