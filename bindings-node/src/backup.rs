//! `backupCodes`: backup codes generated, normalised, hashed and checked by
//! the core (and free-form imported tokens, checked exactly as typed).

use napi::{
    Env, JsString, Status, Task,
    bindgen_prelude::{Array, AsyncTask, Unknown},
};
use napi_derive::napi;
use otp_core::{Error, OsRng, backup};
use zeroize::Zeroizing;

use crate::{
    convert::{Options, Value, secret_to_js},
    errors::{OrThrow, otp_error},
};

/// `count` (default 10, at most 100) new backup codes from the operating
/// system's CSPRNG, formatted `ABCDE-FGHJK` (Crockford base32). Show them
/// once, store only their hashes.
///
/// @throws {OtpError} `ERR_OTP_INVALID_BACKUP_PARAMS`.
#[napi(
    namespace = "backupCodes",
    js_name = "generate",
    ts_args_type = "options?: { count?: number | null }",
    ts_return_type = "Array<string>"
)]
pub(crate) fn backup_generate<'e>(env: &'e Env, options: Option<Unknown<'_>>) -> napi::Result<Array<'e>> {
    let count = match Options::new(env, options)?.get(c"count")? {
        Some(v) => v.u32(Error::InvalidBackupParams)? as usize,
        None => backup::DEFAULT_BACKUP_CODE_COUNT,
    };
    let mut codes = Zeroizing::new(backup::generate_backup_codes(&mut OsRng, count).or_throw(env)?);
    let mut array = env.create_array(0)?;
    for code in codes.iter_mut() {
        array.insert(secret_to_js(env, Zeroizing::new(std::mem::take(code)))?)?;
    }
    Ok(array)
}

/// The normalised form of a backup code (upper case, no spaces or hyphens,
/// `O`→`0`, `I`/`L`→`1`): what is hashed.
///
/// @throws {OtpError} `ERR_OTP_INVALID_BACKUP_CODE`.
#[napi(namespace = "backupCodes", js_name = "normalize", ts_args_type = "code: string")]
pub(crate) fn backup_normalize<'e>(env: &'e Env, code: Option<Unknown<'_>>) -> napi::Result<JsString<'e>> {
    let code = Value::required(env, code, "code")?.secret_string()?;
    secret_to_js(env, Zeroizing::new(backup::normalize_backup_code(&code).or_throw(env)?))
}

/// The arguments of `hash` and `hashAsync`.
struct HashArgs {
    codes: Zeroizing<Vec<String>>,
    iterations: u32,
    kind: Kind,
}

/// Backup codes (normalised) or free-form imported tokens (exactly as typed).
#[derive(Clone, Copy)]
enum Kind {
    Code,
    Raw,
}

impl HashArgs {
    fn hash(&self) -> Result<Vec<String>, Error> {
        match self.kind {
            Kind::Code => backup::hash_backup_codes(&mut OsRng, &self.codes, self.iterations),
            Kind::Raw => backup::hash_raw_tokens(&mut OsRng, &self.codes, self.iterations),
        }
    }
}

fn hash_args(
    env: &Env,
    codes: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
    kind: Kind,
) -> napi::Result<HashArgs> {
    let codes = Zeroizing::new(
        Value::required(env, codes, "codes")?.strings(backup::MAX_BACKUP_CODE_COUNT, Error::InvalidBackupParams)?,
    );
    let iterations = match Options::new(env, options)?.get(c"iterations")? {
        Some(v) => v.u32(Error::InvalidBackupParams)?,
        None => backup::DEFAULT_BACKUP_ITERATIONS,
    };
    Ok(HashArgs { codes, iterations, kind })
}

