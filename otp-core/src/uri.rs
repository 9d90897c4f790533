//! `otpauth://` Key URIs: build and parse.
//!
//! The format is the de-facto standard that Google Authenticator defined and
//! every authenticator app reads:
//! `otpauth://TYPE/LABEL?secret=…&issuer=…&algorithm=…&digits=…&period=…&counter=…&image=…`
//! with `LABEL = issuer ":" account` or just `account`.
//!
//! # Output
//!
//! [`OtpAuth::to_uri`] writes the parameters in the order `secret`, `issuer`,
//! `counter`, `algorithm`, `digits`, `period`, `image` (pyotp's order), omits
//! `algorithm`, `digits` and `period` when they have their defaults (SHA1, 6,
//! 30), writes the secret as unpadded upper-case base32, always repeats the
//! issuer as a parameter when it is in the label (as Google's documentation
//! recommends), and percent-encodes every byte outside RFC 3986's unreserved
//! set (`A–Z a–z 0–9 - . _ ~`): a space is `%20`, never `+`; `:`, `@`, `/` and
//! `+` are encoded too, so no app can misread them.
//!
//! # Input: accepted variations
//!
//! * scheme and type in any ASCII case (`OTPAUTH://TOTP/…`);
//! * the label separator as `:` or `%3A`, with optional spaces after it
//!   (`ACME:%20alice`);
//! * the issuer in the label only, in the `issuer` parameter only, or both
//!   (then they must be equal, or equal once `+` in the label is read as a
//!   space, and the parameter's form wins); an empty `issuer=` counts as absent;
//! * in parameter values `+` and `%20` are both a space; in the label `+` is a
//!   literal plus (`alice+tag@example.com`), as Android's `Uri` reads it;
//! * raw (unencoded) spaces, `/` and non-ASCII UTF-8 in the label;
//! * secrets in lower case, with `=` padding, spaces or hyphens (see [`base32`](crate::base32));
//! * algorithm names in any case (`sha256`);
//! * unknown parameters (`lock`, `icon`, …) are ignored unread (not even
//!   percent-decoded), and so are `period` on HOTP and `counter` on TOTP URIs;
//!   parameter names are case-sensitive, as in Google's format (`SECRET=` is
//!   an unknown parameter);
//! * numbers with leading zeros (`digits=06`).
//!
//! # Input: refused
//!
//! Longer than [`MAX_URI_LEN`], as given or once written in the canonical
//! form of [`OtpAuth::to_uri`] ([`Error::InputTooLong`]); another scheme,
//! a fragment, control characters, bad percent-encoding or non-UTF-8
//! ([`Error::InvalidUri`]); a type other than `totp`/`hotp`
//! ([`Error::UnsupportedType`]); a missing `secret`, or `counter` for HOTP
//! ([`Error::MissingParameter`]); any known parameter given twice
//! ([`Error::DuplicateParameter`]); label issuer ≠ `issuer` parameter
//! ([`Error::IssuerMismatch`]); digits outside `6..=10`, period outside
//! `1..=86400`, a non-decimal counter, an unknown algorithm, or a bad secret
//! (each with its own error code); an empty account, an empty issuer in the
//! label, labels with leading or trailing whitespace or control characters,
//! or longer than [`MAX_LABEL_LEN`] ([`Error::InvalidLabel`]).
//!
//! # Lenient import
//!
//! What this crate writes and what a server reads stay strict. What a user
//! scans or pastes into an authenticator app, or an admin migrates, is read
//! by a separate entry point, [`OtpAuth::parse_lenient`], which accepts
//! what real issuers emit and reports each leniency as a [`Finding`]
//! (codes in [`LENIENT_FINDINGS`]):
//!
//! | accepted | finding |
//! |---|---|
//! | label issuer ≠ `issuer` parameter (the parameter wins, as Microsoft-style URIs need) | `issuer_parameter_wins` |
//! | `+` for a space in the `issuer` parameter (also accepted strictly) | `plus_as_space` |
//! | a secret in lower case, spaced, hyphenated or padded (also accepted strictly) | `secret_reformatted` |
//! | `steam://SECRET`, `otpauth://steam/…`, `encoder=steam` (a Steam Guard account) | `steam_account` |
//! | a secret below 80 bits (from 1 byte, [`SecretPolicy::Import`]) | `secret_below_80_bits` |
//! | a secret of 80 to 111 bits | `secret_below_112_bits` |
//! | spaces around the issuer or account | `label_trimmed` |
//! | an empty account (named after the issuer, or `Account`) | `unnamed_account` |
//! | an HOTP URI without `counter` (counter 0), an empty `algorithm`, `digits`, `period` or `counter` (the default) | `defaulted_field` |
//!
//! Leading and trailing whitespace around the whole URI is ignored, and so is
//! an empty `secret`, `issuer` or `image` after one was given. Still
//! refused: another scheme, bad percent-encoding or UTF-8, a missing or
//! undecodable secret, duplicate parameters, digits, period or algorithm
//! out of range, control characters, labels over [`MAX_LABEL_LEN`]. A Steam
//! account has `digits` 5 and no otpauth URI ([`Imported::steam`]).

