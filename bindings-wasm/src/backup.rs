//! `backupCodes` (the core's `backup` module) and `Keyring` (sealed secrets,
//! the core's `seal` module).

use otp_core::{Error, OsRng, SecretPolicy, backup};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::{
    convert::{JsResult, OrThrow, Value, array},
    otp::{SecretCore, secret_of},
};

/// `backupCodes.generate`: `count` (default 10) fresh codes, from
/// `crypto.getRandomValues`.
#[wasm_bindgen(js_name = backupGenerate)]
pub fn backup_generate(count: JsValue) -> JsResult<JsValue> {
    let count = match Value::arg(&count, "count") {
        Some(v) => v.u32(Error::InvalidBackupParams)? as usize,
        None => backup::DEFAULT_BACKUP_CODE_COUNT,
    };
    let codes = Zeroizing::new(backup::generate_backup_codes(&mut OsRng, count).or_throw()?);
    Ok(array(codes.iter().map(|c| JsValue::from_str(c))))
}

/// `backupCodes.normalize`: what is hashed.
#[wasm_bindgen(js_name = backupNormalize)]
pub fn backup_normalize(code: JsValue) -> JsResult<String> {
    let code = Zeroizing::new(Value::required(&code, "code")?.string()?);
    backup::normalize_backup_code(&code).or_throw()
}

/// The codes and iterations of `hash` and `hashRaw`.
fn hash_args(codes: &JsValue, iterations: &JsValue) -> JsResult<(Zeroizing<Vec<String>>, u32)> {
    let codes = Zeroizing::new(
        Value::required(codes, "codes")?.strings(backup::MAX_BACKUP_CODE_COUNT, Error::InvalidBackupParams)?,
    );
    let iterations = match Value::arg(iterations, "iterations") {
        Some(v) => v.u32(Error::InvalidBackupParams)?,
        None => backup::DEFAULT_BACKUP_ITERATIONS,
    };
    Ok((codes, iterations))
}

/// `backupCodes.hash`: Django's `pbkdf2_sha256$…` strings, one salt.
#[wasm_bindgen(js_name = backupHash)]
pub fn backup_hash(codes: JsValue, iterations: JsValue) -> JsResult<Vec<String>> {
    let (codes, iterations) = hash_args(&codes, &iterations)?;
    backup::hash_backup_codes(&mut OsRng, &codes, iterations).or_throw()
}

/// `backupCodes.hashRaw`: free-form tokens, hashed exactly as typed.
#[wasm_bindgen(js_name = backupHashRaw)]
pub fn backup_hash_raw(codes: JsValue, iterations: JsValue) -> JsResult<Vec<String>> {
    let (codes, iterations) = hash_args(&codes, &iterations)?;
    backup::hash_raw_tokens(&mut OsRng, &codes, iterations).or_throw()
}

/// `backupCodes.checkHash`: throws unless `hash` is one this package verifies.
#[wasm_bindgen(js_name = backupCheckHash)]
pub fn backup_check_hash(hash: JsValue) -> JsResult<()> {
    backup::check_backup_hash(&Value::required(&hash, "hash")?.string()?).or_throw()
}

/// The candidate and hashes of `verify` and `verifyRaw`.
fn verify_args(candidate: &JsValue, hashes: &JsValue) -> JsResult<(Zeroizing<String>, Vec<String>)> {
    let candidate = Zeroizing::new(Value::required(candidate, "candidate")?.string()?);
    let hashes = Value::required(hashes, "hashes")?.strings(backup::MAX_BACKUP_HASHES, Error::InputTooLong)?;
    Ok((candidate, hashes))
}

/// `backupCodes.verify`: the index of the matching hash, or `null`.
#[wasm_bindgen(js_name = backupVerify)]
pub fn backup_verify(candidate: JsValue, hashes: JsValue) -> JsResult<Option<u32>> {
    let (candidate, hashes) = verify_args(&candidate, &hashes)?;
    let found = backup::verify_backup_code(&candidate, &hashes).or_throw()?;
    Ok(found.map(|i| u32::try_from(i).unwrap_or(u32::MAX)))
}

