//! The second-factor check, decided once: [`Verifier`] takes what the caller
//! stored about a device and an account, the token and the time, and returns
//! one [`Outcome`] and exactly what to write back ([`Write`]), with the
//! condition that makes an acceptance count once. The core decides; the
//! caller persists (in SQL, Redis or anything with a conditional write), so
//! several servers can share the state.
//!
//! # The outcomes
//!
//! | outcome | when | the caller writes |
//! |---|---|---|
//! | [`Outcome::Accepted`] | a step (counter, backup code) after the last accepted one matched | [`Write::Accept`]: the step and drift, failures reset, *if* the stored step is still older and no failure landed meanwhile |
//! | [`Outcome::Replayed`] | the token is valid for a step at or before the last accepted one: someone else may hold the code | [`Write::Failure`] (and a security event) |
//! | [`Outcome::Rejected`] | nothing matched (with an optional clock diagnosis) | [`Write::Failure`] |
//! | [`Outcome::Throttled`] | the device's back-off has not elapsed | [`Write::Nothing`] |
//! | [`Outcome::Locked`] | the account's consecutive failures reached the budget | [`Write::Nothing`]; an admin or a recovery path unlocks it |
//!
//! A malformed token (wrong length, not digits, too long) is `Rejected`,
//! never an error; the only errors are a time before the TOTP epoch and, for
//! backup codes, a corrupt stored hash.
//!
//! # Writing the result once
//!
//! [`Write::Accept`] must be one conditional write, for example
//! `UPDATE device SET last_step = :step, drift = :drift, failures = 0,
//! last_failure_at = NULL WHERE id = :id AND (last_step IS NULL OR last_step
//! < :step) AND failures = :failures`, and, when it changed a row, the
//! account's failure count set to 0. Of several concurrent requests with the
//! same code, one changes the row; a request whose write changed nothing lost
//! the race (the code was used meanwhile, or a failure landed) and must be
//! treated as [`Outcome::Replayed`]: it writes a failure.
//! [`Write::Failure`] is two increments in the store (`failures = failures +
//! 1`), never a read-modify-write, so that no concurrent failure is lost.
//!
//! # The account budget and the brute-force bound
//!
//! NIST SP 800-63B-4 §3.2.2 limits consecutive failed attempts on one account,
//! across its authenticators, to at most 100. The budget here counts failures
//! of every device and every backup code of the account; a success resets it.
//! The default, [`DEFAULT_ACCOUNT_MAX_FAILURES`] = 10, is ten times below
//! the ceiling: a user who fails ten times in a row (with the back-off that
//! is more than eight minutes of waiting) is rare, a clock that drifted is
//! diagnosed before that, and each failure an attacker spends is worth ten
//! times more to the user than under the ceiling.
//!
//! An attacker who holds the password guesses codes. One guess is accepted
//! with probability at most `w / 10^d` (`w` steps in the window, `d` digits):
//! 3 / 10^6 at the defaults (±1 step, 6 digits). Between two successful
//! sign-ins of the real user, the attacker has at most the budget's worth of
//! guesses (the last one locks the account, which the user notices, and an
//! admin must undo). [`Verifier::guess_bound`] computes the bound; at the
//! defaults:
//!
//! * within a day in which the user signs in once: at most 2 × 10 = 20
//!   guesses, so at most 20 × 3 / 10^6 = 6.0 × 10^-5;
//! * within a year in which the user signs in every day: at most
//!   366 × 10 = 3,660 guesses, so at most 1.1 × 10^-2 — every one of those
//!   3,660 failures being a logged security event.
//!
//! The per-device back-off ([`Throttle`]) caps the rate as well (about 105
//! guesses a day per device at 1 s doubling to 15 minutes), which binds only
//! when the budget is larger than that.

#[cfg(feature = "alloc")]
use crate::backup;
use crate::{Error, Hotp, MAX_DRIFT, Steam, Throttle, Totp, Window, window::MAX_LOOK_AHEAD};

