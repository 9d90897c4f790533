//! Google Authenticator exports (`otpauth-migration://`), the lenient
//! import of otpauth URIs and the compatibility lint: the core's
//! `migration`, `OtpAuth::parse_lenient` and `lint`, for an authenticator
//! app (the first user of import) and for a server's enrolment checks.

use std::sync::{Arc, Mutex};

use otp_core::{
    Account, Error, Imported, Otp, OtpAuth,
    lint::COMPATIBILITY,
    migration::{self, Assembler, MigrationBatch as CoreBatch},
};
use zeroize::Zeroize;

use crate::{errors::OtpError, hotp::Hotp, steam::Steam, totp::Totp, uri::ParsedUri};

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Severity {
    /// Worth knowing; nothing to fix.
    Info,
    /// Likely to cause trouble for some users.
    Warning,
    /// Breaks for most users, or below a normative minimum.
    Error,
}

impl From<otp_core::Severity> for Severity {
    fn from(s: otp_core::Severity) -> Self {
        match s {
            otp_core::Severity::Info => Severity::Info,
            otp_core::Severity::Warning => Severity::Warning,
            otp_core::Severity::Error => Severity::Error,
        }
    }
}

/// What an import accepted leniently, or what the lint noticed: a stable
/// `code`, a `severity`, a `message`, and for the lint's facts the `app` (or
/// standard) and the `source` it is documented in.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Finding {
    /// The stable code, e.g. `issuer_parameter_wins`.
    pub code: String,
    /// How much it matters.
    pub severity: Severity,
    /// What it means, in one line of English.
    pub message: String,
    /// The app or standard the fact is about (the lint's findings).
    pub app: Option<String>,
    /// Where the fact is documented (a URL; the lint's findings).
    pub source: Option<String>,
}

fn findings(list: &[otp_core::Finding]) -> Vec<Finding> {
    list.iter()
        .map(|f| Finding {
            code: f.code.to_owned(),
            severity: f.severity.into(),
            message: f.message.to_owned(),
            app: f.app.map(str::to_owned),
            source: f.source.map(str::to_owned),
        })
        .collect()
}

/// One row of the compatibility lint's table.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct CompatibilityFact {
    /// The finding's stable code.
    pub code: String,
    /// The app or standard.
    pub app: String,
    /// The URI parameter (or `label`).
    pub parameter: String,
    /// How much it matters.
    pub severity: Severity,
    /// What happens, in one line.
    pub message: String,
    /// The public document it rests on.
    pub source: String,
}

/// The lint's table: one row per app (or standard) and parameter.
#[uniffi::export]
pub fn compatibility_table() -> Vec<CompatibilityFact> {
    COMPATIBILITY
        .iter()
        .map(|f| CompatibilityFact {
            code: f.code.to_owned(),
            app: f.app.to_owned(),
            parameter: f.parameter.to_owned(),
            severity: f.severity.into(),
            message: f.message.to_owned(),
            source: f.source.to_owned(),
        })
        .collect()
}

/// The compatibility lint of an otpauth URI: what a lenient import had to
/// accept, then the table's rows that apply.
///
/// # Errors
/// What `importUri` refuses.
#[uniffi::export]
pub fn lint_uri(mut uri: String) -> Result<Vec<Finding>, OtpError> {
    let found = otp_core::lint::lint_uri(&uri);
    uri.zeroize();
    Ok(findings(&found?))
}

/// The compatibility lint of an account (`TimeBased` or `CounterBased`):
/// the table's rows that apply to what its `uri()` would write.
///
/// # Errors
/// `InvalidT0` for a TOTP whose t0 is not 0 (it has no URI).
#[uniffi::export]
pub fn lint_account(account: ParsedUri) -> Result<Vec<Finding>, OtpError> {
    Ok(findings(&otp_core::lint::lint(&auth_of(&account)?)))
}

fn auth_of(account: &ParsedUri) -> Result<OtpAuth, Error> {
    let core = match account {
        ParsedUri::TimeBased { totp } => totp.account(),
        ParsedUri::CounterBased { hotp } => hotp.account(),
    };
    core.auth_with(&otp_core::UriLabels::default())
}

fn parsed(account: Account) -> Result<ParsedUri, OtpError> {
    Ok(match account.otp() {
        Otp::Totp(_) => ParsedUri::TimeBased { totp: Arc::new(Totp::from_account(account)?) },
        Otp::Hotp(..) => ParsedUri::CounterBased { hotp: Arc::new(Hotp::from_account(account)?) },
    })
}