use alloc::{borrow::Cow, string::String};
use core::fmt::Write;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use alloc::vec::Vec;

use crate::{
    Algorithm, Error, Hotp, Secret, SecretPolicy, Totp,
    code::{MAX_DIGITS, MIN_DIGITS},
    finding::{
        DEFAULTED_FIELD, Finding, LABEL_TRIMMED, SECRET_BELOW_IMPORT_FLOOR, SECRET_BELOW_NIST, Severity,
        UNNAMED_ACCOUNT,
    },
    totp::{DEFAULT_PERIOD, MAX_PERIOD},
};

/// Longest URI accepted by [`OtpAuth::parse`], in bytes (a QR code of version
/// 40 at error-correction level M holds 2331 bytes).
pub const MAX_URI_LEN: usize = 2048;
/// Longest account name or issuer, in bytes after decoding.
pub const MAX_LABEL_LEN: usize = 256;
/// Longest `image` URL, in bytes after decoding.
pub const MAX_IMAGE_LEN: usize = 1024;

/// The type of an otpauth URI and its type-specific parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OtpKind {
    /// Time-based, with its period in seconds.
    Totp {
        /// The time step in seconds (`period`, default 30).
        period: u64,
    },
    /// Counter-based, with the counter to start from.
    Hotp {
        /// The initial counter (`counter`, required).
        counter: u64,
    },
}

/// The contents of an otpauth URI.
///
/// Fields are public; [`to_uri`](OtpAuth::to_uri) and the conversions check
/// them. For every value whose `to_uri` succeeds,
/// `OtpAuth::parse_with(&x.to_uri()?, SecretPolicy::AllowLegacy)? == x`
/// (property-tested and fuzzed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpAuth {
    /// TOTP or HOTP, with the period or counter.
    pub kind: OtpKind,
    /// The shared secret.
    pub secret: Secret,
    /// The hash algorithm (default SHA1).
    pub algorithm: Algorithm,
    /// Digits per code (default 6).
    pub digits: u32,
    /// The account name, e.g. an e-mail address.
    pub account: String,
    /// The service's name, shown by the app.
    pub issuer: Option<String>,
    /// A logo URL (the `image` parameter some apps show).
    pub image: Option<String>,
}

/// A generator built from an [`OtpAuth`].
#[derive(Clone, Debug)]
pub enum Otp {
    /// A TOTP generator.
    Totp(Totp),
    /// An HOTP generator, and the counter from the URI.
    Hotp(Hotp, u64),
}

