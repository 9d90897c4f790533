//! otpauth:// URIs (parse, import, lint, the compatibility table), QR codes,
//! and Google Authenticator's export format (`otpauth-migration://`).

use otp_core::{
    Account, Error, Finding, Imported, Otp, OtpAuth, UriLabels, lint,
    migration::{self, Assembler, MigrationBatch, MigrationEntry, Skipped},
    qr,
};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::{
    convert::{JsResult, OrThrow, Value, array, object, opt_str, otp_error, policy, type_error},
    otp::{HotpCore, SteamCore, TotpCore, legacy},
};

/// The JavaScript object of a TOTP or HOTP account: a `TotpCore` or an `HotpCore`.
fn otp_object(account: Account) -> JsValue {
    match account.otp() {
        Otp::Totp(_) => TotpCore { account }.into(),
        Otp::Hotp(..) => HotpCore { account }.into(),
    }
}

/// A finding as `{ code, severity, message, app?, source? }`.
fn finding(f: &Finding) -> JsValue {
    object(&[
        ("code", JsValue::from_str(f.code)),
        ("severity", JsValue::from_str(f.severity.as_str())),
        ("message", JsValue::from_str(f.message)),
        ("app", opt_str(f.app)),
        ("source", opt_str(f.source)),
    ])
}

/// The findings as an array.
fn findings(list: &[Finding]) -> JsValue {
    array(list.iter().map(finding))
}

/// A URI argument, zeroized after use (it holds a secret).
fn uri_arg(value: &JsValue, name: &'static str) -> JsResult<Zeroizing<String>> {
    Value::required(value, name)?.string().map(Zeroizing::new)
}

/// `URI.parse`: a `TotpCore` or an `HotpCore`, strictly.
#[wasm_bindgen(js_name = uriParse)]
pub fn uri_parse(uri: JsValue, allow_legacy: JsValue) -> JsResult<JsValue> {
    let policy = policy(legacy(&allow_legacy)?);
    Ok(otp_object(Account::parse(&uri_arg(&uri, "uri")?, policy).or_throw()?))
}

/// `URI.import`: `{ otp, steam, account, issuer?, findings }`, leniently.
#[wasm_bindgen(js_name = uriImport)]
pub fn uri_import(uri: JsValue) -> JsResult<JsValue> {
    let Imported { otp, steam, findings: found } = OtpAuth::parse_lenient(&uri_arg(&uri, "uri")?).or_throw()?;
    let (account, issuer) = (otp.account.clone(), otp.issuer.clone());
    let value = if steam {
        SteamCore { steam: otp_core::Steam::new(&otp.secret) }.into()
    } else {
        otp_object(Account::new(otp, 0).or_throw()?)
    };
    Ok(object(&[
        ("otp", value),
        ("steam", JsValue::from_bool(steam)),
        ("account", JsValue::from_str(&account)),
        ("issuer", opt_str(issuer.as_deref())),
        ("findings", findings(&found)),
    ]))
}

/// `URI.lint` of a URI string.
#[wasm_bindgen(js_name = uriLint)]
pub fn uri_lint(uri: JsValue) -> JsResult<JsValue> {
    Ok(findings(&lint::lint_uri(&uri_arg(&uri, "target")?).or_throw()?))
}

/// The lint of an account (`URI.lint(totp)`).
fn lint_account(account: &Account) -> JsResult<JsValue> {
    Ok(findings(&lint::lint(&account.auth_with(&UriLabels::default()).or_throw()?)))
}

#[wasm_bindgen]
impl TotpCore {
    /// `URI.lint(totp)`.
    pub fn lint(&self) -> JsResult<JsValue> {
        lint_account(&self.account)
    }
}

#[wasm_bindgen]
impl HotpCore {
    /// `URI.lint(hotp)`.
    pub fn lint(&self) -> JsResult<JsValue> {
        lint_account(&self.account)
    }
}

/// `URI.compatibility()`: the lint's table of app behaviour.
#[wasm_bindgen(js_name = uriCompatibility)]
pub fn uri_compatibility() -> JsValue {
    array(lint::COMPATIBILITY.iter().map(|f| {
        object(&[
            ("code", JsValue::from_str(f.code)),
            ("app", JsValue::from_str(f.app)),
            ("parameter", JsValue::from_str(f.parameter)),
            ("severity", JsValue::from_str(f.severity.as_str())),
            ("message", JsValue::from_str(f.message)),
            ("source", JsValue::from_str(f.source)),
        ])
    }))
}

/// `qr.svg`: an SVG document of the QR code of `text`.
#[wasm_bindgen(js_name = qrSvg)]
pub fn qr_svg(text: JsValue) -> JsResult<String> {
    qr::svg(&uri_arg(&text, "uri")?).or_throw()
}

