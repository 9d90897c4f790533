//! Behaviour of the public API beyond the shared vectors: bounds, error
//! paths, redaction, RNG handling, overflow edges.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use core::convert::Infallible;

use otp_core::{
    Algorithm, Error, Hotp, MAX_DRIFT, Match, OtpAuth, OtpKind, Secret, SecretPolicy, Steam, Throttle, Totp, Window,
    backup,
    rand_core::{TryCryptoRng, TryRng},
};

/// A deterministic "CSPRNG" for tests (xorshift; never use outside tests).
struct TestRng(u64);

impl TryRng for TestRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.try_next_u64()? as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        Ok(self.0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for b in dst {
            *b = self.try_next_u64()? as u8;
        }
        Ok(())
    }
}
impl TryCryptoRng for TestRng {}

/// An RNG that always fails, as an exhausted entropy source would.
struct FailingRng;

#[derive(Debug)]
struct Exhausted;
impl core::fmt::Display for Exhausted {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("exhausted")
    }
}
impl core::error::Error for Exhausted {}

impl TryRng for FailingRng {
    type Error = Exhausted;
    fn try_next_u32(&mut self) -> Result<u32, Exhausted> {
        Err(Exhausted)
    }
    fn try_next_u64(&mut self) -> Result<u64, Exhausted> {
        Err(Exhausted)
    }
    fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Exhausted> {
        Err(Exhausted)
    }
}
impl TryCryptoRng for FailingRng {}

fn rfc_secret() -> Secret {
    Secret::from_bytes(b"12345678901234567890").unwrap()
}

#[test]
fn error_codes_are_unique_snake_case_and_messages_are_static() {
    let mut codes: Vec<&str> = Error::ALL.iter().map(|e| e.code()).collect();
    assert!(codes.iter().all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')));
    for e in Error::ALL {
        assert_eq!(e.to_string(), e.message());
        assert!(!e.message().is_empty());
    }
    let n = codes.len();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), n);
    for code in [
        "invalid_secret",
        "secret_too_short",
        "invalid_digits",
        "invalid_period",
        "invalid_uri",
        "unsupported_algorithm",
        "time_before_t0",
        "invalid_backup_hash",
        "invalid_t0",
    ] {
        assert!(codes.contains(&code), "the design names {code}");
    }
}

#[test]
fn the_error_table_gives_names_docs_and_lookups() {
    let mut names: Vec<&str> = Error::ALL.iter().map(|e| e.name()).collect();
    for e in Error::ALL {
        // `Debug` of the enum is the variant name, as the bindings name their classes.
        assert_eq!(format!("{e:?}"), e.name());
        assert!(e.name().starts_with(|c: char| c.is_ascii_uppercase()), "{}", e.name());
        assert_eq!(Error::from_code(e.code()), Some(*e));
        assert!(e.doc().trim().len() > 10, "{} has a doc", e.name());
        assert!(!e.message().contains('{'), "messages take no input");
    }
    assert_eq!(Error::from_code("no_such_code"), None);
    assert_eq!(Error::InvalidT0.code(), "invalid_t0");
    // Codes are appended: the ones bindings already know keep their place.
    let position = |e: Error| Error::ALL.iter().position(|x| *x == e).unwrap();
    assert_eq!(position(Error::InvalidT0), 24);
    assert!(position(Error::InvalidPolicy) > position(Error::InvalidT0));
    let n = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), n);
}

#[test]
fn accounts_write_their_uri_and_refuse_an_epoch_the_format_cannot_carry() {
    use otp_core::{Account, UriLabels};
    let auth = OtpAuth::totp(rfc_secret(), "alice").with_issuer("ACME");
    let account = Account::new(auth.clone(), 0).unwrap();
    assert_eq!(account.to_uri().unwrap(), auth.to_uri().unwrap());
    assert_eq!(account.totp().unwrap().at(59).unwrap(), "287082");
    assert!(account.hotp().is_none());
    assert_eq!((account.account(), account.issuer(), account.image(), account.t0()), ("alice", Some("ACME"), None, 0));
    let other = UriLabels {
        account: Some("bob"),
        issuer: Some("Other"),
        image: Some("https://x.test/i.png"),
        counter: Some(9),
    };
    assert_eq!(
        account.to_uri_with(&other).unwrap(),
        "otpauth://totp/Other:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Other&image=https%3A%2F%2Fx.test%2Fi.png"
    );
    // The labels are checked when written.
    assert_eq!(
        account.to_uri_with(&UriLabels { account: Some(" bob"), ..UriLabels::default() }),
        Err(Error::InvalidLabel)
    );

    // A TOTP with another epoch computes other codes than an app would: no URI.
    let shifted = Account::new(auth.clone(), 1).unwrap();
    assert_eq!((shifted.totp().unwrap().t0(), shifted.t0()), (1, 1));
    let mut pictured = auth.clone();
    pictured.image = Some("https://x.test/i.png".into());
    assert_eq!(Account::new(pictured, 0).unwrap().image(), Some("https://x.test/i.png"));
    assert_eq!(shifted.to_uri(), Err(Error::InvalidT0));
    assert_eq!(shifted.to_uri_with(&UriLabels::default()), Err(Error::InvalidT0));

    // HOTP: t0 does not apply; the counter can be overridden for one URI.
    let hotp = Account::new(OtpAuth::hotp(rfc_secret(), "alice", 5), 7).unwrap();
    let (generator, counter) = hotp.hotp().unwrap();
    assert_eq!((generator.at(0).as_str(), counter), ("755224", 5));
    assert!(hotp.to_uri().unwrap().contains("&counter=5"));
    assert!(hotp.to_uri_with(&UriLabels { counter: Some(8), ..UriLabels::default() }).unwrap().contains("&counter=8"));

    // Bad parameters are refused when the account is made.
    let mut bad = auth.clone();
    bad.digits = 11;
    assert_eq!(Account::new(bad, 0).err(), Some(Error::InvalidDigits));
    let parsed = Account::parse(&auth.to_uri().unwrap(), SecretPolicy::Standard).unwrap();
    assert_eq!(parsed.auth(), &auth);
    assert_eq!(parsed.secret(), &rfc_secret());
}

#[test]
fn drift_read_from_storage_is_clamped() {
    use otp_core::clamp_drift;
    for (stored, read) in [(0, 0), (-10, -10), (10, 10), (11, 10), (-11, -10), (i64::MAX, 10), (i64::MIN, -10)] {
        assert_eq!(clamp_drift(stored), read);
        assert_eq!(Window::default().with_clamped_drift(stored).drift(), read);
        assert_eq!(Window::default().with_clamped_drift(stored), Window::default().with_drift(read).unwrap());
    }
}

