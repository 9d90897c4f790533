//! `Verifier`: the core's second-factor check (the `decision` module) over
//! `TOTP`, `HOTP`, `Steam` and backup codes, returning `{ kind, …, write }`.

use napi::{
    Either, Env, Status, Task,
    bindgen_prelude::{AsyncTask, BigInt, ClassInstance, JavaScriptClassExt, Null, This, Unknown},
};
use napi_derive::napi;
use otp_core::{AccountState, DeviceState, Error, Outcome, Write, backup};

use crate::{
    convert::{Options, Value, u64_to_js},
    errors::{OrThrow, otp_error, type_error},
    hotp::HOTP,
    steam::Steam,
    totp::TOTP,
};

/// What to write back after a check, and under which condition (the core's
/// `Write`): `accept` sets the device's `lastStep` and `drift` and resets
/// its failures and the account's **only if** its stored `lastStep` is
/// still null or below `step` and its failures are still `failuresRead`
/// (one conditional `UPDATE`; when it changes no row, the token lost a race:
/// write a failure); `consume` marks backup code `index` used (`… WHERE
/// used_at IS NULL`); `failure` adds 1 to the device's and the account's
/// failures (in the store: `failures = failures + 1`) and sets the device's
/// last failure to `at`; `nothing` writes nothing.
#[napi(discriminant = "kind", discriminant_case = "lowercase")]
pub enum DecisionWrite {
    /// Accept (conditionally).
    Accept {
        /// The new `lastStep` (TOTP step, HOTP counter).
        #[napi(ts_type = "number | bigint")]
        step: Either<f64, BigInt>,
        /// The new drift.
        drift: i32,
        /// The device's failures as read: part of the condition.
        #[napi(js_name = "failuresRead")]
        failures_read: u32,
    },
    /// Mark a backup code used (conditionally).
    Consume {
        /// The index of the matched hash in the list given.
        index: u32,
    },
    /// Count one failure.
    Failure {
        /// The time of the failure, in milliseconds.
        #[napi(ts_type = "number | bigint")]
        at: Either<f64, BigInt>,
    },
    /// Write nothing.
    Nothing,
}

/// One check's result, by `kind`: `accepted` (`step`, `offset`),
/// `replayed` (`step`: the code was used already, someone else may hold it),
/// `rejected` (`clockOffset`: with a clock diagnosis, how many steps the
/// device's clock is off), `throttled` (`retryAfterMs`) or
/// `locked` (the account's failures reached the budget); and `write`.
#[napi(discriminant = "kind", discriminant_case = "lowercase")]
pub enum Decision {
    /// A step (counter, backup code) after the last accepted one matched.
    Accepted {
        /// The matched step, counter or backup-code index.
        #[napi(ts_type = "number | bigint")]
        step: Either<f64, BigInt>,
        /// Its offset from the expected one (the device's clock offset for TOTP).
        offset: i32,
        /// What to write.
        write: DecisionWrite,
    },
    /// The code of a step at or before the last accepted one.
    Replayed {
        /// The step whose code it is.
        #[napi(ts_type = "number | bigint")]
        step: Either<f64, BigInt>,
        /// What to write.
        write: DecisionWrite,
    },
    /// Nothing matched.
    Rejected {
        /// With a clock diagnosis: the steps the device's clock is off, or `null`.
        #[napi(js_name = "clockOffset", ts_type = "number | null")]
        clock_offset: Either<i32, Null>,
        /// What to write.
        write: DecisionWrite,
    },
    /// The device's back-off has not elapsed: not tried.
    Throttled {
        /// Milliseconds to wait.
        #[napi(js_name = "retryAfterMs")]
        retry_after_ms: f64,
        /// What to write.
        write: DecisionWrite,
    },
    /// The account's consecutive failures reached the budget: not tried.
    Locked {
        /// What to write.
        write: DecisionWrite,
    },
}