/// The default account budget: consecutive failures before the account locks.
pub const DEFAULT_ACCOUNT_MAX_FAILURES: u32 = 10;
/// The largest account budget accepted (NIST SP 800-63B-4 §3.2.2).
pub const MAX_ACCOUNT_MAX_FAILURES: u32 = 100;
/// The default HOTP look-ahead of a verifier (RFC 4226 §7.4's `s`).
pub const DEFAULT_LOOK_AHEAD: u32 = 10;
/// The largest clock diagnosis, in steps each way (an hour at 30 s).
pub const MAX_CLOCK_DIAGNOSIS: u32 = 120;

/// What the caller stored about one device (an authenticator, or a set of
/// backup codes), read before the check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DeviceState {
    /// The step (TOTP), counter (HOTP) or nothing accepted last; only later
    /// ones are accepted. `None`: never used.
    pub last_step: Option<u64>,
    /// The clock offset, in steps, of the last accepted TOTP code (read into
    /// `±MAX_DRIFT` with [`clamp_drift`](crate::clamp_drift)).
    pub drift: i64,
    /// Consecutive failures of this device.
    pub failures: u32,
    /// When the last failure happened, in Unix milliseconds.
    pub last_failure_at_ms: Option<u64>,
}

/// What the caller stored about the account (the user).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AccountState {
    /// Consecutive failures across all of the account's devices and backup
    /// codes; a success on any of them resets it.
    pub failures: u32,
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

impl Outcome {
    /// `"accepted"`, `"replayed"`, `"rejected"`, `"throttled"` or
    /// `"locked"`: the `kind` every binding reports.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Outcome::Accepted { .. } => "accepted",
            Outcome::Replayed { .. } => "replayed",
            Outcome::Rejected { .. } => "rejected",
            Outcome::Throttled { .. } => "throttled",
            Outcome::Locked => "locked",
        }
    }
}

/// What the caller must write back, and under which condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Write {
    /// Write nothing.
    Nothing,
    /// Set the device's `last_step` to `step` and its drift to `drift`, its
    /// failures to 0 and its last failure to none, **only if** its stored
    /// `last_step` is still none or below `step` and its failures are still
    /// `failures_read` (one conditional write); when that changed the row,
    /// set the account's failures to 0. When it changed nothing, the token
    /// lost a race: write [`Write::Failure`] instead (a replay).
    Accept {
        /// The new `last_step` (TOTP step, HOTP counter).
        step: u64,
        /// The new drift (0 when the verifier does not follow drift).
        drift: i64,
        /// The device's failures as read: part of the condition.
        failures_read: u32,
    },
    /// Mark backup code `index` used **only if** it is still unused (one
    /// conditional write); when that changed the row, set the device's and
    /// the account's failures to 0. When it changed nothing, another
    /// request used the code first: write [`Write::Failure`] instead.
    Consume {
        /// The index of the matched hash in the list given to the check.
        index: u64,
    },
    /// Count one failure: add 1 to the device's failures and set its last
    /// failure to `at_ms`; add 1 to the account's failures. Increments in
    /// the store (`failures = failures + 1`), never read-modify-write.
    Failure {
        /// The time of the failure, in Unix milliseconds.
        at_ms: u64,
    },
}

/// One check's result: what happened and what to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decision {
    /// What happened.
    pub outcome: Outcome,
    /// What to write back.
    pub write: Write,
}

impl Decision {
    fn nothing(outcome: Outcome) -> Self {
        Decision { outcome, write: Write::Nothing }
    }

    fn failure(outcome: Outcome, now_ms: u64) -> Self {
        Decision { outcome, write: Write::Failure { at_ms: now_ms } }
    }
}

/// An upper bound on the chance of passing the second factor by guessing
/// codes (see the [module documentation](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GuessBound {
    /// The most guesses the policy lets through in the period.
    pub guesses: u64,
    /// The most steps one guess can match (the window).
    pub accepted_per_guess: u64,
    /// The number of distinct codes (`10^digits`).
    pub codes: u64,
}

