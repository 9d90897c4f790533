//! QR codes, backup codes and throttling.

use std::{
    ffi::CStr,
    time::{SystemTime, UNIX_EPOCH},
};

use napi::{
    Env, JsString, Status, Task,
    bindgen_prelude::{Array, AsyncTask, Buffer, Unknown},
};
use napi_derive::napi;
use otp_core::{Error, OsRng, backup, qr};
use zeroize::Zeroizing;

use crate::{
    convert::{Options, Value, secret_to_js},
    errors::{OrThrow, otp_error},
};

/// The text to encode in a QR code.
fn qr_text(env: &Env, uri: Option<Unknown<'_>>) -> napi::Result<Zeroizing<String>> {
    Value::required(env, uri, "uri")?.secret_string()
}

/// The QR code of `uri` (e.g. `totp.toString()`) as an SVG image: text,
/// scalable, ready to inline in HTML.
///
/// @throws {OtpError} `ERR_OTP_INPUT_TOO_LONG` beyond 2048 bytes, `ERR_OTP_QR_ENCODING`.
#[napi(namespace = "qr", js_name = "svg", ts_args_type = "uri: string")]
pub(crate) fn qr_svg<'e>(env: &'e Env, uri: Option<Unknown<'_>>) -> napi::Result<JsString<'e>> {
    secret_to_js(env, Zeroizing::new(qr::svg(&qr_text(env, uri)?).or_throw(env)?))
}

/// The QR code of `uri` as PNG bytes (8-bit greyscale, 8 pixels per module).
///
/// @throws {OtpError} `ERR_OTP_INPUT_TOO_LONG` beyond 2048 bytes, `ERR_OTP_QR_ENCODING`.
#[napi(namespace = "qr", js_name = "png", ts_args_type = "uri: string")]
pub(crate) fn qr_png(env: &Env, uri: Option<Unknown<'_>>) -> napi::Result<Buffer> {
    Ok(Buffer::from(qr::png(&qr_text(env, uri)?).or_throw(env)?))
}

/// The QR code of `uri` as a `data:image/png;base64,…` URI, for `<img src>`.
///
/// @throws {OtpError} `ERR_OTP_INPUT_TOO_LONG` beyond 2048 bytes, `ERR_OTP_QR_ENCODING`.
#[napi(namespace = "qr", js_name = "dataUri", ts_args_type = "uri: string")]
pub(crate) fn qr_data_uri<'e>(env: &'e Env, uri: Option<Unknown<'_>>) -> napi::Result<JsString<'e>> {
    secret_to_js(env, Zeroizing::new(qr::png_data_uri(&qr_text(env, uri)?).or_throw(env)?))
}

/// The QR code of `uri` as text for a terminal (half blocks; light on dark).
///
/// @throws {OtpError} `ERR_OTP_INPUT_TOO_LONG` beyond 2048 bytes, `ERR_OTP_QR_ENCODING`.
#[napi(namespace = "qr", js_name = "terminal", ts_args_type = "uri: string")]
pub(crate) fn qr_terminal<'e>(env: &'e Env, uri: Option<Unknown<'_>>) -> napi::Result<JsString<'e>> {
    secret_to_js(env, Zeroizing::new(qr::terminal(&qr_text(env, uri)?).or_throw(env)?))
}

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
}