#[test]
fn raw_tokens_are_hashed_and_checked_exactly_as_typed() {
    let tokens = ["alpha-1", "Bravo 2", "charlie3"];
    let hashes = backup::hash_raw_tokens(&mut TestRng(7), &tokens, backup::MIN_BACKUP_ITERATIONS).unwrap();
    for (i, token) in tokens.iter().enumerate() {
        assert_eq!(backup::verify_raw_token(token, &hashes), Ok(Some(i)));
        backup::check_backup_hash(&hashes[i]).unwrap();
    }
    // Exact: no case folding, no separators dropped.
    assert_eq!(backup::verify_raw_token("ALPHA-1", &hashes), Ok(None));
    assert_eq!(backup::verify_raw_token("bravo2", &hashes), Ok(None));
    assert_eq!(backup::verify_raw_token("", &hashes), Ok(None));
    assert_eq!(backup::verify_raw_token(&"a".repeat(65), &hashes), Ok(None));
    // Hashes of several salts (two imports) check in one call.
    let more = backup::hash_raw_tokens(&mut TestRng(8), &["delta"], 1_500).unwrap();
    let mixed: Vec<&String> = hashes.iter().chain(&more).collect();
    assert_eq!(backup::verify_raw_token("delta", &mixed), Ok(Some(3)));
    assert_eq!(backup::verify_raw_token("charlie3", &mixed), Ok(Some(2)));
    // A raw token is not a backup code, nor the reverse.
    let codes = backup::hash_backup_codes(&mut TestRng(9), &["ABCDE-FGHJK"], 1_000).unwrap();
    assert_eq!(backup::verify_raw_token("ABCDE-FGHJK", &codes), Ok(None));
    assert_eq!(backup::verify_raw_token("ABCDEFGHJK", &codes), Ok(Some(0)));
    // Bounds and malformed stores.
    assert_eq!(backup::hash_raw_tokens(&mut TestRng(1), &[""], 1_000), Err(Error::InvalidBackupCode));
    assert_eq!(backup::hash_raw_tokens(&mut TestRng(1), &["a".repeat(65)], 1_000), Err(Error::InvalidBackupCode));
    assert_eq!(backup::hash_raw_tokens(&mut TestRng(1), &["a"], 999), Err(Error::InvalidBackupParams));
    assert_eq!(backup::hash_raw_tokens::<_, &str>(&mut TestRng(1), &[], 1_000), Err(Error::InvalidBackupParams));
    assert_eq!(backup::hash_raw_tokens(&mut FailingRng, &["a"], 1_000), Err(Error::RngFailure));
    assert_eq!(backup::verify_raw_token("alpha-1", &["pbkdf2_sha256$1$salt$bad"]), Err(Error::InvalidBackupHash));
    assert_eq!(backup::check_backup_hash("md5$1$salt$x"), Err(Error::InvalidBackupHash));
    let too_many = vec![hashes[0].clone(); backup::MAX_BACKUP_HASHES + 1];
    assert_eq!(backup::verify_raw_token("alpha-1", &too_many), Err(Error::InputTooLong));
}

#[test]
fn secrets_never_print_their_bytes() {
    let s = Secret::from_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").unwrap();
    let debug = format!("{s:?} {:?} {:?}", Totp::new(&s), Hotp::new(&s));
    for leak in ["JBSW", "48656c6c", "72, 101", "Hello"] {
        assert!(!debug.contains(leak), "{debug}");
    }
    assert_eq!(format!("{s:?}"), "Secret([REDACTED; 20 bytes])");
    // What Debug does show: the parameters.
    let hotp = Hotp::builder(&s).digits(8).algorithm(Algorithm::Sha256).build().unwrap();
    assert_eq!(format!("{hotp:?}"), format!("Hotp {{ algorithm: {:?}, digits: 8, .. }}", Algorithm::Sha256));
    let uri = OtpAuth::totp(s, "a").to_uri().unwrap();
    let parsed = OtpAuth::parse(&uri).unwrap();
    assert!(!format!("{parsed:?}").contains("JBSW"));
    // Codes are credentials too: Debug hides them, Display shows them.
    let code = Totp::new(&rfc_secret()).at(59).unwrap();
    assert_eq!(format!("{code:?}"), "Code([REDACTED; 6 chars])");
    assert_eq!(code.to_string(), "287082");
}

#[test]
fn secret_length_policy() {
    // 112 bits: NIST SP 800-63B-4 §3.1.4.1.
    assert_eq!(otp_core::MIN_SECRET_LEN, 14);
    assert_eq!(Secret::from_bytes(&[1; 13]), Err(Error::SecretTooShort));
    assert!(Secret::from_bytes(&[1; 13]).is_err() && !Secret::from_bytes(&[1; 14]).unwrap().is_legacy());
    assert!(Secret::from_bytes_with(&[1; 13], SecretPolicy::AllowLegacy).unwrap().is_legacy());
    assert!(Secret::from_bytes(&[1; 16]).is_ok());
    assert_eq!(Secret::from_bytes_with(&[1; 9], SecretPolicy::AllowLegacy), Err(Error::SecretTooShort));
    assert!(Secret::from_bytes_with(&[1; 10], SecretPolicy::AllowLegacy).unwrap().is_legacy());
    assert!(Secret::from_bytes(&[1; 128]).is_ok());
    assert_eq!(Secret::from_bytes(&[1; 129]), Err(Error::SecretTooLong));
    assert_eq!(Secret::from_bytes(&[]), Err(Error::SecretTooShort));
    assert_eq!(Secret::from_base32(""), Err(Error::InvalidSecret));
    assert_eq!(Secret::from_base32(&"A".repeat(300)), Err(Error::SecretTooLong));
    assert_ne!(Secret::from_bytes(&[1; 16]).unwrap(), Secret::from_bytes(&[1; 17]).unwrap());
    assert_ne!(Secret::from_bytes(&[1; 16]).unwrap(), Secret::from_bytes(&[2; 16]).unwrap());
}

#[test]
fn secret_generation() {
    let mut rng = TestRng(0x9e37_79b9_7f4a_7c15);
    for alg in Algorithm::ALL {
        let s = Secret::generate_for(&mut rng, alg).unwrap();
        assert_eq!(s.len(), alg.secret_len());
        assert!(s.as_bytes().iter().any(|&b| b != 0));
    }
    let a = Secret::generate(&mut rng, 20).unwrap();
    let b = Secret::generate(&mut rng, 20).unwrap();
    assert_ne!(a, b);
    assert_eq!(Secret::generate(&mut rng, 13).err(), Some(Error::SecretTooShort));
    assert_eq!(Secret::generate(&mut rng, 14).unwrap().len(), 14);
    assert_eq!(Secret::generate(&mut rng, 129).err(), Some(Error::SecretTooLong));
    assert_eq!(Secret::generate(&mut FailingRng, 20).err(), Some(Error::RngFailure));
}

#[cfg(feature = "getrandom")]
#[test]
fn os_rng_generates() {
    let a = Secret::generate_for(&mut otp_core::OsRng, Algorithm::Sha1).unwrap();
    let b = Secret::generate_for(&mut otp_core::OsRng, Algorithm::Sha1).unwrap();
    assert_ne!(a, b);
}

