//! `Verifier`: otp-core's second-factor check (`otp_core::decision`), with
//! its state (`DeviceState`, `AccountState`) and its result (`Decision`:
//! an `Outcome` and the `Write` to apply).
//!
//! The core decides everything: which outcome, what to write, under which
//! condition, the account budget, the back-off, the clock diagnosis, the
//! guess bound and the replay TTL. Every type mirrors the core's field for
//! field, with signed integers (Java has no unsigned types: see `convert`),
//! and converts to and from it without a rule of its own; what the core
//! derives from them is a function: `outcomeKind(outcome)` (the core's
//! `Outcome::kind`) and `guessProbability(bound)`
//! (`GuessBound::probability`). Times are Unix milliseconds (`Long`/`Int64`),
//! as `Throttle.retryAfterMillis` takes them, since the back-off is in
//! milliseconds.

use std::{fmt, sync::Arc};

use zeroize::Zeroizing;

use crate::{
    convert::{int_bounded, long_bounded, small, small_opt, unsigned, unsigned_opt},
    errors::OtpError,
    hotp::Hotp,
    steam::Steam,
    throttle::Throttle,
    totp::Totp,
};

/// What the caller stored about one device (an authenticator, or a set of
/// backup codes), read before the check. `DeviceState()` is a device never
/// used.
#[derive(uniffi::Record, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeviceState {
    /// The TOTP step, HOTP counter or nothing accepted last; only later
    /// ones are accepted. `null`/`nil`: never used.
    #[uniffi(default = None)]
    pub last_step: Option<i64>,
    /// The clock offset, in steps, of the last accepted TOTP code (the core
    /// clamps a stored value into ±10 steps).
    #[uniffi(default = 0)]
    pub drift: i64,
    /// Consecutive failures of this device.
    #[uniffi(default = 0)]
    pub failures: i32,
    /// When the last failure happened, in Unix milliseconds.
    #[uniffi(default = None)]
    pub last_failure_at_ms: Option<i64>,
}

impl DeviceState {
    /// The core's state: a negative step is `InvalidCounter`, a negative
    /// failure count `InvalidThrottle`, a negative time `TimeBeforeT0`.
    fn core(&self) -> Result<otp_core::DeviceState, OtpError> {
        Ok(otp_core::DeviceState {
            last_step: unsigned_opt(self.last_step, OtpError::InvalidCounter)?,
            drift: self.drift,
            failures: small(self.failures, OtpError::InvalidThrottle)?,
            last_failure_at_ms: unsigned_opt(self.last_failure_at_ms, OtpError::TimeBeforeT0)?,
        })
    }
}

/// What the caller stored about the account (the user).
#[derive(uniffi::Record, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccountState {
    /// Consecutive failures across all of the account's devices and backup
    /// codes; a success on any of them resets it.
    #[uniffi(default = 0)]
    pub failures: i32,
}

impl AccountState {
    /// The core's state: a negative failure count is `InvalidThrottle`.
    fn core(&self) -> Result<otp_core::AccountState, OtpError> {
        Ok(otp_core::AccountState { failures: small(self.failures, OtpError::InvalidThrottle)? })
    }
}

/// What happened. Kotlin: `Outcome.Accepted`, …, `Outcome.Locked`; Swift:
/// `.accepted(step:offset:)`, …, `.locked`.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted: `step` is the TOTP step, HOTP counter or backup-code index
    /// that matched; `offset` is its distance from the expected one (the
    /// device's clock offset in steps for TOTP, the counters skipped for
    /// HOTP, 0 for a backup code).
    Accepted {
        /// The matched step, counter or hash index.
        step: i64,
        /// Its offset from the expected one.
        offset: i64,
    },
    /// The token is the code of a step at or before the last accepted one:
    /// it was used already, and someone else may hold it. A failure, and a
    /// security event.
    Replayed {
        /// The step (or counter) whose code it is.
        step: i64,
    },
    /// Nothing matched: a failure.
    Rejected {
        /// With a clock diagnosis: the offset, in steps, of a step outside
        /// the window whose code this is (the device's clock is that far
        /// off). The token is refused all the same.
        clock_offset: Option<i64>,
    },
    /// The device's back-off has not elapsed: not tried.
    Throttled {
        /// Milliseconds to wait.
        retry_after_ms: i64,
    },
    /// The account's consecutive failures reached the budget: not tried,
    /// until an admin or a recovery path resets the account's count.
    Locked,
}

