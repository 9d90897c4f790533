//! The compatibility lint: what popular authenticator apps are documented
//! to ignore or mishandle in an otpauth URI, and where it departs from NIST
//! SP 800-63B-4.
//!
//! The facts are data: [`COMPATIBILITY`] has one row per app (or standard)
//! and parameter, each with the public document it rests on. [`lint`] checks
//! an account against every row; [`lint_uri`] also reads the URI's text
//! (a literal `+`, a label without the issuer prefix) and reports what
//! [`OtpAuth::parse_lenient`] had to accept. A finding carries the row's
//! stable code, severity, app and source.
//!
//! Run it on a URI about to be shown as a QR code, or one just imported.
//! A site shows the findings to its developers, never to the end user.

use alloc::vec::Vec;

use crate::{Algorithm, DEFAULT_PERIOD, Error, Finding, OtpAuth, OtpKind, Severity, uri::Imported};

/// Google's Key URI format (the otpauth format's reference).
pub const GOOGLE_KEY_URI_FORMAT: &str = "https://github.com/google/google-authenticator/wiki/Key-Uri-Format";
/// NIST SP 800-63B-4, section 3.1.4 (single-factor OTP authenticators).
pub const NIST_800_63B_4: &str = "https://pages.nist.gov/800-63-4/sp800-63b.html#singlefactorOTP";
/// Yubico's documentation of the otpauth URIs its OATH application takes.
pub const YUBICO_URI_FORMAT: &str =
    "https://github.com/Yubico/Yubico.NET.SDK/blob/main/docs/users-manual/application-oath/uri-string-format.md";
/// Yubico's YKOATH protocol (credential names of at most 64 bytes).
pub const YKOATH_PROTOCOL: &str = "https://developers.yubico.com/OATH/YKOATH_Protocol.html";
/// FreeOTP's token URI format (the `image` parameter is its extension).
pub const FREEOTP_URI_FORMAT: &str = "https://github.com/freeotp/freeotp-android/blob/master/URI.md";
/// The WHATWG URL standard's form decoding (`+` is a space).
pub const WHATWG_URLENCODED: &str = "https://url.spec.whatwg.org/#urlencoded-parsing";

/// When a row of the table applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// The algorithm is not SHA1.
    AlgorithmNotSha1,
    /// The digit count is not 6.
    DigitsNot6,
    /// The digit count is above 8.
    DigitsAbove8,
    /// A TOTP period other than 30 s.
    PeriodNot30,
    /// A TOTP period other than 15, 30 or 60 s.
    PeriodNotYubico,
    /// A TOTP period above 120 s.
    PeriodAbove120,
    /// A secret below 112 bits.
    SecretBelow112Bits,
    /// No issuer (parameter).
    NoIssuer,
    /// The name a YubiKey stores (`[period/]issuer:account`) is longer than 64 bytes.
    LabelOver64Bytes,
    /// A `:` in the account name.
    ColonInAccount,
    /// An `image` parameter.
    Image,
    /// The URI's text has a literal `+` in its label or issuer (URI only).
    LiteralPlus,
    /// The URI has an issuer parameter but no issuer prefix in its label (URI only).
    NoIssuerPrefix,
}

/// One fact: an app (or standard), the parameter, and what it does with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fact {
    /// The finding's stable code.
    pub code: &'static str,
    /// The app or standard.
    pub app: &'static str,
    /// The URI parameter (or `label`).
    pub parameter: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// What happens, in one line.
    pub message: &'static str,
    /// When the fact applies.
    pub condition: Condition,
    /// The public document it rests on.
    pub source: &'static str,
}

impl Fact {
    /// The finding this fact reports.
    #[must_use]
    pub const fn finding(&self) -> Finding {
        Finding {
            code: self.code,
            severity: self.severity,
            message: self.message,
            app: Some(self.app),
            source: Some(self.source),
        }
    }
}

const GA: &str = "Google Authenticator";
const YUBICO: &str = "Yubico Authenticator";
const NIST: &str = "NIST SP 800-63B-4";