#[test]
fn parameters_are_validated() {
    let s = rfc_secret();
    for digits in [0, 5, 11, u32::MAX] {
        assert_eq!(Totp::builder(&s).digits(digits).build().err(), Some(Error::InvalidDigits));
        assert_eq!(Hotp::builder(&s).digits(digits).build().err(), Some(Error::InvalidDigits));
    }
    for period in [0, 86_401, u64::MAX] {
        assert_eq!(Totp::builder(&s).period(period).build().err(), Some(Error::InvalidPeriod));
    }
    let t = Totp::builder(&s).digits(10).period(86_400).t0(u64::MAX).build().unwrap();
    assert_eq!((t.digits(), t.period(), t.t0(), t.algorithm()), (10, 86_400, u64::MAX, Algorithm::Sha1));
    assert_eq!(Window::new(11, 0), Err(Error::InvalidWindow));
    assert_eq!(Window::new(0, 11), Err(Error::InvalidWindow));
    assert_eq!(Window::symmetric(10).unwrap().past(), 10);
    assert_eq!(Window::default().with_drift(MAX_DRIFT + 1), Err(Error::InvalidDrift));
    assert_eq!(Window::default().with_drift(-MAX_DRIFT - 1), Err(Error::InvalidDrift));
    assert_eq!(Window::default().with_drift(i64::MIN), Err(Error::InvalidDrift));
    assert_eq!(Hotp::new(&s).verify("755224", 0, 101), Err(Error::InvalidWindow));
    assert_eq!(Algorithm::parse("md5"), Err(Error::UnsupportedAlgorithm));
    assert_eq!(Algorithm::parse(""), Err(Error::UnsupportedAlgorithm));
    assert_eq!("sha512".parse::<Algorithm>(), Ok(Algorithm::Sha512));
}

#[test]
fn time_before_t0_is_an_error_not_a_wrap() {
    let t = Totp::builder(&rfc_secret()).t0(1_000).build().unwrap();
    assert_eq!(t.at(999).err(), Some(Error::TimeBeforeT0));
    assert_eq!(t.step(999), Err(Error::TimeBeforeT0));
    assert_eq!(t.seconds_remaining(999), Err(Error::TimeBeforeT0));
    assert_eq!(t.verify("123456", 999, Window::default(), None), Err(Error::TimeBeforeT0));
    assert_eq!(t.step(1_000), Ok(0));
    assert_eq!(t.seconds_remaining(1_000), Ok(30));
    assert_eq!(t.seconds_remaining(1_029), Ok(1));
}

#[test]
fn edges_of_the_step_range() {
    let s = rfc_secret();
    // Step 0 with a past window: no negative step is ever tried.
    let t = Totp::new(&s);
    let at0 = t.at_step(0);
    let w = Window::symmetric(10).unwrap();
    assert_eq!(t.verify(at0.as_str(), 0, w, None), Ok(Some(Match { step: 0, offset: 0 })));
    // Near u64::MAX with period 1: steps beyond u64::MAX are never tried.
    let t = Totp::builder(&s).period(1).build().unwrap();
    let last = t.at_step(u64::MAX);
    assert_eq!(t.verify(last.as_str(), u64::MAX, w, None), Ok(Some(Match { step: u64::MAX, offset: 0 })));
    assert_eq!(t.verify(last.as_str(), u64::MAX, w, Some(u64::MAX)), Ok(None));
    let hotp = Hotp::new(&s);
    assert_eq!(hotp.verify(hotp.at(u64::MAX).as_str(), u64::MAX, 100), Ok(Some(u64::MAX)));
    assert_eq!(hotp.verify(hotp.at(0).as_str(), u64::MAX, 100), Ok(None));
}

#[test]
fn drift_recentres_and_is_capped() {
    let t = Totp::new(&rfc_secret());
    let now = 1_000_000 * 30;
    let current = t.step(now).unwrap();
    let w3 = Window::default().with_drift(3).unwrap();
    // The device runs 3 steps fast: with drift 3 its code is found.
    let fast = t.at_step(current + 3);
    assert_eq!(t.verify(fast.as_str(), now, Window::default(), None), Ok(None));
    assert_eq!(t.verify(fast.as_str(), now, w3, None), Ok(Some(Match { step: current + 3, offset: 3 })));
    // The re-centred window no longer accepts the server's own step.
    assert_eq!(t.verify(t.at_step(current).as_str(), now, w3, None), Ok(None));
    // Whatever the drift and window, nothing beyond MAX_DRIFT is accepted.
    let wide = Window::symmetric(10).unwrap().with_drift(MAX_DRIFT).unwrap();
    for k in 0..=20u64 {
        let code = t.at_step(current + k);
        let got = t.verify(code.as_str(), now, wide, None).unwrap();
        match got {
            Some(m) => assert!(m.offset <= MAX_DRIFT && m.step == current + k, "k={k}"),
            None => assert!(k as i64 > MAX_DRIFT, "k={k}"),
        }
    }
}

#[test]
fn malformed_codes_are_not_accepted() {
    let t = Totp::new(&rfc_secret());
    let good = t.at(59).unwrap();
    let good = good.as_str();
    let w = Window::default();
    for bad in [
        "",
        " ",
        "28708",
        "2870822",
        " 287082",
        "287082 ",
        "287 082",
        "２８７０８２",
        "28708\0",
        "abcdef",
        &"9".repeat(10_000),
    ] {
        assert_eq!(t.verify(bad, 59, w, None), Ok(None), "{bad:?}");
    }
    assert!(t.verify(good, 59, w, None).unwrap().is_some());
    assert_eq!(good, "287082");
    assert!(t.at(59).unwrap() == "287082");
    assert!(t.at(59).unwrap() != "287083");
}

#[test]
fn replay_protection() {
    let t = Totp::new(&rfc_secret());
    let code = t.at(1_111_111_109).unwrap();
    let m = t.verify(code.as_str(), 1_111_111_109, Window::default(), None).unwrap().unwrap();
    assert_eq!(t.verify(code.as_str(), 1_111_111_109, Window::default(), Some(m.step)), Ok(None));
    assert_eq!(t.verify(code.as_str(), 1_111_111_109 + 30, Window::default(), Some(m.step)), Ok(None));
    assert_eq!(t.verify(code.as_str(), 1_111_111_109, Window::default(), Some(m.step - 1)), Ok(Some(m)));
}

#[test]
fn steam_codes_use_steams_alphabet() {
    let steam = Steam::new(&rfc_secret());
    for time in (0..100_000u64).step_by(997) {
        let code = steam.at(time);
        assert_eq!(code.len(), otp_core::STEAM_CODE_LEN);
        assert!(code.as_str().bytes().all(|b| otp_core::STEAM_ALPHABET.contains(&b)));
    }
    assert_eq!(steam.at_step(1_000 / 30), steam.at(1_000));
    assert_ne!(steam.at_step(1_000 / 30 + 1), steam.at(1_000));
    // Steam codes are compared exactly, like every other code.
    let time =
        (0..100u64).map(|k| k * 30).find(|&t| steam.at(t).as_str().bytes().any(|b| b.is_ascii_alphabetic())).unwrap();
    let code = steam.at(time);
    assert!(steam.verify(code.as_str(), time, Window::EXACT, None).unwrap().is_some());
    assert_eq!(steam.verify(&code.as_str().to_lowercase(), time, Window::EXACT, None), Ok(None));
}

