//! `Verifier`: otp-core's second-factor check (`otp_core::decision`), with
//! its state (`DeviceState`, `AccountState`) and its result (`Decision`:
//! an `Outcome` and the `Write` to apply).
//!
//! The core decides everything: which outcome, what to write, under which
//! condition, the account budget, the back-off, the clock diagnosis, the
//! guess bound and the replay TTL. Every type crosses the FFI as the core's
//! own (`uniffi::remote`: nothing is copied or converted), so what the core
//! derives from them is a function rather than a method, which a remote
//! type cannot have: `outcomeKind(outcome)` (the core's `Outcome::kind`)
//! and `guessProbability(bound)` (`GuessBound::probability`). Times are
//! Unix milliseconds (`ULong`/`UInt64`), as `Throttle.retryAfterMillis`
//! takes them, since the back-off is in milliseconds.

use std::{fmt, sync::Arc};

use otp_core::{AccountState, Decision, DeviceState, Outcome, Write, decision::GuessBound};
use zeroize::Zeroizing;

use crate::{errors::OtpError, hotp::Hotp, steam::Steam, throttle::Throttle, totp::Totp};

/// What the caller stored about one device (an authenticator, or a set of
/// backup codes), read before the check. `DeviceState()` is a device never
/// used.
#[uniffi::remote(Record)]
pub struct DeviceState {
    /// The TOTP step, HOTP counter or nothing accepted last; only later
    /// ones are accepted. `null`/`nil`: never used.
    #[uniffi(default = None)]
    pub last_step: Option<u64>,
    /// The clock offset, in steps, of the last accepted TOTP code (the core
    /// clamps a stored value into ±10 steps).
    #[uniffi(default = 0)]
    pub drift: i64,
    /// Consecutive failures of this device.
    #[uniffi(default = 0)]
    pub failures: u32,
    /// When the last failure happened, in Unix milliseconds.
    #[uniffi(default = None)]
    pub last_failure_at_ms: Option<u64>,
}

/// What the caller stored about the account (the user).
#[uniffi::remote(Record)]
pub struct AccountState {
    /// Consecutive failures across all of the account's devices and backup
    /// codes; a success on any of them resets it.
    #[uniffi(default = 0)]
    pub failures: u32,
}

/// What happened. Kotlin: `Outcome.Accepted`, …, `Outcome.Locked`; Swift:
/// `.accepted(step:offset:)`, …, `.locked`.
#[uniffi::remote(Enum)]
pub enum Outcome {
    /// Accepted: `step` is the TOTP step, HOTP counter or backup-code index
    /// that matched; `offset` is its distance from the expected one (the
    /// device's clock offset in steps for TOTP, the counters skipped for
    /// HOTP, 0 for a backup code).
    Accepted {
        /// The matched step, counter or hash index.
        step: u64,
        /// Its offset from the expected one.
        offset: i64,
    },
    /// The token is the code of a step at or before the last accepted one:
    /// it was used already, and someone else may hold it. A failure, and a
    /// security event.
    Replayed {
        /// The step (or counter) whose code it is.
        step: u64,
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
        retry_after_ms: u64,
    },
    /// The account's consecutive failures reached the budget: not tried,
    /// until an admin or a recovery path resets the account's count.
    Locked,
}

/// What the caller must write back, and under which condition.
#[uniffi::remote(Enum)]
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
        step: u64,
        /// The new drift (0 when the verifier does not follow drift).
        drift: i64,
        /// The device's failures as read: part of the condition.
        failures_read: u32,
    },
    /// Mark backup code `index` used **only if** it is still unused (one
    /// conditional write); when that changed the row, set the device's and
    /// the account's failures to 0. When it changed nothing, another
    /// request used the code first: write a failure instead.
    Consume {
        /// The index of the matched hash in the list given to the check.
        index: u64,
    },
    /// Count one failure: add 1 to the device's failures and set its last
    /// failure to `atMs`; add 1 to the account's failures. Increments in
    /// the store (`failures = failures + 1`), never read-modify-write.
    Failure {
        /// The time of the failure, in Unix milliseconds.
        at_ms: u64,
    },
}

/// One check's result: what happened, and what to write back.
#[uniffi::remote(Record)]
pub struct Decision {
    /// What happened.
    pub outcome: Outcome,
    /// What to write back.
    pub write: Write,
}

/// An upper bound on the chance of passing the second factor by guessing
/// codes: `Verifier.guessBound`; `guessProbability` gives the chance.
#[uniffi::remote(Record)]
pub struct GuessBound {
    /// The most guesses the policy lets through in the period.
    pub guesses: u64,
    /// The most steps one guess can match (the window).
    pub accepted_per_guess: u64,
    /// The number of distinct codes (`10^digits`).
    pub codes: u64,
}

