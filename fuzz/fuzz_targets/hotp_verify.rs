//! HOTP verification with arbitrary codes, counters (often near u64::MAX),
//! look-aheads, digits and algorithms.
//!
//! Properties:
//! * the builder fails exactly for digits outside 6..=10 (`InvalidDigits`);
//! * `verify` fails only with `InvalidWindow`, exactly when
//!   look_ahead > MAX_LOOK_AHEAD; otherwise its result equals a naive
//!   reference scan (earliest counter in `counter..=counter+look_ahead`, never
//!   past u64::MAX, whose code equals the input);
//! * a match is within the scanned range and its code equals the input;
//! * the real code of `counter + k` (k <= look_ahead, no overflow) is
//!   accepted at a counter <= counter + k whose code is the same, and is
//!   accepted exactly at `counter + k` when that is the starting counter.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use otp_core::{Algorithm, Error, Hotp, MAX_LOOK_AHEAD, Secret, SecretPolicy};

#[derive(Arbitrary, Debug)]
struct Input {
    secret: Vec<u8>,
    code: String,
    use_real: u8,
    counter: u64,
    counter_sel: u8,
    look_ahead: u32,
    digits: u32,
    algorithm: u8,
}

fn reference(hotp: &Hotp, code: &str, counter: u64, look_ahead: u32) -> Option<u64> {
    (0..=u64::from(look_ahead)).map_while(|k| counter.checked_add(k)).find(|&c| hotp.at(c).as_str() == code)
}

fuzz_target!(|input: Input| {
    let mut key = input.secret.clone();
    key.truncate(128);
    key.resize(key.len().max(10), 0x3C);
    let secret = Secret::from_bytes_with(&key, SecretPolicy::AllowLegacy).expect("10..=128 bytes");

    let digits = 4 + input.digits % 8;
    let algorithm = Algorithm::ALL[usize::from(input.algorithm) % 3];
    let counter = match input.counter_sel % 3 {
        0 => input.counter,
        1 => u64::MAX - input.counter % 256,
        _ => input.counter % 256,
    };
    let look_ahead = if input.look_ahead.is_multiple_of(4) { input.look_ahead } else { input.look_ahead % 128 };

    let hotp = match Hotp::builder(&secret).algorithm(algorithm).digits(digits).build() {
        Ok(h) => {
            assert!((6..=10).contains(&digits));
            h
        }
        Err(e) => {
            assert_eq!(e, Error::InvalidDigits);
            assert!(!(6..=10).contains(&digits));
            return;
        }
    };
    assert_eq!((hotp.digits(), hotp.algorithm()), (digits, algorithm));
    if digits == 6 && algorithm == Algorithm::Sha1 {
        assert!(hotp.at(counter) == Hotp::new(&secret).at(counter));
    }

    let k = u64::from(input.use_real / 2) % (u64::from(look_ahead.min(MAX_LOOK_AHEAD)) + 1);
    let real_counter = counter.checked_add(k);
    let code = match (input.use_real % 2, real_counter) {
        (0, Some(c)) => hotp.at(c).to_string(),
        _ => input.code.clone(),
    };

    let result = hotp.verify(&code, counter, look_ahead);
    if look_ahead > MAX_LOOK_AHEAD {
        assert_eq!(result, Err(Error::InvalidWindow));
        return;
    }
    let result = result.expect("look-ahead within bounds");
    assert_eq!(result, reference(&hotp, &code, counter, look_ahead), "differs from the reference scan");
    if let Some(m) = result {
        assert!(m >= counter && m - counter <= u64::from(look_ahead));
        assert!(hotp.at(m) == code.as_str());
    }

    if let Some(rc) = real_counter {
        let real = hotp.at(rc);
        assert_eq!(real.len() as u32, digits);
        assert!(real.as_str().bytes().all(|b| b.is_ascii_digit()));
        let found = hotp.verify(real.as_str(), counter, look_ahead).expect("valid look-ahead");
        let m = found.expect("the real code of a counter in the window is refused");
        assert!(m <= rc && hotp.at(m) == real);
        assert_eq!(hotp.verify(real.as_str(), rc, 0), Ok(Some(rc)));
        // Resynchronised past it, the code is not accepted at its own counter.
        if let Some(next) = rc.checked_add(1) {
            let again = hotp.verify(real.as_str(), next, 0).expect("valid look-ahead");
            assert!(again.is_none_or(|c| c == next && hotp.at(next) == real));
        }
    }
});
