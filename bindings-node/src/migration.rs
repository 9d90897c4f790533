//! `migration`: Google Authenticator exports (`otpauth-migration://`), the
//! core's `migration` module, with the accounts as `TOTP`/`HOTP` objects.

use napi::{
    Either, Env, JsValue,
    bindgen_prelude::{Array, ClassInstance, JavaScriptClassExt, Unknown},
};
use napi_derive::napi;
use otp_core::{
    Account, Error, Finding as CoreFinding, Otp, OtpAuth, UriLabels,
    migration::{self, Assembler as CoreAssembler, MigrationBatch as CoreBatch, Skipped},
};

use crate::{
    convert::{Options, Value},
    errors::{OrThrow, otp_error, type_error},
    hotp::HOTP,
    steam::Steam,
    totp::TOTP,
};

/// What an import accepted leniently, or what the lint noticed: a stable
/// `code`, a `severity`, a `message`, and for the lint's facts the `app` (or
/// standard) and the `source` it is documented in.
#[napi(object, object_from_js = false)]
pub struct Finding {
    /// The stable code, e.g. `"issuer_parameter_wins"`.
    pub code: String,
    /// `"info"`, `"warning"` or `"error"`.
    #[napi(ts_type = "'info' | 'warning' | 'error'")]
    pub severity: String,
    /// What it means, in one line.
    pub message: String,
    /// The app or standard the fact is about (the lint's findings).
    pub app: Option<String>,
    /// Where the fact is documented (a URL; the lint's findings).
    pub source: Option<String>,
}

impl From<&CoreFinding> for Finding {
    fn from(f: &CoreFinding) -> Self {
        Finding {
            code: f.code.to_owned(),
            severity: f.severity.as_str().to_owned(),
            message: f.message.to_owned(),
            app: f.app.map(str::to_owned),
            source: f.source.map(str::to_owned),
        }
    }
}

pub(crate) fn findings(list: &[CoreFinding]) -> Vec<Finding> {
    list.iter().map(Finding::from).collect()
}

/// A `TOTP` or an `HOTP` of an account (t0 is 0 in every export).
pub(crate) fn otp_object(env: &Env, auth: OtpAuth) -> napi::Result<Either<TOTP, HOTP>> {
    let account = Account::new(auth, 0).or_throw(env)?;
    Ok(match account.otp() {
        Otp::Totp(_) => Either::A(TOTP::from_account(account)),
        Otp::Hotp(..) => Either::B(HOTP::from_account(account)),
    })
}

/// One imported account.
#[napi(object, object_from_js = false)]
pub struct MigrationEntry {
    /// The account.
    pub otp: Either<TOTP, HOTP>,
    /// Its position in the export (0-based, across the parts when assembled).
    pub position: u32,
    /// What was accepted leniently.
    pub findings: Vec<Finding>,
}

/// An account that could not be imported.
#[napi(object, object_from_js = false)]
pub struct SkippedEntry {
    /// Its position in the export.
    pub position: u32,
    /// Its name, for the user to recognise it.
    pub name: String,
    /// Why: otp-core's error code (`invalid_secret`, `unsupported_algorithm`,
    /// …), as in `ERROR_CODES` (an `OtpError`'s `code` is `ERR_OTP_` + it in upper case).
    pub reason: String,
}

/// One decoded migration URI.
#[napi(object, object_from_js = false)]
pub struct MigrationBatch {
    /// The accounts imported.
    pub entries: Vec<MigrationEntry>,
    /// The accounts that could not be.
    pub skipped: Vec<SkippedEntry>,
    /// The format's version.
    pub version: i32,
    /// How many URIs the export has.
    pub batch_size: i32,
    /// This URI's index among them (0-based).
    pub batch_index: i32,
    /// The export's id, shared by its URIs.
    pub batch_id: i32,
}

/// Every entry and skipped account of a complete export.
#[napi(object, object_from_js = false)]
pub struct MigrationResult {
    /// The accounts imported, in order.
    pub entries: Vec<MigrationEntry>,
    /// The accounts that could not be.
    pub skipped: Vec<SkippedEntry>,
}