/// `"accepted"`, `"replayed"`, `"rejected"`, `"throttled"` or `"locked"`:
/// the kind of `outcome` (a `Decision`'s), as every binding of otp-core
/// reports it, for logs and metrics.
#[uniffi::export]
pub fn outcome_kind(outcome: Outcome) -> String {
    outcome.kind().to_owned()
}

/// `guesses · acceptedPerGuess / codes`, at most 1: the union bound on the
/// probability that one of the guesses of `bound` is accepted.
#[uniffi::export]
pub fn guess_probability(bound: GuessBound) -> f64 {
    bound.probability()
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
        past: Option<u32>,
        future: Option<u32>,
        sync_drift: Option<bool>,
        look_ahead: Option<u32>,
        throttle: Option<Arc<Throttle>>,
        no_throttle: bool,
        account_max_failures: Option<u32>,
        clock_diagnosis: Option<u32>,
    ) -> Result<Arc<Self>, OtpError> {
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
        now_ms: u64,
        device: DeviceState,
        account: AccountState,
    ) -> Result<Decision, OtpError> {
        Ok(self.verifier.check_totp(totp.totp(), &code, now_ms, &device, &account)?)
    }

    /// Checks an HOTP code: the counters after `device.lastStep` (from 0
    /// when none), up to the look-ahead; a code of one of the counters up
    /// to it is `Replayed`. `Write.Accept`'s `step` is the matched counter
    /// (the next expected one is `step + 1`). `nowMs` is the time of a
    /// failure and of the back-off.
    pub fn check_hotp(
        &self,
        hotp: Arc<Hotp>,
        code: String,
        now_ms: u64,
        device: DeviceState,
        account: AccountState,
    ) -> Decision {
        self.verifier.check_hotp(hotp.parts().0, &code, now_ms, &device, &account)
    }

    /// Checks a Steam Guard code, as `checkTotp`.
    ///
    /// # Errors
    /// As `checkTotp` (Steam's `t0` is 0, so in practice none).
    pub fn check_steam(
        &self,
        steam: Arc<Steam>,
        code: String,
        now_ms: u64,
        device: DeviceState,
        account: AccountState,
    ) -> Result<Decision, OtpError> {
        Ok(self.verifier.check_steam(steam.core(), &code, now_ms, &device, &account)?)
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
        now_ms: u64,
        device: DeviceState,
        account: AccountState,
    ) -> Result<Decision, OtpError> {
        let code = Zeroizing::new(code);
        Ok(self.verifier.check_backup(&code, &hashes, now_ms, &device, &account)?)
    }

    /// Whether `account` is locked: its consecutive failures reached the
    /// budget (every check answers `Locked`).
    pub fn is_locked(&self, account: AccountState) -> bool {
        self.verifier.is_locked(&account)
    }

    /// How long, in seconds, a store that expires keys (a cache instead of
    /// a `lastStep` column) must keep the record that a step of `period`
    /// seconds was accepted, so that no request accepts it again: 630 s at
    /// 30 s with the default policy.
    pub fn replay_ttl_secs(&self, period: u64) -> u64 {
        self.verifier.replay_ttl_secs(period)
    }

    /// The most failed guesses this policy lets through in `secs` seconds
    /// against an account of `devices` devices whose real user signs in
    /// successfully `resets` times in that period, for codes of `digits`
    /// digits (`guessProbability` gives the chance that one of them passes).
    pub fn guess_bound(&self, digits: u32, secs: u64, resets: u64, devices: u32) -> GuessBound {
        self.verifier.guess_bound(digits, secs, resets, devices)
    }

    /// Steps accepted before the expected one.
    pub fn past(&self) -> u32 {
        self.verifier.past()
    }

    /// Steps accepted after the expected one.
    pub fn future(&self) -> u32 {
        self.verifier.future()
    }

    /// Whether the window follows the device's stored drift.
    pub fn sync_drift(&self) -> bool {
        self.verifier.drift_sync()
    }

    /// The HOTP look-ahead.
    pub fn look_ahead(&self) -> u32 {
        self.verifier.look_ahead()
    }

    /// The per-device back-off, or `null`/`nil` for none.
    pub fn throttle(&self) -> Option<Arc<Throttle>> {
        self.verifier.throttle().map(|t| Arc::new(Throttle::from_core(t)))
    }

    /// The account budget: consecutive failures before the account locks.
    pub fn account_max_failures(&self) -> u32 {
        self.verifier.account_max_failures()
    }

    /// The clock diagnosis radius in steps (0: off).
    pub fn clock_diagnosis(&self) -> u32 {
        self.verifier.clock_diagnosis()
    }
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