impl OtpAuth {
    /// A TOTP URI with the default parameters (SHA1, 6 digits, 30 s).
    #[must_use]
    pub fn totp(secret: Secret, account: impl Into<String>) -> Self {
        Self::with_kind(OtpKind::Totp { period: DEFAULT_PERIOD }, secret, account)
    }

    /// An HOTP URI with the default parameters (SHA1, 6 digits).
    #[must_use]
    pub fn hotp(secret: Secret, account: impl Into<String>, counter: u64) -> Self {
        Self::with_kind(OtpKind::Hotp { counter }, secret, account)
    }

    fn with_kind(kind: OtpKind, secret: Secret, account: impl Into<String>) -> Self {
        OtpAuth {
            kind,
            secret,
            algorithm: Algorithm::Sha1,
            digits: MIN_DIGITS,
            account: account.into(),
            issuer: None,
            image: None,
        }
    }

    /// Sets the issuer.
    #[must_use]
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Parses a URI, with the [standard](SecretPolicy::Standard) secret policy.
    ///
    /// # Errors
    /// See the [module documentation](self) for what is refused and with which error.
    pub fn parse(uri: &str) -> Result<Self, Error> {
        Self::parse_with(uri, SecretPolicy::Standard)
    }

    /// Parses a URI with an explicit secret policy (to admit 80-bit legacy secrets).
    ///
    /// # Errors
    /// See the [module documentation](self).
    pub fn parse_with(uri: &str, policy: SecretPolicy) -> Result<Self, Error> {
        let (parsed, _) = parse_inner(uri, policy, None, false)?;
        // Accept only what `to_uri` can write back: labels within their rules,
        // and a canonical form within MAX_URI_LEN (raw characters that must be
        // percent-encoded triple in length).
        drop(zeroize::Zeroizing::new(parsed.to_uri()?));
        Ok(parsed)
    }

    /// As [`parse_with`](Self::parse_with), and whether the URI is a Steam
    /// Guard account: `encoder=steam` on a TOTP URI, as pyotp writes and
    /// reads it. A Steam account's codes are [Steam's](crate::Steam),
    /// whatever `algorithm`, `digits` or `period` say, and it has
    /// [`STEAM_CODE_LEN`](crate::STEAM_CODE_LEN) digits (so no `to_uri`);
    /// [`parse_with`](Self::parse_with) ignores `encoder` and reads a TOTP.
    ///
    /// # Errors
    /// As [`parse_with`](Self::parse_with).
    pub fn parse_steam_aware(uri: &str, policy: SecretPolicy) -> Result<(Self, bool), Error> {
        let (parsed, steam) = parse_inner(uri, policy, None, true)?;
        if !steam {
            drop(zeroize::Zeroizing::new(parsed.to_uri()?));
        }
        Ok((parsed, steam))
    }

    /// Parses what a user scans or pastes into an authenticator app, or an
    /// admin migrates: the variations real issuers emit that [`parse`](Self::parse)
    /// refuses are accepted and reported (see [Lenient import](self#lenient-import)).
    /// Never use it where a server provisions or verifies: [`parse`](Self::parse) is that.
    ///
    /// # Errors
    /// What no leniency can read: see [Lenient import](self#lenient-import).
    pub fn parse_lenient(uri: &str) -> Result<Imported, Error> {
        let mut findings = Vec::new();
        let (otp, steam) = parse_inner(uri.trim(), SecretPolicy::Import, Some(&mut findings), true)?;
        Ok(Imported { otp, steam, findings })
    }

    fn validate_labels(&self) -> Result<(), Error> {
        check_label(&self.account)?;
        if let Some(issuer) = &self.issuer {
            check_label(issuer)?;
            if issuer.contains(':') {
                return Err(Error::InvalidLabel);
            }
        } else if self.account.contains(':') {
            // Without an issuer, the part before ':' would be read back as one.
            return Err(Error::InvalidLabel);
        }
        match &self.image {
            Some(image) if image.is_empty() || image.chars().any(char::is_control) => Err(Error::InvalidUri),
            Some(image) if image.len() > MAX_IMAGE_LEN => Err(Error::InputTooLong),
            _ => Ok(()),
        }
    }

