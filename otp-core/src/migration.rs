//! Google Authenticator's export format: `otpauth-migration://offline?data=…`
//! (feature `migration`; `no_std` with `alloc`).
//!
//! `data` is standard base64 (with padding) of a protobuf message, percent-
//! encoded. The schema is the one Google Authenticator writes, as publicly
//! documented by Aegis (`app/src/main/proto/google_auth.proto` of
//! github.com/beemdevelopment/Aegis) and others:
//!
//! ```text
//! MigrationPayload { repeated OtpParameters otp_parameters = 1; int32 version = 2;
//!                    int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5; }
//! OtpParameters    { bytes secret = 1; string name = 2; string issuer = 3;
//!                    Algorithm algorithm = 4; DigitCount digits = 5; OtpType type = 6;
//!                    int64 counter = 7; }
//! Algorithm  { UNSPECIFIED = 0; SHA1 = 1; SHA256 = 2; SHA512 = 3; MD5 = 4; }
//! DigitCount { UNSPECIFIED = 0; SIX = 1; EIGHT = 2; }       (an enum, not a count)
//! OtpType    { UNSPECIFIED = 0; HOTP = 1; TOTP = 2; }
//! ```
//!
//! There is no period: every TOTP of an export is 30 s. The messages are
//! decoded by [prost](https://docs.rs/prost) from the derives below (no
//! `protoc`, no hand-written varint parser).
//!
//! **Import is lenient, entry by entry.** Real exports are messy: the
//! `data` value may have lost its percent-encoding to form decoding (`+`
//! turned into a space: turned back), its padding, or use the URL-safe
//! alphabet; secrets may be shorter than any server minimum (5 bytes seen:
//! imported under [`SecretPolicy::Import`], with a finding); `name` often
//! repeats the issuer as a prefix (`"Example:alice@example.com"`: removed,
//! with a finding); `batch_id` may be negative; unknown enum values and
//! unknown fields appear. What can be imported is, with its findings; what
//! cannot (an empty or too long secret, MD5 or an unknown algorithm, an
//! unknown digit count or type, a label that is not UTF-8) is reported per
//! entry with the error code that says why ([`Skipped`]). Only a URI that is
//! not an export at all is an error ([`Error::InvalidMigration`]).
//!
//! **Multi-QR exports** (more than 10 accounts, in Google Authenticator's
//! own) are `batch_size` URIs sharing a `batch_id`: [`Assembler`] takes them
//! in any order, refuses one of another export, reports the missing indices
//! and yields every entry once, when complete.
//!
//! **Export** ([`to_migration_uris`]) writes at most 10 accounts per URI,
//! as Google Authenticator does, and refuses what the format cannot carry
//! ([`Error::Unexportable`]: a period other than 30 s, digits other than 6
//! or 8) unless the caller asks for the lossy variant
//! ([`to_migration_uris_lossy`]), which leaves such accounts out and says
//! which.

use alloc::{
    collections::BTreeMap,
    format,
    string::{String, ToString},
    vec::Vec,
};

use base64::{
    Engine,
    engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig, general_purpose::STANDARD},
};
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use prost::Message;
use zeroize::{Zeroize, Zeroizing};

use crate::{
    Algorithm, DEFAULT_PERIOD, Error, MAX_SECRET_LEN, Secret, SecretPolicy,
    finding::{
        DEFAULTED_FIELD, Finding, LABEL_TRIMMED, SECRET_BELOW_IMPORT_FLOOR, SECRET_BELOW_NIST, Severity,
        UNNAMED_ACCOUNT, secret_length_finding,
    },
    uri::{MAX_LABEL_LEN, OtpAuth, OtpKind},
};