#[test]
fn throttle_policy() {
    assert_eq!(Throttle::new(0, 10), Err(Error::InvalidThrottle));
    assert_eq!(Throttle::new(10, 9), Err(Error::InvalidThrottle));
    assert_eq!(Throttle::new(1, 86_401), Err(Error::InvalidThrottle));
    let t = Throttle::new(2, 60).unwrap();
    let delays: Vec<u64> = (0..8).map(|n| t.delay(n)).collect();
    assert_eq!(delays, [0, 2, 4, 8, 16, 32, 60, 60]);
    assert_eq!(t.delay(u32::MAX), 60);
    assert_eq!(t.retry_after(0, 0, 0), 0);
    assert_eq!(t.retry_after(3, 100, 103), 5);
    assert_eq!(t.retry_after(3, 100, 108), 0);
    assert_eq!(t.retry_after(3, 100, 50), 8, "a clock that went back counts as no time elapsed");
    assert_eq!(t.retry_after(3, u64::MAX, 0), 8);
    assert_eq!(t.retry_after(3, 0, u64::MAX), 0);
}

#[test]
fn backup_code_generation() {
    let mut rng = TestRng(7);
    let codes = backup::generate_backup_codes(&mut rng, backup::DEFAULT_BACKUP_CODE_COUNT).unwrap();
    assert_eq!(codes.len(), 10);
    for c in &codes {
        assert_eq!(c.len(), 11);
        assert_eq!(&c[5..6], "-");
        assert!(c.bytes().filter(|&b| b != b'-').all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b)), "{c}");
    }
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 10);
    assert_eq!(backup::generate_backup_codes(&mut rng, 0), Err(Error::InvalidBackupParams));
    assert_eq!(backup::generate_backup_codes(&mut rng, 101), Err(Error::InvalidBackupParams));
    assert_eq!(backup::generate_backup_codes(&mut FailingRng, 10), Err(Error::RngFailure));
    assert_eq!(backup::generate_backup_codes(&mut rng, 100).unwrap().len(), 100);
}

/// An RNG that hands out the bytes of a list in order (then zeros),
/// counting the buffers it fills.
struct ListRng {
    bytes: std::collections::VecDeque<u8>,
    fills: usize,
}

impl ListRng {
    fn new(bytes: impl IntoIterator<Item = u8>) -> Self {
        ListRng { bytes: bytes.into_iter().collect(), fills: 0 }
    }
}

impl TryRng for ListRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(0)
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.fills += 1;
        for d in dst {
            *d = self.bytes.pop_front().unwrap_or(0);
        }
        Ok(())
    }
}
impl TryCryptoRng for ListRng {}

/// Each random byte picks one of Crockford's 32 characters by its low five
/// bits; a generator that repeats itself is an error, not a hang: given up
/// on after `2 · count + 8` draws, as documented.
#[test]
fn backup_codes_from_known_bytes() {
    for (bytes, code) in [
        ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "01234-56789"),
        ([32, 33, 34, 35, 36, 37, 38, 39, 40, 41], "01234-56789"),
        ([10, 17, 18, 20, 21, 22, 23, 25, 26, 31], "AHJMNPQSTZ"),
        ([0xEA, 0xF1, 0xF2, 0xF4, 0xF5, 0xF6, 0xF7, 0xF9, 0xFA, 0xFF], "AHJMNPQSTZ"),
    ] {
        let mut rng = ListRng::new(bytes.repeat(40));
        let got = backup::generate_backup_codes(&mut rng, 1).unwrap();
        assert_eq!(got[0].replace('-', ""), code.replace('-', ""), "{bytes:?}");
        assert_eq!(rng.fills, 1);
        for count in [2, 3, 10] {
            let mut rng = ListRng::new(bytes.repeat(40));
            assert_eq!(backup::generate_backup_codes(&mut rng, count), Err(Error::RngFailure));
            assert_eq!(rng.fills, 2 * count + 8, "{count}");
        }
    }
}

/// A salt is 22 of the 62 characters `a-z A-Z 0-9`, the byte `b` giving
/// the character at `b % 62`; bytes from 248 up are dropped so that each
/// character is equally likely (rejection sampling). Salts of 1 to 128
/// bytes without `$` are accepted, as are the stored hashes' counts in
/// canonical decimal from 1 to 10^7.
#[test]
fn backup_salts_and_stored_hashes() {
    let salt_of = |bytes: Vec<u8>| {
        let hash = backup::hash_raw_tokens(&mut ListRng::new(bytes), &["t"], 1_000).unwrap().remove(0);
        hash.split('$').nth(2).unwrap().to_owned()
    };
    assert_eq!(salt_of((0..32).collect()), "abcdefghijklmnopqrstuv");
    assert_eq!(salt_of((40..72).collect()), "OPQRSTUVWXYZ0123456789");
    let mut dropped: Vec<u8> = (240..=255).collect();
    dropped.extend(62..100);
    assert_eq!(salt_of(dropped), "23456789abcdefghijklmn");
    // A salt that takes more than one draw of 32 bytes.
    let mut sparse = vec![255u8; 30];
    sparse.extend([1, 2]);
    sparse.extend(124..150);
    assert_eq!(salt_of(sparse), "bcabcdefghijklmnopqrst");
    // Up to eight draws of 32 bytes; a generator stuck above 247 is an
    // error, not a hang.
    let mut late = vec![255u8; 7 * 32];
    late.extend(0..22);
    assert_eq!(salt_of(late), "abcdefghijklmnopqrstuv");
    let stuck = vec![255u8; 8 * 32];
    assert_eq!(backup::hash_raw_tokens(&mut ListRng::new(stuck), &["t"], 1_000), Err(Error::RngFailure));
    let mut almost = vec![255u8; 7 * 32];
    almost.extend([255; 11]);
    almost.extend(0..21);
    assert_eq!(backup::hash_raw_tokens(&mut ListRng::new(almost), &["t"], 1_000), Err(Error::RngFailure));

    let long = "s".repeat(128);
    let hash = backup::hash_backup_codes_with_salt(&["ABCDE-FGHJK"], &long, 1_000).unwrap();
    assert_eq!(backup::verify_backup_code("ABCDE-FGHJK", &hash), Ok(Some(0)));
    let longer = format!("{long}s");
    assert_eq!(backup::hash_backup_codes_with_salt(&["ABCDE-FGHJK"], &longer, 1_000), Err(Error::InvalidBackupHash));
    let b64 = hash[0].rsplit('$').next().unwrap();
    for (count, ok) in [
        ("1", true),
        ("10000000", true),
        ("10000001", false),
        ("0", false),
        ("01000", false),
        ("", false),
        ("+1000", false),
        ("4294967296", false),
        ("99999999999999999999", false),
    ] {
        let stored = format!("pbkdf2_sha256${count}$salt${b64}");
        assert_eq!(backup::check_backup_hash(&stored).is_ok(), ok, "{count}");
    }
}

