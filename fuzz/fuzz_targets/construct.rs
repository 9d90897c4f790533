//! Arbitrary parameters into every constructor: secrets (bytes, base32,
//! generated), TOTP/HOTP builders, Steam, windows, algorithms, throttling,
//! backup-code generation.
//!
//! Properties: nothing panics, every error is the one the documentation names
//! for that input (checked against the documented bounds, not just "some
//! error"), accessors return what was set, and values stay within their
//! documented ranges (e.g. the throttle delay is monotone and capped).
#![no_main]

use std::convert::Infallible;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use otp_core::{
    Algorithm, Error, Hotp, LEGACY_MIN_SECRET_LEN, MAX_DRIFT, MAX_SECRET_LEN, MAX_WINDOW, MIN_SECRET_LEN,
    STEAM_ALPHABET, Secret, SecretPolicy, Steam, Throttle, Totp, Window, backup,
    rand_core::{TryCryptoRng, TryRng},
    throttle::MAX_THROTTLE_CAP,
};

/// A deterministic "CSPRNG" that replays fuzzer bytes (then a counter), so
/// that crashes reproduce.
struct ReplayRng {
    bytes: Vec<u8>,
    pos: usize,
}

impl TryRng for ReplayRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for d in dst {
            *d = match self.bytes.get(self.pos) {
                Some(&b) => b,
                None => {
                    // SplitMix64 of the position: a real generator never
                    // repeats (a stuck one would make
                    // `generate_backup_codes` retry duplicates forever).
                    let mut z = (self.pos as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
                    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                    (z ^ (z >> 31)) as u8
                }
            };
            self.pos = self.pos.wrapping_add(1);
        }
        Ok(())
    }
}
impl TryCryptoRng for ReplayRng {}

#[derive(Debug)]
struct RngDown;
impl std::fmt::Display for RngDown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("rng down")
    }
}
impl std::error::Error for RngDown {}

/// An RNG that always fails.
struct FailingRng;
impl TryRng for FailingRng {
    type Error = RngDown;
    fn try_next_u32(&mut self) -> Result<u32, RngDown> {
        Err(RngDown)
    }
    fn try_next_u64(&mut self) -> Result<u64, RngDown> {
        Err(RngDown)
    }
    fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), RngDown> {
        Err(RngDown)
    }
}
impl TryCryptoRng for FailingRng {}

#[derive(Arbitrary, Debug)]
struct Input {
    legacy: bool,
    bytes: Vec<u8>,
    text: String,
    gen_len: u16,
    rng_bytes: Vec<u8>,
    algorithm_name: String,
    algorithm: u8,
    digits: u32,
    period: u64,
    t0: u64,
    time: u64,
    past: u32,
    future: u32,
    drift: i64,
    base: u64,
    cap: u64,
    failures: u32,
    last_failure_at: u64,
    now: u64,
    backup_count: u8,
}

