//! TOTP verification with arbitrary codes, times, epochs, periods, digits,
//! algorithms, windows, drifts and replay floors.
//!
//! Properties:
//! * the builder fails exactly for digits outside 6..=10 (`InvalidDigits`) or
//!   a period outside 1..=86400 (`InvalidPeriod`); `Window::new` exactly for
//!   past/future > MAX_WINDOW; `with_drift` exactly for |drift| > MAX_DRIFT;
//! * `verify` never panics; it fails only with `TimeBeforeT0`, exactly when
//!   time < t0;
//! * its result equals a naive reference scan of the window (earliest
//!   eligible step whose code equals the input); on a Match: step > last_step,
//!   |offset| <= MAX_DRIFT, offset = step - current step, and
//!   `at_step(step)` equals the code;
//! * the real code of `time` is accepted with `Window::EXACT` and no
//!   last step, at offset 0; it is refused when `last_step` is its own step
//!   and the window is EXACT;
//! * Steam codes of `time` are 5 characters of STEAM_ALPHABET and verify.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use otp_core::{
    Algorithm, Error, MAX_DRIFT, MAX_WINDOW, Match, STEAM_ALPHABET, Secret, SecretPolicy, Steam, Totp, Window,
};

#[derive(Arbitrary, Debug)]
struct Input {
    secret: Vec<u8>,
    code: String,
    use_real_code: u8,
    time: u64,
    time_sel: u8,
    t0: u64,
    t0_sel: u8,
    period: u64,
    period_sel: u8,
    digits: u32,
    algorithm: u8,
    past: u32,
    future: u32,
    drift: i64,
    last_step: Option<u64>,
    last_step_sel: u8,
}

fn reference(totp: &Totp, code: &str, time: u64, window: Window, last_step: Option<u64>) -> Option<Match> {
    let current = i128::from(totp.step(time).ok()?);
    let centre = current + i128::from(window.drift());
    let first = centre - i128::from(window.past());
    let last = centre + i128::from(window.future());
    (first..=last)
        .filter(|&s| s >= 0 && s <= i128::from(u64::MAX))
        .filter(|&s| last_step.is_none_or(|l| s > i128::from(l)))
        .filter(|&s| (s - current).abs() <= i128::from(MAX_DRIFT))
        .find(|&s| totp.at_step(s as u64).as_str() == code)
        .map(|s| Match { step: s as u64, offset: (s - current) as i64 })
}

fuzz_target!(|input: Input| {
    let mut key = input.secret.clone();
    key.truncate(128);
    key.resize(key.len().max(10), 0x5A);
    let secret = Secret::from_bytes_with(&key, SecretPolicy::AllowLegacy).expect("10..=128 bytes");

    let period = match input.period_sel % 4 {
        0 => input.period,
        1 => 30,
        _ => input.period % 86_402,
    };
    let digits = 4 + input.digits % 8; // 4..=11
    let algorithm = Algorithm::ALL[usize::from(input.algorithm) % 3];
    let t0 = match input.t0_sel % 3 {
        0 => 0,
        1 => input.t0 % 100_000,
        _ => input.t0,
    };
    let time = match input.time_sel % 4 {
        0 => input.time,
        1 => t0.saturating_add(input.time % 1_000_000),
        2 => u64::MAX - input.time % 1_000_000,
        _ => t0.wrapping_add(input.time % 64).wrapping_sub(32),
    };

    let built = Totp::builder(&secret).algorithm(algorithm).digits(digits).period(period).t0(t0).build();
    let totp = match built {
        Ok(t) => {
            assert!((6..=10).contains(&digits) && (1..=86_400).contains(&period));
            t
        }
        Err(Error::InvalidDigits) => return assert!(!(6..=10).contains(&digits)),
        Err(Error::InvalidPeriod) => return assert!((6..=10).contains(&digits) && !(1..=86_400).contains(&period)),
        Err(e) => panic!("undocumented builder error {e:?}"),
    };
    assert_eq!((totp.digits(), totp.period(), totp.t0(), totp.algorithm()), (digits, period, t0, algorithm));

    let past = input.past % 13;
    let future = input.future % 13;
    let drift = input.drift % 13;
    let window = match Window::new(past, future) {
        Ok(w) => {
            assert!(past <= MAX_WINDOW && future <= MAX_WINDOW);
            w
        }
        Err(e) => {
            assert_eq!(e, Error::InvalidWindow);
            assert!(past > MAX_WINDOW || future > MAX_WINDOW);
            Window::default()
        }
    };
    let window = match window.with_drift(drift) {
        Ok(w) => {
            assert!(drift.abs() <= MAX_DRIFT);
            assert_eq!((w.past(), w.future(), w.drift()), (window.past(), window.future(), drift));
            w
        }
        Err(e) => {
            assert_eq!(e, Error::InvalidDrift);
            assert!(drift.abs() > MAX_DRIFT);
            window
        }
    };

    let current = totp.step(time);
    let last_step = match (input.last_step_sel % 3, current) {
        (0, Ok(c)) => input.last_step.map(|l| c.wrapping_add(l % 32).wrapping_sub(16)),
        _ => input.last_step,
    };

    // A real code (of a step near the current one) or the arbitrary one.
    let code = match (input.use_real_code % 3, current) {
        (0, Ok(c)) => {
            totp.at_step(c.wrapping_add(u64::from(input.use_real_code / 3) % 25).wrapping_sub(12)).to_string()
        }
        _ => input.code.clone(),
    };

    let result = totp.verify(&code, time, window, last_step);
    match current {
        Err(e) => {
            assert_eq!(e, Error::TimeBeforeT0);
            assert!(time < t0);
            assert_eq!(result, Err(Error::TimeBeforeT0));
            assert_eq!(totp.at(time).err(), Some(Error::TimeBeforeT0));
            assert_eq!(totp.seconds_remaining(time), Err(Error::TimeBeforeT0));
            return;
        }
        Ok(c) => {
            assert!(time >= t0);
            assert_eq!(c, (time - t0) / period);
            let left = totp.seconds_remaining(time).expect("time >= t0");
            assert!((1..=period).contains(&left));
            let result = result.expect("verify fails only before t0");
            assert_eq!(result, reference(&totp, &code, time, window, last_step), "differs from the reference scan");
            if let Some(m) = result {
                assert!(last_step.is_none_or(|l| m.step > l), "replayed step accepted");
                assert!(m.offset.abs() <= MAX_DRIFT);
                assert_eq!(i128::from(m.offset), i128::from(m.step) - i128::from(c));
                assert!(totp.at_step(m.step) == code.as_str());
            }

            let real = totp.at(time).expect("time >= t0");
            assert_eq!(real.len() as u32, digits);
            assert!(real.as_str().bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(real, totp.at_step(c));
            assert_eq!(
                totp.verify(real.as_str(), time, Window::EXACT, None),
                Ok(Some(Match { step: c, offset: 0 })),
                "the real code is refused"
            );
            assert_eq!(totp.verify(real.as_str(), time, Window::EXACT, Some(c)), Ok(None), "replay accepted");
        }
    }

    // Steam Guard (SHA1, 30 s, t0 = 0) at the same time.
    let steam = Steam::new(&secret);
    let sc = steam.at(time);
    assert_eq!(sc.len(), 5);
    assert!(sc.as_str().bytes().all(|b| STEAM_ALPHABET.contains(&b)));
    assert_eq!(steam.verify(sc.as_str(), time, Window::EXACT, None), Ok(Some(Match { step: time / 30, offset: 0 })));
    let _ = steam.verify(&input.code, time, window, last_step).expect("Steam's epoch is 0");
});