impl GuessBound {
    /// `guesses · accepted_per_guess / codes`, at most 1: the union bound on
    /// the probability that one of the guesses is accepted.
    #[must_use]
    pub fn probability(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let p = (self.guesses as f64) * (self.accepted_per_guess as f64) / (self.codes as f64);
        if p > 1.0 { 1.0 } else { p }
    }
}

/// The verification policy: the window, drift, HOTP look-ahead, the
/// per-device back-off, the account budget and the optional clock
/// diagnosis; and the checks that apply it (see the
/// [module documentation](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Verifier {
    window: Window,
    sync_drift: bool,
    look_ahead: u32,
    throttle: Option<Throttle>,
    account_max_failures: u32,
    clock_diagnosis: u32,
}

impl Default for Verifier {
    /// ±1 step, following drift, a look-ahead of 10 counters, the default
    /// back-off, an account budget of 10, no clock diagnosis.
    fn default() -> Self {
        Verifier {
            window: Window::default(),
            sync_drift: true,
            look_ahead: DEFAULT_LOOK_AHEAD,
            throttle: Some(Throttle::default()),
            account_max_failures: DEFAULT_ACCOUNT_MAX_FAILURES,
            clock_diagnosis: 0,
        }
    }
}

impl Verifier {
    /// The default policy.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Accept `past` steps before and `future` steps after the expected one.
    ///
    /// # Errors
    /// [`Error::InvalidWindow`] beyond [`MAX_WINDOW`](crate::MAX_WINDOW).
    pub fn with_window(self, past: u32, future: u32) -> Result<Self, Error> {
        Ok(Verifier { window: Window::new(past, future)?, ..self })
    }

    /// Centre the window on the device's stored drift and write the matched
    /// offset back (`true`, the default), or always on the server's clock
    /// (`false`: drift 0).
    #[must_use]
    pub fn with_drift_sync(self, sync: bool) -> Self {
        Verifier { sync_drift: sync, ..self }
    }

    /// HOTP: accept up to `look_ahead` counters past the expected one (RFC
    /// 4226 §7.4), and report a code of the `look_ahead + 1` counters up to
    /// the last accepted one as a replay.
    ///
    /// # Errors
    /// [`Error::InvalidWindow`] beyond [`MAX_LOOK_AHEAD`].
    pub fn with_look_ahead(self, look_ahead: u32) -> Result<Self, Error> {
        if look_ahead > MAX_LOOK_AHEAD {
            return Err(Error::InvalidWindow);
        }
        Ok(Verifier { look_ahead, ..self })
    }

    /// The per-device back-off, or none.
    #[must_use]
    pub fn with_throttle(self, throttle: Option<Throttle>) -> Self {
        Verifier { throttle, ..self }
    }

    /// Lock the account after `max` consecutive failures across its devices.
    ///
    /// # Errors
    /// [`Error::InvalidPolicy`] outside `1..=`[`MAX_ACCOUNT_MAX_FAILURES`].
    pub fn with_account_max_failures(self, max: u32) -> Result<Self, Error> {
        if !(1..=MAX_ACCOUNT_MAX_FAILURES).contains(&max) {
            return Err(Error::InvalidPolicy);
        }
        Ok(Verifier { account_max_failures: max, ..self })
    }

    /// Diagnose a rejected TOTP code: look for it within `steps` steps of
    /// the current one (0: off, the default) and report the offset. It costs
    /// `2 · steps + 1` more HMACs per rejected code (41 for ±10 minutes at
    /// 30 s), and tells whoever typed the code how far their clock is off.
    ///
    /// # Errors
    /// [`Error::InvalidPolicy`] beyond [`MAX_CLOCK_DIAGNOSIS`].
    pub fn with_clock_diagnosis(self, steps: u32) -> Result<Self, Error> {
        if steps > MAX_CLOCK_DIAGNOSIS {
            return Err(Error::InvalidPolicy);
        }
        Ok(Verifier { clock_diagnosis: steps, ..self })
    }

    /// Steps accepted before the expected one.
    #[must_use]
    pub fn past(&self) -> u32 {
        self.window.past()
    }

    /// Steps accepted after the expected one.
    #[must_use]
    pub fn future(&self) -> u32 {
        self.window.future()
    }