/// A stored hash in Django's format of `token` (PBKDF2-HMAC-SHA256), made
/// here from the format, as Django's `make_password` would make it.
fn django_hash(token: &str, salt: &str, iterations: u32) -> String {
    use base64::Engine as _;
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(token.as_bytes(), salt.as_bytes(), iterations, &mut out);
    format!("pbkdf2_sha256${iterations}${salt}${}", base64::engine::general_purpose::STANDARD.encode(out))
}

/// Raw tokens: hashes made elsewhere are checked too, except for an empty
/// token or one over 64 bytes, which are never accepted; sets with the same
/// count but different salts are each derived with their own salt.
#[test]
fn raw_tokens_against_hashes_made_elsewhere() {
    let long = "x".repeat(64);
    let longer = format!("{long}x");
    let stored = [
        django_hash("", "salt1", 1_000),
        django_hash(&long, "salt1", 1_000),
        django_hash(&longer, "salt1", 1_000),
        django_hash("other", "salt2", 1_000),
    ];
    assert_eq!(backup::verify_raw_token(&long, &stored), Ok(Some(1)));
    assert_eq!(backup::verify_raw_token("", &stored), Ok(None));
    assert_eq!(backup::verify_raw_token(&longer, &stored), Ok(None));
    assert_eq!(backup::verify_raw_token("other", &stored), Ok(Some(3)));
    let first = backup::hash_raw_tokens(&mut TestRng(1), &["one"], 1_000).unwrap();
    let second = backup::hash_raw_tokens(&mut TestRng(2), &["two"], 1_000).unwrap();
    let both = [first[0].clone(), second[0].clone()];
    assert_eq!(backup::verify_raw_token("two", &both), Ok(Some(1)));
    assert_eq!(backup::verify_raw_token("one", &both), Ok(Some(0)));
}

/// Input up to 64 bytes is read (a code among spaces), longer is refused
/// unread; a set holds at most 100 codes, and a check reads at most 1,000
/// hashes (10 full sets).
#[test]
fn backup_code_bounds() {
    let padded = format!("ABCDE-FGHJK{}", " ".repeat(64 - 11));
    assert_eq!(backup::normalize_backup_code(&padded).unwrap(), "ABCDEFGHJK");
    assert_eq!(backup::normalize_backup_code(&format!("{padded} ")), Err(Error::InvalidBackupCode));
    let hundred: Vec<String> = backup::generate_backup_codes(&mut TestRng(3), 100).unwrap();
    let mut more = hundred.clone();
    more.push("ABCDE-FGHJK".into());
    assert_eq!(backup::hash_backup_codes_with_salt(&more, "salt", 1_000), Err(Error::InvalidBackupParams));
    // 100 pass the count check and reach the salt's (hashing 100 is slow).
    assert_eq!(backup::hash_backup_codes_with_salt(&hundred, "bad$salt", 1_000), Err(Error::InvalidBackupHash));
    assert_eq!(backup::hash_backup_codes_with_salt(&more, "bad$salt", 1_000), Err(Error::InvalidBackupParams));
    // A raw token of 64 bytes is hashed; 65 are refused.
    let token = "t".repeat(64);
    let raw = backup::hash_raw_tokens(&mut TestRng(4), &[token.as_str()], 1_000).unwrap();
    assert_eq!(backup::verify_raw_token(&token, &raw), Ok(Some(0)));
    assert_eq!(backup::hash_raw_tokens(&mut TestRng(4), &[format!("{token}t")], 1_000), Err(Error::InvalidBackupCode));
    let one = backup::hash_backup_codes_with_salt(&["ABCDE-FGHJK"], "salt", 1_000).unwrap();
    assert_eq!(backup::MAX_BACKUP_HASHES, 1_000);
    let full = vec![one[0].clone(); 1_000];
    assert_eq!(backup::verify_backup_code("abcde fghjk", &full), Ok(Some(0)));
    let over = vec![one[0].clone(); 1_001];
    assert_eq!(backup::verify_backup_code("abcde fghjk", &over), Err(Error::InputTooLong));
}

#[test]
fn backup_code_hashing_and_verification() {
    let mut rng = TestRng(11);
    let codes = backup::generate_backup_codes(&mut rng, 5).unwrap();
    let hashes = backup::hash_backup_codes(&mut rng, &codes, backup::MIN_BACKUP_ITERATIONS).unwrap();
    assert_eq!(hashes.len(), 5);
    // One salt per set.
    let salts: Vec<&str> = hashes.iter().map(|h| h.split('$').nth(2).unwrap()).collect();
    assert!(salts.iter().all(|s| *s == salts[0] && s.len() == 22));
    assert!(hashes.iter().all(|h| h.starts_with("pbkdf2_sha256$1000$")));
    for (i, code) in codes.iter().enumerate() {
        assert_eq!(backup::verify_backup_code(code, &hashes), Ok(Some(i)));
        let sloppy = code.to_lowercase().replace('-', "  ").replace('0', "o").replace('1', "l");
        assert_eq!(backup::verify_backup_code(&sloppy, &hashes), Ok(Some(i)));
    }
    assert_eq!(backup::verify_backup_code("ZZZZZ-ZZZZZ", &hashes), Ok(None));
    assert_eq!(backup::verify_backup_code("short", &hashes), Ok(None));
    assert_eq!(backup::verify_backup_code("", &hashes), Ok(None));
    assert_eq!(backup::verify_backup_code(&codes[0], &[] as &[&str]), Ok(None));
    // A used code is removed by the caller; the others keep their meaning.
    let remaining: Vec<&String> = hashes.iter().skip(1).collect();
    assert_eq!(backup::verify_backup_code(&codes[0], &remaining), Ok(None));
    assert_eq!(backup::verify_backup_code(&codes[2], &remaining), Ok(Some(1)));
    // Two sets with different salts in one list still verify.
    let other = backup::generate_backup_codes(&mut rng, 2).unwrap();
    let mut mixed = hashes.clone();
    mixed.extend(backup::hash_backup_codes(&mut rng, &other, 1_200).unwrap());
    assert_eq!(backup::verify_backup_code(&other[1], &mixed), Ok(Some(6)));
    // A corrupt store is an error whatever the candidate.
    let mut corrupt = hashes.clone();
    corrupt.push("pbkdf2_sha256$1000$salt$notbase64!".into());
    assert_eq!(backup::verify_backup_code("not even a code", &corrupt), Err(Error::InvalidBackupHash));
    // Bounds.
    assert_eq!(backup::hash_backup_codes(&mut rng, &codes, 999), Err(Error::InvalidBackupParams));
    assert_eq!(backup::hash_backup_codes(&mut rng, &codes, 10_000_001), Err(Error::InvalidBackupParams));
    assert_eq!(backup::hash_backup_codes(&mut rng, &[] as &[&str], 1_000), Err(Error::InvalidBackupParams));
    assert_eq!(backup::hash_backup_codes(&mut rng, &["nope"], 1_000), Err(Error::InvalidBackupCode));
    assert_eq!(backup::hash_backup_codes(&mut FailingRng, &codes, 1_000), Err(Error::RngFailure));
    assert_eq!(backup::hash_backup_codes_with_salt(&codes, "a$b", 1_000), Err(Error::InvalidBackupHash));
    let too_many = vec![hashes[0].clone(); 1_001];
    assert_eq!(backup::verify_backup_code(&codes[0], &too_many), Err(Error::InputTooLong));
}

