//! The verification decision beyond the shared vectors: the policy's bounds,
//! the brute-force bound stated in the crate docs (recomputed here from the
//! constants), the replay TTL, Steam, and races described by `Write`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use otp_core::{
    AccountState, DeviceState, Error, Hotp, MAX_DRIFT, Outcome, Secret, Steam, Throttle, Totp, Verifier, Write,
    decision::{DEFAULT_ACCOUNT_MAX_FAILURES, DEFAULT_LOOK_AHEAD, MAX_ACCOUNT_MAX_FAILURES, MAX_CLOCK_DIAGNOSIS},
};

const NOW_MS: u64 = 1_111_111_109_000;
const STEP: u64 = 1_111_111_109 / 30;

fn totp() -> Totp {
    Totp::new(&Secret::from_bytes(b"12345678901234567890").unwrap())
}

#[test]
fn defaults_and_bounds_of_the_policy() {
    let v = Verifier::default();
    assert_eq!((v.past(), v.future(), v.drift_sync()), (1, 1, true));
    assert_eq!(v.look_ahead(), DEFAULT_LOOK_AHEAD);
    assert_eq!(v.throttle(), Some(Throttle::default()));
    assert_eq!(v.account_max_failures(), DEFAULT_ACCOUNT_MAX_FAILURES);
    assert_eq!(v.clock_diagnosis(), 0);
    // NIST SP 800-63B-4 §3.2.2: at most 100 consecutive failures.
    assert_eq!(MAX_ACCOUNT_MAX_FAILURES, 100);
    const { assert!(DEFAULT_ACCOUNT_MAX_FAILURES <= MAX_ACCOUNT_MAX_FAILURES) };
    assert_eq!(v.with_account_max_failures(0), Err(Error::InvalidPolicy));
    assert_eq!(v.with_account_max_failures(101), Err(Error::InvalidPolicy));
    assert_eq!(v.with_account_max_failures(100).unwrap().account_max_failures(), 100);
    assert_eq!(v.with_clock_diagnosis(MAX_CLOCK_DIAGNOSIS + 1), Err(Error::InvalidPolicy));
    assert_eq!(v.with_clock_diagnosis(MAX_CLOCK_DIAGNOSIS).unwrap().clock_diagnosis(), MAX_CLOCK_DIAGNOSIS);
    assert_eq!(v.with_window(11, 0), Err(Error::InvalidWindow));
    assert_eq!(v.with_look_ahead(101), Err(Error::InvalidWindow));
    assert_eq!(v.with_look_ahead(100).unwrap().look_ahead(), 100);
    assert_eq!(v.with_throttle(None).throttle(), None);
    // The getters read the policy set, not a default.
    let w = v.with_window(0, 3).unwrap();
    assert_eq!((w.past(), w.future()), (0, 3));
    let w = v.with_window(10, 2).unwrap();
    assert_eq!((w.past(), w.future()), (10, 2));
    assert!(!v.with_drift_sync(false).drift_sync());
    assert!(v.with_drift_sync(false).with_drift_sync(true).drift_sync());
}

#[test]
fn an_account_locks_at_its_budget_and_every_check_says_so() {
    let v = Verifier::default().with_account_max_failures(3).unwrap();
    let device = DeviceState::default();
    let code = totp().at(NOW_MS / 1000).unwrap();
    for failures in 0..3 {
        assert!(!v.is_locked(&AccountState { failures }), "{failures}");
    }
    for failures in [3, 4, u32::MAX] {
        let account = AccountState { failures };
        assert!(v.is_locked(&account), "{failures}");
        // Even the right code is not tried.
        let d = v.check_totp(&totp(), code.as_str(), NOW_MS, &device, &account).unwrap();
        assert_eq!((d.outcome, d.write), (Outcome::Locked, Write::Nothing));
    }
}