    /// Whether the window follows the stored drift.
    #[must_use]
    pub fn drift_sync(&self) -> bool {
        self.sync_drift
    }

    /// The HOTP look-ahead.
    #[must_use]
    pub fn look_ahead(&self) -> u32 {
        self.look_ahead
    }

    /// The per-device back-off.
    #[must_use]
    pub fn throttle(&self) -> Option<Throttle> {
        self.throttle
    }

    /// The account budget.
    #[must_use]
    pub fn account_max_failures(&self) -> u32 {
        self.account_max_failures
    }

    /// Whether `account` is locked: its consecutive failures reached the
    /// budget, and every check answers [`Outcome::Locked`] until a success
    /// elsewhere, or an administrator, resets them.
    #[must_use]
    pub fn is_locked(&self, account: &AccountState) -> bool {
        account.failures >= self.account_max_failures
    }

    /// The clock diagnosis radius in steps (0: off).
    #[must_use]
    pub fn clock_diagnosis(&self) -> u32 {
        self.clock_diagnosis
    }

    /// `Locked` or `Throttled` before anything is tried.
    fn gate(&self, now_ms: u64, device: &DeviceState, account: &AccountState) -> Option<Decision> {
        if self.is_locked(account) {
            return Some(Decision::nothing(Outcome::Locked));
        }
        let (throttle, last) = (self.throttle?, device.last_failure_at_ms?);
        let wait = throttle.retry_after_millis(device.failures, last, now_ms);
        (wait > 0).then(|| Decision::nothing(Outcome::Throttled { retry_after_ms: wait }))
    }

    fn window_of(&self, device: &DeviceState) -> Window {
        let drift = if self.sync_drift { device.drift } else { 0 };
        self.window.with_clamped_drift(drift)
    }

    /// Checks a TOTP code at `now_ms` (Unix milliseconds).
    ///
    /// # Errors
    /// [`Error::TimeBeforeT0`] when `now_ms` is before the TOTP epoch; never
    /// because of `token`.
    pub fn check_totp(
        &self,
        totp: &Totp,
        token: &str,
        now_ms: u64,
        device: &DeviceState,
        account: &AccountState,
    ) -> Result<Decision, Error> {
        if let Some(decision) = self.gate(now_ms, device, account) {
            return Ok(decision);
        }
        let now = now_ms / 1000;
        let (accepted, replayed) = totp.verify_or_replay(token, now, self.window_of(device), device.last_step)?;
        Ok(match (accepted, replayed) {
            (Some(m), _) => Decision {
                outcome: Outcome::Accepted { step: m.step, offset: m.offset },
                write: Write::Accept {
                    step: m.step,
                    drift: if self.sync_drift { m.offset } else { 0 },
                    failures_read: device.failures,
                },
            },
            (None, Some(m)) => Decision::failure(Outcome::Replayed { step: m.step }, now_ms),
            (None, None) => {
                let clock_offset = match self.clock_diagnosis {
                    0 => None,
                    radius => totp.diagnose(token, now, radius)?,
                };
                Decision::failure(Outcome::Rejected { clock_offset }, now_ms)
            }
        })
    }

    /// Checks a Steam Guard code, as [`check_totp`](Self::check_totp).
    ///
    /// # Errors
    /// As [`check_totp`](Self::check_totp).
    pub fn check_steam(
        &self,
        steam: &Steam,
        token: &str,
        now_ms: u64,
        device: &DeviceState,
        account: &AccountState,
    ) -> Result<Decision, Error> {
        self.check_totp(steam.totp(), token, now_ms, device, account)
    }