#[test]
fn otpauth_conversions() {
    let uri = "otpauth://hotp/ACME:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=7&digits=8&algorithm=SHA256";
    let parsed = OtpAuth::parse(uri).unwrap();
    let hotp = parsed.to_hotp().unwrap();
    assert_eq!((hotp.digits(), hotp.algorithm()), (8, Algorithm::Sha256));
    assert_eq!(parsed.to_totp().err(), Some(Error::UnsupportedType));
    let mut bad = parsed.clone();
    bad.digits = 11;
    assert_eq!(bad.otp().err(), Some(Error::InvalidDigits));
    assert_eq!(bad.to_uri().err(), Some(Error::InvalidDigits));
    let totp = OtpAuth::totp(rfc_secret(), "x").to_totp().unwrap();
    assert_eq!(totp.at(59).unwrap().as_str(), "287082");
    assert_eq!(OtpAuth::totp(rfc_secret(), "x").to_hotp().err(), Some(Error::UnsupportedType));
}

/// Found by the `uri_build` fuzz target: values that validate but would not
/// parse back must be refused by `to_uri`.
#[test]
fn to_uri_refuses_what_parse_would_refuse() {
    let mut x = OtpAuth::totp(rfc_secret(), "alice").with_issuer("ACME");
    x.image = Some("https://example.com/\u{7}logo.png".into());
    assert_eq!(x.to_uri(), Err(Error::InvalidUri));
    // Every field within its bound, but percent-encoding makes the URI too long.
    let mut x = OtpAuth::totp(rfc_secret(), "é".repeat(128)).with_issuer("ü".repeat(128));
    x.image = Some("ß".repeat(512));
    assert!(x.validate().is_ok());
    assert_eq!(x.to_uri(), Err(Error::InputTooLong));
    x.image = None;
    assert_eq!(x.to_uri(), Err(Error::InputTooLong), "the issuer is written twice");
    x.issuer = Some("ü".repeat(64));
    let uri = x.to_uri().unwrap();
    assert_eq!(OtpAuth::parse(&uri).unwrap(), x);
}

#[test]
fn invalid_base32_is_reported_as_invalid_whatever_its_length() {
    let long_valid = "A".repeat(240);
    assert_eq!(Secret::from_base32(&long_valid), Err(Error::SecretTooLong));
    assert_eq!(Secret::from_base32(&format!("{long_valid}!")), Err(Error::InvalidSecret));
    assert_eq!(Secret::from_base32(&format!("{long_valid}=")), Err(Error::InvalidSecret));
}

/// Found by the `uri_parse` fuzz target: a URI within MAX_URI_LEN whose
/// canonical form is not must be refused, or `to_uri` could not write it back.
#[test]
fn parse_refuses_what_to_uri_could_not_write_back() {
    let base = "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&image=";
    let uri = format!("{base}{}", "^".repeat(1000));
    assert!(uri.len() <= otp_core::uri::MAX_URI_LEN);
    assert_eq!(OtpAuth::parse(&uri), Err(Error::InputTooLong));
    let ok = format!("{base}{}", "^".repeat(100));
    let parsed = OtpAuth::parse(&ok).unwrap();
    assert_eq!(OtpAuth::parse(&parsed.to_uri().unwrap()).unwrap(), parsed);
}

#[test]
fn hex_secrets() {
    let rfc = Secret::from_hex("3132333435363738393031323334353637383930").unwrap();
    assert_eq!(rfc.as_bytes(), b"12345678901234567890");
    assert_eq!(rfc.to_hex(), "3132333435363738393031323334353637383930");
    assert_eq!(
        Secret::from_hex("ABCDEFabcdef0123456789ABCDEFabcd").unwrap().to_hex(),
        "abcdefabcdef0123456789abcdefabcd"
    );
    for bad in ["", "0", " ", "0x3132333435363738393031323334353637", "313g", "３１", "31 3", "31\t32", "31 3g 33"] {
        assert_eq!(Secret::from_hex(bad), Err(Error::InvalidSecret), "{bad:?}");
    }
    // Spaces may group the digits (otpauth prints hex so).
    let grouped = Secret::from_hex("31323334 35363738 39303132 33343536 37383930").unwrap();
    assert_eq!(grouped.as_bytes(), b"12345678901234567890");
    assert_eq!(Secret::from_hex(" 3132333435363738393031323334353637 ").unwrap().len(), 17);
    assert_eq!(Secret::from_hex(&"ab ".repeat(129)), Err(Error::SecretTooLong));
    assert_eq!(Secret::from_hex(&format!("{}zz", "ab ".repeat(200))), Err(Error::InvalidSecret));
    // Bad text is reported as such whatever its length.
    assert_eq!(Secret::from_hex(&"zz".repeat(1000)), Err(Error::InvalidSecret));
    assert_eq!(Secret::from_hex(&"ab".repeat(129)), Err(Error::SecretTooLong));
    assert_eq!(Secret::from_hex(&"ab".repeat(128)).unwrap().len(), 128);
    assert_eq!(Secret::from_hex(&"ab".repeat(10)), Err(Error::SecretTooShort));
    assert_eq!(Secret::from_hex_with(&"ab".repeat(10), SecretPolicy::AllowLegacy).unwrap().len(), 10);
    assert_eq!(Secret::from_hex_with(&"ab".repeat(9), SecretPolicy::AllowLegacy), Err(Error::SecretTooShort));
    for len in [10usize, 16, 20, 32, 64, 128] {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
        let s = Secret::from_bytes_with(&bytes, SecretPolicy::AllowLegacy).unwrap();
        let back = Secret::from_hex_with(&s.to_hex(), SecretPolicy::AllowLegacy).unwrap();
        assert_eq!(back.as_bytes(), &bytes[..]);
        assert_eq!(back.to_base32(), s.to_base32());
    }
    assert!(!format!("{rfc:?}").contains("3132"));
}