/// What the caller must write back, and under which condition.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// Write nothing.
    Nothing,
    /// Set the device's `lastStep` to `step` and its drift to `drift`, its
    /// failures to 0 and its last failure to none, **only if** its stored
    /// `lastStep` is still none or below `step` and its failures are still
    /// `failuresRead` (one conditional write); when that changed the row,
    /// set the account's failures to 0. When it changed nothing, the token
    /// lost a race: write a failure instead (a replay).
    Accept {
        /// The new `lastStep` (TOTP step, HOTP counter).
        step: i64,
        /// The new drift (0 when the verifier does not follow drift).
        drift: i64,
        /// The device's failures as read: part of the condition.
        failures_read: i32,
    },
    /// Mark backup code `index` used **only if** it is still unused (one
    /// conditional write); when that changed the row, set the device's and
    /// the account's failures to 0. When it changed nothing, another
    /// request used the code first: write a failure instead.
    Consume {
        /// The index of the matched hash in the list given to the check.
        index: i64,
    },
    /// Count one failure: add 1 to the device's failures and set its last
    /// failure to `atMs`; add 1 to the account's failures. Increments in
    /// the store (`failures = failures + 1`), never read-modify-write.
    Failure {
        /// The time of the failure, in Unix milliseconds.
        at_ms: i64,
    },
}

/// One check's result: what happened, and what to write back.
#[derive(uniffi::Record, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// What happened.
    pub outcome: Outcome,
    /// What to write back.
    pub write: Write,
}

// The core's values as the foreign types. Every `u64` here is a step, a
// counter, an index or a time that came in as a `Long` (or is bounded by
// one), and every `u32` a count of failures that did: each fits.
impl From<otp_core::Outcome> for Outcome {
    fn from(o: otp_core::Outcome) -> Self {
        match o {
            otp_core::Outcome::Accepted { step, offset } => Outcome::Accepted { step: long_bounded(step), offset },
            otp_core::Outcome::Replayed { step } => Outcome::Replayed { step: long_bounded(step) },
            otp_core::Outcome::Rejected { clock_offset } => Outcome::Rejected { clock_offset },
            otp_core::Outcome::Throttled { retry_after_ms } => {
                Outcome::Throttled { retry_after_ms: long_bounded(retry_after_ms) }
            }
            otp_core::Outcome::Locked => Outcome::Locked,
        }
    }
}

impl From<Outcome> for otp_core::Outcome {
    fn from(o: Outcome) -> Self {
        // Only for `outcomeKind`, which reads the variant: a negative value
        // (a hand-made outcome) is read as 0.
        let u = |v: i64| u64::try_from(v).unwrap_or(0);
        match o {
            Outcome::Accepted { step, offset } => otp_core::Outcome::Accepted { step: u(step), offset },
            Outcome::Replayed { step } => otp_core::Outcome::Replayed { step: u(step) },
            Outcome::Rejected { clock_offset } => otp_core::Outcome::Rejected { clock_offset },
            Outcome::Throttled { retry_after_ms } => otp_core::Outcome::Throttled { retry_after_ms: u(retry_after_ms) },
            Outcome::Locked => otp_core::Outcome::Locked,
        }
    }
}

impl From<otp_core::Write> for Write {
    fn from(w: otp_core::Write) -> Self {
        match w {
            otp_core::Write::Nothing => Write::Nothing,
            otp_core::Write::Accept { step, drift, failures_read } => {
                Write::Accept { step: long_bounded(step), drift, failures_read: int_bounded(failures_read) }
            }
            otp_core::Write::Consume { index } => Write::Consume { index: long_bounded(index) },
            otp_core::Write::Failure { at_ms } => Write::Failure { at_ms: long_bounded(at_ms) },
        }
    }
}

impl From<otp_core::Decision> for Decision {
    fn from(d: otp_core::Decision) -> Self {
        Decision { outcome: d.outcome.into(), write: d.write.into() }
    }
}