/// Longest migration URI read, in bytes: more than a QR code holds (2,953
/// bytes at version 40, level L).
pub const MAX_MIGRATION_URI_LEN: usize = 4096;
/// Accounts per exported URI (what Google Authenticator writes).
pub const ACCOUNTS_PER_URI: usize = 10;
/// Most URIs (QR codes) in one export that [`parse_migration_uri`] reads:
/// 10,000 accounts at 10 per QR code. A larger `batch_size` is refused
/// ([`Error::InvalidMigration`]), so that an assembler never waits for (or
/// counts) billions of parts; [`to_migration_uris`] never writes more.
pub const MAX_BATCH_SIZE: i32 = 1000;
/// Longest URI that [`to_migration_uris`] writes, in bytes: what
/// [`qr`](crate::qr) renders and a QR code holds ([`MAX_URI_LEN`](crate::uri::MAX_URI_LEN)).
pub const MAX_EXPORT_URI_LEN: usize = crate::uri::MAX_URI_LEN;

/// The protobuf message of an export (see the module documentation).
#[derive(Clone, PartialEq, Message)]
struct Payload {
    #[prost(message, repeated, tag = "1")]
    otp_parameters: Vec<Parameters>,
    #[prost(int32, tag = "2")]
    version: i32,
    #[prost(int32, tag = "3")]
    batch_size: i32,
    #[prost(int32, tag = "4")]
    batch_index: i32,
    #[prost(int32, tag = "5")]
    batch_id: i32,
}

/// One account. `name` and `issuer` are read as bytes (protobuf strings on
/// the wire): a label that is not UTF-8 is that entry's problem, not the
/// whole export's. Its `Debug` (which `Message` requires) shows no secret.
#[derive(Clone, PartialEq, Message)]
#[prost(skip_debug)]
struct Parameters {
    #[prost(bytes = "vec", tag = "1")]
    secret: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    name: Vec<u8>,
    #[prost(bytes = "vec", tag = "3")]
    issuer: Vec<u8>,
    #[prost(int32, tag = "4")]
    algorithm: i32,
    #[prost(int32, tag = "5")]
    digits: i32,
    #[prost(int32, tag = "6")]
    otp_type: i32,
    #[prost(int64, tag = "7")]
    counter: i64,
}

impl Drop for Parameters {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl core::fmt::Debug for Parameters {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Parameters")
            .field("secret", &format_args!("[REDACTED; {} bytes]", self.secret.len()))
            .field("name", &String::from_utf8_lossy(&self.name))
            .field("issuer", &String::from_utf8_lossy(&self.issuer))
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("otp_type", &self.otp_type)
            .field("counter", &self.counter)
            .finish()
    }
}

/// One imported account and what was accepted leniently about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationEntry {
    /// The account, as an otpauth URI would hold it (the secret under
    /// [`SecretPolicy::Import`]: check [`Secret::is_legacy`] and the findings).
    pub otp: OtpAuth,
    /// Its position in the export (0-based, across the parts of a multi-QR
    /// export when assembled).
    pub position: usize,
    /// What was accepted leniently (codes in [`MIGRATION_FINDINGS`]).
    pub findings: Vec<Finding>,
}

/// One account that could not be imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Its position in the export.
    pub position: usize,
    /// Its name as far as it can be shown (lossy UTF-8), to tell the user which.
    pub name: String,
    /// Why: [`Error::InvalidSecret`] (no secret), [`Error::SecretTooLong`],
    /// [`Error::UnsupportedAlgorithm`] (MD5 or an unknown value),
    /// [`Error::InvalidDigits`] (an unknown digit count),
    /// [`Error::UnsupportedType`], [`Error::InvalidCounter`] (negative),
    /// [`Error::InvalidLabel`] (not UTF-8, control characters, too long) or
    /// [`Error::InputTooLong`] (labels whose otpauth URI would exceed
    /// [`MAX_URI_LEN`](crate::uri::MAX_URI_LEN)).
    pub reason: Error,
}

/// One decoded migration URI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationBatch {
    /// The accounts imported.
    pub entries: Vec<MigrationEntry>,
    /// The accounts that could not be.
    pub skipped: Vec<Skipped>,
    /// The format's version (1 in every export seen).
    pub version: i32,
    /// How many URIs the export has (1 for a single QR code; 0 in old exports: read as 1).
    pub batch_size: i32,
    /// This URI's index among them (0-based).
    pub batch_index: i32,
    /// The export's id, shared by its URIs (any `i32`, negative included).
    pub batch_id: i32,
}