/// The URIs of a lossy export, and the accounts left out.
#[napi(object, object_from_js = false)]
pub struct LossyExport {
    /// The migration URIs.
    pub uris: Vec<String>,
    /// The accounts left out: their index in the argument and the error code.
    pub dropped: Vec<Dropped>,
}

/// An account a lossy export left out.
#[napi(object, object_from_js = false)]
pub struct Dropped {
    /// Its index in the accounts given.
    pub index: u32,
    /// Why: otp-core's error code (`unexportable`, `invalid_t0`, `input_too_long`).
    pub code: String,
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn entries(env: &Env, list: Vec<migration::MigrationEntry>) -> napi::Result<Vec<MigrationEntry>> {
    list.into_iter()
        .map(|e| {
            Ok(MigrationEntry {
                findings: findings(&e.findings),
                position: u32_of(e.position),
                otp: otp_object(env, e.otp)?,
            })
        })
        .collect()
}

fn skipped(list: Vec<Skipped>) -> Vec<SkippedEntry> {
    list.into_iter()
        .map(|s| SkippedEntry { position: u32_of(s.position), name: s.name, reason: s.reason.code().to_owned() })
        .collect()
}

fn batch(env: &Env, b: CoreBatch) -> napi::Result<MigrationBatch> {
    Ok(MigrationBatch {
        entries: entries(env, b.entries)?,
        skipped: skipped(b.skipped),
        version: b.version,
        batch_size: b.batch_size,
        batch_index: b.batch_index,
        batch_id: b.batch_id,
    })
}

/// Decodes one `otpauth-migration://offline?data=…` URI (a Google
/// Authenticator export), leniently account by account: an account that
/// cannot be imported is in `skipped`, with its reason.
///
/// @throws {OtpError} `ERR_OTP_INVALID_MIGRATION` (not an export), `ERR_OTP_INPUT_TOO_LONG`.
#[napi(namespace = "migration", js_name = "parse", ts_args_type = "uri: string")]
pub(crate) fn parse_migration(env: &Env, uri: Option<Unknown<'_>>) -> napi::Result<MigrationBatch> {
    let uri = Value::required(env, uri, "uri")?.secret_string()?;
    batch(env, migration::parse_migration_uri(&uri).or_throw(env)?)
}

/// Puts the URIs of a multi-QR export back together, in any order.
#[napi(namespace = "migration")]
pub struct Assembler {
    inner: Option<CoreAssembler>,
}

impl Default for Assembler {
    fn default() -> Self {
        Assembler { inner: Some(CoreAssembler::new()) }
    }
}

#[napi(namespace = "migration")]
impl Assembler {
    /// An empty assembler.
    #[napi(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    fn inner(&mut self, env: &Env) -> napi::Result<&mut CoreAssembler> {
        self.inner.as_mut().ok_or_else(|| type_error(env, "finish() was called already".to_owned()))
    }

    /// Adds one URI of the export (the same one twice is taken once).
    ///
    /// @throws {OtpError} as `migration.parse`; `ERR_OTP_MIGRATION_MISMATCH` for a URI of another export.
    /// @throws {TypeError} after `finish()`.
    #[napi(ts_args_type = "uri: string")]
    pub fn add(&mut self, env: &Env, uri: Option<Unknown<'_>>) -> napi::Result<()> {
        let uri = Value::required(env, uri, "uri")?.secret_string()?;
        self.inner(env)?.add(&uri).or_throw(env)
    }

    /// The indices not given yet.
    #[napi]
    pub fn missing(&self) -> Vec<i32> {
        self.inner.as_ref().map(CoreAssembler::missing).unwrap_or_default()
    }

    /// Whether every part was given.
    #[napi]
    pub fn is_complete(&self) -> bool {
        self.inner.as_ref().is_some_and(CoreAssembler::is_complete)
    }

    /// Every entry and skipped account, in order.
    ///
    /// @throws {OtpError} `ERR_OTP_MIGRATION_INCOMPLETE` while parts are missing.
    /// @throws {TypeError} when called twice.
    #[napi]
    pub fn finish(&mut self, env: &Env) -> napi::Result<MigrationResult> {
        let inner = self.inner.take().ok_or_else(|| type_error(env, "finish() was called already".to_owned()))?;
        let (e, s) = inner.finish().or_throw(env)?;
        Ok(MigrationResult { entries: entries(env, e)?, skipped: skipped(s) })
    }
}