    /// Checks every field: digits `6..=10`, period `1..=86400`, labels
    /// (non-empty, at most [`MAX_LABEL_LEN`] bytes, no control characters, no
    /// leading or trailing whitespace, no `:` in the issuer, nor in the
    /// account when there is no issuer), image non-empty, without control
    /// characters and at most [`MAX_IMAGE_LEN`] bytes.
    ///
    /// # Errors
    /// [`Error::InvalidDigits`], [`Error::InvalidPeriod`], [`Error::InvalidLabel`],
    /// [`Error::InvalidUri`] (empty image, control characters) or
    /// [`Error::InputTooLong`] (image too long).
    pub fn validate(&self) -> Result<(), Error> {
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&self.digits) {
            return Err(Error::InvalidDigits);
        }
        if let OtpKind::Totp { period } = self.kind
            && !(1..=MAX_PERIOD).contains(&period)
        {
            return Err(Error::InvalidPeriod);
        }
        self.validate_labels()
    }

    /// The URI, percent-encoded as described in the [module documentation](self).
    ///
    /// # Errors
    /// As [`validate`](OtpAuth::validate), and [`Error::InputTooLong`] when the
    /// encoded URI would exceed [`MAX_URI_LEN`] (so that `parse` accepts
    /// whatever `to_uri` returns).
    pub fn to_uri(&self) -> Result<String, Error> {
        self.validate()?;
        let mut uri = String::with_capacity(128);
        uri.push_str(match self.kind {
            OtpKind::Totp { .. } => "otpauth://totp/",
            OtpKind::Hotp { .. } => "otpauth://hotp/",
        });
        if let Some(issuer) = &self.issuer {
            percent_encode(issuer, &mut uri);
            uri.push(':');
        }
        percent_encode(&self.account, &mut uri);
        uri.push_str("?secret=");
        let _ = crate::base32::encode_to(self.secret.as_bytes(), &mut uri);
        if let Some(issuer) = &self.issuer {
            uri.push_str("&issuer=");
            percent_encode(issuer, &mut uri);
        }
        // Writing to a String cannot fail.
        if let OtpKind::Hotp { counter } = self.kind {
            let _ = write!(uri, "&counter={counter}");
        }
        if self.algorithm != Algorithm::Sha1 {
            let _ = write!(uri, "&algorithm={}", self.algorithm.name());
        }
        if self.digits != MIN_DIGITS {
            let _ = write!(uri, "&digits={}", self.digits);
        }
        if let OtpKind::Totp { period } = self.kind
            && period != DEFAULT_PERIOD
        {
            let _ = write!(uri, "&period={period}");
        }
        if let Some(image) = &self.image {
            uri.push_str("&image=");
            percent_encode(image, &mut uri);
        }
        // Percent-encoding triples non-ASCII bytes: a value within every
        // field's bound can still make a URI that `parse` would refuse.
        if uri.len() > MAX_URI_LEN {
            return Err(Error::InputTooLong);
        }
        Ok(uri)
    }

    /// The generator this URI describes.
    ///
    /// # Errors
    /// [`Error::InvalidDigits`] or [`Error::InvalidPeriod`] for out-of-range fields.
    pub fn otp(&self) -> Result<Otp, Error> {
        Ok(match self.kind {
            OtpKind::Totp { period } => Otp::Totp(
                Totp::builder(&self.secret).algorithm(self.algorithm).digits(self.digits).period(period).build()?,
            ),
            OtpKind::Hotp { counter } => {
                Otp::Hotp(Hotp::builder(&self.secret).algorithm(self.algorithm).digits(self.digits).build()?, counter)
            }
        })
    }

    /// The TOTP generator this URI describes.
    ///
    /// # Errors
    /// [`Error::UnsupportedType`] for an HOTP URI; otherwise as [`otp`](OtpAuth::otp).
    pub fn to_totp(&self) -> Result<Totp, Error> {
        match self.otp()? {
            Otp::Totp(t) => Ok(t),
            Otp::Hotp(..) => Err(Error::UnsupportedType),
        }
    }

    /// The HOTP generator this URI describes.
    ///
    /// # Errors
    /// [`Error::UnsupportedType`] for a TOTP URI; otherwise as [`otp`](OtpAuth::otp).
    pub fn to_hotp(&self) -> Result<Hotp, Error> {
        match self.otp()? {
            Otp::Hotp(h, _) => Ok(h),
            Otp::Totp(_) => Err(Error::UnsupportedType),
        }
    }
}