/// The codes of the findings an import reports, with their meaning.
pub const MIGRATION_FINDINGS: [Finding; 7] = [
    SECRET_BELOW_IMPORT_FLOOR,
    SECRET_BELOW_NIST,
    ISSUER_PREFIX_REMOVED,
    ISSUER_FROM_NAME,
    UNNAMED_ACCOUNT,
    DEFAULTED_FIELD,
    LABEL_TRIMMED,
];

const ISSUER_PREFIX_REMOVED: Finding =
    Finding::new("issuer_prefix_removed", Severity::Info, "the name repeated the issuer as a prefix: removed");
const ISSUER_FROM_NAME: Finding =
    Finding::new("issuer_from_name", Severity::Info, "no issuer was given: the part of the name before ':' is used");

/// Decodes the `data` value: percent-decoding, `+` that form decoding turned
/// into spaces turned back, then base64 of either alphabet, padded or not.
fn payload_bytes(data: &str) -> Result<Vec<u8>, Error> {
    // The text holds every secret of the export, in base64: zeroized.
    let decoded =
        Zeroizing::new(percent_decode_str(data).decode_utf8().map_err(|_| Error::InvalidMigration)?.into_owned());
    let text: Zeroizing<String> = Zeroizing::new(
        decoded.chars().filter(|c| !matches!(c, '\n' | '\r' | '\t')).map(|c| if c == ' ' { '+' } else { c }).collect(),
    );
    let config = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let engine = if text.contains(['-', '_']) {
        GeneralPurpose::new(&base64::alphabet::URL_SAFE, config)
    } else {
        GeneralPurpose::new(&base64::alphabet::STANDARD, config)
    };
    engine.decode(text.trim_end_matches('=')).map_err(|_| Error::InvalidMigration)
}

/// The `data` parameter of a migration URI.
fn data_param(uri: &str) -> Result<&str, Error> {
    if uri.len() > MAX_MIGRATION_URI_LEN {
        return Err(Error::InputTooLong);
    }
    let uri = uri.trim();
    let (scheme, rest) = uri.split_once("://").ok_or(Error::InvalidMigration)?;
    if !scheme.eq_ignore_ascii_case("otpauth-migration") {
        return Err(Error::InvalidMigration);
    }
    let (host, query) = rest.split_once('?').ok_or(Error::InvalidMigration)?;
    if !host.trim_end_matches('/').eq_ignore_ascii_case("offline") {
        return Err(Error::InvalidMigration);
    }
    let mut data = None;
    for pair in query.split('&') {
        if let Some(value) = pair.strip_prefix("data=")
            && data.replace(value).is_some()
        {
            return Err(Error::InvalidMigration);
        }
    }
    data.filter(|d| !d.is_empty()).ok_or(Error::InvalidMigration)
}

/// Decodes one `otpauth-migration://offline?data=…` URI.
///
/// # Errors
/// [`Error::InvalidMigration`] when the URI is not an export (scheme, host,
/// no or two `data` parameters, bad percent-encoding or base64, not the
/// protobuf message), [`Error::InputTooLong`] beyond
/// [`MAX_MIGRATION_URI_LEN`]. A bad account is not an error: see
/// [`MigrationBatch::skipped`].
pub fn parse_migration_uri(uri: &str) -> Result<MigrationBatch, Error> {
    // Decoded from a `Bytes` that owns the buffer: prost then slices each
    // secret out of it, where from a `&[u8]` it copies each into a
    // temporary allocation that is freed unwiped. The buffer is wiped when
    // the last slice of it goes (the owner is `Zeroizing`).
    let buffer = bytes::Bytes::from_owner(Zeroizing::new(payload_bytes(data_param(uri)?)?));
    let payload = Payload::decode(buffer).map_err(|_| Error::InvalidMigration)?;
    let mut batch = MigrationBatch {
        entries: Vec::new(),
        skipped: Vec::new(),
        version: payload.version,
        batch_size: payload.batch_size.max(1),
        batch_index: payload.batch_index,
        batch_id: payload.batch_id,
    };
    if batch.batch_size > MAX_BATCH_SIZE || batch.batch_index < 0 || batch.batch_index >= batch.batch_size {
        return Err(Error::InvalidMigration);
    }
    for (position, params) in payload.otp_parameters.iter().enumerate() {
        match import(params, position) {
            Ok(entry) => batch.entries.push(entry),
            Err(reason) => batch.skipped.push(Skipped {
                position,
                name: String::from_utf8_lossy(&params.name).chars().take(256).collect(),
                reason,
            }),
        }
    }
    Ok(batch)
}