/// `qr.dataUri`: a `data:image/svg+xml;base64,…` URI for an `<img src>`
/// (the Node package's is a PNG: the PNG encoder is left out of the wasm
/// for size).
#[wasm_bindgen(js_name = qrDataUri)]
pub fn qr_data_uri(text: JsValue) -> JsResult<String> {
    qr::svg_data_uri(&uri_arg(&text, "uri")?).or_throw()
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The entries of a batch: `{ otp, position, findings }`.
fn entries(list: Vec<MigrationEntry>) -> JsResult<JsValue> {
    let items = list
        .into_iter()
        .map(|e| {
            let found = findings(&e.findings);
            Ok(object(&[
                ("otp", otp_object(Account::new(e.otp, 0).or_throw()?)),
                ("position", JsValue::from(u32_of(e.position))),
                ("findings", found),
            ]))
        })
        .collect::<JsResult<Vec<_>>>()?;
    Ok(array(items))
}

/// The entries that could not be imported: `{ position, name, reason }`.
fn skipped(list: Vec<Skipped>) -> JsValue {
    array(list.into_iter().map(|s| {
        object(&[
            ("position", JsValue::from(u32_of(s.position))),
            ("name", JsValue::from_str(&s.name)),
            ("reason", JsValue::from_str(s.reason.code())),
        ])
    }))
}

/// `migration.parse`: one `otpauth-migration://` URI.
#[wasm_bindgen(js_name = migrationParse)]
pub fn migration_parse(uri: JsValue) -> JsResult<JsValue> {
    let b: MigrationBatch = migration::parse_migration_uri(&uri_arg(&uri, "uri")?).or_throw()?;
    Ok(object(&[
        ("entries", entries(b.entries)?),
        ("skipped", skipped(b.skipped)),
        ("version", JsValue::from(b.version)),
        ("batchSize", JsValue::from(b.batch_size)),
        ("batchIndex", JsValue::from(b.batch_index)),
        ("batchId", JsValue::from(b.batch_id)),
    ]))
}

/// `migration.Assembler`: the QR codes of one export, in any order.
#[wasm_bindgen]
pub struct AssemblerCore {
    inner: Option<Assembler>,
}

impl Default for AssemblerCore {
    fn default() -> Self {
        AssemblerCore { inner: Some(Assembler::new()) }
    }
}

#[wasm_bindgen]
impl AssemblerCore {
    /// An empty assembler.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    fn inner(&mut self) -> JsResult<&mut Assembler> {
        self.inner.as_mut().ok_or_else(|| type_error("finish() was called already"))
    }

    /// Adds one QR code's URI.
    pub fn add(&mut self, uri: JsValue) -> JsResult<()> {
        let uri = uri_arg(&uri, "uri")?;
        self.inner()?.add(&uri).or_throw()
    }

    /// The batch indexes still missing.
    pub fn missing(&self) -> Vec<i32> {
        self.inner.as_ref().map(Assembler::missing).unwrap_or_default()
    }

    /// Whether every QR code of the export has been added.
    #[wasm_bindgen(js_name = isComplete)]
    pub fn is_complete(&self) -> bool {
        self.inner.as_ref().is_some_and(Assembler::is_complete)
    }

    /// `{ entries, skipped }` of the whole export.
    pub fn finish(&mut self) -> JsResult<JsValue> {
        let inner = self.inner.take().ok_or_else(|| type_error("finish() was called already"))?;
        let (e, s) = inner.finish().or_throw()?;
        Ok(object(&[("entries", entries(e)?), ("skipped", skipped(s))]))
    }
}

/// The accounts of `migration.toUris`, added one by one by js/index.js
/// (which checks that each is a `TOTP`, an `HOTP` or a `Steam`).
#[wasm_bindgen]
#[derive(Default)]
pub struct ExportCore {
    items: Vec<Result<OtpAuth, Error>>,
}

#[wasm_bindgen]
impl ExportCore {
    /// An empty list.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a TOTP account.
    #[wasm_bindgen(js_name = addTotp)]
    pub fn add_totp(&mut self, totp: &TotpCore) {
        self.items.push(totp.account.auth_with(&UriLabels::default()));
    }

    /// Adds an HOTP account.
    #[wasm_bindgen(js_name = addHotp)]
    pub fn add_hotp(&mut self, hotp: &HotpCore) {
        self.items.push(hotp.account.auth_with(&UriLabels::default()));
    }

    /// Adds a Steam account (the format cannot hold one).
    #[wasm_bindgen(js_name = addSteam)]
    pub fn add_steam(&mut self) {
        self.items.push(Err(Error::Unexportable));
    }

    /// The URIs (`lossy`: `{ uris, dropped }`, skipping what cannot be
    /// exported), under `batchId` (default random).
    pub fn finish(&self, batch_id: JsValue, lossy: bool) -> JsResult<JsValue> {
        let batch_id = match Value::arg(&batch_id, "batchId") {
            Some(v) => {
                i32::try_from(v.i64(Error::InvalidMigration)?).map_err(|_| otp_error(Error::InvalidMigration))?
            }
            None => migration::random_batch_id(&mut otp_core::OsRng).or_throw()?,
        };
        let items: Vec<Result<&OtpAuth, Error>> = self.items.iter().map(|i| i.as_ref().map_err(|e| *e)).collect();
        let (uris, dropped) = migration::export(&items, batch_id, lossy).map_err(|(_, e)| otp_error(e))?;
        let uris = array(uris.iter().map(|u| JsValue::from_str(u)));
        if !lossy {
            return Ok(uris);
        }
        let dropped = array(
            dropped
                .into_iter()
                .map(|(i, e)| object(&[("index", JsValue::from(u32_of(i))), ("code", JsValue::from_str(e.code()))])),
        );
        Ok(object(&[("uris", uris), ("dropped", dropped)]))
    }
}