/// The bound that the crate documentation (decision.rs) and the Django
/// README state at the defaults, recomputed from the constants.
#[test]
fn the_stated_brute_force_bound() {
    let v = Verifier::default();
    let window = u64::from(v.past() + v.future() + 1);
    let per_guess = window as f64 / 1_000_000.0;
    assert_eq!(per_guess, 3e-6);
    // A day in which the real user signs in once: two cycles of the budget.
    let day = v.guess_bound(6, 86_400, 1, 1);
    assert_eq!(day.guesses, 2 * u64::from(DEFAULT_ACCOUNT_MAX_FAILURES));
    assert_eq!(day.guesses, 20);
    assert!((day.probability() - 6.0e-5).abs() < 1e-12, "{}", day.probability());
    // A year of daily sign-ins: 366 cycles.
    let year = v.guess_bound(6, 365 * 86_400, 365, 1);
    assert_eq!(year.guesses, 3_660);
    assert!((year.probability() - 0.01098).abs() < 1e-9, "{}", year.probability());
    // The back-off alone (no budget binding): about 105 guesses a day per device,
    // 11 failures in the first 1,023 s (1 + 2 + … + 512), then one per 900 s.
    let by_throttle = v.with_account_max_failures(100).unwrap().guess_bound(6, 86_400, 10, 1);
    assert_eq!(by_throttle.guesses, 11 + (86_400 - 1_023) / 900);
    assert_eq!(by_throttle.guesses, 105);
    let two_devices = v.with_account_max_failures(100).unwrap().guess_bound(6, 86_400, 10, 2);
    assert_eq!(two_devices.guesses, 210);
    // A failure exactly when the back-off ends counts: failures at 0, 1, 3,
    // 7 s under base 1 s (waits 1, 2, 4).
    let exact = v.with_throttle(Some(Throttle::new(1, 900).unwrap())).with_account_max_failures(100).unwrap();
    for (secs, guesses) in [(0, 1), (1, 2), (2, 2), (3, 3), (6, 3), (7, 4)] {
        assert_eq!(exact.guess_bound(6, secs, 10, 1).guesses, guesses, "{secs} s");
    }
    // Without a back-off, only the budget binds.
    assert_eq!(v.with_throttle(None).guess_bound(6, 86_400, 0, 5).guesses, 10);
    // Longer codes are harder to guess.
    assert!((v.guess_bound(8, 86_400, 1, 1).probability() - 6.0e-7).abs() < 1e-15);
    // The probability never exceeds 1.
    assert_eq!(
        v.with_throttle(None).with_account_max_failures(100).unwrap().guess_bound(6, 0, u64::MAX, 1).probability(),
        1.0
    );
}

#[test]
fn replay_records_live_as_long_as_a_step_can_be_accepted() {
    let v = Verifier::default();
    // With drift followed, a step can be accepted from MAX_DRIFT steps early
    // to MAX_DRIFT steps late: 2 · 10 + 1 steps.
    assert_eq!(v.replay_ttl_secs(30), (2 * MAX_DRIFT.unsigned_abs() + 1) * 30);
    assert_eq!(v.replay_ttl_secs(30), 630);
    // Without drift, the window only: ±1 is 3 steps.
    assert_eq!(v.with_drift_sync(false).replay_ttl_secs(30), 90);
    assert_eq!(v.with_drift_sync(false).with_window(0, 0).unwrap().replay_ttl_secs(60), 60);
    // The TTL covers every step at which the accepted one is still accepted.
    let totp = totp();
    let v = v.with_drift_sync(false);
    let code = totp.at_step(STEP);
    let accepted_at = (STEP - 1) * 30 * 1000; // the earliest time this code passes
    let d = v.check_totp(&totp, code.as_str(), accepted_at, &DeviceState::default(), &AccountState::default()).unwrap();
    assert!(matches!(d.outcome, Outcome::Accepted { step, .. } if step == STEP));
    let last = accepted_at + v.replay_ttl_secs(30) * 1000 - 1;
    let d = v.check_totp(&totp, code.as_str(), last, &DeviceState::default(), &AccountState::default()).unwrap();
    assert!(matches!(d.outcome, Outcome::Accepted { .. }), "still acceptable just before the TTL ends");
    let after = accepted_at + v.replay_ttl_secs(30) * 1000;
    let d = v.check_totp(&totp, code.as_str(), after, &DeviceState::default(), &AccountState::default()).unwrap();
    assert!(matches!(d.outcome, Outcome::Rejected { .. }), "no longer acceptable when the TTL ends");
}

/// Two servers read the same state and check the same code: both decide
/// `Accept` under the same condition, so the store lets one through. The
/// loser's write changes no row, and it writes a failure (a replay).
#[test]
fn one_acceptance_per_code_under_the_stated_condition() {
    let (totp, v) = (totp(), Verifier::default());
    let code = totp.at_step(STEP);
    let read =
        DeviceState { last_step: Some(STEP - 1), drift: 0, failures: 1, last_failure_at_ms: Some(NOW_MS - 60_000) };
    let a = v.check_totp(&totp, code.as_str(), NOW_MS, &read, &AccountState { failures: 1 }).unwrap();
    let b = v.check_totp(&totp, code.as_str(), NOW_MS, &read, &AccountState { failures: 1 }).unwrap();
    assert_eq!(a, b);
    let Write::Accept { step, drift, failures_read } = a.write else { panic!("{a:?}") };
    assert_eq!((step, drift, failures_read), (STEP, 0, 1));
    // A store applying the condition: the first write wins.
    let mut stored = read;
    let mut apply = |w: Write| match w {
        Write::Accept { step, drift, failures_read }
            if stored.last_step.is_none_or(|l| l < step) && stored.failures == failures_read =>
        {
            stored = DeviceState { last_step: Some(step), drift, failures: 0, last_failure_at_ms: None };
            true
        }
        _ => false,
    };
    assert!(apply(a.write));
    assert!(!apply(b.write), "the second write changes nothing");
    // And the next check of the same code is a replay.
    let again = v.check_totp(&totp, code.as_str(), NOW_MS, &stored, &AccountState::default()).unwrap();
    assert_eq!(again.outcome, Outcome::Replayed { step: STEP });
    assert_eq!(again.write, Write::Failure { at_ms: NOW_MS });
}