/// What an authenticator app imports: a TOTP, an HOTP or a Steam Guard account.
#[derive(uniffi::Enum)]
pub enum ImportedOtp {
    /// A TOTP account (labels from `totp`'s getters).
    TimeBased {
        /// Its generator.
        totp: Arc<Totp>,
    },
    /// An HOTP account (`hotp.counter()` is its counter).
    CounterBased {
        /// Its generator.
        hotp: Arc<Hotp>,
    },
    /// A Steam Guard account (`steam://`, `otpauth://steam/…`, `encoder=steam`).
    SteamGuard {
        /// Its generator.
        steam: Arc<Steam>,
        /// The account name.
        account_name: String,
        /// The issuer, if any.
        issuer: Option<String>,
    },
}

/// What `importUri` read, and what it accepted leniently.
#[derive(uniffi::Record)]
pub struct ImportedUri {
    /// The account.
    pub otp: ImportedOtp,
    /// What was accepted leniently (empty for a URI `parseUri` accepts as is).
    pub findings: Vec<Finding>,
}

/// Reads an otpauth URI as an authenticator app imports one: what real
/// issuers emit that `parseUri` refuses (label issuer ≠ `issuer`,
/// `steam://`, secrets below 80 bits, an HOTP without counter, …) is
/// accepted and reported in `findings`. Never for a server.
///
/// # Errors
/// What no leniency can read: `InvalidUri`, `MissingParameter`,
/// `DuplicateParameter`, `InvalidDigits`, `InvalidPeriod`, the secret's errors, …
#[uniffi::export]
pub fn import_uri(mut uri: String) -> Result<ImportedUri, OtpError> {
    let imported = OtpAuth::parse_lenient(&uri);
    uri.zeroize();
    let Imported { otp, steam, findings: found } = imported?;
    let otp = if steam {
        ImportedOtp::SteamGuard {
            steam: Arc::new(Steam::from_core(otp_core::Steam::new(&otp.secret))),
            account_name: otp.account.clone(),
            issuer: otp.issuer.clone(),
        }
    } else {
        match parsed(Account::new(otp, 0)?)? {
            ParsedUri::TimeBased { totp } => ImportedOtp::TimeBased { totp },
            ParsedUri::CounterBased { hotp } => ImportedOtp::CounterBased { hotp },
        }
    };
    Ok(ImportedUri { otp, findings: findings(&found) })
}

/// One account of a Google Authenticator export.
#[derive(uniffi::Record)]
pub struct MigrationEntry {
    /// The account.
    pub otp: ParsedUri,
    /// Its position in the export (0-based, across the parts when assembled).
    pub position: i64,
    /// What was accepted leniently.
    pub findings: Vec<Finding>,
}

/// An account of an export that could not be imported.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SkippedEntry {
    /// Its position in the export.
    pub position: i64,
    /// Its name, for the user to recognise it.
    pub name: String,
    /// Why.
    pub reason: OtpError,
}

/// One decoded `otpauth-migration://` URI.
#[derive(uniffi::Record)]
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

/// Every account of a complete export.
#[derive(uniffi::Record)]
pub struct MigrationResult {
    /// The accounts imported, in order.
    pub entries: Vec<MigrationEntry>,
    /// The accounts that could not be.
    pub skipped: Vec<SkippedEntry>,
}

fn position(p: usize) -> i64 {
    i64::try_from(p).unwrap_or(i64::MAX)
}

fn entries(list: Vec<migration::MigrationEntry>) -> Result<Vec<MigrationEntry>, OtpError> {
    list.into_iter()
        .map(|e| {
            Ok(MigrationEntry {
                findings: findings(&e.findings),
                position: position(e.position),
                otp: parsed(Account::new(e.otp, 0)?)?,
            })
        })
        .collect()
}

fn skipped(list: Vec<migration::Skipped>) -> Vec<SkippedEntry> {
    list.into_iter()
        .map(|s| SkippedEntry { position: position(s.position), name: s.name, reason: s.reason.into() })
        .collect()
}

fn batch(b: CoreBatch) -> Result<MigrationBatch, OtpError> {
    Ok(MigrationBatch {
        entries: entries(b.entries)?,
        skipped: skipped(b.skipped),
        version: b.version,
        batch_size: b.batch_size,
        batch_index: b.batch_index,
        batch_id: b.batch_id,
    })
}

/// Decodes one `otpauth-migration://offline?data=…` URI (what Google
/// Authenticator's "Transfer accounts" QR code holds), account by account:
/// an account that cannot be imported is in `skipped`, with its reason.
///
/// # Errors
/// `InvalidMigration` (not an export), `InputTooLong`.
#[uniffi::export]
pub fn parse_migration_uri(mut uri: String) -> Result<MigrationBatch, OtpError> {
    let decoded = migration::parse_migration_uri(&uri);
    uri.zeroize();
    batch(decoded?)
}

