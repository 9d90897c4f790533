//! The vault: a JSON file of accounts whose secrets are sealed (otp-core's
//! `seal`, XChaCha20-Poly1305) under a key derived from a passphrase with
//! Argon2id. Nothing secret is ever written in plain text: an entry keeps
//! its name and its parameters (type, algorithm, digits, period or counter,
//! issuer, account) readable, and its secret sealed with those bound into
//! the envelope's additional data, so a parameter edited in the file makes
//! the entry fail to open rather than give other codes.
//!
//! Argon2id (RFC 9106 §4, its second recommended option): 64 MiB, 3 passes,
//! 4 lanes, a 16-byte random salt per vault; the parameters are stored in
//! the file, so a later version can raise them for new vaults.
//!
//! The file is replaced whole: written to a temporary file beside it (mode
//! 0600), flushed to disk, then renamed over it, so a crash leaves the old
//! vault or the new one, never a truncated one. Every command that opens the
//! vault holds an exclusive lock (`flock`) on a lock file beside it, taken
//! before the vault is read and released when the process ends, so two
//! `otp add` at once both land: one waits for the other, then reads its
//! result (no lost update).

use std::{
    fs::{self, File, OpenOptions},
    io::Write,
    os::unix::fs::{DirBuilderExt, OpenOptionsExt},
    path::{Path, PathBuf},
};

use argon2::{Algorithm as Argon2Algorithm, Argon2, Params, Version};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use otp_core::{Algorithm, OsRng, OtpAuth, OtpKind, Secret, seal::Keyring};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::Failure;

/// The file format's name and version.
const FORMAT: &str = "otp-vault/1";
/// The keyring's one key id.
const KEY_ID: &str = "vault";
/// RFC 9106 §4's second recommended Argon2id option.
const M_COST_KIB: u32 = 64 * 1024;
const T_COST: u32 = 3;
const P_COST: u32 = 4;
/// A secret sealed with the vault's key to tell a wrong passphrase from a
/// damaged entry (20 zero bytes: no secret of any account).
const CHECK_CONTEXT: &[u8] = b"otp-vault/1\ncheck";

/// The file.
#[derive(Serialize, Deserialize)]
pub(crate) struct VaultFile {
    format: String,
    kdf: Kdf,
    check: String,
    pub(crate) entries: Vec<Entry>,
}

/// Argon2id's parameters and salt.
#[derive(Serialize, Deserialize)]
struct Kdf {
    algorithm: String,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    salt: String,
}

/// One account: its parameters in the clear, its secret sealed.
#[derive(Serialize, Deserialize, Clone)]
pub(crate) struct Entry {
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) algorithm: String,
    pub(crate) digits: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) period: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) counter: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) issuer: Option<String>,
    pub(crate) account: String,
    pub(crate) sealed: String,
}

/// An open vault: the file's contents and the keyring of its passphrase.
pub(crate) struct Vault {
    path: PathBuf,
    pub(crate) file: VaultFile,
    keyring: Keyring,
    /// The lock file, locked while the vault is open (see the module docs).
    _lock: File,
}

/// The default vault: `$OTP_VAULT`, else `$XDG_DATA_HOME/otp/vault.json`,
/// else `~/.local/share/otp/vault.json`.
pub(crate) fn default_path() -> Result<PathBuf, Failure> {
    if let Some(path) = std::env::var_os("OTP_VAULT") {
        return Ok(PathBuf::from(path));
    }
    let data = match std::env::var_os("XDG_DATA_HOME") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(std::env::var_os("HOME").ok_or_else(|| Failure("HOME is not set: use --vault".into()))?)
            .join(".local/share"),
    };
    Ok(data.join("otp").join("vault.json"))
}

fn derive(passphrase: &str, kdf: &Kdf) -> Result<Keyring, Failure> {
    if kdf.algorithm != "argon2id" {
        return Err(Failure(format!("the vault's key derivation {:?} is not argon2id", kdf.algorithm)));
    }
    let params = Params::new(kdf.memory_kib, kdf.iterations, kdf.parallelism, Some(32))
        .map_err(|e| Failure(format!("the vault's argon2id parameters are invalid: {e}")))?;
    let salt = URL_SAFE_NO_PAD.decode(&kdf.salt).map_err(|_| Failure("the vault's salt is not base64url".into()))?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Argon2Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), &salt, key.as_mut())
        .map_err(|e| Failure(format!("argon2id: {e}")))?;
    let text = Zeroizing::new(URL_SAFE_NO_PAD.encode(key.as_ref()));
    Ok(Keyring::new([(KEY_ID, text.as_str())], KEY_ID)?)
}

fn check_secret() -> Result<Secret, Failure> {
    Ok(Secret::from_bytes(&[0u8; 20])?)
}

impl Vault {
    /// A new, empty vault for `passphrase` (not written until `save`).
    pub(crate) fn create(path: &Path, passphrase: &str) -> Result<Self, Failure> {
        let lock = lock(path)?;
        if path.exists() {
            // Another `otp` made it while this one waited for the lock.
            drop(lock);
            return Self::open(path, passphrase);
        }
        let mut salt = [0u8; 16];
        rand_bytes(&mut salt)?;
        let kdf = Kdf {
            algorithm: "argon2id".into(),
            memory_kib: M_COST_KIB,
            iterations: T_COST,
            parallelism: P_COST,
            salt: URL_SAFE_NO_PAD.encode(salt),
        };
        let keyring = derive(passphrase, &kdf)?;
        let check = keyring.seal(&mut OsRng, &check_secret()?, CHECK_CONTEXT)?;
        let file = VaultFile { format: FORMAT.into(), kdf, check, entries: Vec::new() };
        Ok(Vault { path: path.to_owned(), file, keyring, _lock: lock })
    }

