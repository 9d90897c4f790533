//! The verification decision on arbitrary policies, stored states, tokens
//! and times.
//!
//! Properties:
//! * no panic; the only error is `time_before_t0` (TOTP, before the epoch);
//! * `locked` exactly when the account's failures reached the budget, and
//!   then nothing is written; `throttled` only with a wait, writing nothing;
//! * `accepted` agrees with `Totp::verify` / `Hotp::verify` over the same
//!   window (and replay floor), is after the last step, within ±MAX_DRIFT
//!   for TOTP, and writes exactly that step (with the offset as drift only
//!   when the policy follows drift), conditioned on the failures read;
//! * `replayed` is a step at or before the last one whose code the token is;
//! * `rejected` and `replayed` write one failure at the time of the check;
//!   a clock diagnosis names a step within its radius whose code the token is.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use otp_core::{
    AccountState, Algorithm, DeviceState, Error, Hotp, MAX_DRIFT, Outcome, Secret, SecretPolicy, Throttle, Totp,
    Verifier, Window, Write, clamp_drift,
};

#[derive(Arbitrary, Debug)]
struct Input {
    hotp: bool,
    algorithm: u8,
    digits: u8,
    period: u16,
    t0: u32,
    secret: [u8; 20],
    past: u8,
    future: u8,
    sync_drift: bool,
    look_ahead: u8,
    throttle: Option<(u16, u16)>,
    budget: u8,
    diagnosis: u8,
    last_step: Option<u64>,
    drift: i64,
    failures: u32,
    last_failure_at_ms: Option<u64>,
    account_failures: u32,
    /// Use the code of this offset from the current step (or counter) as
    /// the token, when set; else `token`.
    code_of: Option<i8>,
    token: String,
    now_ms: u64,
}

fuzz_target!(|input: Input| {
    let Input { hotp, algorithm, digits, period, t0, secret, past, future, sync_drift, look_ahead, throttle, budget, diagnosis, last_step, drift, failures, last_failure_at_ms, account_failures, code_of, token, now_ms } = input;
    let algorithm = Algorithm::ALL[usize::from(algorithm) % 3];
    let digits = 6 + u32::from(digits) % 5;
    let throttle = throttle.and_then(|(b, c)| Throttle::new(u64::from(b).max(1), u64::from(c).max(u64::from(b).max(1)).min(86_400)).ok());
    let budget = 1 + u32::from(budget) % 100;
    let verifier = Verifier::new()
        .with_window(u32::from(past) % 11, u32::from(future) % 11)
        .unwrap()
        .with_drift_sync(sync_drift)
        .with_look_ahead(u32::from(look_ahead) % 101)
        .unwrap()
        .with_throttle(throttle)
        .with_account_max_failures(budget)
        .unwrap()
        .with_clock_diagnosis(u32::from(diagnosis) % 121)
        .unwrap();
    let secret = Secret::from_bytes_with(&secret, SecretPolicy::AllowLegacy).unwrap();
    let device = DeviceState { last_step, drift, failures, last_failure_at_ms };
    let account = AccountState { failures: account_failures };

    let (decision, check_token): (Result<_, Error>, String);
    if hotp {
        let hotp = Hotp::builder(&secret).algorithm(algorithm).digits(digits).build().unwrap();
        let expected = last_step.map_or(0, |l| l.saturating_add(1));
        check_token = match code_of {
            Some(o) => hotp.at(expected.saturating_add_signed(i64::from(o))).as_str().to_owned(),
            None => token,
        };
        decision = Ok(verifier.check_hotp(&hotp, &check_token, now_ms, &device, &account));
        if let Ok(d) = &decision {
            if let Outcome::Accepted { step, .. } = d.outcome {
                assert!(last_step.is_none_or(|l| step > l));
                assert_eq!(hotp.verify(&check_token, expected, verifier.look_ahead()).unwrap(), Some(step));
                assert_eq!(hotp.at(step), check_token.as_str());
            }
            if let Outcome::Replayed { step } = d.outcome {
                assert!(last_step.is_some_and(|l| step <= l));
                assert_eq!(hotp.at(step), check_token.as_str());
            }
        }
    } else {
        let period = 1 + u64::from(period) % 86_400;
        let totp = Totp::builder(&secret).algorithm(algorithm).digits(digits).period(period).t0(u64::from(t0)).build().unwrap();
        let now = now_ms / 1000;
        check_token = match (code_of, totp.step(now)) {
            (Some(o), Ok(current)) => totp.at_step(current.saturating_add_signed(i64::from(o))).as_str().to_owned(),
            _ => token,
        };
        decision = verifier.check_totp(&totp, &check_token, now_ms, &device, &account);
        match &decision {
            Err(e) => {
                assert_eq!(*e, Error::TimeBeforeT0);
                assert!(now < u64::from(t0));
            }
            Ok(d) if matches!(d.outcome, Outcome::Throttled { .. } | Outcome::Locked) => {}
            Ok(d) => {
                let centre = if sync_drift { clamp_drift(drift) } else { 0 };
                let window = Window::new(verifier.past(), verifier.future()).unwrap().with_drift(centre).unwrap();
                let verified = totp.verify(&check_token, now, window, last_step).unwrap();
                let current = totp.step(now).unwrap();
                match d.outcome {
                    Outcome::Accepted { step, offset } => {
                        assert_eq!(verified.map(|m| (m.step, m.offset)), Some((step, offset)));
                        assert!(offset.abs() <= MAX_DRIFT);
                        let want_drift = if sync_drift { offset } else { 0 };
                        assert_eq!(d.write, Write::Accept { step, drift: want_drift, failures_read: failures });
                    }
                    Outcome::Replayed { step } => {
                        assert!(verified.is_none());
                        assert!(last_step.is_some_and(|l| step <= l));
                        assert_eq!(totp.at_step(step), check_token.as_str());
                    }
                    Outcome::Rejected { clock_offset } => {
                        assert!(verified.is_none());
                        if let Some(o) = clock_offset {
                            assert!(o.unsigned_abs() <= u64::from(verifier.clock_diagnosis()));
                            assert_eq!(totp.at_step(current.checked_add_signed(o).unwrap()), check_token.as_str());
                        }
                    }
                    Outcome::Throttled { .. } | Outcome::Locked => {}
                }
            }
        }
    }

    if let Ok(d) = decision {
        let locked = account_failures >= budget;
        assert_eq!(d.outcome == Outcome::Locked, locked);
        match d.outcome {
            Outcome::Locked => assert_eq!(d.write, Write::Nothing),
            Outcome::Throttled { retry_after_ms } => {
                assert!(retry_after_ms > 0);
                assert_eq!(d.write, Write::Nothing);
                let t = throttle.expect("throttled without a throttle");
                assert_eq!(retry_after_ms, t.retry_after_millis(failures, last_failure_at_ms.unwrap(), now_ms));
            }
            Outcome::Rejected { .. } | Outcome::Replayed { .. } => assert_eq!(d.write, Write::Failure { at_ms: now_ms }),
            Outcome::Accepted { step, .. } => assert!(matches!(d.write, Write::Accept { step: s, .. } if s == step)),
        }
    }
});