/// Puts the QR codes of a multi-QR export back together, in any order.
/// Thread-safe.
#[derive(uniffi::Object)]
pub struct MigrationAssembler {
    inner: Mutex<Option<Assembler>>,
}

impl MigrationAssembler {
    fn with<T>(&self, f: impl FnOnce(&mut Option<Assembler>) -> T) -> T {
        let mut guard = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }
}

#[uniffi::export]
impl MigrationAssembler {
    /// An empty assembler.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(MigrationAssembler { inner: Mutex::new(Some(Assembler::new())) })
    }

    /// Adds one URI of the export (the same one twice is taken once).
    ///
    /// # Errors
    /// As `parseMigrationUri`; `MigrationMismatch` for a URI of another
    /// export; `MigrationIncomplete` after `finish()`.
    pub fn add(&self, mut uri: String) -> Result<(), OtpError> {
        let result = self.with(|a| a.as_mut().ok_or(Error::MigrationIncomplete).and_then(|a| a.add(&uri)));
        uri.zeroize();
        Ok(result?)
    }

    /// The indices not given yet.
    pub fn missing(&self) -> Vec<i32> {
        self.with(|a| a.as_ref().map(Assembler::missing).unwrap_or_default())
    }

    /// Whether every part was given.
    pub fn is_complete(&self) -> bool {
        self.with(|a| a.as_ref().is_some_and(Assembler::is_complete))
    }

    /// Every account of the export, in order. Once: the assembler is empty after.
    ///
    /// # Errors
    /// `MigrationIncomplete` while parts are missing (or after a first `finish()`).
    pub fn finish(&self) -> Result<MigrationResult, OtpError> {
        let inner = self.with(Option::take).ok_or(OtpError::MigrationIncomplete)?;
        match inner.finish() {
            Ok((e, s)) => Ok(MigrationResult { entries: entries(e)?, skipped: skipped(s) }),
            Err(e) => Err(e.into()),
        }
    }
}

/// The URIs of a lossy export, and the accounts left out.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct LossyExport {
    /// The migration URIs.
    pub uris: Vec<String>,
    /// The accounts left out: their index in the list given, and why.
    pub dropped: Vec<DroppedAccount>,
}

/// An account a lossy export left out.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct DroppedAccount {
    /// Its index in the accounts given.
    pub index: i64,
    /// Why (`Unexportable`, `InvalidT0` or `InputTooLong`).
    pub reason: OtpError,
}

fn batch_id(batch_id: Option<i32>) -> Result<i32, OtpError> {
    match batch_id {
        Some(id) => Ok(id),
        None => Ok(migration::random_batch_id(&mut otp_core::OsRng)?),
    }
}

/// The accounts as Google Authenticator export URIs (10 accounts per URI,
/// fewer when they would not fit in a QR code), sharing `batchId` (default
/// random), to show as QR codes for another authenticator to scan.
///
/// # Errors
/// For the first account that cannot be carried: `Unexportable` (a period
/// other than 30 s, digits other than 6 or 8), `InvalidT0` (a TOTP whose
/// t0 is not 0), `InputTooLong`. `toMigrationUrisLossy` leaves them out instead.
#[uniffi::export(default(batch_id = None))]
pub fn to_migration_uris(accounts: Vec<ParsedUri>, batch_id: Option<i32>) -> Result<Vec<String>, OtpError> {
    Ok(export(&accounts, batch_id, false)?.uris)
}

/// As `toMigrationUris`, leaving out (and listing) the accounts that
/// cannot be exported.
///
/// # Errors
/// `RngFailure` when no batch id is given and the system's generator fails.
#[uniffi::export(default(batch_id = None))]
pub fn to_migration_uris_lossy(accounts: Vec<ParsedUri>, batch_id: Option<i32>) -> Result<LossyExport, OtpError> {
    export(&accounts, batch_id, true)
}

fn export(accounts: &[ParsedUri], batch_id: Option<i32>, lossy: bool) -> Result<LossyExport, OtpError> {
    let items: Vec<Result<OtpAuth, Error>> = accounts.iter().map(auth_of).collect();
    let items: Vec<Result<&OtpAuth, Error>> = items.iter().map(|i| i.as_ref().map_err(|e| *e)).collect();
    let (uris, dropped) =
        migration::export(&items, self::batch_id(batch_id)?, lossy).map_err(|(_, e)| OtpError::from(e))?;
    let dropped = dropped.into_iter().map(|(i, e)| DroppedAccount { index: position(i), reason: e.into() }).collect();
    Ok(LossyExport { uris, dropped })
}