/// Hashes a set of codes with one fresh salt, as Django's
/// `pbkdf2_sha256$<iterations>$<salt>$<hash>` strings, in order.
/// `iterations` defaults to 600,000 (1,000 to 10,000,000). This blocks the
/// event loop for the whole derivation: prefer `hashAsync` in a server.
///
/// @throws {OtpError} `ERR_OTP_INVALID_BACKUP_CODE`, `ERR_OTP_INVALID_BACKUP_PARAMS`.
#[napi(
    namespace = "backupCodes",
    js_name = "hash",
    ts_args_type = "codes: string[], options?: { iterations?: number | null }"
)]
pub(crate) fn backup_hash(
    env: &Env,
    codes: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Vec<String>> {
    hash_args(env, codes, options, Kind::Code)?.hash().or_throw(env)
}

/// Hashes free-form tokens exactly as given (no normalisation: tokens made
/// elsewhere, such as django-otp's static tokens) with one fresh salt, in the
/// format of `hash`. Blocks the event loop: prefer `hashRawAsync`.
///
/// @throws {OtpError} `ERR_OTP_INVALID_BACKUP_CODE` (an empty token or one over 64 bytes),
/// `ERR_OTP_INVALID_BACKUP_PARAMS`.
#[napi(
    namespace = "backupCodes",
    js_name = "hashRaw",
    ts_args_type = "tokens: string[], options?: { iterations?: number | null }"
)]
pub(crate) fn backup_hash_raw(
    env: &Env,
    tokens: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Vec<String>> {
    hash_args(env, tokens, options, Kind::Raw)?.hash().or_throw(env)
}

/// Throws `ERR_OTP_INVALID_BACKUP_HASH` unless `hash` is a stored hash that
/// `verify` and `verifyRaw` can read (nothing is derived): to report a
/// corrupt row and check the others.
///
/// @throws {OtpError} `ERR_OTP_INVALID_BACKUP_HASH`.
#[napi(namespace = "backupCodes", js_name = "checkHash", ts_args_type = "hash: string")]
pub(crate) fn backup_check_hash(env: &Env, hash: Option<Unknown<'_>>) -> napi::Result<()> {
    backup::check_backup_hash(&Value::required(env, hash, "hash")?.string()?).or_throw(env)
}

/// The arguments of `verify` and `verifyAsync`.
struct VerifyArgs {
    candidate: Zeroizing<String>,
    hashes: Vec<String>,
    kind: Kind,
}

impl VerifyArgs {
    fn verify(&self) -> Result<Option<u32>, Error> {
        let matched = match self.kind {
            Kind::Code => backup::verify_backup_code(&self.candidate, &self.hashes),
            Kind::Raw => backup::verify_raw_token(&self.candidate, &self.hashes),
        };
        matched.map(|m| m.map(index))
    }
}

fn verify_args(
    env: &Env,
    candidate: Option<Unknown<'_>>,
    hashes: Option<Unknown<'_>>,
    kind: Kind,
) -> napi::Result<VerifyArgs> {
    Ok(VerifyArgs {
        candidate: Value::required(env, candidate, "candidate")?.secret_string()?,
        hashes: Value::required(env, hashes, "hashes")?.strings(backup::MAX_BACKUP_HASHES, Error::InputTooLong)?,
        kind,
    })
}

/// The index of the stored hash that `candidate` matches (as typed: case,
/// spaces and hyphens do not matter), or `null`. One PBKDF2 derivation per
/// set, compared in constant time with every hash. Mark the code used with
/// an atomic update. This blocks the event loop: prefer `verifyAsync` in a
/// server.
///
/// @throws {OtpError} `ERR_OTP_INVALID_BACKUP_HASH` for a malformed stored
/// hash; never because of the candidate.
#[napi(namespace = "backupCodes", js_name = "verify", ts_args_type = "candidate: string, hashes: string[]")]
pub(crate) fn backup_verify(
    env: &Env,
    candidate: Option<Unknown<'_>>,
    hashes: Option<Unknown<'_>>,
) -> napi::Result<Option<u32>> {
    verify_args(env, candidate, hashes, Kind::Code)?.verify().or_throw(env)
}

/// The index of the stored hash that `candidate`, exactly as typed (no
/// normalisation), matches, or `null`: for tokens hashed by `hashRaw` or by
/// Django's `make_password`, whose salts and iterations may differ (one
/// derivation per salt). Blocks the event loop: prefer `verifyRawAsync`.
///
/// @throws {OtpError} `ERR_OTP_INVALID_BACKUP_HASH` for a malformed stored
/// hash; never because of the candidate.
#[napi(namespace = "backupCodes", js_name = "verifyRaw", ts_args_type = "candidate: string, hashes: string[]")]
pub(crate) fn backup_verify_raw(
    env: &Env,
    candidate: Option<Unknown<'_>>,
    hashes: Option<Unknown<'_>>,
) -> napi::Result<Option<u32>> {
    verify_args(env, candidate, hashes, Kind::Raw)?.verify().or_throw(env)
}

/// A hash index as a JavaScript number (at most 1000 hashes are accepted).
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Remembers the core's error of a computation on the thread pool, to
/// reject the promise with its `OtpError` on the JavaScript thread.
fn pooled<T>(failure: &mut Option<Error>, result: Result<T, Error>) -> napi::Result<T> {
    result.map_err(|e| {
        *failure = Some(e);
        napi::Error::new(Status::GenericFailure, e.message())
    })
}

/// `hashAsync`: PBKDF2 on the libuv thread pool.
pub(crate) struct HashTask {
    args: HashArgs,
    failure: Option<Error>,
}

impl Task for HashTask {
    type Output = Vec<String>;
    type JsValue = Vec<String>;

    fn compute(&mut self) -> napi::Result<Vec<String>> {
        pooled(&mut self.failure, self.args.hash())
    }

    fn resolve(&mut self, _env: Env, output: Vec<String>) -> napi::Result<Vec<String>> {
        Ok(output)
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<Vec<String>> {
        Err(self.failure.map_or(err, |e| otp_error(&env, e)))
    }
}

/// `verifyAsync`: PBKDF2 on the libuv thread pool.
pub(crate) struct VerifyTask {
    args: VerifyArgs,
    failure: Option<Error>,
}

impl Task for VerifyTask {
    type Output = Option<u32>;
    type JsValue = Option<u32>;

    fn compute(&mut self) -> napi::Result<Option<u32>> {
        pooled(&mut self.failure, self.args.verify())
    }

    fn resolve(&mut self, _env: Env, output: Option<u32>) -> napi::Result<Option<u32>> {
        Ok(output)
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<Option<u32>> {
        Err(self.failure.map_or(err, |e| otp_error(&env, e)))
    }
}

/// `hash` on the libuv thread pool: the event loop keeps running while
/// PBKDF2 works. Wrong argument types throw a `TypeError` at once; the
/// core's errors reject the promise with an `OtpError`.
#[napi(
    namespace = "backupCodes",
    js_name = "hashAsync",
    ts_args_type = "codes: string[], options?: { iterations?: number | null }",
    ts_return_type = "Promise<string[]>"
)]
pub(crate) fn backup_hash_async(
    env: &Env,
    codes: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> napi::Result<AsyncTask<HashTask>> {
    Ok(AsyncTask::new(HashTask { args: hash_args(env, codes, options, Kind::Code)?, failure: None }))
}

/// `verify` on the libuv thread pool. Wrong argument types throw a
/// `TypeError` at once; a malformed stored hash rejects the promise with an
/// `OtpError`.
#[napi(
    namespace = "backupCodes",
    js_name = "verifyAsync",
    ts_args_type = "candidate: string, hashes: string[]",
    ts_return_type = "Promise<number | null>"
)]
pub(crate) fn backup_verify_async(
    env: &Env,
    candidate: Option<Unknown<'_>>,
    hashes: Option<Unknown<'_>>,
) -> napi::Result<AsyncTask<VerifyTask>> {
    Ok(AsyncTask::new(VerifyTask { args: verify_args(env, candidate, hashes, Kind::Code)?, failure: None }))
}

/// `hashRaw` on the libuv thread pool.
#[napi(
    namespace = "backupCodes",
    js_name = "hashRawAsync",
    ts_args_type = "tokens: string[], options?: { iterations?: number | null }",
    ts_return_type = "Promise<string[]>"
)]
pub(crate) fn backup_hash_raw_async(
    env: &Env,
    tokens: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> napi::Result<AsyncTask<HashTask>> {
    Ok(AsyncTask::new(HashTask { args: hash_args(env, tokens, options, Kind::Raw)?, failure: None }))
}

/// `verifyRaw` on the libuv thread pool.
#[napi(
    namespace = "backupCodes",
    js_name = "verifyRawAsync",
    ts_args_type = "candidate: string, hashes: string[]",
    ts_return_type = "Promise<number | null>"
)]
pub(crate) fn backup_verify_raw_async(
    env: &Env,
    candidate: Option<Unknown<'_>>,
    hashes: Option<Unknown<'_>>,
) -> napi::Result<AsyncTask<VerifyTask>> {
    Ok(AsyncTask::new(VerifyTask { args: verify_args(env, candidate, hashes, Kind::Raw)?, failure: None }))
}