#[test]
fn uri_kind_refuses_an_epoch_the_format_cannot_carry() {
    let s = rfc_secret();
    assert_eq!(Totp::builder(&s).period(60).build().unwrap().uri_kind(), Ok(OtpKind::Totp { period: 60 }));
    assert_eq!(Totp::builder(&s).t0(1).build().unwrap().uri_kind(), Err(Error::InvalidT0));
}

#[test]
fn throttle_in_milliseconds() {
    let t = Throttle::new(1, 900).unwrap();
    // A failure at 10.999 s, a try at 11.000 s: 1 ms has elapsed, not 1 s.
    assert_eq!(t.retry_after_millis(1, 10_999, 11_000), 999);
    assert_eq!(t.retry_after(1, 10, 11), 0); // whole seconds lose that
    assert_eq!(t.retry_after_millis(1, 10_999, 11_999), 0);
    assert_eq!(t.retry_after_millis(3, 0, 1), 3_999);
    assert_eq!(t.retry_after_millis(0, 0, 0), 0);
    assert_eq!(t.retry_after_millis(40, 5_000, 4_000), 900_000); // clock went back
    assert_eq!(t.retry_after_millis(u32::MAX, u64::MAX, 0), 900_000);
    // For a Retry-After header: whole seconds, rounded up, never short.
    assert_eq!(t.retry_after_secs_ceil(1, 10_999, 11_000), 1);
    assert_eq!(t.retry_after_secs_ceil(2, 10_000, 10_001), 2);
    assert_eq!(t.retry_after_secs_ceil(1, 10_000, 11_000), 0);
    assert_eq!(t.retry_after_secs_ceil(40, 0, 0), 900);
}

#[test]
fn a_minimum_in_bits_is_a_policy_of_whole_bytes_never_below_the_legacy_floor() {
    use otp_core::{LEGACY_MIN_SECRET_LEN, MIN_SECRET_LEN};
    assert_eq!(SecretPolicy::from_min_bits(112), SecretPolicy::Standard);
    assert_eq!(SecretPolicy::from_min_bits(105), SecretPolicy::Standard);
    for (bits, bytes) in [(113, 15), (128, 16), (160, 20), (80, 10), (81, 11)] {
        let policy = SecretPolicy::from_min_bits(bits);
        assert_eq!(policy.min_len(), bytes, "{bits} bits");
        assert_eq!(policy.min_bits(), bytes * 8);
        assert_eq!(Secret::from_bytes_with(&[7; 128][..bytes - 1], policy), Err(Error::SecretTooShort));
        assert!(Secret::from_bytes_with(&[7; 128][..bytes], policy).is_ok());
    }
    // Below 80 bits: the legacy floor still holds.
    for bits in [0, 1, 8, 79] {
        assert_eq!(SecretPolicy::from_min_bits(bits).min_len(), LEGACY_MIN_SECRET_LEN);
    }
    assert_eq!(SecretPolicy::Standard.min_bits(), MIN_SECRET_LEN * 8);
    // Above the longest secret: nothing is accepted, never a panic.
    let none = SecretPolicy::from_min_bits(u32::MAX);
    assert_eq!(none.min_len(), 255);
    assert_eq!(Secret::from_bytes_with(&[7; 128], none), Err(Error::SecretTooShort));
}

#[test]
fn a_steam_uri_is_read_as_steam_only_when_asked() {
    let uri = "otpauth://totp/Steam:alice?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&encoder=steam&digits=7&period=15";
    let (auth, steam) = OtpAuth::parse_steam_aware(uri, SecretPolicy::Standard).unwrap();
    assert!(steam);
    assert_eq!(auth.digits, otp_core::STEAM_CODE_LEN as u32, "digits and period are Steam's");
    // pyotp's published Steam codes of this secret (test.py, `test_algorithms`).
    assert_eq!(otp_core::Steam::new(&auth.secret).at(30).as_str(), "QJY8Y");
    // `parse_with` ignores `encoder` and reads the URI as written.
    let plain = OtpAuth::parse_with(uri, SecretPolicy::Standard).unwrap();
    assert_eq!((plain.digits, plain.kind), (7, otp_core::OtpKind::Totp { period: 15 }));
    // Without the encoder, or on an HOTP URI, nothing is Steam.
    let (_, steam) =
        OtpAuth::parse_steam_aware("otpauth://totp/a?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW", SecretPolicy::Standard)
            .unwrap();
    assert!(!steam);
    let hotp = "otpauth://hotp/a?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&counter=0&encoder=steam";
    assert!(!OtpAuth::parse_steam_aware(hotp, SecretPolicy::Standard).unwrap().1);
    // A strict parse still refuses what it refuses.
    let bad = "otpauth://totp/a?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&encoder=steam&secret=AAAAAAAAAAAAAAAAAAAAAAAA";
    assert_eq!(OtpAuth::parse_steam_aware(bad, SecretPolicy::Standard), Err(Error::DuplicateParameter));
}

#[test]
fn a_percent_encoded_parameter_name_is_that_parameter() {
    let base = "otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    // `%73ecret` is `secret`: a second one, refused as any duplicate.
    let twice = format!("{base}&%73ecret=AAAAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(OtpAuth::parse(&twice), Err(Error::DuplicateParameter));
    assert_eq!(OtpAuth::parse_lenient(&twice).err(), Some(Error::DuplicateParameter));
    // An encoded name is read: `di%67its=8` sets the digits.
    assert_eq!(OtpAuth::parse(&format!("{base}&di%67its=8")).unwrap().digits, 8);
    // A malformed escape in a name is a malformed URI.
    assert_eq!(OtpAuth::parse(&format!("{base}&%zzx=1")), Err(Error::InvalidUri));
}

/// `unix_now` reads the system clock: between two readings of it.
#[cfg(feature = "std")]
#[test]
fn unix_now_reads_the_system_clock() {
    use std::time::{SystemTime, UNIX_EPOCH};
    let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let now = otp_core::unix_now().unwrap();
    let after = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    assert!(before <= now && now <= after, "{before} <= {now} <= {after}");
}

/// `encoded_len` is the unpadded length, `ceil(8 · bytes / 5)`, and agrees
/// with `encode`.
#[test]
fn base32_encoded_len_is_the_unpadded_length() {
    for (bytes, chars) in [(0, 0), (1, 2), (2, 4), (3, 5), (4, 7), (5, 8), (10, 16), (20, 32), (32, 52)] {
        assert_eq!(otp_core::base32::encoded_len(bytes), chars, "{bytes} bytes");
        assert_eq!(otp_core::base32::encode(&vec![0xA5; bytes]).len(), chars);
    }
}

/// A secret is never empty; zeroizing one clears its bytes and length, and
/// dropping one zeroizes it (read back from the memory it occupied).
#[test]
#[allow(unsafe_code)]
fn secrets_are_zeroized() {
    use zeroize::Zeroize;
    let mut s = Secret::from_bytes(&[0xA5; 20]).unwrap();
    assert!(!s.is_empty());
    s.zeroize();
    assert_eq!(s.len(), 0);
    assert!(s.is_empty() && s.as_bytes().is_empty());

    let mut slot = core::mem::MaybeUninit::new(Secret::from_bytes(&[0xA5; 128]).unwrap());
    // SAFETY: `slot` holds an initialised Secret, dropped once here and never
    // used as a Secret again; its bytes stay readable as plain `u8`s (a
    // Secret is bytes only, no padding, no pointers).
    let after = unsafe {
        core::ptr::drop_in_place(slot.as_mut_ptr());
        core::slice::from_raw_parts(slot.as_ptr().cast::<u8>(), core::mem::size_of::<Secret>()).to_vec()
    };
    assert!(after.iter().all(|&b| b == 0), "{after:?}");
}

/// Hex grouped with spaces decodes up to the longest secret.
#[test]
fn hex_with_spaces_up_to_the_longest_secret() {
    let hex: String = (0..128)
        .map(|i| format!("{i:02x}"))
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.concat())
        .collect::<Vec<_>>()
        .join(" ");
    let s = Secret::from_hex(&hex).unwrap();
    assert_eq!(s.as_bytes(), (0..128u8).collect::<Vec<_>>().as_slice());
    assert_eq!(Secret::from_hex(&format!("{hex} 80")), Err(Error::SecretTooLong));
    // An odd number of digits is bad text, however many there are.
    assert_eq!(Secret::from_hex(&format!("{hex} 8")), Err(Error::InvalidSecret));
    assert_eq!(Secret::from_hex(&format!("{hex} 80 8")), Err(Error::InvalidSecret));
    assert_eq!(Secret::from_hex("   "), Err(Error::InvalidSecret));
}