fn write_of(write: Write) -> DecisionWrite {
    match write {
        Write::Accept { step, drift, failures_read } => {
            // The drift is within ±MAX_DRIFT (10).
            DecisionWrite::Accept { step: u64_to_js(step), drift: drift as i32, failures_read }
        }
        // At most MAX_BACKUP_HASHES (1000).
        Write::Consume { index } => DecisionWrite::Consume { index: index as u32 },
        Write::Failure { at_ms } => DecisionWrite::Failure { at: u64_to_js(at_ms) },
        Write::Nothing => DecisionWrite::Nothing,
    }
}

impl From<otp_core::Decision> for Decision {
    fn from(d: otp_core::Decision) -> Self {
        let write = write_of(d.write);
        match d.outcome {
            // Offsets are within ±MAX_DRIFT for TOTP, the look-ahead (≤ 100) for HOTP.
            Outcome::Accepted { step, offset } => {
                Decision::Accepted { step: u64_to_js(step), offset: offset as i32, write }
            }
            Outcome::Replayed { step } => Decision::Replayed { step: u64_to_js(step), write },
            // Within MAX_CLOCK_DIAGNOSIS (120).
            Outcome::Rejected { clock_offset } => Decision::Rejected {
                clock_offset: clock_offset.map_or(Either::B(Null), |o| Either::A(o as i32)),
                write,
            },
            #[allow(clippy::cast_precision_loss)]
            // At most MAX_THROTTLE_CAP (86,400) s in ms: exact.
            Outcome::Throttled { retry_after_ms } => {
                Decision::Throttled { retry_after_ms: retry_after_ms as f64, write }
            }
            Outcome::Locked => Decision::Locked { write },
        }
    }
}

/// An upper bound on passing the second factor by guessing codes.
#[napi(object)]
pub struct GuessBound {
    /// The most guesses the policy lets through in the period.
    pub guesses: f64,
    /// The most steps one guess can match.
    #[napi(js_name = "acceptedPerGuess")]
    pub accepted_per_guess: f64,
    /// The number of distinct codes.
    pub codes: f64,
    /// The union bound on the chance that one of the guesses is accepted.
    pub probability: f64,
}

/// The second-factor check: the window (`past`/`future`), drift
/// (`syncDrift`), the HOTP `lookAhead`, the per-device back-off
/// (`throttle`), the account budget (`accountMaxFailures`: NIST SP
/// 800-63B-4 §3.2.2, at most 100 consecutive failures across a user's
/// authenticators) and an optional clock diagnosis. It decides; the caller
/// stores (see `write`).
#[napi]
pub struct Verifier {
    inner: otp_core::Verifier,
}

/// The state of a check: when, and what was stored.
struct State {
    now_ms: u64,
    device: DeviceState,
    account: AccountState,
}

fn state(env: &Env, options: &Options<'_>) -> napi::Result<State> {
    let now_ms = match options.get(c"timestamp")? {
        Some(v) => v.exact_millis()?.ok_or_else(|| otp_error(env, Error::InvalidTime))?,
        None => crate::throttle::now_millis(env)?,
    };
    let last_step = options.get(c"lastStep")?.map(|v| v.u64(Error::InvalidCounter)).transpose()?;
    // Any stored drift: the core reads an out-of-range one as clamped.
    let drift = options.get(c"drift")?.map_or(Ok(0.0), |v| v.finite_number())?;
    #[allow(clippy::cast_possible_truncation)]
    let drift = drift as i64;
    let failures = options.get(c"failures")?.map_or(Ok(0), |v| v.u32(Error::InvalidThrottle))?;
    let last_failure_at_ms = options.get(c"lastFailureAt")?.map(|v| v.exact_millis()).transpose()?.flatten();
    let account = options.get(c"accountFailures")?.map_or(Ok(0), |v| v.u32(Error::InvalidThrottle))?;
    Ok(State {
        now_ms,
        device: DeviceState { last_step, drift, failures, last_failure_at_ms },
        account: AccountState { failures: account },
    })
}

/// The arguments of `checkBackup` and `checkBackupAsync`.
struct BackupArgs {
    token: zeroize::Zeroizing<String>,
    hashes: Vec<String>,
    state: State,
}