/// An upper bound on the chance of passing the second factor by guessing
/// codes: `Verifier.guessBound`; `guessProbability` gives the chance.
#[derive(uniffi::Record, Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuessBound {
    /// The most guesses the policy lets through in the period (2^63-1 at most).
    pub guesses: i64,
    /// The most steps one guess can match (the window).
    pub accepted_per_guess: i64,
    /// The number of distinct codes (`10^digits`).
    pub codes: i64,
}

impl From<otp_core::decision::GuessBound> for GuessBound {
    fn from(b: otp_core::decision::GuessBound) -> Self {
        GuessBound {
            guesses: long_bounded(b.guesses),
            accepted_per_guess: long_bounded(b.accepted_per_guess),
            codes: long_bounded(b.codes),
        }
    }
}

/// `"accepted"`, `"replayed"`, `"rejected"`, `"throttled"` or `"locked"`:
/// the kind of `outcome` (a `Decision`'s), as every binding of otp-core
/// reports it, for logs and metrics.
#[uniffi::export]
pub fn outcome_kind(outcome: Outcome) -> String {
    otp_core::Outcome::from(outcome).kind().to_owned()
}

/// `guesses · acceptedPerGuess / codes`, at most 1: the union bound on the
/// probability that one of the guesses of `bound` is accepted.
#[uniffi::export]
pub fn guess_probability(bound: GuessBound) -> f64 {
    // A negative field (a hand-made bound) is read as 0.
    let u = |v: i64| u64::try_from(v).unwrap_or(0);
    otp_core::decision::GuessBound {
        guesses: u(bound.guesses),
        accepted_per_guess: u(bound.accepted_per_guess),
        codes: u(bound.codes),
    }
    .probability()
}

/// The second-factor check: it decides a sign-in from the token, the time
/// and what the caller stored about the device and the account, and says
/// what to write back. The policy is the window, drift, the HOTP
/// look-ahead, the per-device back-off, the account budget (NIST SP
/// 800-63B-4 §3.2.2) and an optional clock diagnosis. Thread-safe and
/// immutable; holds no state: the caller stores it.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Verifier {
    verifier: otp_core::Verifier,
}

#[uniffi::export]
impl Verifier {
    /// A policy; each omitted value is otp-core's (`Verifier::default()`:
    /// ±1 step, following drift, a look-ahead of 10 counters, the default
    /// back-off of `Throttle()`, a budget of 10 failures, no clock
    /// diagnosis). `throttle` sets another back-off, `noThrottle = true`
    /// none at all (the account budget still applies).
    ///
    /// # Errors
    /// `InvalidWindow` for `past`/`future` over 10 or a `lookAhead` over
    /// 100; `InvalidPolicy` for an `accountMaxFailures` outside `1..=100`
    /// or a `clockDiagnosis` over 120 steps; `InvalidThrottle` when both
    /// `throttle` and `noThrottle = true` are given.
    #[uniffi::constructor(default(past = None, future = None, sync_drift = None, look_ahead = None, throttle = None, no_throttle = false, account_max_failures = None, clock_diagnosis = None))]
    #[allow(clippy::too_many_arguments, reason = "named arguments with defaults in Kotlin and Swift")]
    pub fn new(
        past: Option<i32>,
        future: Option<i32>,
        sync_drift: Option<bool>,
        look_ahead: Option<i32>,
        throttle: Option<Arc<Throttle>>,
        no_throttle: bool,
        account_max_failures: Option<i32>,
        clock_diagnosis: Option<i32>,
    ) -> Result<Arc<Self>, OtpError> {
        let past = small_opt(past, OtpError::InvalidWindow)?;
        let future = small_opt(future, OtpError::InvalidWindow)?;
        let look_ahead = small_opt(look_ahead, OtpError::InvalidWindow)?;
        let account_max_failures = small_opt(account_max_failures, OtpError::InvalidPolicy)?;
        let clock_diagnosis = small_opt(clock_diagnosis, OtpError::InvalidPolicy)?;
        let d = otp_core::Verifier::default();
        let throttle = match (throttle, no_throttle) {
            (Some(_), true) => return Err(OtpError::InvalidThrottle),
            (Some(t), false) => Some(t.core()),
            (None, true) => None,
            (None, false) => d.throttle(),
        };
        let verifier = d
            .with_window(past.unwrap_or(d.past()), future.unwrap_or(d.future()))?
            .with_drift_sync(sync_drift.unwrap_or(d.drift_sync()))
            .with_look_ahead(look_ahead.unwrap_or(d.look_ahead()))?
            .with_throttle(throttle)
            .with_account_max_failures(account_max_failures.unwrap_or(d.account_max_failures()))?
            .with_clock_diagnosis(clock_diagnosis.unwrap_or(d.clock_diagnosis()))?;
        Ok(Arc::new(Verifier { verifier }))
    }

