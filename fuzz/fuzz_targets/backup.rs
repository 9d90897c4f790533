//! Backup codes: normalisation, stored-hash parsing, verification.
//!
//! Properties:
//! * `normalize_backup_code` of arbitrary text equals an independent
//!   reference (case-fold, drop spaces/hyphens, O→0, I/L→1, exactly 10
//!   Crockford characters, input ≤ 64 bytes), and is idempotent;
//! * `verify_backup_code` with arbitrary stored hashes never panics; it fails
//!   (with `InvalidBackupHash`) exactly when a reference parser rejects one of
//!   the hashes, whatever the candidate ("a corrupt store is reported
//!   whatever the candidate"); otherwise its answer equals a reference
//!   verification (first index whose PBKDF2 matches), computed with the
//!   `pbkdf2` crate;
//! * `hash_backup_codes_with_salt` (iterations 1000) fails with the
//!   documented error in the documented order (params, then salt, then
//!   codes); on success every hash has Django's format and each code, typed
//!   in another form (lower case, spaces, O/I/L), verifies at the first index
//!   holding the same normalised code; a code not in the set does not verify;
//! * `hash_backup_codes` (random salt) hashes verify their own code.
//!
//! Stored hashes with more than 1000 iterations are only parsed, never
//! derived, to keep executions fast.
#![no_main]

use arbitrary::Arbitrary;
use base64::{Engine, engine::general_purpose::STANDARD};
use libfuzzer_sys::fuzz_target;
use otp_core::{Error, OsRng, backup};

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CHEAP_ITERATIONS: u32 = 1000;

fn reference_normalize(code: &str) -> Option<String> {
    if code.len() > 64 {
        return None;
    }
    let mut out = String::new();
    for c in code.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if c.is_ascii() && CROCKFORD.contains(&(c as u8)) => c,
            _ => return None,
        };
        out.push(c);
    }
    (out.len() == 10).then_some(out)
}

struct RefHash {
    iterations: u32,
    salt: String,
    hash: [u8; 32],
}

fn reference_parse(s: &str) -> Option<RefHash> {
    let parts: Vec<&str> = s.split('$').collect();
    let [prefix, iterations, salt, b64] = parts[..] else { return None };
    // Canonical decimal only (no leading zero), as Django writes it.
    if prefix != "pbkdf2_sha256" || iterations.is_empty() || iterations.len() > 10 || iterations.starts_with('0') {
        return None;
    }
    if !iterations.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let iterations: u64 = iterations.parse().ok()?;
    if !(1..=10_000_000).contains(&iterations) || salt.is_empty() || salt.len() > 128 || b64.len() != 44 {
        return None;
    }
    let bytes = STANDARD.decode(b64).ok()?;
    let hash: [u8; 32] = bytes.try_into().ok()?;
    Some(RefHash { iterations: iterations as u32, salt: salt.to_string(), hash })
}

fn reference_derive(code: &str, salt: &str, iterations: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(code.as_bytes(), salt.as_bytes(), iterations, &mut out);
    out
}

/// How to write a stored hash: raw text, or Django's format from parts.
#[derive(Arbitrary, Debug)]
enum HashSpec {
    Raw(String),
    Parts { iterations: u32, cheap: bool, salt: String, hash: [u8; 32], code: Option<[u8; 10]> },
}

#[derive(Arbitrary, Debug)]
struct Input {
    candidate: String,
    hashes: Vec<HashSpec>,
    codes: Vec<([u8; 10], u8)>,
    salt: String,
    salt_default: bool,
    iterations_sel: u8,
    pick: u8,
    many: bool,
}

fn code_from(raw: &[u8; 10]) -> String {
    raw.iter().map(|&b| char::from(CROCKFORD[usize::from(b & 31)])).collect()
}

/// Writes a normalised code in one of the forms people type.
fn retype(code: &str, style: u8) -> String {
    let mut out = String::new();
    for (i, c) in code.chars().enumerate() {
        if i == 5 && style & 1 != 0 {
            out.push(if style & 2 != 0 { '-' } else { ' ' });
        }
        let c = match c {
            '0' if style & 4 != 0 => 'O',
            '1' if style & 8 != 0 => {
                if i % 2 == 0 {
                    'I'
                } else {
                    'L'
                }
            }
            c => c,
        };
        out.push(if style & 16 != 0 { c.to_ascii_lowercase() } else { c });
    }
    if style & 32 != 0 {
        out.insert(0, ' ');
    }
    if style & 64 != 0 {
        out.push('!'); // no longer a code
    }
    out
}