/// The table, one row per app and parameter.
pub const COMPATIBILITY: [Fact; 13] = [
    Fact {
        code: "algorithm_ignored",
        app: GA,
        parameter: "algorithm",
        severity: Severity::Warning,
        message: "Google's Key URI format says Google Authenticator ignores `algorithm` (computing SHA1 codes)",
        condition: Condition::AlgorithmNotSha1,
        source: GOOGLE_KEY_URI_FORMAT,
    },
    Fact {
        code: "digits_ignored",
        app: GA,
        parameter: "digits",
        severity: Severity::Warning,
        message: "Google's Key URI format says Google Authenticator on Android ignores `digits` (showing 6)",
        condition: Condition::DigitsNot6,
        source: GOOGLE_KEY_URI_FORMAT,
    },
    Fact {
        code: "period_ignored",
        app: GA,
        parameter: "period",
        severity: Severity::Warning,
        message: "Google's Key URI format says Google Authenticator ignores `period` (using 30 s)",
        condition: Condition::PeriodNot30,
        source: GOOGLE_KEY_URI_FORMAT,
    },
    Fact {
        code: "issuer_missing",
        app: GA,
        parameter: "issuer",
        severity: Severity::Warning,
        message: "no issuer: Google's Key URI format strongly recommends one, or apps cannot tell this account from others of the same name",
        condition: Condition::NoIssuer,
        source: GOOGLE_KEY_URI_FORMAT,
    },
    Fact {
        code: "issuer_prefix_missing",
        app: GA,
        parameter: "label",
        severity: Severity::Info,
        message: "the issuer is only a parameter: Google's Key URI format recommends the label prefix too, which older apps read instead",
        condition: Condition::NoIssuerPrefix,
        source: GOOGLE_KEY_URI_FORMAT,
    },
    Fact {
        code: "colon_in_account",
        app: GA,
        parameter: "label",
        severity: Severity::Error,
        message: "a ':' in the account name: Google's Key URI format forbids it, and apps split the label there",
        condition: Condition::ColonInAccount,
        source: GOOGLE_KEY_URI_FORMAT,
    },
    Fact {
        code: "literal_plus",
        app: "apps that form-decode URIs",
        parameter: "label",
        severity: Severity::Warning,
        message: "a literal '+' in the label or issuer: form decoding reads it as a space (write %2B)",
        condition: Condition::LiteralPlus,
        source: WHATWG_URLENCODED,
    },
    Fact {
        code: "image_not_portable",
        app: "FreeOTP",
        parameter: "image",
        severity: Severity::Info,
        message: "`image` is FreeOTP's extension, not in Google's format: most apps do not show it",
        condition: Condition::Image,
        source: FREEOTP_URI_FORMAT,
    },
    Fact {
        code: "digits_unsupported",
        app: YUBICO,
        parameter: "digits",
        severity: Severity::Warning,
        message: "YubiKeys take 6, 7 or 8 digits only",
        condition: Condition::DigitsAbove8,
        source: YUBICO_URI_FORMAT,
    },
    Fact {
        code: "period_unsupported",
        app: YUBICO,
        parameter: "period",
        severity: Severity::Warning,
        message: "YubiKeys take periods of 15, 30 or 60 s only",
        condition: Condition::PeriodNotYubico,
        source: YUBICO_URI_FORMAT,
    },
    Fact {
        code: "label_too_long",
        app: YUBICO,
        parameter: "label",
        severity: Severity::Warning,
        message: "the name a YubiKey stores ([period/]issuer:account) is longer than 64 bytes: it cannot hold this credential",
        condition: Condition::LabelOver64Bytes,
        source: YKOATH_PROTOCOL,
    },
    Fact {
        code: "secret_below_112_bits",
        app: NIST,
        parameter: "secret",
        severity: Severity::Error,
        message: "the secret is shorter than 112 bits, NIST SP 800-63B-4's minimum for OTP secrets",
        condition: Condition::SecretBelow112Bits,
        source: NIST_800_63B_4,
    },
    Fact {
        code: "period_above_120s",
        app: NIST,
        parameter: "period",
        severity: Severity::Error,
        message: "a period above 120 s: NIST SP 800-63B-4 requires a time-based OTP to change at least every 2 minutes",
        condition: Condition::PeriodAbove120,
        source: NIST_800_63B_4,
    },
];