/// An element of the accounts array: a `TOTP`'s or `HOTP`'s account as
/// its URI would hold it, or the core's reason it has none (`InvalidT0`),
/// or `Unexportable` for a `Steam` (5 digits).
fn item(env: &Env, holder: &Array<'_>, index: u32) -> napi::Result<Result<OtpAuth, Error>> {
    let refused = || type_error(env, "accounts must be TOTP, HOTP or Steam objects".to_owned());
    let value = holder.get::<Unknown<'_>>(index)?.ok_or_else(refused)?;
    let labels = UriLabels::default();
    if TOTP::instance_of(env, &value)?
        && let Ok(Some(totp)) = holder.get::<ClassInstance<'_, TOTP>>(index)
    {
        return Ok(totp.account().auth_with(&labels));
    }
    if HOTP::instance_of(env, &value)?
        && let Ok(Some(hotp)) = holder.get::<ClassInstance<'_, HOTP>>(index)
    {
        return Ok(hotp.account().auth_with(&labels));
    }
    if Steam::instance_of(env, &value)? {
        return Ok(Err(Error::Unexportable));
    }
    Err(refused())
}

/// The accounts array and the batch id option (default random), exported
/// by the core (`lossy`: leaving out what cannot be carried).
fn export(
    env: &Env,
    accounts: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
    lossy: bool,
) -> napi::Result<migration::Exported> {
    let value = Value::required(env, accounts, "accounts")?;
    if !value.unknown().is_array()? {
        return Err(type_error(env, "accounts must be an array of TOTP, HOTP or Steam objects".to_owned()));
    }
    let holder: Array<'_> = value.cast()?;
    let items = (0..holder.len()).map(|i| item(env, &holder, i)).collect::<napi::Result<Vec<_>>>()?;
    let batch_id = match Options::new(env, options)?.get(c"batchId")? {
        Some(v) => {
            i32::try_from(v.i64(Error::InvalidMigration)?).map_err(|_| otp_error(env, Error::InvalidMigration))?
        }
        None => migration::random_batch_id(&mut otp_core::OsRng).or_throw(env)?,
    };
    let items: Vec<Result<&OtpAuth, Error>> = items.iter().map(|i| i.as_ref().map_err(|e| *e)).collect();
    migration::export(&items, batch_id, lossy).map_err(|(_, e)| otp_error(env, e))
}

/// The accounts as Google Authenticator export URIs (10 accounts per URI,
/// fewer when they would not fit in a QR code, sharing `batchId`, default
/// random), for an authenticator to import.
///
/// @throws {OtpError} for the first account the format cannot carry: `ERR_OTP_UNEXPORTABLE` (a
/// period other than 30 s, digits other than 6 or 8, a `Steam`), `ERR_OTP_INVALID_T0`,
/// `ERR_OTP_INPUT_TOO_LONG`; `migration.toUrisLossy` leaves them out. `ERR_OTP_INVALID_MIGRATION`
/// for a `batchId` outside the 32-bit signed range.
/// @throws {TypeError} when `accounts` is not an array of `TOTP`/`HOTP`/`Steam`.
#[napi(
    namespace = "migration",
    js_name = "toUris",
    ts_args_type = "accounts: Array<TOTP | HOTP | Steam>, options?: { batchId?: number | null }"
)]
pub(crate) fn to_uris(
    env: &Env,
    accounts: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Vec<String>> {
    Ok(export(env, accounts, options, false)?.0)
}

/// As `migration.toUris`, leaving out (and listing) the accounts that cannot be carried.
///
/// @throws {TypeError} when `accounts` is not an array of `TOTP`/`HOTP`/`Steam`.
#[napi(
    namespace = "migration",
    js_name = "toUrisLossy",
    ts_args_type = "accounts: Array<TOTP | HOTP | Steam>, options?: { batchId?: number | null }"
)]
pub(crate) fn to_uris_lossy(
    env: &Env,
    accounts: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> napi::Result<LossyExport> {
    let (uris, dropped) = export(env, accounts, options, true)?;
    let dropped = dropped.into_iter().map(|(i, e)| Dropped { index: u32_of(i), code: e.code().to_owned() }).collect();
    Ok(LossyExport { uris, dropped })
}