    /// Checks a TOTP code at `nowMs` (Unix milliseconds). A malformed code
    /// is `Rejected`, never an error.
    ///
    /// # Errors
    /// `TimeBeforeT0` when `nowMs` is before the TOTP's `t0`.
    pub fn check_totp(
        &self,
        totp: Arc<Totp>,
        code: String,
        now_ms: i64,
        device: DeviceState,
        account: AccountState,
    ) -> Result<Decision, OtpError> {
        let (now_ms, device, account) = state(now_ms, device, account)?;
        Ok(self.verifier.check_totp(totp.totp(), &code, now_ms, &device, &account)?.into())
    }

    /// Checks an HOTP code: the counters after `device.lastStep` (from 0
    /// when none), up to the look-ahead; a code of one of the counters up
    /// to it is `Replayed`. `Write.Accept`'s `step` is the matched counter
    /// (the next expected one is `step + 1`). `nowMs` is the time of a
    /// failure and of the back-off.
    ///
    /// # Errors
    /// `TimeBeforeT0` for a negative `nowMs`; `InvalidCounter`, `InvalidThrottle` or `TimeBeforeT0` for a negative field of `device` or `account`.
    pub fn check_hotp(
        &self,
        hotp: Arc<Hotp>,
        code: String,
        now_ms: i64,
        device: DeviceState,
        account: AccountState,
    ) -> Result<Decision, OtpError> {
        let (now_ms, device, account) = state(now_ms, device, account)?;
        Ok(self.verifier.check_hotp(hotp.parts().0, &code, now_ms, &device, &account).into())
    }

    /// Checks a Steam Guard code, as `checkTotp`.
    ///
    /// # Errors
    /// As `checkTotp` (Steam's `t0` is 0, so in practice none).
    pub fn check_steam(
        &self,
        steam: Arc<Steam>,
        code: String,
        now_ms: i64,
        device: DeviceState,
        account: AccountState,
    ) -> Result<Decision, OtpError> {
        let (now_ms, device, account) = state(now_ms, device, account)?;
        Ok(self.verifier.check_steam(steam.core(), &code, now_ms, &device, &account)?.into())
    }

    /// Checks a backup code (as the user typed it) against the stored
    /// hashes of the unused codes: `Accepted` with the index of the matched
    /// hash as `step`, and `Write.Consume`. Slow by design (one key
    /// derivation per salt): call it off the main thread.
    ///
    /// # Errors
    /// `InvalidBackupHash` when a stored hash is malformed; `InputTooLong`
    /// for more hashes than the core checks in one call. Never because of
    /// `code`.
    pub fn check_backup(
        &self,
        code: String,
        hashes: Vec<String>,
        now_ms: i64,
        device: DeviceState,
        account: AccountState,
    ) -> Result<Decision, OtpError> {
        let code = Zeroizing::new(code);
        let (now_ms, device, account) = state(now_ms, device, account)?;
        Ok(self.verifier.check_backup(&code, &hashes, now_ms, &device, &account)?.into())
    }

    /// Whether `account` is locked: its consecutive failures reached the
    /// budget (every check answers `Locked`).
    ///
    /// # Errors
    /// `InvalidThrottle` for negative failures.
    pub fn is_locked(&self, account: AccountState) -> Result<bool, OtpError> {
        Ok(self.verifier.is_locked(&account.core()?))
    }

