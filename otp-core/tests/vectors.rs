//! Runs every file in tests/vectors/ (the cases all languages share).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::{collections::BTreeSet, fs, path::PathBuf};

use otp_core::{
    Algorithm, Error, Hotp, OtpAuth, OtpKind, Secret, SecretPolicy, Steam, Throttle, Totp, Window, backup, base32,
};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn load(name: &str) -> Value {
    let text = fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn cases<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    let cases = v[key].as_array().unwrap_or_else(|| panic!("no {key:?} array"));
    assert!(!cases.is_empty(), "{key}: no cases");
    cases
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a u64: {v}"))
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn alg(v: &Value) -> Algorithm {
    Algorithm::parse(s(v)).unwrap()
}

fn policy(v: &Value) -> SecretPolicy {
    match v.as_str() {
        None | Some("standard") => SecretPolicy::Standard,
        Some("allow_legacy") => SecretPolicy::AllowLegacy,
        Some(other) => panic!("unknown policy {other}"),
    }
}

fn secret_hex(case: &Value) -> Secret {
    Secret::from_bytes_with(&hex(s(&case["secret_hex"])), SecretPolicy::AllowLegacy).unwrap()
}

fn expect_error<T: std::fmt::Debug>(name: &str, got: Result<T, Error>, code: &str) {
    match got {
        Err(e) => assert_eq!(e.code(), code, "{name}"),
        Ok(v) => panic!("{name}: expected error {code}, got {v:?}"),
    }
}

/// A verification's expected outcome: `null` (not accepted), `{"error": code}`,
/// or the accepted value, read from `expect` by `value`.
fn check_verdict<T: PartialEq + std::fmt::Debug>(
    name: &Value,
    got: Result<Option<T>, Error>,
    expect: &Value,
    value: impl Fn(&Value) -> T,
) {
    if expect.is_null() {
        assert_eq!(got, Ok(None), "{name}");
    } else if let Some(code) = expect.get("error") {
        expect_error(&name.to_string(), got, s(code));
    } else {
        assert_eq!(got, Ok(Some(value(expect))), "{name}");
    }
}

/// Every file in the folder must be run by one of the tests below.
#[test]
fn every_vector_file_is_exercised() {
    let known: BTreeSet<&str> = [
        "hotp_rfc4226.json",
        "totp_rfc6238.json",
        "totp_verify.json",
        "hotp_verify.json",
        "steam.json",
        "base32.json",
        "backup_codes.json",
        "throttle.json",
        "uri_parse.json",
        "uri_build.json",
    ]
    .into();
    let present: BTreeSet<String> = fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    let present: BTreeSet<&str> = present.iter().map(String::as_str).collect();
    assert_eq!(present, known, "a vector file without a runner, or a runner without its file");
}

#[test]
fn hotp_rfc4226() {
    let v = load("hotp_rfc4226.json");
    for case in cases(&v, "cases") {
        let hotp = Hotp::builder(&secret_hex(case))
            .algorithm(alg(&case["algorithm"]))
            .digits(u(&case["digits"]) as u32)
            .build()
            .unwrap();
        let counter = u(&case["counter"]);
        assert_eq!(hotp.at(counter).as_str(), s(&case["code"]), "{}", case["name"]);
        assert_eq!(hotp.verify(s(&case["code"]), counter, 0).unwrap(), Some(counter));
    }
}

#[test]
fn totp_rfc6238() {
    let v = load("totp_rfc6238.json");
    for case in cases(&v, "cases") {
        let name = &case["name"];
        let secret = secret_hex(case);
        let algorithm = alg(&case["algorithm"]);
        assert_eq!(secret.len(), algorithm.secret_len(), "{name}: RFC 6238 seeds have the hash's length");
        let totp = Totp::builder(&secret)
            .algorithm(algorithm)
            .digits(u(&case["digits"]) as u32)
            .period(u(&case["period"]))
            .t0(u(&case["t0"]))
            .build()
            .unwrap();
        let time = u(&case["time"]);
        assert_eq!(totp.step(time).unwrap(), u(&case["step"]), "{name}");
        assert_eq!(totp.at(time).unwrap().as_str(), s(&case["code"]), "{name}");
    }
}

#[test]
fn totp_verify() {
    let v = load("totp_verify.json");
    for case in cases(&v, "cases") {
        let name = &case["name"];
        let totp = Totp::builder(&secret_hex(case))
            .algorithm(alg(&case["algorithm"]))
            .digits(u(&case["digits"]) as u32)
            .period(u(&case["period"]))
            .t0(u(&case["t0"]))
            .build()
            .unwrap();
        let past = u(&case["past"]) as u32;
        let future = u(&case["future"]) as u32;
        let drift = case["drift"].as_i64().unwrap();
        let last_step = case["last_step"].as_u64();
        let result = Window::new(past, future)
            .and_then(|w| w.with_drift(drift))
            .and_then(|w| totp.verify(s(&case["code"]), u(&case["time"]), w, last_step));
        let result = result.map(|m| m.map(|m| (m.step, m.offset)));
        check_verdict(name, result, &case["expect"], |e| (u(&e["step"]), e["offset"].as_i64().unwrap()));
    }
}

#[test]
fn hotp_verify() {
    let v = load("hotp_verify.json");
    for case in cases(&v, "cases") {
        let name = &case["name"];
        let hotp = Hotp::builder(&secret_hex(case))
            .algorithm(alg(&case["algorithm"]))
            .digits(u(&case["digits"]) as u32)
            .build()
            .unwrap();
        let result = hotp.verify(s(&case["code"]), u(&case["counter"]), u(&case["look_ahead"]) as u32);
        check_verdict(name, result, &case["expect"], |e| u(&e["counter"]));
    }
}

#[test]
fn steam() {
    let v = load("steam.json");
    for case in cases(&v, "cases") {
        let steam =
            Steam::new(&Secret::from_base32_with(s(&case["secret_base32"]), SecretPolicy::AllowLegacy).unwrap());
        let time = u(&case["time"]);
        assert_eq!(steam.at(time).as_str(), s(&case["code"]), "{}", case["name"]);
        let m = steam.verify(s(&case["code"]), time, Window::EXACT, None).unwrap().unwrap();
        assert_eq!(m.step, time / 30);
    }
}

#[test]
fn base32_cases() {
    let v = load("base32.json");
    for case in cases(&v, "decode") {
        let name = &case["name"];
        let got = Secret::from_base32_with(s(&case["input"]), policy(&case["policy"]));
        let expect = &case["expect"];
        if let Some(code) = expect.get("error") {
            expect_error(&name.to_string(), got, s(code));
        } else {
            assert_eq!(to_hex(got.unwrap().as_bytes()), s(&expect["hex"]), "{name}");
        }
    }
    for case in cases(&v, "encode") {
        let bytes = hex(s(&case["hex"]));
        assert_eq!(base32::encode(&bytes), s(&case["base32"]), "{}", case["name"]);
        let mut out = [0u8; 256];
        if !bytes.is_empty() {
            let n = base32::decode_into(s(&case["base32"]), &mut out).unwrap();
            assert_eq!(&out[..n], &bytes[..], "{}", case["name"]);
        }
    }
}

#[test]
fn backup_codes() {
    let v = load("backup_codes.json");
    for case in cases(&v, "normalize") {
        let name = &case["name"];
        let got = backup::normalize_backup_code(s(&case["input"]));
        if let Some(code) = case["expect"].get("error") {
            expect_error(&name.to_string(), got, s(code));
        } else {
            assert_eq!(got.unwrap(), s(&case["expect"]["normalized"]), "{name}");
        }
    }
    let sets = cases(&v, "sets");
    for set in sets {
        let codes: Vec<&str> = set["codes"].as_array().unwrap().iter().map(s).collect();
        let hashes: Vec<&str> = set["hashes"].as_array().unwrap().iter().map(s).collect();
        let ours = backup::hash_backup_codes_with_salt(&codes, s(&set["salt"]), u(&set["iterations"]) as u32).unwrap();
        assert_eq!(ours, hashes, "{}: our hashes equal Django's", set["name"]);
    }
    for case in cases(&v, "verify") {
        let name = &case["name"];
        let set = sets.iter().find(|set| set["name"] == case["set"]).unwrap_or_else(|| panic!("{name}: no set"));
        let hashes: Vec<&str> = set["hashes"].as_array().unwrap().iter().map(s).collect();
        let got = backup::verify_backup_code(s(&case["candidate"]), &hashes).unwrap();
        let want = case["expect"].get("index").map(|i| u(i) as usize);
        assert_eq!(got, want, "{name}");
    }
    for case in cases(&v, "invalid_hashes") {
        let got = backup::verify_backup_code("ABCDE-FGHJK", &[s(&case["hash"])]);
        expect_error(&case["name"].to_string(), got, s(&case["error"]));
    }
}

#[test]
fn throttle() {
    let v = load("throttle.json");
    for case in cases(&v, "cases") {
        let name = &case["name"];
        let t = Throttle::new(u(&case["base"]), u(&case["cap"]));
        if let Some(code) = case["expect"].get("error") {
            expect_error(&name.to_string(), t, s(code));
            continue;
        }
        let t = t.unwrap();
        let got = t.retry_after(u(&case["failures"]) as u32, u(&case["last_failure_at"]), u(&case["now"]));
        assert_eq!(got, u(&case["expect"]["retry_after"]), "{name}");
        assert_eq!(t.is_allowed(u(&case["failures"]) as u32, u(&case["last_failure_at"]), u(&case["now"])), got == 0);
    }
}

fn otpauth_from(input: &Value) -> OtpAuth {
    let kind = match s(&input["type"]) {
        "totp" => OtpKind::Totp { period: input.get("period").map_or(30, u) },
        "hotp" => OtpKind::Hotp { counter: u(&input["counter"]) },
        other => panic!("type {other}"),
    };
    OtpAuth {
        kind,
        secret: Secret::from_base32_with(s(&input["secret_base32"]), SecretPolicy::AllowLegacy).unwrap(),
        algorithm: alg(&input["algorithm"]),
        digits: u(&input["digits"]) as u32,
        account: s(&input["account"]).to_owned(),
        issuer: input["issuer"].as_str().map(str::to_owned),
        image: input["image"].as_str().map(str::to_owned),
    }
}

#[test]
fn uri_parse() {
    let v = load("uri_parse.json");
    let all = cases(&v, "cases");
    assert!(all.len() >= 40);
    for case in all {
        let name = &case["name"];
        let got = OtpAuth::parse_with(s(&case["uri"]), policy(&case["policy"]));
        let expect = &case["expect"];
        if let Some(code) = expect.get("error") {
            expect_error(&name.to_string(), got, s(code));
            continue;
        }
        let got = got.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(got, otpauth_from(expect), "{name}");
        assert_eq!(got.secret.to_base32(), s(&expect["secret_base32"]), "{name}");
        // What parses, builds, and builds back to itself.
        let again = OtpAuth::parse_with(&got.to_uri().unwrap(), SecretPolicy::AllowLegacy).unwrap();
        assert_eq!(again, got, "{name}: round trip");
    }
}

#[test]
fn uri_build() {
    let v = load("uri_build.json");
    for case in cases(&v, "cases") {
        let name = &case["name"];
        let got = otpauth_from(&case["input"]).to_uri();
        if let Some(code) = case["expect"].get("error") {
            expect_error(&name.to_string(), got, s(code));
        } else {
            assert_eq!(got.unwrap(), s(&case["expect"]["uri"]), "{name}");
        }
    }
}