/// `backupCodes.verifyRaw`: as `verify`, for tokens hashed by `hashRaw`.
#[wasm_bindgen(js_name = backupVerifyRaw)]
pub fn backup_verify_raw(candidate: JsValue, hashes: JsValue) -> JsResult<Option<u32>> {
    let (candidate, hashes) = verify_args(&candidate, &hashes)?;
    let found = backup::verify_raw_token(&candidate, &hashes).or_throw()?;
    Ok(found.map(|i| u32::try_from(i).unwrap_or(u32::MAX)))
}

/// Named keys that seal secrets (XChaCha20-Poly1305) and open them again.
#[wasm_bindgen]
pub struct KeyringCore {
    inner: otp_core::Keyring,
}

/// The `context` option: bytes or a string's UTF-8 (required).
fn context(value: &JsValue) -> JsResult<Vec<u8>> {
    Value::required(value, "context")?.bytes()
}

/// The envelope argument.
fn envelope(value: &JsValue) -> JsResult<String> {
    Value::required(value, "envelope")?.string()
}

#[wasm_bindgen]
impl KeyringCore {
    /// `new Keyring({ keys, primary })`, positionally.
    pub fn create(keys: JsValue, primary: JsValue) -> JsResult<KeyringCore> {
        let keys = Value::required(&keys, "keys")?.string_map()?;
        let keys: Vec<(String, Zeroizing<String>)> = keys.into_iter().map(|(id, k)| (id, Zeroizing::new(k))).collect();
        let primary = Value::required(&primary, "primary")?.string()?;
        let inner =
            otp_core::Keyring::new(keys.iter().map(|(id, k)| (id.as_str(), k.as_str())), &primary).or_throw()?;
        Ok(KeyringCore { inner })
    }

    /// A fresh key (base64url of 32 random bytes).
    #[wasm_bindgen(js_name = generateKey)]
    pub fn generate_key() -> JsResult<String> {
        otp_core::Keyring::generate_key(&mut OsRng).or_throw()
    }

    /// Seals a secret (a `Secret`, or base32 text) under the primary key.
    pub fn seal(&self, secret: JsValue, secret_core: Option<SecretCore>, context: JsValue) -> JsResult<String> {
        // A sealed secret was admitted when it was enrolled: 80 bits at least.
        let secret = match secret_core {
            Some(core) => core.inner,
            None => secret_of(&secret, None, true)?,
        };
        let _ = SecretPolicy::AllowLegacy;
        self.inner.seal(&mut OsRng, &secret, &self::context(&context)?).or_throw()
    }

    /// Opens an envelope sealed with the same `context`.
    pub fn open(&self, envelope: JsValue, context: JsValue) -> JsResult<SecretCore> {
        let inner = self.inner.open(&self::envelope(&envelope)?, &self::context(&context)?).or_throw()?;
        Ok(SecretCore { inner })
    }

    /// Whether the envelope is sealed under another key than the primary.
    #[wasm_bindgen(js_name = needsRewrap)]
    pub fn needs_rewrap(&self, envelope: JsValue) -> JsResult<bool> {
        self.inner.needs_rewrap(&self::envelope(&envelope)?).or_throw()
    }

    /// The envelope sealed again under the primary key.
    pub fn rewrap(&self, envelope: JsValue, context: JsValue) -> JsResult<String> {
        self.inner.rewrap(&mut OsRng, &self::envelope(&envelope)?, &self::context(&context)?).or_throw()
    }

    /// The id of the key an envelope was sealed with.
    #[wasm_bindgen(js_name = keyIdOf)]
    pub fn key_id_of(envelope: JsValue) -> JsResult<String> {
        otp_core::seal::key_id_of(&self::envelope(&envelope)?).map(str::to_owned).or_throw()
    }

    /// The id of the key that seals.
    #[wasm_bindgen(getter)]
    pub fn primary(&self) -> String {
        self.inner.primary().to_owned()
    }

    /// Every key id.
    #[wasm_bindgen(getter, js_name = keyIds)]
    pub fn key_ids(&self) -> Vec<String> {
        self.inner.key_ids().map(str::to_owned).collect()
    }
}