/// A label from the export: UTF-8, trimmed (a finding), without control
/// characters.
/// At most `max` bytes: the name holds `issuer:account` (so twice a label
/// and the ':'), each part then checked by [`OtpAuth::validate`].
fn label(bytes: &[u8], max: usize, findings: &mut Vec<Finding>) -> Result<String, Error> {
    let text = core::str::from_utf8(bytes).map_err(|_| Error::InvalidLabel)?;
    let trimmed = text.trim();
    if trimmed.len() != text.len() && !findings.contains(&LABEL_TRIMMED) {
        findings.push(LABEL_TRIMMED);
    }
    if trimmed.len() > max || trimmed.chars().any(char::is_control) {
        return Err(Error::InvalidLabel);
    }
    Ok(trimmed.to_string())
}

fn import(params: &Parameters, position: usize) -> Result<MigrationEntry, Error> {
    let mut findings = Vec::new();
    if params.secret.is_empty() {
        return Err(Error::InvalidSecret);
    }
    if params.secret.len() > MAX_SECRET_LEN {
        return Err(Error::SecretTooLong);
    }
    let algorithm = match params.algorithm {
        0 => {
            findings.push(DEFAULTED_FIELD);
            Algorithm::Sha1
        }
        1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        _ => return Err(Error::UnsupportedAlgorithm),
    };
    let digits = match params.digits {
        0 => {
            if !findings.contains(&DEFAULTED_FIELD) {
                findings.push(DEFAULTED_FIELD);
            }
            6
        }
        1 => 6,
        2 => 8,
        _ => return Err(Error::InvalidDigits),
    };
    let kind = match params.otp_type {
        0 | 2 => {
            if params.otp_type == 0 && !findings.contains(&DEFAULTED_FIELD) {
                findings.push(DEFAULTED_FIELD);
            }
            OtpKind::Totp { period: DEFAULT_PERIOD }
        }
        1 => OtpKind::Hotp { counter: u64::try_from(params.counter).map_err(|_| Error::InvalidCounter)? },
        _ => return Err(Error::UnsupportedType),
    };
    let mut issuer = label(&params.issuer, MAX_LABEL_LEN, &mut findings)?;
    let mut account = label(&params.name, 2 * MAX_LABEL_LEN + 1, &mut findings)?;
    if !issuer.is_empty() {
        if let Some(rest) = account.strip_prefix(issuer.as_str()).and_then(|r| r.strip_prefix(':')) {
            account = rest.trim_start().to_string();
            findings.push(ISSUER_PREFIX_REMOVED);
        }
    } else if let Some((prefix, rest)) = account.split_once(':') {
        let (prefix, rest) = (prefix.trim().to_string(), rest.trim_start().to_string());
        if !prefix.is_empty() && !rest.is_empty() {
            issuer = prefix;
            account = rest;
            findings.push(ISSUER_FROM_NAME);
        }
    }
    if account.is_empty() {
        account = if issuer.is_empty() { format!("Account {}", position + 1) } else { issuer.clone() };
        findings.push(UNNAMED_ACCOUNT);
    }
    let secret = Secret::from_bytes_with(&params.secret, SecretPolicy::Import)?;
    findings.extend(secret_length_finding(params.secret.len()));
    let otp = OtpAuth {
        kind,
        secret,
        algorithm,
        digits,
        account,
        issuer: (!issuer.is_empty()).then_some(issuer),
        image: None,
    };
    // A label the otpauth rules refuse (a ':' left in an issuer, say), or
    // labels whose URI would be too long to parse back or show as a QR
    // code: reported instead (the account could never be written back).
    otp.validate().map_err(|_| Error::InvalidLabel)?;
    drop(Zeroizing::new(otp.to_uri()?));
    Ok(MigrationEntry { otp, position, findings })
}