/// What [`OtpAuth::parse_lenient`] read: the account, whether it is a Steam
/// Guard account, and what was accepted leniently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// The account. For Steam, `kind` is TOTP every 30 s, `algorithm` SHA1 and
    /// `digits` 5 (Steam's code length): it has no otpauth URI
    /// ([`OtpAuth::to_uri`] refuses 5 digits) and no migration export.
    pub otp: OtpAuth,
    /// A Steam Guard account: generate its codes with [`Steam`](crate::Steam).
    pub steam: bool,
    /// What was accepted leniently (codes in [`LENIENT_FINDINGS`]).
    pub findings: Vec<Finding>,
}

impl Imported {
    /// The account as a TOTP/HOTP [`Account`](crate::Account), or `None`
    /// for Steam (use [`steam`](Self::steam_generator)).
    ///
    /// # Errors
    /// As [`Account::new`](crate::Account::new).
    pub fn account(&self) -> Result<Option<crate::Account>, Error> {
        if self.steam { Ok(None) } else { crate::Account::new(self.otp.clone(), 0).map(Some) }
    }

    /// The Steam generator, or `None` for a TOTP/HOTP account.
    #[must_use]
    pub fn steam_generator(&self) -> Option<crate::Steam> {
        self.steam.then(|| crate::Steam::new(&self.otp.secret))
    }
}

const ISSUER_PARAMETER_WINS: Finding = Finding::new(
    "issuer_parameter_wins",
    Severity::Warning,
    "the label's issuer and the issuer parameter differ: the parameter is used",
);
const PLUS_AS_SPACE: Finding =
    Finding::new("plus_as_space", Severity::Info, "a '+' in the issuer parameter was read as a space");
const SECRET_REFORMATTED: Finding = Finding::new(
    "secret_reformatted",
    Severity::Info,
    "the secret was not canonical base32 (lower case, spaces, hyphens or padding): read anyway",
);
const STEAM_ACCOUNT: Finding = Finding::new(
    "steam_account",
    Severity::Info,
    "a Steam Guard account (steam://, otpauth://steam or encoder=steam): 5-character codes",
);

/// The codes of the findings [`OtpAuth::parse_lenient`] reports, with their meaning.
pub const LENIENT_FINDINGS: [Finding; 9] = [
    ISSUER_PARAMETER_WINS,
    PLUS_AS_SPACE,
    SECRET_REFORMATTED,
    STEAM_ACCOUNT,
    SECRET_BELOW_IMPORT_FLOOR,
    SECRET_BELOW_NIST,
    LABEL_TRIMMED,
    UNNAMED_ACCOUNT,
    DEFAULTED_FIELD,
];

fn note(findings: &mut Option<&mut Vec<Finding>>, finding: Finding) {
    if let Some(f) = findings.as_deref_mut()
        && !f.contains(&finding)
    {
        f.push(finding);
    }
}