fuzz_target!(|input: Input| {
    let policy = if input.legacy { SecretPolicy::AllowLegacy } else { SecretPolicy::Standard };
    let min = if input.legacy { LEGACY_MIN_SECRET_LEN } else { MIN_SECRET_LEN };
    assert_eq!(policy.min_len(), min);

    // Secret from bytes.
    let n = input.bytes.len();
    match Secret::from_bytes_with(&input.bytes, policy) {
        Ok(s) => {
            assert!((min..=MAX_SECRET_LEN).contains(&n));
            assert_eq!(s.as_bytes(), &input.bytes[..]);
            assert_eq!((s.len(), s.is_empty(), s.is_legacy()), (n, false, n < MIN_SECRET_LEN));
            assert_eq!(format!("{s:?}"), format!("Secret([REDACTED; {n} bytes])"));
            let again = Secret::from_base32_with(&s.to_base32(), policy).expect("own base32");
            assert!(again == s);
            assert_eq!(Secret::from_bytes(&input.bytes).is_ok(), n >= MIN_SECRET_LEN);
        }
        Err(Error::SecretTooShort) => assert!(n < min),
        Err(Error::SecretTooLong) => assert!(n > MAX_SECRET_LEN),
        Err(e) => panic!("undocumented from_bytes error {e:?}"),
    }

    // Secret from base32 text.
    match Secret::from_base32_with(&input.text, policy) {
        Ok(s) => {
            assert!((min..=MAX_SECRET_LEN).contains(&s.len()));
            assert!(Secret::from_base32_with(&s.to_base32(), policy).expect("own base32") == s);
        }
        Err(Error::InvalidSecret | Error::SecretTooShort | Error::SecretTooLong) => {}
        Err(e) => panic!("undocumented from_base32 error {e:?}"),
    }

    // Generated secrets.
    let len = usize::from(input.gen_len % 200);
    let mut rng = ReplayRng { bytes: input.rng_bytes.clone(), pos: 0 };
    match Secret::generate(&mut rng, len) {
        Ok(s) => {
            assert!((MIN_SECRET_LEN..=MAX_SECRET_LEN).contains(&len));
            assert_eq!(s.len(), len);
        }
        Err(Error::SecretTooShort) => assert!(len < MIN_SECRET_LEN),
        Err(Error::SecretTooLong) => assert!(len > MAX_SECRET_LEN),
        Err(e) => panic!("undocumented generate error {e:?}"),
    }
    // Lengths are checked before the RNG is asked for anything.
    let want_fail = if len > MAX_SECRET_LEN {
        Error::SecretTooLong
    } else if len < MIN_SECRET_LEN {
        Error::SecretTooShort
    } else {
        Error::RngFailure
    };
    assert_eq!(Secret::generate(&mut FailingRng, len).err(), Some(want_fail));
    let algorithm = Algorithm::ALL[usize::from(input.algorithm) % 3];
    let generated = Secret::generate_for(&mut rng, algorithm).expect("recommended length");
    assert_eq!(generated.len(), algorithm.secret_len());

    // Algorithms by name.
    let parsed = Algorithm::parse(&input.algorithm_name);
    let known = Algorithm::ALL.into_iter().find(|a| a.name().eq_ignore_ascii_case(&input.algorithm_name));
    assert_eq!(parsed, known.ok_or(Error::UnsupportedAlgorithm));
    assert_eq!(input.algorithm_name.parse::<Algorithm>(), parsed);
    assert_eq!(Algorithm::parse(&algorithm.to_string()), Ok(algorithm));

    // TOTP / HOTP / Steam builders.
    let secret = generated;
    let digits = input.digits % 16;
    let period = if input.period.is_multiple_of(2) { input.period } else { input.period % 90_000 };
    match Totp::builder(&secret).algorithm(algorithm).digits(digits).period(period).t0(input.t0).build() {
        Ok(t) => {
            assert!((6..=10).contains(&digits) && (1..=86_400).contains(&period));
            assert_eq!((t.algorithm(), t.digits(), t.period(), t.t0()), (algorithm, digits, period, input.t0));
            match t.at(input.time) {
                Ok(code) => {
                    assert!(input.time >= input.t0);
                    assert_eq!(code.len() as u32, digits);
                    assert!(code == t.at_step(t.step(input.time).expect("time >= t0")));
                    assert_eq!(format!("{code:?}"), format!("Code([REDACTED; {digits} chars])"));
                }
                Err(e) => assert!(e == Error::TimeBeforeT0 && input.time < input.t0),
            }
            assert!(!format!("{t:?}").is_empty());
        }
        Err(Error::InvalidDigits) => assert!(!(6..=10).contains(&digits)),
        Err(Error::InvalidPeriod) => assert!((6..=10).contains(&digits) && !(1..=86_400).contains(&period)),
        Err(e) => panic!("undocumented TOTP builder error {e:?}"),
    }
    match Hotp::builder(&secret).algorithm(algorithm).digits(digits).build() {
        Ok(h) => {
            assert!((6..=10).contains(&digits));
            assert_eq!(h.at(input.time).len() as u32, digits);
        }
        Err(e) => assert!(e == Error::InvalidDigits && !(6..=10).contains(&digits)),
    }
    let t = Totp::new(&secret);
    assert_eq!((t.digits(), t.period(), t.t0(), t.algorithm()), (6, 30, 0, Algorithm::Sha1));
    let steam = Steam::new(&secret);
    let sc = steam.at(input.time);
    assert_eq!(steam.step(input.time), input.time / 30);
    assert!(sc.len() == 5 && sc.as_str().bytes().all(|b| STEAM_ALPHABET.contains(&b)));

    // Windows.
    let (past, future) = (input.past % 16, input.future % 16);
    match Window::new(past, future) {
        Ok(w) => {
            assert!(past <= MAX_WINDOW && future <= MAX_WINDOW);
            assert_eq!((w.past(), w.future(), w.drift()), (past, future, 0));
            match w.with_drift(input.drift) {
                Ok(d) => {
                    assert!(input.drift.abs() <= MAX_DRIFT);
                    assert_eq!(d.drift(), input.drift);
                }
                Err(e) => assert!(e == Error::InvalidDrift && !(-MAX_DRIFT..=MAX_DRIFT).contains(&input.drift)),
            }
        }
        Err(e) => assert!(e == Error::InvalidWindow && (past > MAX_WINDOW || future > MAX_WINDOW)),
    }
    assert_eq!(Window::symmetric(past), Window::new(past, past));

    // Throttling.
    let (base, cap) =
        if input.base.is_multiple_of(2) { (input.base, input.cap) } else { (input.base % 1000, input.cap % 90_000) };
    match Throttle::new(base, cap) {
        Ok(th) => {
            assert!(base > 0 && cap >= base && cap <= MAX_THROTTLE_CAP);
            assert_eq!((th.base(), th.cap()), (base, cap));
            assert_eq!(th.delay(0), 0);
            assert_eq!(th.delay(1), base);
            let f = input.failures;
            let d = th.delay(f);
            assert!(d <= cap);
            if let Some(f1) = f.checked_add(1) {
                assert!(th.delay(f1) >= d, "delay is not monotone");
            }
            if f >= 1 {
                let exact = if f > 64 { u128::MAX } else { u128::from(base) << (f - 1) };
                assert_eq!(u128::from(d), exact.min(u128::from(cap)));
            }
            let r = th.retry_after(f, input.last_failure_at, input.now);
            assert!(r <= d);
            assert_eq!(r, d.saturating_sub(input.now.saturating_sub(input.last_failure_at)));
            assert_eq!(th.is_allowed(f, input.last_failure_at, input.now), r == 0);
        }
        Err(e) => {
            assert_eq!(e, Error::InvalidThrottle);
            assert!(base == 0 || cap < base || cap > MAX_THROTTLE_CAP);
        }
    }
    let def = Throttle::default();
    assert_eq!((def.base(), def.cap()), (1, 900));

    // Backup-code generation (cheap; hashing is in the `backup` target).
    let count = usize::from(input.backup_count);
    match backup::generate_backup_codes(&mut rng, count) {
        Ok(codes) => {
            assert!((1..=backup::MAX_BACKUP_CODE_COUNT).contains(&count));
            assert_eq!(codes.len(), count);
            for (i, c) in codes.iter().enumerate() {
                assert_eq!(c.len(), 11);
                assert_eq!(c.as_bytes()[5], b'-');
                assert_eq!(backup::normalize_backup_code(c).expect("own code").len(), 10);
                assert!(!codes[..i].contains(c), "duplicate code");
            }
        }
        Err(Error::InvalidBackupParams) => assert!(count == 0 || count > backup::MAX_BACKUP_CODE_COUNT),
        // The replayed fuzzer bytes may repeat codes; a generator that keeps
        // repeating itself is reported as failed rather than looped on.
        Err(Error::RngFailure) => assert!((1..=backup::MAX_BACKUP_CODE_COUNT).contains(&count)),
        Err(e) => panic!("undocumented generate_backup_codes error {e:?}"),
    }
    let want = if (1..=backup::MAX_BACKUP_CODE_COUNT).contains(&count) {
        Error::RngFailure
    } else {
        Error::InvalidBackupParams
    };
    assert_eq!(backup::generate_backup_codes(&mut FailingRng, count), Err(want));

    // Every error has a stable code and message.
    for e in Error::ALL {
        assert!(!e.code().is_empty() && !e.message().is_empty() && e.to_string() == e.message());
    }
});
