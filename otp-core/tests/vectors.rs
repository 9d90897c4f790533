//! Runs every file in tests/vectors/ (the cases all languages share).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::{collections::BTreeSet, fs, path::PathBuf};

use otp_core::{
    AccountState, Algorithm, Decision, DeviceState, Error, Hotp, Keyring, OtpAuth, OtpKind, Outcome, Secret,
    SecretPolicy, Steam, Throttle, Totp, Verifier, Window, Write, backup, base32, migration,
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
        "uri_import.json",
        "seal.json",
        "decision.json",
        "migration.json",
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
        secret: Secret::from_base32_with(s(&input["secret_base32"]), SecretPolicy::Import).unwrap(),
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

#[test]
fn uri_import() {
    let v = load("uri_import.json");
    let all = cases(&v, "cases");
    assert!(all.len() >= 25);
    let table: BTreeSet<&str> = otp_core::lint::COMPATIBILITY.iter().map(|f| f.code).collect();
    let lenient: BTreeSet<&str> = otp_core::uri::LENIENT_FINDINGS.iter().map(|f| f.code).collect();
    for case in all {
        let name = &case["name"].to_string();
        let uri = s(&case["uri"]);
        match s(&case["strict"]) {
            "ok" => assert!(OtpAuth::parse(uri).is_ok(), "{name}: strict"),
            code => expect_error(name, OtpAuth::parse(uri), code),
        }
        let expect = &case["expect"];
        if let Some(code) = expect.get("error") {
            expect_error(name, OtpAuth::parse_lenient(uri), s(code));
            expect_error(name, otp_core::lint::lint_uri(uri), s(code));
            continue;
        }
        let got = OtpAuth::parse_lenient(uri).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let steam = s(&expect["type"]) == "steam";
        assert_eq!(got.steam, steam, "{name}");
        let mut want = expect.clone();
        if steam {
            want["type"] = "totp".into();
        }
        assert_eq!(got.otp, otpauth_from(&want), "{name}");
        assert_eq!(got.otp.secret.to_base32(), s(&expect["secret_base32"]), "{name}");
        let codes = |f: &[otp_core::Finding]| f.iter().map(|f| f.code.to_owned()).collect::<Vec<_>>();
        let strs = |v: &Value| v.as_array().unwrap().iter().map(|c| s(c).to_owned()).collect::<Vec<_>>();
        assert_eq!(codes(&got.findings), strs(&expect["findings"]), "{name}: findings");
        assert!(got.findings.iter().all(|f| lenient.contains(f.code)), "{name}");
        let lint = otp_core::lint::lint_uri(uri).unwrap();
        assert_eq!(codes(&lint), strs(&expect["lint"]), "{name}: lint");
        for f in lint.iter().filter(|f| f.source.is_some()) {
            assert!(table.contains(f.code), "{name}: {} is not in the table", f.code);
        }
        // The account-only lint agrees with the URI lint on the table's
        // account conditions.
        if !steam {
            for f in otp_core::lint::lint(&got.otp) {
                assert!(lint.iter().any(|g| g.code == f.code), "{name}: {} only in lint()", f.code);
            }
        }
        if steam {
            assert_eq!(got.steam_generator().unwrap().at(0).len(), 5, "{name}");
            assert!(got.account().unwrap().is_none());
        } else {
            assert!(got.account().unwrap().is_some());
        }
    }
}

fn keyring(keys: &Value, primary: &str) -> Result<Keyring, Error> {
    let pairs: Vec<(String, String)> =
        keys.as_object().unwrap().iter().map(|(id, key)| (id.clone(), s(key).to_owned())).collect();
    Keyring::new(pairs, primary)
}

#[test]
fn seal() {
    let v = load("seal.json");
    let keys = &v["keys"];
    for case in cases(&v, "seal") {
        let ring = keyring(keys, s(&case["primary"])).unwrap();
        let secret = secret_hex(case);
        let context = hex(s(&case["context_hex"]));
        let nonce: [u8; 24] = hex(s(&case["nonce_hex"])).try_into().unwrap();
        let envelope = ring.seal_with_nonce(&secret, &context, &nonce).unwrap();
        assert_eq!(envelope, s(&case["envelope"]), "{}", case["name"]);
        assert_eq!(ring.open(&envelope, &context).unwrap().as_bytes(), secret.as_bytes());
    }
    for case in cases(&v, "open") {
        let name = &case["name"];
        let ring = match case.get("keys") {
            Some(ids) => {
                let ids: Vec<&str> = ids.as_array().unwrap().iter().map(s).collect();
                let subset: serde_json::Map<String, Value> = keys
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(id, _)| ids.contains(&id.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                keyring(&Value::Object(subset), ids[0]).unwrap()
            }
            None => keyring(keys, "2026-12").unwrap(),
        };
        let got = ring.open(s(&case["envelope"]), &hex(s(&case["context_hex"])));
        match case["expect"].get("error") {
            Some(code) => expect_error(&name.to_string(), got.map(|s| s.len()), s(code)),
            None => assert_eq!(to_hex(got.unwrap().as_bytes()), s(&case["expect"]["secret_hex"]), "{name}"),
        }
    }
    let ring = keyring(keys, "2026-12").unwrap();
    for case in cases(&v, "needs_rewrap") {
        let got = ring.needs_rewrap(s(&case["envelope"]));
        match case["expect"].get("error") {
            Some(code) => expect_error(&case["name"].to_string(), got, s(code)),
            None => assert_eq!(got, Ok(case["expect"].as_bool().unwrap()), "{}", case["name"]),
        }
    }
    for case in cases(&v, "keyrings") {
        let got = keyring(&case["keys"], s(&case["primary"]));
        match case["expect"].get("error") {
            Some(code) => expect_error(&case["name"].to_string(), got.map(|r| r.primary().to_owned()), s(code)),
            None => assert_eq!(got.unwrap().primary(), s(&case["primary"]), "{}", case["name"]),
        }
    }
}

fn opt_u64(v: &Value) -> Option<u64> {
    v.as_u64()
}

fn verifier_of(p: &Value) -> Verifier {
    let throttle = match &p["throttle"] {
        Value::Null => None,
        t => Some(Throttle::new(u(&t["base"]), u(&t["cap"])).unwrap()),
    };
    Verifier::new()
        .with_window(u(&p["past"]) as u32, u(&p["future"]) as u32)
        .unwrap()
        .with_drift_sync(p["sync_drift"].as_bool().unwrap())
        .with_look_ahead(u(&p["look_ahead"]) as u32)
        .unwrap()
        .with_throttle(throttle)
        .with_account_max_failures(u(&p["account_max_failures"]) as u32)
        .unwrap()
        .with_clock_diagnosis(u(&p["clock_diagnosis"]) as u32)
        .unwrap()
}

/// A decision as the vectors write it.
fn decision_json(d: &Decision) -> Value {
    use serde_json::json;
    let outcome = match d.outcome {
        Outcome::Accepted { step, offset } => json!({"kind": "accepted", "step": step, "offset": offset}),
        Outcome::Replayed { step } => json!({"kind": "replayed", "step": step}),
        Outcome::Rejected { clock_offset } => json!({"kind": "rejected", "clock_offset": clock_offset}),
        Outcome::Throttled { retry_after_ms } => json!({"kind": "throttled", "retry_after_ms": retry_after_ms}),
        Outcome::Locked => json!({"kind": "locked"}),
    };
    assert_eq!(outcome["kind"], d.outcome.kind());
    let write = match d.write {
        Write::Nothing => json!({"kind": "nothing"}),
        Write::Accept { step, drift, failures_read } => {
            json!({"kind": "accept", "step": step, "drift": drift, "failures_read": failures_read})
        }
        Write::Consume { index } => json!({"kind": "consume", "index": index}),
        Write::Failure { at_ms } => json!({"kind": "failure", "at_ms": at_ms}),
    };
    json!({"outcome": outcome, "write": write})
}

#[test]
fn decision() {
    let v = load("decision.json");
    for case in cases(&v, "cases") {
        let name = &case["name"];
        let verifier = verifier_of(&case["policy"]);
        let d = &case["device"];
        let device = DeviceState {
            last_step: opt_u64(&d["last_step"]),
            drift: d["drift"].as_i64().unwrap(),
            failures: u(&d["failures"]) as u32,
            last_failure_at_ms: opt_u64(&d["last_failure_at_ms"]),
        };
        let account = AccountState { failures: u(&case["account"]["failures"]) as u32 };
        let (token, now) = (s(&case["token"]), u(&case["now_ms"]));
        let got = match s(&case["kind"]) {
            "totp" => {
                let totp = Totp::builder(&secret_hex(case))
                    .algorithm(alg(&case["algorithm"]))
                    .digits(u(&case["digits"]) as u32)
                    .period(u(&case["period"]))
                    .t0(u(&case["t0"]))
                    .build()
                    .unwrap();
                verifier.check_totp(&totp, token, now, &device, &account)
            }
            "hotp" => {
                let hotp = Hotp::builder(&secret_hex(case))
                    .algorithm(alg(&case["algorithm"]))
                    .digits(u(&case["digits"]) as u32)
                    .build()
                    .unwrap();
                Ok(verifier.check_hotp(&hotp, token, now, &device, &account))
            }
            "backup" => {
                let hashes: Vec<&str> = case["hashes"].as_array().unwrap().iter().map(s).collect();
                verifier.check_backup(token, &hashes, now, &device, &account)
            }
            other => panic!("unknown kind {other}"),
        };
        match case["expect"].get("error") {
            Some(code) => expect_error(&name.to_string(), got, s(code)),
            None => assert_eq!(decision_json(&got.unwrap()), case["expect"], "{name}"),
        }
    }
}

/// An imported or exported account as migration.json writes it.
fn migration_account(otp: &OtpAuth) -> Value {
    let mut v = serde_json::json!({
        "type": match otp.kind { OtpKind::Totp { .. } => "totp", OtpKind::Hotp { .. } => "hotp" },
        "secret_hex": to_hex(otp.secret.as_bytes()),
        "algorithm": otp.algorithm.name(),
        "digits": otp.digits,
    });
    match otp.kind {
        OtpKind::Totp { period } => v["period"] = period.into(),
        OtpKind::Hotp { counter } => v["counter"] = counter.into(),
    }
    v["account"] = otp.account.clone().into();
    v["issuer"] = otp.issuer.clone().map_or(Value::Null, Value::from);
    v
}

fn migration_otp(a: &Value) -> OtpAuth {
    let secret = Secret::from_bytes_with(&hex(s(&a["secret_hex"])), SecretPolicy::Import).unwrap();
    let kind = match s(&a["type"]) {
        "hotp" => OtpKind::Hotp { counter: u(&a["counter"]) },
        _ => OtpKind::Totp { period: u(&a["period"]) },
    };
    OtpAuth {
        kind,
        secret,
        algorithm: alg(&a["algorithm"]),
        digits: u(&a["digits"]) as u32,
        account: s(&a["account"]).to_owned(),
        issuer: a["issuer"].as_str().map(str::to_owned),
        image: None,
    }
}

#[test]
fn migration_vectors() {
    let file = load("migration.json");
    for c in cases(&file, "parse") {
        let name = &c["name"];
        let got = migration::parse_migration_uri(s(&c["uri"]));
        let expect = &c["expect"];
        if let Some(code) = expect.get("error") {
            expect_error(&name.to_string(), got, s(code));
            continue;
        }
        let batch = got.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let entries: Vec<Value> = batch
            .entries
            .iter()
            .map(|e| {
                let mut v = serde_json::json!({"position": e.position});
                for (k, x) in migration_account(&e.otp).as_object().unwrap() {
                    v[k] = x.clone();
                }
                v["findings"] = e.findings.iter().map(|f| f.code).collect::<Vec<_>>().into();
                v
            })
            .collect();
        let skipped: Vec<Value> = batch
            .skipped
            .iter()
            .map(|k| serde_json::json!({"position": k.position, "name": k.name, "reason": k.reason.code()}))
            .collect();
        let got = serde_json::json!({
            "version": batch.version,
            "batch_size": batch.batch_size,
            "batch_index": batch.batch_index,
            "batch_id": batch.batch_id,
            "entries": entries,
            "skipped": skipped,
        });
        assert_eq!(&got, expect, "{name}");
    }
    for c in cases(&file, "assemble") {
        let name = &c["name"];
        let expect = &c["expect"];
        let mut assembler = migration::Assembler::new();
        let mut failed_at = None;
        for (i, uri) in c["uris"].as_array().unwrap().iter().enumerate() {
            if let Err(e) = assembler.add(s(uri)) {
                failed_at = Some((i, e));
                break;
            }
        }
        if let Some((i, e)) = failed_at {
            assert_eq!(e.code(), s(&expect["error"]), "{name}");
            assert_eq!(i as u64, u(&expect["at"]), "{name}");
            continue;
        }
        if let Some(missing) = expect.get("missing") {
            let want: Vec<i32> = missing.as_array().unwrap().iter().map(|m| m.as_i64().unwrap() as i32).collect();
            assert_eq!(assembler.missing(), want, "{name}");
            expect_error(&name.to_string(), assembler.finish(), s(&expect["error"]));
            continue;
        }
        let (entries, skipped) = assembler.finish().unwrap();
        assert!(skipped.is_empty(), "{name}");
        let accounts: Vec<&str> = entries.iter().map(|e| e.otp.account.as_str()).collect();
        let want: Vec<&str> = expect["accounts"].as_array().unwrap().iter().map(s).collect();
        assert_eq!(accounts, want, "{name}");
        let positions: Vec<u64> = entries.iter().map(|e| e.position as u64).collect();
        let want: Vec<u64> = expect["positions"].as_array().unwrap().iter().map(u).collect();
        assert_eq!(positions, want, "{name}");
    }
    for c in cases(&file, "export") {
        let name = &c["name"];
        let accounts: Vec<OtpAuth> = c["accounts"].as_array().unwrap().iter().map(migration_otp).collect();
        let batch_id = c["batch_id"].as_i64().unwrap() as i32;
        let expect = &c["expect"];
        match migration::to_migration_uris(&accounts, batch_id) {
            Ok(uris) => {
                let want: Vec<&str> = expect["uris"].as_array().unwrap().iter().map(s).collect();
                assert_eq!(uris, want, "{name}");
                // And back: every account survives the round trip.
                let mut back = migration::Assembler::new();
                for uri in &uris {
                    back.add(uri).unwrap();
                }
                let (entries, _) = back.finish().unwrap();
                let again: Vec<OtpAuth> = entries.into_iter().map(|e| e.otp).collect();
                assert_eq!(again.len(), accounts.len(), "{name}");
                for (a, b) in accounts.iter().zip(&again) {
                    assert_eq!(migration_account(a), migration_account(b), "{name}");
                }
            }
            Err((index, e)) => {
                assert_eq!(index as u64, u(&expect["error"]["index"]), "{name}");
                assert_eq!(e.code(), s(&expect["error"]["code"]), "{name}");
                let (uris, dropped) = migration::to_migration_uris_lossy(&accounts, batch_id);
                let want: Vec<&str> = c["lossy"]["uris"].as_array().unwrap().iter().map(s).collect();
                assert_eq!(uris, want, "{name}");
                let dropped: Vec<Value> =
                    dropped.iter().map(|(i, e)| serde_json::json!({"index": i, "code": e.code()})).collect();
                assert_eq!(&Value::from(dropped), &c["lossy"]["dropped"], "{name}");
            }
        }
    }
}