/// The account of `steam://SECRET`.
fn parse_steam_scheme(secret: &str, findings: &mut Vec<Finding>) -> Result<OtpAuth, Error> {
    let text = zeroize::Zeroizing::new(percent_decode(secret.trim_end_matches('/'), false)?);
    let secret = Secret::from_base32_with(&text, SecretPolicy::Import)?;
    findings.extend(crate::finding::secret_length_finding(secret.len()));
    findings.push(STEAM_ACCOUNT);
    Ok(steam_auth(secret, String::from("Steam"), Some(String::from("Steam"))))
}

fn steam_auth(secret: Secret, account: String, issuer: Option<String>) -> OtpAuth {
    OtpAuth {
        kind: OtpKind::Totp { period: DEFAULT_PERIOD },
        secret,
        algorithm: Algorithm::Sha1,
        digits: crate::STEAM_CODE_LEN as u32,
        account,
        issuer,
        image: None,
    }
}

/// The parser: strict when `findings` is `None`; lenient otherwise (each
/// leniency noted there). Returns the account and whether it is Steam's.
/// The parser: strict without `findings`, lenient (noting each leniency)
/// with them; `encoder=steam` makes a Steam account when `steam_encoder_read`.
fn parse_inner(
    uri: &str,
    policy: SecretPolicy,
    mut findings: Option<&mut Vec<Finding>>,
    steam_encoder_read: bool,
) -> Result<(OtpAuth, bool), Error> {
    let lenient = findings.is_some();
    if uri.len() > MAX_URI_LEN {
        return Err(Error::InputTooLong);
    }
    if uri.bytes().any(|b| b.is_ascii_control() || b == b'#') {
        return Err(Error::InvalidUri);
    }
    let (scheme, rest) = uri.split_once("://").ok_or(Error::InvalidUri)?;
    if let Some(f) = findings.as_deref_mut()
        && scheme.eq_ignore_ascii_case("steam")
    {
        return Ok((parse_steam_scheme(rest, f)?, true));
    }
    if !scheme.eq_ignore_ascii_case("otpauth") {
        return Err(Error::InvalidUri);
    }
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (otp_type, label) = path.split_once('/').ok_or(
        // `otpauth://totp?secret=…` has a type but no label;
        // `otpauth://totp` is not an otpauth URI at all.
        if rest.contains('?') { Error::InvalidLabel } else { Error::InvalidUri },
    )?;
    let (is_totp, mut steam) = if otp_type.eq_ignore_ascii_case("totp") {
        (true, false)
    } else if otp_type.eq_ignore_ascii_case("hotp") {
        (false, false)
    } else if lenient && otp_type.eq_ignore_ascii_case("steam") {
        (true, true)
    } else {
        return Err(Error::UnsupportedType);
    };

    let label = percent_decode(label, false)?;
    if label.starts_with(':') && !lenient {
        return Err(Error::InvalidLabel);
    }
    let (label_issuer, account) = match label.split_once(':') {
        Some((issuer, account)) => (Some(issuer), account.trim_start_matches(' ')),
        None => (None, label.as_str()),
    };

    let mut params = Params::default();
    let mut steam_encoder = false;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, value) = pair.split_once('=').unwrap_or((pair, ""));
        // A name is decoded as a value is: `%73ecret` is `secret` (RFC 3986
        // §2.1), as every app that decodes it reads it, so it counts as a
        // second `secret` rather than slipping past as an unknown name.
        let decoded_key = if raw_key.contains(['%', '+']) { Some(percent_decode(raw_key, true)?) } else { None };
        let key = decoded_key.as_deref().unwrap_or(raw_key);
        // An empty algorithm, digits, period or counter (`digits=`, or a bare
        // `digits` once a pasted URI's trailing space is trimmed) is its default.
        // An empty `secret`, `issuer` or `image` after one was given adds
        // nothing (a bare `secret` once a pasted `…&secret ` is trimmed,
        // which the strict parser reads as an unknown name): ignored.
        if lenient
            && value.is_empty()
            && match key {
                "secret" => params.secret.is_some(),
                "issuer" => params.issuer.is_some(),
                "image" => params.image.is_some(),
                _ => false,
            }
        {
            continue;
        }
        if lenient && value.is_empty() && matches!(key, "algorithm" | "digits" | "period" | "counter") {
            // (`period` on HOTP and `counter` on TOTP are ignored anyway.)
            if !matches!((key, is_totp), ("period", false) | ("counter", true)) {
                note(&mut findings, DEFAULTED_FIELD);
            }
            continue;
        }
        let slot = match key {
            "secret" => &mut params.secret,
            "issuer" => &mut params.issuer,
            "algorithm" => &mut params.algorithm,
            "digits" => &mut params.digits,
            "period" => &mut params.period,
            "counter" => &mut params.counter,
            "image" => &mut params.image,
            // Any `encoder=steam` makes a Steam account when it is read
            // (never a refusal: `parse_with` ignores the parameter).
            "encoder" => {
                steam_encoder |= steam_encoder_read && value.eq_ignore_ascii_case("steam");
                continue;
            }
            _ => continue,
        };
        if slot.is_some() {
            return Err(Error::DuplicateParameter);
        }
        if key == "issuer" && value.contains('+') {
            note(&mut findings, PLUS_AS_SPACE);
        }
        *slot = Some(percent_decode(value, true)?);
    }
    steam |= steam_encoder && is_totp;

    let param_issuer = params.issuer.take().filter(|i| if lenient { !i.trim().is_empty() } else { !i.is_empty() });
    let issuer = match (label_issuer, param_issuer) {
        // A label written with form encoding (`ACME+Co:`) names the same
        // issuer as `issuer=ACME+Co`, which reads as "ACME Co".
        (Some(l), Some(p)) if l != p && l.replace('+', " ") != p && !(lenient && l.trim() == p.trim()) => {
            if !lenient {
                return Err(Error::IssuerMismatch);
            }
            note(&mut findings, ISSUER_PARAMETER_WINS);
            Some(p)
        }
        (_, Some(p)) => Some(p),
        (Some(l), None) => Some(String::from(l)),
        (None, None) => None,
    };

    let secret_text = params.secret.as_deref().ok_or(Error::MissingParameter)?;
    let secret = Secret::from_base32_with(secret_text, policy)?;
    if lenient {
        let canonical = zeroize::Zeroizing::new(crate::base32::encode(secret.as_bytes()));
        if secret_text != canonical.as_str() {
            note(&mut findings, SECRET_REFORMATTED);
        }
        if let Some(f) = crate::finding::secret_length_finding(secret.len()) {
            note(&mut findings, f);
        }
    }
    let image = params.image.take().filter(|i| !i.is_empty());
    let (mut issuer, mut account) = (issuer, String::from(account));
    if lenient {
        let trimmed_issuer = issuer.as_deref().map(str::trim).filter(|i| !i.is_empty()).map(String::from);
        let trimmed_account = String::from(account.trim());
        if trimmed_issuer.as_deref().map(str::len) != issuer.as_deref().map(str::len)
            || trimmed_account.len() != account.len()
        {
            note(&mut findings, LABEL_TRIMMED);
        }
        issuer = trimmed_issuer;
        account = trimmed_account;
        if account.is_empty() {
            account = issuer.clone().unwrap_or_else(|| String::from("Account"));
            note(&mut findings, UNNAMED_ACCOUNT);
        }
    }
    if steam {
        note(&mut findings, STEAM_ACCOUNT);
        let mut otp = steam_auth(secret, account, issuer);
        otp.image = image;
        writable(&OtpAuth { digits: MIN_DIGITS, ..otp.clone() })?;
        return Ok((otp, true));
    }

    let algorithm = match &params.algorithm {
        Some(a) => Algorithm::parse(a)?,
        None => Algorithm::Sha1,
    };
    let digits = match &params.digits {
        Some(d) => parse_decimal(d)
            .filter(|d| (u64::from(MIN_DIGITS)..=u64::from(MAX_DIGITS)).contains(d))
            .ok_or(Error::InvalidDigits)? as u32,
        None => MIN_DIGITS,
    };
    let kind = if is_totp {
        let period = match &params.period {
            Some(p) => parse_decimal(p).filter(|p| (1..=MAX_PERIOD).contains(p)).ok_or(Error::InvalidPeriod)?,
            None => DEFAULT_PERIOD,
        };
        OtpKind::Totp { period }
    } else {
        let counter = match params.counter.as_deref() {
            Some(c) => parse_decimal(c).ok_or(Error::InvalidCounter)?,
            None if lenient => {
                note(&mut findings, DEFAULTED_FIELD);
                0
            }
            None => return Err(Error::MissingParameter),
        };
        OtpKind::Hotp { counter }
    };
    let otp = OtpAuth { kind, secret, algorithm, digits, account, issuer, image };
    if lenient {
        writable(&otp)?;
    }
    Ok((otp, false))
}

