//! The core as an oracle for the bindings' property tests
//! (bindings-python/tests/test_properties.py with hypothesis,
//! bindings-node/__test__/properties.test.mjs with fast-check): one JSON
//! request per line on stdin, one JSON answer per line on stdout,
//! `{"ok": …}` or `{"error": "<core code>"}`. It calls otp-core directly,
//! with no binding in between, so a binding that converts, defaults or maps
//! differently from the core disagrees with it.
//!
//! `cargo run -q -p otp-core --example oracle`
//!
//! Requests (`secret` is base32 text; `policy` is `"standard"` or
//! `"allow_legacy"`; times are Unix seconds):
//! * `{"op":"secret","text","policy"}` → the bytes in hex;
//! * `{"op":"totp_at","secret","policy","algorithm","digits","period","t0","time"}` → the code;
//! * `{"op":"totp_verify", …as totp_at…, "code","past","future","drift","last_step"}` → `{"step","offset"}` or `null`;
//! * `{"op":"hotp_at","secret","policy","algorithm","digits","counter"}` → the code;
//! * `{"op":"hotp_verify", …as hotp_at…, "code","look_ahead"}` → the matched counter or `null`;
//! * `{"op":"steam_at","secret","policy","time"}` → the code;
//! * `{"op":"uri_parse","uri","policy"}` → the account's fields;
//! * `{"op":"uri_parse_steam_aware","uri","policy"}` → the fields and `steam`
//!   (pyotp's reading of `encoder=steam`, which Python's `parse_uri` follows);
//! * `{"op":"uri_import","uri"}` → the fields, `steam` and the finding codes.
// serde_json objects built here are indexed by key (`Value`'s IndexMut on an object).
#![allow(clippy::print_stdout, clippy::indexing_slicing, missing_docs)]

use std::io::{BufRead, Write};

use otp_core::{Account, Algorithm, Error, Hotp, OtpAuth, OtpKind, Secret, SecretPolicy, Steam, Totp, Window};
use serde_json::{Value, json};

fn policy(v: &Value) -> SecretPolicy {
    if v["policy"].as_str() == Some("allow_legacy") { SecretPolicy::AllowLegacy } else { SecretPolicy::Standard }
}

fn u64_of(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_default()
}

fn u32_of(v: &Value, key: &str) -> u32 {
    u32::try_from(u64_of(v, key)).unwrap_or(u32::MAX)
}

fn secret(v: &Value) -> Result<Secret, Error> {
    Secret::from_base32_with(v["secret"].as_str().unwrap_or_default(), policy(v))
}

fn algorithm(v: &Value) -> Result<Algorithm, Error> {
    Algorithm::parse(v["algorithm"].as_str().unwrap_or("SHA1"))
}

fn totp(v: &Value) -> Result<Totp, Error> {
    let s = secret(v)?;
    Totp::builder(&s)
        .algorithm(algorithm(v)?)
        .digits(u32_of(v, "digits"))
        .period(u64_of(v, "period"))
        .t0(u64_of(v, "t0"))
        .build()
}

fn hotp(v: &Value) -> Result<Hotp, Error> {
    Hotp::builder(&secret(v)?).algorithm(algorithm(v)?).digits(u32_of(v, "digits")).build()
}

fn fields(auth: &OtpAuth) -> Value {
    let mut f = json!({
        "secret_hex": auth.secret.to_hex(),
        "algorithm": auth.algorithm.name(),
        "digits": auth.digits,
        "account": auth.account,
        "issuer": auth.issuer,
        "image": auth.image,
    });
    match auth.kind {
        OtpKind::Totp { period } => {
            f["type"] = json!("totp");
            f["period"] = json!(period);
        }
        OtpKind::Hotp { counter } => {
            f["type"] = json!("hotp");
            f["counter"] = json!(counter);
        }
    }
    f
}

fn answer(v: &Value) -> Result<Value, Error> {
    Ok(match v["op"].as_str().unwrap_or_default() {
        "secret" => json!(Secret::from_base32_with(v["text"].as_str().unwrap_or_default(), policy(v))?.to_hex()),
        "totp_at" => json!(totp(v)?.at(u64_of(v, "time"))?.as_str()),
        "totp_verify" => {
            let window =
                Window::new(u32_of(v, "past"), u32_of(v, "future"))?.with_drift(v["drift"].as_i64().unwrap_or(0))?;
            let m = totp(v)?.verify(
                v["code"].as_str().unwrap_or_default(),
                u64_of(v, "time"),
                window,
                v["last_step"].as_u64(),
            )?;
            m.map_or(Value::Null, |m| json!({"step": m.step, "offset": m.offset}))
        }
        "hotp_at" => json!(hotp(v)?.at(u64_of(v, "counter")).as_str()),
        "hotp_verify" => {
            let found = hotp(v)?.verify(
                v["code"].as_str().unwrap_or_default(),
                u64_of(v, "counter"),
                u32_of(v, "look_ahead"),
            )?;
            json!(found)
        }
        "steam_at" => json!(Steam::new(&secret(v)?).at(u64_of(v, "time")).as_str()),
        "uri_parse" => fields(Account::parse(v["uri"].as_str().unwrap_or_default(), policy(v))?.auth()),
        "uri_parse_steam_aware" => {
            let (auth, steam) = OtpAuth::parse_steam_aware(v["uri"].as_str().unwrap_or_default(), policy(v))?;
            let mut f = fields(&auth);
            f["steam"] = json!(steam);
            f
        }
        "uri_import" => {
            let imported = OtpAuth::parse_lenient(v["uri"].as_str().unwrap_or_default())?;
            let mut f = fields(&imported.otp);
            f["steam"] = json!(imported.steam);
            f["findings"] = json!(imported.findings.iter().map(|x| x.code).collect::<Vec<_>>());
            f
        }
        _ => json!("unknown op"),
    })
}

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let reply = match serde_json::from_str::<Value>(&line) {
            Ok(v) => match answer(&v) {
                Ok(ok) => json!({ "ok": ok }),
                Err(e) => json!({ "error": e.code() }),
            },
            Err(_) => json!({ "error": "bad request" }),
        };
        if writeln!(out, "{reply}").and_then(|()| out.flush()).is_err() {
            break;
        }
    }
}