fuzz_target!(|input: Input| {
    // 1. Normalisation.
    let norm = backup::normalize_backup_code(&input.candidate);
    assert_eq!(norm.as_ref().ok(), reference_normalize(&input.candidate).as_ref(), "{:?}", input.candidate);
    match &norm {
        Ok(n) => assert_eq!(backup::normalize_backup_code(n).as_ref(), Ok(n)),
        Err(e) => assert_eq!(*e, Error::InvalidBackupCode),
    }

    // 2. Arbitrary stored hashes.
    let hashes: Vec<String> = input
        .hashes
        .iter()
        .take(4)
        .map(|h| match h {
            HashSpec::Raw(s) => s.clone(),
            HashSpec::Parts { iterations, cheap, salt, hash, code } => {
                let iterations = if *cheap { 1 + iterations % CHEAP_ITERATIONS } else { *iterations };
                let hash = match (code, *cheap) {
                    (Some(c), true) => reference_derive(&code_from(c), salt, iterations),
                    _ => *hash,
                };
                format!("pbkdf2_sha256${iterations}${salt}${}", STANDARD.encode(hash))
            }
        })
        .collect();
    let parsed: Vec<Option<RefHash>> = hashes.iter().map(|h| reference_parse(h)).collect();
    let all_valid = parsed.iter().all(Option::is_some);
    let not_a_code = backup::verify_backup_code("!", &hashes);
    if all_valid {
        assert_eq!(not_a_code, Ok(None));
    } else {
        assert_eq!(not_a_code, Err(Error::InvalidBackupHash), "{hashes:?}");
    }
    let cheap = parsed.iter().flatten().all(|p| p.iterations <= CHEAP_ITERATIONS);
    if let (Ok(n), true) = (&norm, cheap) {
        let got = backup::verify_backup_code(&input.candidate, &hashes);
        if all_valid {
            let want = parsed.iter().flatten().position(|p| reference_derive(n, &p.salt, p.iterations) == p.hash);
            assert_eq!(got, Ok(want));
        } else {
            assert_eq!(got, not_a_code, "the error must not depend on the candidate");
        }
    }

    // 3. Hashes built from codes.
    let mut codes: Vec<String> =
        input.codes.iter().take(3).map(|(raw, style)| retype(&code_from(raw), *style)).collect();
    if input.many {
        codes = vec![String::from("ABCDE-FGHJK"); backup::MAX_BACKUP_CODE_COUNT + 1];
    }
    let iterations = match input.iterations_sel % 8 {
        0 => 999,
        1 => 0,
        2 => backup::MAX_BACKUP_ITERATIONS + 1,
        _ => CHEAP_ITERATIONS,
    };
    let salt = if input.salt_default { "fuzzsalt0123456789ABCD" } else { input.salt.as_str() };
    let params_ok = !codes.is_empty() && codes.len() <= backup::MAX_BACKUP_CODE_COUNT && iterations == CHEAP_ITERATIONS;
    let salt_ok = !salt.is_empty() && salt.len() <= 128 && !salt.contains('$');
    let normalised: Vec<Option<String>> = codes.iter().map(|c| reference_normalize(c)).collect();
    let built = backup::hash_backup_codes_with_salt(&codes, salt, iterations);
    let want_err = if !params_ok {
        Some(Error::InvalidBackupParams)
    } else if !salt_ok {
        Some(Error::InvalidBackupHash)
    } else if normalised.iter().any(Option::is_none) {
        Some(Error::InvalidBackupCode)
    } else {
        None
    };
    assert_eq!(built.as_ref().err(), want_err.as_ref());
    let Ok(built) = built else { return };
    let normalised: Vec<String> = normalised.into_iter().flatten().collect();
    assert_eq!(built.len(), codes.len());
    let prefix = format!("pbkdf2_sha256${CHEAP_ITERATIONS}${salt}$");
    for h in &built {
        assert!(h.starts_with(&prefix), "{h:?}");
        assert!(reference_parse(h).is_some(), "{h:?}");
    }
    let i = usize::from(input.pick) % codes.len();
    let first = normalised.iter().position(|n| *n == normalised[i]);
    // Typed differently: lower case with a space.
    let typed = retype(&normalised[i], 1 | 16);
    assert_eq!(backup::verify_backup_code(&typed, &built), Ok(first));
    let p = reference_parse(&built[i]).expect("own hash parses");
    assert_eq!(reference_derive(&normalised[i], salt, CHEAP_ITERATIONS), p.hash, "hash differs from PBKDF2-SHA256");
    // A code not in the set: change one character.
    let mut other: Vec<u8> = normalised[i].clone().into_bytes();
    other[usize::from(input.pick) % 10] = {
        let pos = CROCKFORD.iter().position(|&c| c == other[usize::from(input.pick) % 10]).expect("Crockford");
        CROCKFORD[(pos + 1 + usize::from(input.pick / 10) % 31) % 32]
    };
    let other = String::from_utf8(other).expect("ASCII");
    if !normalised.contains(&other) {
        assert_eq!(backup::verify_backup_code(&other, &built), Ok(None));
    }

    // 4. Random salt.
    let random = backup::hash_backup_codes(&mut OsRng, &codes[i..=i], CHEAP_ITERATIONS).expect("valid code");
    assert_eq!(backup::verify_backup_code(&codes[i], &random), Ok(Some(0)));
});
