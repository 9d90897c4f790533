//! `qr`: QR codes of otpauth URIs (SVG, PNG, data URI, terminal), rendered by the core.

use napi::{
    Env, JsString,
    bindgen_prelude::{Buffer, Unknown},
};
use napi_derive::napi;
use otp_core::qr;
use zeroize::Zeroizing;

use crate::{
    convert::{Value, secret_to_js},
    errors::OrThrow,
};

/// The text to encode in a QR code.
fn qr_text(env: &Env, uri: Option<Unknown<'_>>) -> napi::Result<Zeroizing<String>> {
    Value::required(env, uri, "uri")?.secret_string()
}

/// The QR code of `uri` (e.g. `totp.toString()`) as an SVG image: text,
/// scalable, ready to inline in HTML.
///
/// @throws {OtpError} `ERR_OTP_INPUT_TOO_LONG` beyond 2048 bytes, `ERR_OTP_QR_ENCODING`.
#[napi(namespace = "qr", js_name = "svg", ts_args_type = "uri: string")]
pub(crate) fn qr_svg<'e>(env: &'e Env, uri: Option<Unknown<'_>>) -> napi::Result<JsString<'e>> {
    secret_to_js(env, Zeroizing::new(qr::svg(&qr_text(env, uri)?).or_throw(env)?))
}

/// The QR code of `uri` as PNG bytes (8-bit greyscale, 8 pixels per module).
///
/// @throws {OtpError} `ERR_OTP_INPUT_TOO_LONG` beyond 2048 bytes, `ERR_OTP_QR_ENCODING`.
#[napi(namespace = "qr", js_name = "png", ts_args_type = "uri: string")]
pub(crate) fn qr_png(env: &Env, uri: Option<Unknown<'_>>) -> napi::Result<Buffer> {
    Ok(Buffer::from(qr::png(&qr_text(env, uri)?).or_throw(env)?))
}

/// The QR code of `uri` as a `data:image/png;base64,…` URI, for `<img src>`.
///
/// @throws {OtpError} `ERR_OTP_INPUT_TOO_LONG` beyond 2048 bytes, `ERR_OTP_QR_ENCODING`.
#[napi(namespace = "qr", js_name = "dataUri", ts_args_type = "uri: string")]
pub(crate) fn qr_data_uri<'e>(env: &'e Env, uri: Option<Unknown<'_>>) -> napi::Result<JsString<'e>> {
    secret_to_js(env, Zeroizing::new(qr::png_data_uri(&qr_text(env, uri)?).or_throw(env)?))
}

/// The QR code of `uri` as text for a terminal (half blocks; light on dark).
///
/// @throws {OtpError} `ERR_OTP_INPUT_TOO_LONG` beyond 2048 bytes, `ERR_OTP_QR_ENCODING`.
#[napi(namespace = "qr", js_name = "terminal", ts_args_type = "uri: string")]
pub(crate) fn qr_terminal<'e>(env: &'e Env, uri: Option<Unknown<'_>>) -> napi::Result<JsString<'e>> {
    secret_to_js(env, Zeroizing::new(qr::terminal(&qr_text(env, uri)?).or_throw(env)?))
}