    /// The vault at `path`, opened with `passphrase`.
    pub(crate) fn open(path: &Path, passphrase: &str) -> Result<Self, Failure> {
        let lock = lock(path)?;
        let text =
            fs::read_to_string(path).map_err(|e| Failure(format!("cannot read the vault {}: {e}", path.display())))?;
        let file: VaultFile = serde_json::from_str(&text)
            .map_err(|e| Failure(format!("the vault {} is not a vault file: {e}", path.display())))?;
        if file.format != FORMAT {
            return Err(Failure(format!("the vault's format {:?} is not {FORMAT}", file.format)));
        }
        let keyring = derive(passphrase, &file.kdf)?;
        if keyring.open(&file.check, CHECK_CONTEXT).is_err() {
            return Err(Failure("wrong passphrase for this vault".into()));
        }
        Ok(Vault { path: path.to_owned(), file, keyring, _lock: lock })
    }

    /// Writes the vault: a temporary file beside it (0600), synced, renamed over it.
    pub(crate) fn save(&self) -> Result<(), Failure> {
        let mut json =
            serde_json::to_string_pretty(&self.file).map_err(|e| Failure(format!("cannot write the vault: {e}")))?;
        json.push('\n');
        write_private(&self.path, json.as_bytes())
    }

    /// Adds `auth` as `name` (refused if the name is taken).
    pub(crate) fn add(&mut self, name: &str, auth: &OtpAuth) -> Result<(), Failure> {
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(Failure("an account name must be non-empty, without control characters".into()));
        }
        if self.file.entries.iter().any(|e| e.name == name) {
            return Err(Failure(format!("the vault already has an account named {name:?} (otp rm it first)")));
        }
        let (kind, period, counter) = match auth.kind {
            OtpKind::Totp { period } => ("totp", Some(period), None),
            OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
        };
        let mut entry = Entry {
            name: name.to_owned(),
            kind: kind.into(),
            algorithm: auth.algorithm.name().into(),
            digits: auth.digits,
            period,
            counter,
            issuer: auth.issuer.clone(),
            account: auth.account.clone(),
            sealed: String::new(),
        };
        entry.sealed = self.keyring.seal(&mut OsRng, &auth.secret, &context(&entry))?;
        self.file.entries.push(entry);
        Ok(())
    }

    /// The account of `entry`, its secret opened.
    pub(crate) fn account(&self, entry: &Entry) -> Result<OtpAuth, Failure> {
        let secret = self.keyring.open(&entry.sealed, &context(entry)).map_err(|_| {
            Failure(format!("the account {:?} does not open: its entry was changed or damaged", entry.name))
        })?;
        let kind = match (entry.kind.as_str(), entry.period, entry.counter) {
            ("totp", Some(period), None) => OtpKind::Totp { period },
            ("hotp", None, Some(counter)) => OtpKind::Hotp { counter },
            _ => return Err(Failure(format!("the account {:?} has a malformed type", entry.name))),
        };
        Ok(OtpAuth {
            kind,
            secret,
            algorithm: Algorithm::parse(&entry.algorithm)?,
            digits: entry.digits,
            account: entry.account.clone(),
            issuer: entry.issuer.clone(),
            image: None,
        })
    }

    /// The entry named `name`.
    pub(crate) fn entry(&self, name: &str) -> Result<&Entry, Failure> {
        self.file.entries.iter().find(|e| e.name == name).ok_or_else(|| Failure(format!("no account named {name:?}")))
    }
}

/// The vault's folder (made 0700 when missing).
fn folder(path: &Path) -> Result<&Path, Failure> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Failure(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}

/// An exclusive lock on `.<vault file name>.lock` beside the vault, held
/// until the returned file is dropped (or the process ends); waits for
/// another `otp` that holds it.
fn lock(path: &Path) -> Result<File, Failure> {
    let name = path.file_name().map_or("vault".into(), |n| n.to_string_lossy());
    let lock_path = folder(path)?.join(format!(".{name}.lock"));
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&lock_path)
        .map_err(|e| Failure(format!("cannot open the lock file {}: {e}", lock_path.display())))?;
    file.lock().map_err(|e| Failure(format!("cannot lock {}: {e}", lock_path.display())))?;
    Ok(file)
}

/// Writes `bytes` to `path` whole: a temporary file beside it (0600, its
/// folder made 0700 when missing), flushed to disk, renamed over `path`,
/// then the folder flushed; a crash leaves the old file or the new one.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let dir = folder(path)?;
    let name = path.file_name().map_or("file".into(), |n| n.to_string_lossy());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut f = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        File::open(dir)?.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(Failure(format!("cannot write {}: {e}", path.display())));
    }
    Ok(())
}

/// The additional data of an entry's envelope: the format, the name and
/// every parameter but the HOTP counter (which `show` advances).
fn context(entry: &Entry) -> Vec<u8> {
    let fields = [
        FORMAT,
        &entry.name,
        &entry.kind,
        &entry.algorithm,
        &entry.digits.to_string(),
        &entry.period.map(|p| p.to_string()).unwrap_or_default(),
        entry.issuer.as_deref().unwrap_or(""),
        &entry.account,
    ];
    fields.join("\n").into_bytes()
}

fn rand_bytes(out: &mut [u8]) -> Result<(), Failure> {
    use otp_core::rand_core::TryRng;
    OsRng.try_fill_bytes(out).map_err(|_| Failure(otp_core::Error::RngFailure.message().into()))
}