/// Puts the URIs of one (possibly multi-QR) export back together, in any
/// order.
#[derive(Clone, Debug, Default)]
pub struct Assembler {
    batch_id: Option<i32>,
    batch_size: i32,
    parts: BTreeMap<i32, MigrationBatch>,
}

impl Assembler {
    /// An empty assembler.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one URI of the export. The same part given twice is taken once.
    ///
    /// # Errors
    /// As [`parse_migration_uri`]; [`Error::MigrationMismatch`] for a URI of
    /// another export (batch id or size) or an index already given with
    /// other contents.
    pub fn add(&mut self, uri: &str) -> Result<(), Error> {
        let batch = parse_migration_uri(uri)?;
        match self.batch_id {
            Some(id) if id != batch.batch_id || self.batch_size != batch.batch_size => {
                return Err(Error::MigrationMismatch);
            }
            Some(_) => {}
            None => {
                self.batch_id = Some(batch.batch_id);
                self.batch_size = batch.batch_size;
            }
        }
        match self.parts.get(&batch.batch_index) {
            Some(known) if *known != batch => Err(Error::MigrationMismatch),
            Some(_) => Ok(()),
            None => {
                self.parts.insert(batch.batch_index, batch);
                Ok(())
            }
        }
    }

    /// The indices not given yet (all of them before the first URI is
    /// unknown: empty until one is added).
    #[must_use]
    pub fn missing(&self) -> Vec<i32> {
        (0..self.batch_size).filter(|i| !self.parts.contains_key(i)).collect()
    }

    /// Whether every part was given.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.batch_id.is_some() && usize::try_from(self.batch_size).is_ok_and(|size| self.parts.len() == size)
    }

    /// Every entry and every skipped account of the export, in order, with
    /// positions counted across its parts.
    ///
    /// # Errors
    /// [`Error::MigrationIncomplete`] while parts are missing (or none was given).
    pub fn finish(self) -> Result<(Vec<MigrationEntry>, Vec<Skipped>), Error> {
        if !self.is_complete() {
            return Err(Error::MigrationIncomplete);
        }
        let (mut entries, mut skipped) = (Vec::new(), Vec::new());
        let mut base = 0usize;
        for (_, part) in self.parts {
            let count = part.entries.len() + part.skipped.len();
            entries.extend(part.entries.into_iter().map(|mut e| {
                e.position += base;
                e
            }));
            skipped.extend(part.skipped.into_iter().map(|mut s| {
                s.position += base;
                s
            }));
            base += count;
        }
        Ok((entries, skipped))
    }
}

/// The parameters of `otp` in the export's terms, or why it cannot be carried.
fn parameters(otp: &OtpAuth) -> Result<Parameters, Error> {
    let digits = match otp.digits {
        6 => 1,
        8 => 2,
        _ => return Err(Error::Unexportable),
    };
    let (otp_type, counter) = match otp.kind {
        OtpKind::Totp { period } if period == DEFAULT_PERIOD => (2, 0),
        OtpKind::Totp { .. } => return Err(Error::Unexportable),
        OtpKind::Hotp { counter } => (1, i64::try_from(counter).map_err(|_| Error::Unexportable)?),
    };
    // What the import would refuse (a ':' in the issuer, labels whose
    // otpauth URI is too long) never leaves.
    drop(Zeroizing::new(otp.to_uri()?));
    let name = match &otp.issuer {
        // Google Authenticator writes `issuer:account` as the name.
        Some(issuer) => format!("{issuer}:{}", otp.account),
        None => otp.account.clone(),
    };
    Ok(Parameters {
        secret: otp.secret.as_bytes().to_vec(),
        name: name.into_bytes(),
        issuer: otp.issuer.clone().unwrap_or_default().into_bytes(),
        algorithm: match otp.algorithm {
            Algorithm::Sha1 => 1,
            Algorithm::Sha256 => 2,
            Algorithm::Sha512 => 3,
        },
        digits,
        otp_type,
        counter,
    })
}