fn hash_args(env: &Env, codes: Option<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<HashArgs> {
    let codes = Zeroizing::new(
        Value::required(env, codes, "codes")?.strings(backup::MAX_BACKUP_CODE_COUNT, Error::InvalidBackupParams)?,
    );
    let iterations = match Options::new(env, options)?.get(c"iterations")? {
        Some(v) => v.u32(Error::InvalidBackupParams)?,
        None => backup::DEFAULT_BACKUP_ITERATIONS,
    };
    Ok(HashArgs { codes, iterations })
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
    let args = hash_args(env, codes, options)?;
    backup::hash_backup_codes(&mut OsRng, &args.codes, args.iterations).or_throw(env)
}

/// The arguments of `verify` and `verifyAsync`.
struct VerifyArgs {
    candidate: Zeroizing<String>,
    hashes: Vec<String>,
}

fn verify_args(env: &Env, candidate: Option<Unknown<'_>>, hashes: Option<Unknown<'_>>) -> napi::Result<VerifyArgs> {
    Ok(VerifyArgs {
        candidate: Value::required(env, candidate, "candidate")?.secret_string()?,
        hashes: Value::required(env, hashes, "hashes")?.strings(backup::MAX_BACKUP_HASHES, Error::InputTooLong)?,
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
    let args = verify_args(env, candidate, hashes)?;
    Ok(backup::verify_backup_code(&args.candidate, &args.hashes).or_throw(env)?.map(index))
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
        pooled(&mut self.failure, backup::hash_backup_codes(&mut OsRng, &self.args.codes, self.args.iterations))
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
        let result = backup::verify_backup_code(&self.args.candidate, &self.args.hashes);
        pooled(&mut self.failure, result).map(|m| m.map(index))
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
    Ok(AsyncTask::new(HashTask { args: hash_args(env, codes, options)?, failure: None }))
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
    Ok(AsyncTask::new(VerifyTask { args: verify_args(env, candidate, hashes)?, failure: None }))
}

/// Exponential back-off after failed verifications, as django-otp: `base`
/// seconds after the first failure (default 1), doubling with each further
/// one, never more than `cap` (default 900, at most 86,400). The caller
/// stores the failure count and the time of the last failure.
#[napi]
pub struct Throttle {
    inner: otp_core::Throttle,
}

#[napi]
impl Throttle {
    /// @throws {OtpError} `ERR_OTP_INVALID_THROTTLE` when `base` is 0 or `cap` is below `base` or above 86,400.
    #[napi(constructor, ts_args_type = "options?: { base?: number | null, cap?: number | null }")]
    pub fn new(env: &Env, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        let options = Options::new(env, options)?;
        // `number`s only (as periods); the core bounds them.
        let seconds = |name: &'static CStr, default| {
            options.get(name)?.map_or(Ok(default), |v| v.u32(Error::InvalidThrottle).map(u64::from))
        };
        let base = seconds(c"base", otp_core::throttle::DEFAULT_THROTTLE_BASE)?;
        let cap = seconds(c"cap", otp_core::throttle::DEFAULT_THROTTLE_CAP)?;
        Ok(Throttle { inner: otp_core::Throttle::new(base, cap).or_throw(env)? })
    }

    /// Seconds to wait before the next attempt (0: allowed now), for a
    /// `Retry-After` header: the core's exact wait in milliseconds, rounded
    /// up to whole seconds, so that it is never short (after a failure at
    /// …999 ms, a try at …000 ms has waited 1 ms, not a second).
    /// `failures` is the count of consecutive failures (default 0);
    /// `lastFailureAt` and `now` are timestamps in milliseconds like
    /// `Date.now()` (`now` defaults to the current time, `lastFailureAt` to
    /// `now`). A clock that went back counts as no time elapsed.
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_THROTTLE` for a count outside 0..2^32,
    /// `ERR_OTP_TIME_BEFORE_T0` / `ERR_OTP_INVALID_TIME` for a bad timestamp.
    #[napi(
        js_name = "retryAfter",
        ts_args_type = "options?: { failures?: number | null, lastFailureAt?: number | bigint | null, now?: number | bigint | null }"
    )]
    pub fn retry_after(&self, env: &Env, options: Option<Unknown<'_>>) -> napi::Result<f64> {
        #[allow(clippy::cast_precision_loss)]
        // At most MAX_THROTTLE_CAP (86,400): exact.
        Ok(self.retry_after_ms(env, options)?.div_ceil(1000) as f64)
    }

    /// Whether an attempt is allowed now (`retryAfter(...) === 0`).
    ///
    /// @throws {OtpError} as `retryAfter`.
    #[napi(
        js_name = "isAllowed",
        ts_args_type = "options?: { failures?: number | null, lastFailureAt?: number | bigint | null, now?: number | bigint | null }"
    )]
    pub fn is_allowed(&self, env: &Env, options: Option<Unknown<'_>>) -> napi::Result<bool> {
        Ok(self.retry_after_ms(env, options)? == 0)
    }

    /// The delay after the first failure, in seconds.
    #[napi(getter)]
    pub fn base(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        // At most 86,400: exact.
        let base = self.inner.base() as f64;
        base
    }

    /// The cap on the delay, in seconds.
    #[napi(getter)]
    pub fn cap(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        // At most 86,400: exact.
        let cap = self.inner.cap() as f64;
        cap
    }
}

/// A timestamp of `retryAfter`: Unix seconds, and the exact milliseconds
/// when they fit a `u64` (always, but for a `bigint` beyond year 584,556,019).
#[derive(Clone, Copy)]
struct Moment {
    secs: u64,
    millis: Option<u64>,
}

impl Moment {
    fn from_value(v: &Value<'_>) -> napi::Result<Self> {
        Ok(Moment { secs: v.millis()?, millis: v.exact_millis()? })
    }

    /// The current time (the core's `unix_now` has whole seconds only).
    fn now(env: &Env) -> napi::Result<Self> {
        let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|_| otp_error(env, Error::TimeBeforeT0))?;
        Ok(Moment { secs: elapsed.as_secs(), millis: u64::try_from(elapsed.as_millis()).ok() })
    }
}

impl Throttle {
    /// Milliseconds to wait, from the core's `retry_after_millis`.
    fn retry_after_ms(&self, env: &Env, options: Option<Unknown<'_>>) -> napi::Result<u64> {
        let options = Options::new(env, options)?;
        let failures = options.get(c"failures")?.map_or(Ok(0), |v| v.u32(Error::InvalidThrottle))?;
        let now = match options.get(c"now")? {
            Some(v) => Moment::from_value(&v)?,
            None => Moment::now(env)?,
        };
        let last = match options.get(c"lastFailureAt")? {
            Some(v) => Moment::from_value(&v)?,
            None => now,
        };
        Ok(match (last.millis, now.millis) {
            (Some(last), Some(now)) => self.inner.retry_after_millis(failures, last, now),
            // Milliseconds from 2^64 on (`bigint`s only): the core's whole
            // seconds, as the millisecond API cannot take them.
            _ => self.inner.retry_after(failures, last.secs, now.secs).saturating_mul(1000),
        })
    }
}