/// What a lenient import returns can be written back as a URI (and so
/// shown, exported and read again): its labels within the rules, and its
/// canonical URI within [`MAX_URI_LEN`].
fn writable(otp: &OtpAuth) -> Result<(), Error> {
    drop(zeroize::Zeroizing::new(otp.to_uri()?));
    Ok(())
}

#[derive(Default)]
struct Params {
    secret: Option<String>,
    issuer: Option<String>,
    algorithm: Option<String>,
    digits: Option<String>,
    period: Option<String>,
    counter: Option<String>,
    image: Option<String>,
}

impl Drop for Params {
    fn drop(&mut self) {
        if let Some(s) = self.secret.as_mut() {
            zeroize::Zeroize::zeroize(s);
        }
    }
}

fn check_label(s: &str) -> Result<(), Error> {
    let trimmed = s.trim();
    if s.is_empty() || s.len() > MAX_LABEL_LEN || trimmed.len() != s.len() || s.chars().any(char::is_control) {
        return Err(Error::InvalidLabel);
    }
    Ok(())
}

/// A non-empty string of ASCII digits as `u64`; `None` otherwise or on overflow.
fn parse_decimal(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    s.bytes().try_fold(0u64, |acc, b| {
        let d = u64::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
        acc.checked_mul(10)?.checked_add(d)
    })
}