/// One export URI of `accounts`.
fn uri_of(accounts: &[Parameters], batch_size: i32, batch_index: i32, batch_id: i32) -> String {
    let payload = Payload { otp_parameters: accounts.to_vec(), version: 1, batch_size, batch_index, batch_id };
    let mut bytes = payload.encode_to_vec();
    let mut data = STANDARD.encode(&bytes);
    bytes.zeroize();
    let uri = format!("otpauth-migration://offline?data={}", utf8_percent_encode(&data, NON_ALPHANUMERIC));
    data.zeroize();
    uri
}

/// Splits the accounts (with their indices) into URIs of at most
/// [`ACCOUNTS_PER_URI`] accounts and [`MAX_EXPORT_URI_LEN`] bytes, filling
/// each greedily in order; what cannot be carried is returned with why: an
/// account too large for a URI of its own, or past [`MAX_BATCH_SIZE`] URIs
/// ([`Error::InputTooLong`]).
fn chunks(accounts: Vec<(usize, Parameters)>, batch_id: i32) -> (Vec<Vec<Parameters>>, Vec<(usize, Error)>) {
    // Sized with the largest batch size and index. The final URI differs
    // only in the payload's tail: prost writes the accounts (field 1) first,
    // then version, batch size, batch index and batch id, at most 19 bytes
    // (2 + 3 + 3 + 11), so at most 28 base64 characters of the final URI
    // differ, each of which percent-encoding may triple: TAIL_MARGIN bounds
    // what the real (smaller) values can add.
    const TAIL_MARGIN: usize = 3 * 4 * 19usize.div_ceil(3) + 16;
    let fits = |part: &[Parameters]| {
        uri_of(part, MAX_BATCH_SIZE, MAX_BATCH_SIZE - 1, batch_id).len() + TAIL_MARGIN <= MAX_EXPORT_URI_LEN
    };
    let (mut parts, mut refused) = (Vec::<Vec<Parameters>>::new(), Vec::new());
    let mut current: Vec<Parameters> = Vec::new();
    for (index, account) in accounts {
        if !fits(core::slice::from_ref(&account)) {
            refused.push((index, Error::InputTooLong));
            continue;
        }
        current.push(account);
        if current.len() > ACCOUNTS_PER_URI || !fits(&current) {
            let last = current.pop();
            parts.push(core::mem::take(&mut current));
            current.extend(last);
        }
        // Every part is full: the account just moved to the next one cannot go.
        if parts.len() >= usize::try_from(MAX_BATCH_SIZE).unwrap_or(usize::MAX) && !current.is_empty() {
            refused.push((index, Error::InputTooLong));
            current.clear();
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    (parts, refused)
}

fn uris(parts: &[Vec<Parameters>], batch_id: i32) -> Vec<String> {
    // No accounts, no URIs (an export of nothing is nothing to scan).
    let batch_size = i32::try_from(parts.len()).unwrap_or(MAX_BATCH_SIZE);
    parts
        .iter()
        .enumerate()
        .map(|(index, part)| uri_of(part, batch_size, i32::try_from(index).unwrap_or(MAX_BATCH_SIZE - 1), batch_id))
        .collect()
}

/// A batch id for an export: 31 random bits (Google Authenticator's are
/// any `i32`; a positive one reads the same everywhere).
///
/// # Errors
/// [`Error::RngFailure`] when the generator fails.
pub fn random_batch_id<R: rand_core::TryCryptoRng + ?Sized>(rng: &mut R) -> Result<i32, Error> {
    let mut bytes = [0u8; 4];
    rng.try_fill_bytes(&mut bytes).map_err(|_| Error::RngFailure)?;
    Ok(i32::from_le_bytes(bytes) & i32::MAX)
}

/// The accounts as Google Authenticator export URIs, sharing `batch_id`,
/// for an authenticator to import: at most [`ACCOUNTS_PER_URI`] (10)
/// accounts per URI, as Google Authenticator writes, and fewer when 10
/// would not fit in [`MAX_EXPORT_URI_LEN`] bytes (a QR code).
///
/// # Errors
/// `(index, error)` for the first account that cannot be carried:
/// [`Error::Unexportable`] (a period other than 30 s, digits other than 6
/// or 8, a counter above `i64::MAX`), [`Error::InvalidLabel`] and the other
/// errors of [`OtpAuth::validate`] (a ':' in the issuer: it would not read
/// back), or [`Error::InputTooLong`] (labels too long for a URI of their
/// own, or more than [`MAX_BATCH_SIZE`] URIs).
pub fn to_migration_uris(accounts: &[OtpAuth], batch_id: i32) -> Result<Vec<String>, (usize, Error)> {
    let items: Vec<Result<&OtpAuth, Error>> = accounts.iter().map(Ok).collect();
    export(&items, batch_id, false).map(|(uris, _)| uris)
}

/// As [`to_migration_uris`], leaving out the accounts that cannot be
/// carried: the URIs, and the indices of those left out with why.
#[must_use]
pub fn to_migration_uris_lossy(accounts: &[OtpAuth], batch_id: i32) -> (Vec<String>, Vec<(usize, Error)>) {
    let items: Vec<Result<&OtpAuth, Error>> = accounts.iter().map(Ok).collect();
    // Lossy: never an error.
    export(&items, batch_id, true).unwrap_or_default()
}

/// The URIs of an export, and the accounts left out of it (index in the
/// accounts given, and why), in order.
pub type Exported = (Vec<String>, Vec<(usize, Error)>);

/// The export of a binding's accounts, some already known not to be
/// exportable (a Steam object: [`Error::Unexportable`]; a TOTP whose `t0`
/// is not 0: [`Error::InvalidT0`], from [`Account::auth_with`](crate::Account::auth_with)):
/// with `lossy`, the URIs of the others and every account left out (index
/// and why, in order); without, the first such account as the error.
///
/// # Errors
/// Without `lossy`, `(index, error)` of the first account that cannot be
/// carried (see [`to_migration_uris`]).
pub fn export(accounts: &[Result<&OtpAuth, Error>], batch_id: i32, lossy: bool) -> Result<Exported, (usize, Error)> {
    let mut params = Vec::new();
    let mut dropped = Vec::new();
    for (i, account) in accounts.iter().enumerate() {
        match account.as_ref().map_err(|e| *e).and_then(|otp| parameters(otp)) {
            Ok(p) => params.push((i, p)),
            Err(e) if lossy => dropped.push((i, e)),
            Err(e) => return Err((i, e)),
        }
    }
    let (parts, refused) = chunks(params, batch_id);
    if let (Some(first), false) = (refused.first(), lossy) {
        return Err(*first);
    }
    dropped.extend(refused);
    dropped.sort_unstable_by_key(|(i, _)| *i);
    Ok((uris(&parts, batch_id), dropped))
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE;

    use super::*;

    #[test]
    fn url_safe_and_unpadded_data_decode() {
        let raw = [0xfbu8, 0xff, 0xfe];
        assert_eq!(payload_bytes(&STANDARD.encode(raw)).unwrap(), raw);
        assert_eq!(payload_bytes(URL_SAFE.encode(raw).trim_end_matches('=')).unwrap(), raw);
        assert_eq!(payload_bytes("+/7+").unwrap(), payload_bytes(" /7 ").unwrap());
    }

    /// The decoded message's Debug (prost's is skipped) shows everything but
    /// the secret.
    #[test]
    fn parameters_debug_hides_the_secret() {
        let params = Parameters {
            secret: b"\x01secret!".to_vec(),
            name: b"ACME:alice".to_vec(),
            issuer: b"ACME".to_vec(),
            algorithm: 1,
            digits: 1,
            otp_type: 2,
            counter: 0,
        };
        assert_eq!(
            format!("{params:?}"),
            "Parameters { secret: [REDACTED; 8 bytes], name: \"ACME:alice\", issuer: \"ACME\", \
             algorithm: 1, digits: 1, otp_type: 2, counter: 0 }"
        );
    }
}