fn backup_args(
    env: &Env,
    token: Option<Unknown<'_>>,
    hashes: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> napi::Result<BackupArgs> {
    let token = Value::required(env, token, "token")?.secret_string()?;
    let hashes = Value::required(env, hashes, "hashes")?.strings(backup::MAX_BACKUP_HASHES, Error::InputTooLong)?;
    let state = state(env, &Options::new(env, options)?)?;
    Ok(BackupArgs { token, hashes, state })
}

#[napi]
impl Verifier {
    /// Defaults: `past` 1, `future` 1, `syncDrift` true, `lookAhead` 10,
    /// `throttle` `{ base: 1, cap: 900 }` (`null`: none), `accountMaxFailures`
    /// 10, `clockDiagnosis` 0 (off; in steps, at most 120).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_WINDOW`, `ERR_OTP_INVALID_POLICY`, `ERR_OTP_INVALID_THROTTLE`.
    #[napi(
        constructor,
        ts_args_type = "options?: { past?: number | null, future?: number | null, syncDrift?: boolean | null, lookAhead?: number | null, throttle?: { base?: number | null, cap?: number | null } | null, accountMaxFailures?: number | null, clockDiagnosis?: number | null }"
    )]
    pub fn new(env: &Env, this: This<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        crate::errors::require_new::<Verifier>(env, &this, "Verifier")?;
        let options = Options::new(env, options)?;
        options.only(&[
            "past",
            "future",
            "syncDrift",
            "lookAhead",
            "throttle",
            "accountMaxFailures",
            "clockDiagnosis",
        ])?;
        let small = |name: &'static std::ffi::CStr, default: u32, error: Error| {
            options.get(name)?.map_or(Ok(default), |v| v.u32(error))
        };
        let d = otp_core::Verifier::default();
        let past = small(c"past", d.past(), Error::InvalidWindow)?;
        let future = small(c"future", d.future(), Error::InvalidWindow)?;
        let look_ahead = small(c"lookAhead", d.look_ahead(), Error::InvalidWindow)?;
        let budget = small(c"accountMaxFailures", d.account_max_failures(), Error::InvalidPolicy)?;
        let diagnosis = small(c"clockDiagnosis", d.clock_diagnosis(), Error::InvalidPolicy)?;
        let sync = options.get(c"syncDrift")?.map_or(Ok(d.drift_sync()), |v| v.bool())?;
        // `throttle: null` turns the back-off off; absent, it is the default.
        let throttle = if options.is_null(c"throttle")? {
            None
        } else {
            match options.get(c"throttle")? {
                None => d.throttle(),
                Some(v) => Some(crate::throttle::from_options(env, &Options::new(env, Some(v.unknown()))?)?),
            }
        };
        let inner = d
            .with_window(past, future)
            .and_then(|v| v.with_look_ahead(look_ahead))
            .and_then(|v| v.with_account_max_failures(budget))
            .and_then(|v| v.with_clock_diagnosis(diagnosis))
            .or_throw(env)?
            .with_drift_sync(sync)
            .with_throttle(throttle);
        Ok(Verifier { inner })
    }

    /// Checks `token` with `otp` (a `TOTP`, `HOTP` or `Steam`) at `timestamp`
    /// (milliseconds; default now), given what was stored about the device
    /// (`lastStep`, `drift`, `failures`, `lastFailureAt` in milliseconds) and
    /// the account (`accountFailures`). A malformed token is `rejected`,
    /// never an error.
    ///
    /// @throws {TypeError} for an `otp` that is none of the three, or mistyped options.
    /// @throws {OtpError} `ERR_OTP_TIME_BEFORE_T0`, and the codes of out-of-range options.
    #[napi(
        ts_args_type = "otp: TOTP | HOTP | Steam, options: { token: string, timestamp?: number | bigint | null, lastStep?: number | bigint | null, drift?: number | null, failures?: number | null, lastFailureAt?: number | bigint | null, accountFailures?: number | null }"
    )]
    pub fn check(&self, env: &Env, otp: Option<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<Decision> {
        let otp = Value::required(env, otp, "otp")?.unknown();
        let options = Options::new(env, options)?;
        let token = options.required(c"token")?.string()?;
        let State { now_ms, device, account } = state(env, &options)?;
        // Class instances are read through an array (napi's safe accessor).
        let mut holder = env.create_array(1)?;
        holder.set(0, otp)?;
        let decision = if TOTP::instance_of(env, &otp)? {
            let totp = holder.get::<ClassInstance<'_, TOTP>>(0).ok().flatten().ok_or_else(|| wrong_otp(env))?;
            self.inner.check_totp(totp.totp(), &token, now_ms, &device, &account).or_throw(env)?
        } else if HOTP::instance_of(env, &otp)? {
            let hotp = holder.get::<ClassInstance<'_, HOTP>>(0).ok().flatten().ok_or_else(|| wrong_otp(env))?;
            self.inner.check_hotp(hotp.hotp().0, &token, now_ms, &device, &account)
        } else if Steam::instance_of(env, &otp)? {
            let steam = holder.get::<ClassInstance<'_, Steam>>(0).ok().flatten().ok_or_else(|| wrong_otp(env))?;
            self.inner.check_steam(steam.core(), &token, now_ms, &device, &account).or_throw(env)?
        } else {
            return Err(wrong_otp(env));
        };
        Ok(decision.into())
    }

    /// Checks a backup code against the stored hashes of the unused codes:
    /// `accepted` gives the index of the matched hash as `step` (and `write`
    /// is `consume`). Blocks the event loop for one PBKDF2: prefer
    /// `checkBackupAsync` in a server.
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_BACKUP_HASH` for a corrupt stored hash.
    #[napi(
        js_name = "checkBackup",
        ts_args_type = "token: string, hashes: string[], options?: { timestamp?: number | bigint | null, failures?: number | null, lastFailureAt?: number | bigint | null, accountFailures?: number | null }"
    )]
    pub fn check_backup(
        &self,
        env: &Env,
        token: Option<Unknown<'_>>,
        hashes: Option<Unknown<'_>>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<Decision> {
        let a = backup_args(env, token, hashes, options)?;
        let d = self.inner.check_backup(&a.token, &a.hashes, a.state.now_ms, &a.state.device, &a.state.account);
        Ok(d.or_throw(env)?.into())
    }

    /// `checkBackup` on the libuv thread pool.
    #[napi(
        js_name = "checkBackupAsync",
        ts_args_type = "token: string, hashes: string[], options?: { timestamp?: number | bigint | null, failures?: number | null, lastFailureAt?: number | bigint | null, accountFailures?: number | null }",
        ts_return_type = "Promise<Decision>"
    )]
    pub fn check_backup_async(
        &self,
        env: &Env,
        token: Option<Unknown<'_>>,
        hashes: Option<Unknown<'_>>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<AsyncTask<CheckBackupTask>> {
        Ok(AsyncTask::new(CheckBackupTask {
            verifier: self.inner,
            args: backup_args(env, token, hashes, options)?,
            failure: None,
        }))
    }

    /// Whether an account with `accountFailures` consecutive failures is
    /// locked (the budget is spent: every check answers `locked`).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_THROTTLE` for a count outside 0..2^32.
    #[napi(js_name = "isLocked", ts_args_type = "accountFailures: number")]
    pub fn is_locked(&self, env: &Env, account_failures: Option<Unknown<'_>>) -> napi::Result<bool> {
        let failures = Value::required(env, account_failures, "accountFailures")?.u32(Error::InvalidThrottle)?;
        Ok(self.inner.is_locked(&AccountState { failures }))
    }

    /// Seconds a store that expires keys (Redis) must keep the record of an
    /// accepted step (the core's `replay_ttl_secs`).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_PERIOD`.
    #[napi(js_name = "replayTtl", ts_args_type = "period?: number | null")]
    pub fn replay_ttl(&self, env: &Env, period: Option<Unknown<'_>>) -> napi::Result<f64> {
        let period = Value::arg(env, period, "period")?.map_or(Ok(30), |v| v.u32(Error::InvalidPeriod))?;
        #[allow(clippy::cast_precision_loss)]
        // At most 21 steps of at most 2^32 - 1 seconds: exact in an f64.
        Ok(self.inner.replay_ttl_secs(u64::from(period)) as f64)
    }

    /// The most guesses, and the chance of passing, in `seconds` against an
    /// account of `devices` devices whose user signs in `resets` times
    /// (defaults: 6 digits, a day, 1 reset, 1 device).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_DIGITS`, `ERR_OTP_INVALID_POLICY`.
    #[napi(
        js_name = "guessBound",
        ts_args_type = "options?: { digits?: number | null, seconds?: number | null, resets?: number | null, devices?: number | null }"
    )]
    pub fn guess_bound(&self, env: &Env, options: Option<Unknown<'_>>) -> napi::Result<GuessBound> {
        let o = Options::new(env, options)?;
        let digits = o.get(c"digits")?.map_or(Ok(6), |v| v.u32(Error::InvalidDigits))?;
        let seconds = o.get(c"seconds")?.map_or(Ok(86_400), |v| v.u64(Error::InvalidPolicy))?;
        let resets = o.get(c"resets")?.map_or(Ok(1), |v| v.u64(Error::InvalidPolicy))?;
        let devices = o.get(c"devices")?.map_or(Ok(1), |v| v.u32(Error::InvalidPolicy))?;
        let b = self.inner.guess_bound(digits, seconds, resets, devices);
        #[allow(clippy::cast_precision_loss)]
        Ok(GuessBound {
            guesses: b.guesses as f64,
            accepted_per_guess: b.accepted_per_guess as f64,
            codes: b.codes as f64,
            probability: b.probability(),
        })
    }

    /// The account budget.
    #[napi(getter, js_name = "accountMaxFailures")]
    pub fn account_max_failures(&self) -> u32 {
        self.inner.account_max_failures()
    }

    /// The clock diagnosis radius, in steps (0: off).
    #[napi(getter, js_name = "clockDiagnosis")]
    pub fn clock_diagnosis(&self) -> u32 {
        self.inner.clock_diagnosis()
    }

    /// Steps accepted before the expected one.
    #[napi(getter)]
    pub fn past(&self) -> u32 {
        self.inner.past()
    }

    /// Steps accepted after the expected one.
    #[napi(getter)]
    pub fn future(&self) -> u32 {
        self.inner.future()
    }

    /// Whether the window follows the stored drift.
    #[napi(getter, js_name = "syncDrift")]
    pub fn sync_drift(&self) -> bool {
        self.inner.drift_sync()
    }

    /// The HOTP look-ahead.
    #[napi(getter, js_name = "lookAhead")]
    pub fn look_ahead(&self) -> u32 {
        self.inner.look_ahead()
    }
}

fn wrong_otp(env: &Env) -> napi::Error {
    type_error(env, "otp must be a TOTP, an HOTP or a Steam".to_owned())
}

/// `checkBackupAsync`: PBKDF2 on the libuv thread pool.
pub struct CheckBackupTask {
    verifier: otp_core::Verifier,
    args: BackupArgs,
    failure: Option<Error>,
}

impl Task for CheckBackupTask {
    type Output = otp_core::Decision;
    type JsValue = Decision;

    fn compute(&mut self) -> napi::Result<otp_core::Decision> {
        let a = &self.args;
        self.verifier.check_backup(&a.token, &a.hashes, a.state.now_ms, &a.state.device, &a.state.account).map_err(
            |e| {
                self.failure = Some(e);
                napi::Error::new(Status::GenericFailure, e.message())
            },
        )
    }

    fn resolve(&mut self, _env: Env, output: otp_core::Decision) -> napi::Result<Decision> {
        Ok(output.into())
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<Decision> {
        Err(self.failure.map_or(err, |e| otp_error(&env, e)))
    }
}