/// Steam's fixed parameters, its getters and its Debug; the getters of the
/// other generators and of the throttle.
#[test]
fn steam_parameters_and_getters() {
    let secret = rfc_secret();
    assert_eq!(Steam::check_parameters(30, 5), Ok(()));
    assert_eq!(Steam::check_parameters(60, 5), Err(Error::InvalidPeriod));
    assert_eq!(Steam::check_parameters(30, 6), Err(Error::InvalidDigits));
    assert_eq!(Steam::check_parameters(60, 6), Err(Error::InvalidPeriod));
    assert_eq!(Steam::with_parameters(&secret, 30, 4).unwrap_err(), Error::InvalidDigits);
    let steam = Steam::with_parameters(&secret, 30, 5).unwrap();
    assert_eq!((steam.period(), steam.digits()), (30, 5));
    for (time, step) in [(0, 0), (29, 0), (30, 1), (59, 1), (1_111_111_109, 37_037_036)] {
        assert_eq!(steam.step(time), step, "{time}");
        assert_eq!(steam.at(time), steam.at_step(step));
    }
    assert_eq!(format!("{steam:?}"), "Steam { .. }");

    let totp = Totp::builder(&secret).algorithm(Algorithm::Sha512).build().unwrap();
    assert_eq!(totp.algorithm(), Algorithm::Sha512);
    assert_eq!(Totp::new(&secret).algorithm(), Algorithm::Sha1);
    let throttle = Throttle::new(3, 60).unwrap();
    assert_eq!((throttle.base(), throttle.cap()), (3, 60));
}

/// The first steps after the epoch verify (no last step is no floor), the
/// current code verifies at the system time, and Debug shows the parameters.
#[test]
fn totp_at_the_epoch_and_now() {
    use otp_core::{AccountState, DeviceState, Outcome, Verifier};
    let totp = Totp::new(&rfc_secret());
    let v = Verifier::default().with_window(0, 0).unwrap();
    for time in [0u64, 29, 30, 59, 60] {
        let code = totp.at(time).unwrap();
        let d =
            v.check_totp(&totp, code.as_str(), time * 1000, &DeviceState::default(), &AccountState::default()).unwrap();
        assert_eq!(d.outcome, Outcome::Accepted { step: time / 30, offset: 0 }, "{time}");
        assert_eq!(totp.verify(code.as_str(), time, Window::EXACT, None).unwrap().map(|m| m.step), Some(time / 30));
    }
    let now = totp.now().unwrap();
    assert!(totp.verify_now(now.as_str(), Window::new(1, 1).unwrap(), None).unwrap().is_some());
    assert_eq!(totp.verify_now("000000x", Window::new(1, 1).unwrap(), None), Ok(None));
    assert_eq!(format!("{totp:?}"), "Totp { algorithm: Sha1, digits: 6, period: 30, t0: 0, .. }");
}

/// A URI of exactly MAX_URI_LEN bytes is written and read back; one byte
/// more is refused.
#[test]
fn the_longest_uri() {
    let mut x = OtpAuth::totp(rfc_secret(), "alice").with_issuer("ACME");
    x.image = Some("https://x.test/".into());
    let short = x.to_uri().unwrap().len();
    // A space is written `%20`: three bytes of URI per byte of image.
    let room = otp_core::uri::MAX_URI_LEN - short;
    x.image = Some(format!("https://x.test/{}{}", "i".repeat(room % 3), " ".repeat(room / 3)));
    let uri = x.to_uri().unwrap();
    assert_eq!(uri.len(), otp_core::uri::MAX_URI_LEN);
    assert_eq!(OtpAuth::parse(&uri).unwrap(), x);
    x.image.as_mut().unwrap().push('i');
    assert_eq!(x.to_uri(), Err(Error::InputTooLong));
}

/// The lenient import ignores an empty `secret`, `issuer` or `image` after
/// one was given (what is left of a pasted `…&issuer ` once trimmed); the
/// strict parser refuses the repeat.
#[test]
fn lenient_import_ignores_an_empty_repeat() {
    let base = "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME&image=https%3A%2F%2Fx.test%2Fi.png";
    for repeat in ["&secret=", "&issuer=", "&image=", "&secret", "&issuer", "&image"] {
        let uri = format!("{base}{repeat}");
        let imported = OtpAuth::parse_lenient(&uri).unwrap();
        assert_eq!(imported.otp, OtpAuth::parse(base).unwrap(), "{repeat}");
        assert!(OtpAuth::parse(&uri).is_err(), "{repeat}");
    }
}

/// The lenient import refuses what could not be written back: here an
/// issuer given only in the label, which the canonical URI writes twice,
/// over MAX_URI_LEN once percent-encoded.
#[test]
fn lenient_import_refuses_what_it_could_not_write_back() {
    let wide = "é".repeat(128); // 256 bytes, 768 once percent-encoded
    let encoded = "%C3%A9".repeat(128);
    let uri = format!("otpauth://totp/{encoded}:{encoded}?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert!(uri.len() < otp_core::uri::MAX_URI_LEN);
    assert_eq!(OtpAuth::parse_lenient(&uri).err(), Some(Error::InputTooLong));
    let half = format!("otpauth://totp/{encoded}:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert_eq!(OtpAuth::parse_lenient(&half).unwrap().otp.issuer.as_deref(), Some(wide.as_str()));
}