    /// Checks an HOTP code: the counters after `device.last_step` (from 0
    /// when none), up to the look-ahead; a code of one of the counters up
    /// to it is a replay. `Accept` writes the matched counter as `step`
    /// (the next expected counter is `step + 1`).
    #[must_use]
    pub fn check_hotp(
        &self,
        hotp: &Hotp,
        token: &str,
        now_ms: u64,
        device: &DeviceState,
        account: &AccountState,
    ) -> Decision {
        if let Some(decision) = self.gate(now_ms, device, account) {
            return decision;
        }
        let (accepted, replayed) = hotp.verify_or_replay(token, device.last_step, self.look_ahead);
        let expected = device.last_step.map_or(0, |l| l.saturating_add(1));
        match (accepted, replayed) {
            (Some(step), _) => Decision {
                // Within the look-ahead (at most 100) of `expected`.
                outcome: Outcome::Accepted { step, offset: step.saturating_sub(expected) as i64 },
                write: Write::Accept { step, drift: 0, failures_read: device.failures },
            },
            (None, Some(step)) => Decision::failure(Outcome::Replayed { step }, now_ms),
            (None, None) => Decision::failure(Outcome::Rejected { clock_offset: None }, now_ms),
        }
    }

    /// Checks a backup code against the stored hashes of the unused codes
    /// (see [`backup::verify_backup_code`]): `Accepted` with the index of the
    /// matched hash as `step`, and [`Write::Consume`].
    ///
    /// # Errors
    /// As [`backup::verify_backup_code`] (a corrupt stored hash, too many
    /// hashes); never because of `token`.
    #[cfg(feature = "alloc")]
    pub fn check_backup<S: AsRef<str>>(
        &self,
        token: &str,
        hashes: &[S],
        now_ms: u64,
        device: &DeviceState,
        account: &AccountState,
    ) -> Result<Decision, Error> {
        if let Some(decision) = self.gate(now_ms, device, account) {
            return Ok(decision);
        }
        Ok(match backup::verify_backup_code(token, hashes)? {
            Some(index) => Decision {
                outcome: Outcome::Accepted { step: index as u64, offset: 0 },
                write: Write::Consume { index: index as u64 },
            },
            None => Decision::failure(Outcome::Rejected { clock_offset: None }, now_ms),
        })
    }

    /// How long, in seconds, a record that step `s` was accepted must be
    /// kept by a store that expires keys (a cache instead of a `last_step`
    /// column), so that no request can accept `s` again: from the first
    /// time `s` can be accepted to the last, with the drift this policy
    /// follows (at most `±MAX_DRIFT`), plus one step.
    #[must_use]
    pub fn replay_ttl_secs(&self, period: u64) -> u64 {
        let drift = if self.sync_drift { MAX_DRIFT.unsigned_abs() } else { 0 };
        let span = u64::from(self.window.past()) + u64::from(self.window.future()) + 2 * drift;
        let span = span.min(2 * MAX_DRIFT.unsigned_abs());
        (span + 1).saturating_mul(period)
    }

    /// The most failed guesses this policy lets through in `secs` seconds
    /// against an account with `devices` devices whose real user signs in
    /// successfully `resets` times in that period, for codes of `digits`
    /// digits (see the [module documentation](self)).
    #[must_use]
    pub fn guess_bound(&self, digits: u32, secs: u64, resets: u64, devices: u32) -> GuessBound {
        let by_budget = resets.saturating_add(1).saturating_mul(u64::from(self.account_max_failures));
        let by_throttle =
            self.throttle.map_or(u64::MAX, |t| failures_within(&t, secs).saturating_mul(u64::from(devices.max(1))));
        GuessBound {
            guesses: by_budget.min(by_throttle),
            accepted_per_guess: u64::from(self.window.past() + self.window.future() + 1),
            codes: 10u64.saturating_pow(digits),
        }
    }
}

/// The most failures one device can make in `secs` seconds under `throttle`:
/// the first at once, each next one after the back-off of those before it.
fn failures_within(throttle: &Throttle, secs: u64) -> u64 {
    let mut failures = 1u64;
    let mut elapsed = 0u64;
    loop {
        let wait = throttle.delay(u32::try_from(failures).unwrap_or(u32::MAX));
        if wait >= throttle.cap() {
            // From here every further failure costs the cap.
            return failures + secs.saturating_sub(elapsed) / throttle.cap();
        }
        elapsed = elapsed.saturating_add(wait);
        if elapsed > secs {
            return failures;
        }
        failures += 1;
    }
}