/// Whether `condition` holds for the account (the URI-only conditions never do).
fn holds(condition: Condition, otp: &OtpAuth) -> bool {
    let period = match otp.kind {
        OtpKind::Totp { period } => Some(period),
        OtpKind::Hotp { .. } => None,
    };
    match condition {
        Condition::AlgorithmNotSha1 => otp.algorithm != Algorithm::Sha1,
        Condition::DigitsNot6 => otp.digits != 6,
        Condition::DigitsAbove8 => otp.digits > 8,
        Condition::PeriodNot30 => period.is_some_and(|p| p != DEFAULT_PERIOD),
        Condition::PeriodNotYubico => period.is_some_and(|p| !matches!(p, 15 | 30 | 60)),
        Condition::PeriodAbove120 => period.is_some_and(|p| p > 120),
        Condition::SecretBelow112Bits => otp.secret.len() < crate::MIN_SECRET_LEN,
        Condition::NoIssuer => otp.issuer.is_none(),
        Condition::LabelOver64Bytes => ykoath_name_len(otp) > 64,
        Condition::ColonInAccount => otp.account.contains(':'),
        Condition::Image => otp.image.is_some(),
        Condition::LiteralPlus | Condition::NoIssuerPrefix => false,
    }
}

/// The length of the name a YubiKey stores: `[period/]issuer:account`, the
/// period written when it is not 30 s (Yubico's OATH credential names).
fn ykoath_name_len(otp: &OtpAuth) -> usize {
    let period = match otp.kind {
        OtpKind::Totp { period } if period != DEFAULT_PERIOD => {
            // The decimal digits of the period, and the '/'.
            let mut digits = 1;
            let mut p = period;
            while p >= 10 {
                p /= 10;
                digits += 1;
            }
            digits + 1
        }
        _ => 0,
    };
    period + otp.issuer.as_ref().map_or(0, |i| i.len() + 1) + otp.account.len()
}

/// The findings for an account about to be provisioned (or just imported),
/// in table order.
#[must_use]
pub fn lint(otp: &OtpAuth) -> Vec<Finding> {
    COMPATIBILITY.iter().filter(|fact| holds(fact.condition, otp)).map(Fact::finding).collect()
}

/// The findings for a URI: what [`OtpAuth::parse_lenient`] had to accept,
/// then the table's rows for the account and for the URI's text.
///
/// # Errors
/// What [`OtpAuth::parse_lenient`] refuses.
pub fn lint_uri(uri: &str) -> Result<Vec<Finding>, Error> {
    let Imported { otp, steam, mut findings } = OtpAuth::parse_lenient(uri)?;
    let (label, query) = text_parts(uri.trim());
    for fact in &COMPATIBILITY {
        let applies = match fact.condition {
            // Steam fixes its own parameters: only the secret and the labels count.
            c if steam => {
                matches!(c, Condition::SecretBelow112Bits | Condition::LabelOver64Bytes | Condition::Image)
                    && holds(c, &otp)
            }
            Condition::LiteralPlus => label.contains('+') || issuer_param(query).is_some_and(|i| i.contains('+')),
            Condition::NoIssuerPrefix => otp.issuer.is_some() && !decoded_has_prefix(label),
            other => holds(other, &otp),
        };
        if !applies {
            continue;
        }
        // The table's fact, with its source, takes the place of the
        // import's finding of the same code (a short secret).
        match findings.iter_mut().find(|f| f.code == fact.code) {
            Some(found) => *found = fact.finding(),
            None => findings.push(fact.finding()),
        }
    }
    Ok(findings)
}

/// The raw label and query of an otpauth URI.
fn text_parts(uri: &str) -> (&str, &str) {
    let rest = uri.split_once("://").map_or(uri, |(_, r)| r);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    (path.split_once('/').map_or("", |(_, l)| l), query)
}

fn issuer_param(query: &str) -> Option<&str> {
    query.split('&').find_map(|p| p.strip_prefix("issuer="))
}

/// Whether the raw label has an issuer prefix (`:` or `%3A`).
fn decoded_has_prefix(label: &str) -> bool {
    label.contains(':') || label.to_ascii_lowercase().contains("%3a")
}