    /// How long, in seconds, a store that expires keys (a cache instead of
    /// a `lastStep` column) must keep the record that a step of `period`
    /// seconds was accepted, so that no request accepts it again: 630 s at
    /// 30 s with the default policy.
    ///
    /// # Errors
    /// `InvalidPeriod` for a negative period.
    pub fn replay_ttl_secs(&self, period: i64) -> Result<i64, OtpError> {
        Ok(long_bounded(self.verifier.replay_ttl_secs(unsigned(period, OtpError::InvalidPeriod)?)))
    }

    /// The most failed guesses this policy lets through in `secs` seconds
    /// against an account of `devices` devices whose real user signs in
    /// successfully `resets` times in that period, for codes of `digits`
    /// digits (`guessProbability` gives the chance that one of them passes).
    ///
    /// # Errors
    /// `InvalidDigits` for negative digits, `InvalidPolicy` for a negative duration, reset count or device count.
    pub fn guess_bound(&self, digits: i32, secs: i64, resets: i64, devices: i32) -> Result<GuessBound, OtpError> {
        let digits = small(digits, OtpError::InvalidDigits)?;
        let secs = unsigned(secs, OtpError::InvalidPolicy)?;
        let resets = unsigned(resets, OtpError::InvalidPolicy)?;
        let devices = small(devices, OtpError::InvalidPolicy)?;
        Ok(self.verifier.guess_bound(digits, secs, resets, devices).into())
    }

    /// Steps accepted before the expected one.
    pub fn past(&self) -> i32 {
        int_bounded(self.verifier.past())
    }

    /// Steps accepted after the expected one.
    pub fn future(&self) -> i32 {
        int_bounded(self.verifier.future())
    }

    /// Whether the window follows the device's stored drift.
    pub fn sync_drift(&self) -> bool {
        self.verifier.drift_sync()
    }

    /// The HOTP look-ahead.
    pub fn look_ahead(&self) -> i32 {
        int_bounded(self.verifier.look_ahead())
    }

    /// The per-device back-off, or `null`/`nil` for none.
    pub fn throttle(&self) -> Option<Arc<Throttle>> {
        self.verifier.throttle().map(|t| Arc::new(Throttle::from_core(t)))
    }

    /// The account budget: consecutive failures before the account locks.
    pub fn account_max_failures(&self) -> i32 {
        int_bounded(self.verifier.account_max_failures())
    }

    /// The clock diagnosis radius in steps (0: off).
    pub fn clock_diagnosis(&self) -> i32 {
        int_bounded(self.verifier.clock_diagnosis())
    }
}

/// A check's time and state as the core reads them (see `DeviceState::core`);
/// a negative time is `TimeBeforeT0`.
fn state(
    now_ms: i64,
    device: DeviceState,
    account: AccountState,
) -> Result<(u64, otp_core::DeviceState, otp_core::AccountState), OtpError> {
    Ok((unsigned(now_ms, OtpError::TimeBeforeT0)?, device.core()?, account.core()?))
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.verifier;
        f.debug_struct("Verifier")
            .field("past", &v.past())
            .field("future", &v.future())
            .field("sync_drift", &v.drift_sync())
            .field("look_ahead", &v.look_ahead())
            .field("throttle", &v.throttle().map(|t| (t.base(), t.cap())))
            .field("account_max_failures", &v.account_max_failures())
            .field("clock_diagnosis", &v.clock_diagnosis())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn omitted_values_are_the_core_defaults() {
        let v = Verifier::new(None, None, None, None, None, false, None, None).unwrap();
        assert_eq!(v.verifier, otp_core::Verifier::default());
        let bare = Verifier::new(None, None, None, None, None, true, None, None).unwrap();
        assert_eq!(bare.verifier.throttle(), None);
        let t = Throttle::new(Some(2), Some(60)).unwrap();
        assert_eq!(
            Verifier::new(None, None, None, None, Some(t.clone()), true, None, None).err(),
            Some(OtpError::InvalidThrottle)
        );
        let custom = Verifier::new(Some(2), Some(0), Some(false), Some(3), Some(t), false, Some(5), Some(20)).unwrap();
        assert_eq!(
            format!("{custom:?}"),
            "Verifier { past: 2, future: 0, sync_drift: false, look_ahead: 3, throttle: Some((2, 60)), \
             account_max_failures: 5, clock_diagnosis: 20 }"
        );
    }
}