#[test]
fn steam_and_hotp_share_the_outcomes() {
    let secret = Secret::from_bytes(b"12345678901234567890").unwrap();
    let steam = Steam::new(&secret);
    let v = Verifier::default();
    let (fresh, account) = (DeviceState::default(), AccountState::default());
    let code = steam.at(NOW_MS / 1000);
    let d = v.check_steam(&steam, code.as_str(), NOW_MS, &fresh, &account).unwrap();
    assert_eq!(d.outcome, Outcome::Accepted { step: STEP, offset: 0 });
    assert_eq!(
        v.check_steam(&steam, &code.as_str().to_lowercase(), NOW_MS, &fresh, &account).unwrap().outcome,
        Outcome::Rejected { clock_offset: None },
        "Steam codes are compared exactly"
    );
    let hotp = Hotp::new(&secret);
    // The 11 counters after the last one (look-ahead 10), then replays of the 11 up to it.
    let used = DeviceState { last_step: Some(20), ..fresh };
    assert_eq!(
        v.check_hotp(&hotp, hotp.at(31).as_str(), NOW_MS, &used, &account).outcome,
        Outcome::Accepted { step: 31, offset: 10 }
    );
    assert_eq!(v.check_hotp(&hotp, hotp.at(32).as_str(), NOW_MS, &used, &account).outcome.kind(), "rejected");
    assert_eq!(
        v.check_hotp(&hotp, hotp.at(10).as_str(), NOW_MS, &used, &account).outcome,
        Outcome::Replayed { step: 10 }
    );
    assert_eq!(v.check_hotp(&hotp, hotp.at(9).as_str(), NOW_MS, &used, &account).outcome.kind(), "rejected");
    // Counters at the top of the range: nothing wraps.
    let top = DeviceState { last_step: Some(u64::MAX), ..fresh };
    assert_eq!(
        v.check_hotp(&hotp, hotp.at(u64::MAX).as_str(), NOW_MS, &top, &account).outcome,
        Outcome::Replayed { step: u64::MAX }
    );
    assert_eq!(v.check_hotp(&hotp, hotp.at(0).as_str(), NOW_MS, &top, &account).outcome.kind(), "rejected");
}

#[test]
fn clock_diagnosis_reports_the_nearest_step_and_still_refuses() {
    let totp = totp();
    let v = Verifier::default().with_clock_diagnosis(40).unwrap();
    let (fresh, account) = (DeviceState::default(), AccountState::default());
    for offset in [-40i64, -12, -2, 2, 7, 40] {
        let code = totp.at_step(STEP.checked_add_signed(offset).unwrap());
        let d = v.check_totp(&totp, code.as_str(), NOW_MS, &fresh, &account).unwrap();
        assert_eq!(d.outcome, Outcome::Rejected { clock_offset: Some(offset) }, "{offset}");
        assert_eq!(d.write, Write::Failure { at_ms: NOW_MS });
    }
    let far = totp.at_step(STEP + 41);
    assert_eq!(
        v.check_totp(&totp, far.as_str(), NOW_MS, &fresh, &account).unwrap().outcome,
        Outcome::Rejected { clock_offset: None }
    );
    // Near step 0, no step below 0 is tried.
    let early = totp.at_step(3);
    assert_eq!(
        v.check_totp(&totp, early.as_str(), 0, &fresh, &account).unwrap().outcome,
        Outcome::Rejected { clock_offset: Some(3) }
    );
    // Time before t0 is an error, never a wrap-around.
    let shifted = Totp::builder(&Secret::from_bytes(b"12345678901234567890").unwrap()).t0(10).build().unwrap();
    assert_eq!(v.check_totp(&shifted, "000000", 9_999, &fresh, &account), Err(Error::TimeBeforeT0));
}