/// What [`OtpAuth::to_uri`] percent-encodes in labels and values: every
/// byte outside RFC 3986's unreserved set (`A–Z a–z 0–9 - . _ ~`).
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-decodes with the `percent-encoding` crate, which leaves a `%`
/// not followed by two hex digits as it is: such input is refused here
/// first. `+` is a space where `plus_is_space` (query values). The decoded
/// text must be UTF-8 without control characters.
fn percent_decode(s: &str, plus_is_space: bool) -> Result<String, Error> {
    let bytes = s.as_bytes();
    let well_formed = bytes.iter().enumerate().filter(|&(_, &b)| b == b'%').all(
        |(i, _)| matches!(bytes.get(i + 1..i + 3), Some([hi, lo]) if hi.is_ascii_hexdigit() && lo.is_ascii_hexdigit()),
    );
    if !well_formed {
        return Err(Error::InvalidUri);
    }
    let decoded = if plus_is_space && s.contains('+') {
        let spaced = zeroize::Zeroizing::new(s.replace('+', " "));
        percent_decode_str(&spaced).decode_utf8().map(Cow::into_owned)
    } else {
        percent_decode_str(s).decode_utf8().map(Cow::into_owned)
    }
    .map_err(|_| Error::InvalidUri)?;
    if decoded.chars().any(char::is_control) {
        return Err(Error::InvalidUri);
    }
    Ok(decoded)
}

fn percent_encode(s: &str, out: &mut String) {
    out.extend(utf8_percent_encode(s, ESCAPED));
}
