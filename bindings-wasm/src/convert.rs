//! JavaScript values to core types, core errors to JavaScript errors, and
//! nothing else. The same rules as the Node package (bindings-node's
//! convert.rs), so that code moves between the two unchanged:
//!
//! * An option that is `undefined` or `null` takes its default.
//! * A value of the wrong JavaScript type is a `TypeError` with `code` =
//!   `ERR_INVALID_ARG_TYPE`, whose message names the option, never its value.
//! * A value of the right type that the core's Rust type cannot hold (a
//!   fraction, `NaN`, a negative or unsafe integer, a `bigint` above
//!   2^64-1) is the `OtpError` of the option it belongs to.
//! * Counters and steps are a safe integer `number` or a `bigint`.
//! * Timestamps are milliseconds like `Date.now()`, a `number` (the core's
//!   `unix_secs_from_millis_f64`) or a `bigint`; the default is
//!   `Date.now()`. `std::time::SystemTime` is never called: it panics on
//!   `wasm32-unknown-unknown`.
//!
//! Every core error becomes a JavaScript `Error` whose `name` is
//! `"OtpError"` and whose `code` is `"ERR_OTP_"` + the core's code in upper
//! case; `message` is the core's `Error::message()`, which never contains
//! input data. js/index.js makes `instanceof OtpError` true of them.

use js_sys::{Array, Object, Reflect, Uint8Array};
use otp_core::{Error, SecretPolicy};
use wasm_bindgen::{JsCast, JsValue};

/// `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// What every export returns: a JavaScript exception on error.
pub(crate) type JsResult<T> = Result<T, JsValue>;

/// `ERR_OTP_<CODE>`.
pub(crate) fn js_code(error: Error) -> String {
    let mut code = String::from("ERR_OTP_");
    code.push_str(&error.code().to_ascii_uppercase());
    code
}

/// Sets `key` on a fresh object; an object this module made never refuses it.
fn set(target: &JsValue, key: &str, value: &JsValue) {
    // `Reflect.set` on an ordinary extensible object cannot throw.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// The `OtpError` of a core error.
pub(crate) fn otp_error(error: Error) -> JsValue {
    let e = js_sys::Error::new(error.message());
    e.set_name("OtpError");
    set(&e, "code", &JsValue::from_str(&js_code(error)));
    e.into()
}

/// A `TypeError` (`ERR_INVALID_ARG_TYPE`) with `message`.
pub(crate) fn type_error(message: &str) -> JsValue {
    let e = js_sys::TypeError::new(message);
    set(&e, "code", &JsValue::from_str("ERR_INVALID_ARG_TYPE"));
    e.into()
}

/// `?`-friendly conversion of core results.
pub(crate) trait OrThrow<T> {
    /// Maps an `otp_core::Error` to its `OtpError`.
    fn or_throw(self) -> JsResult<T>;
}

impl<T> OrThrow<T> for Result<T, Error> {
    #[inline]
    fn or_throw(self) -> JsResult<T> {
        self.map_err(otp_error)
    }
}

/// The secret policy of `allowLegacySecret`.
pub(crate) fn policy(allow_legacy: bool) -> SecretPolicy {
    if allow_legacy { SecretPolicy::AllowLegacy } else { SecretPolicy::Standard }
}

/// One argument, with the name to report in a `TypeError`.
pub(crate) struct Value<'a> {
    value: &'a JsValue,
    name: &'static str,
}

impl<'a> Value<'a> {
    /// `None` when the value is `undefined` or `null`.
    pub(crate) fn arg(value: &'a JsValue, name: &'static str) -> Option<Self> {
        if value.is_undefined() || value.is_null() { None } else { Some(Value { value, name }) }
    }

    /// A required argument.
    pub(crate) fn required(value: &'a JsValue, name: &'static str) -> JsResult<Self> {
        Self::arg(value, name).ok_or_else(|| type_error(&format!("{name} is required")))
    }

    fn wrong(&self, expected: &str) -> JsValue {
        type_error(&format!("{} must be {expected}", self.name))
    }

    /// The JavaScript value.
    pub(crate) fn js(&self) -> &'a JsValue {
        self.value
    }

    /// A string.
    pub(crate) fn string(&self) -> JsResult<String> {
        self.value.as_string().ok_or_else(|| self.wrong("a string"))
    }

    /// A boolean.
    pub(crate) fn bool(&self) -> JsResult<bool> {
        self.value.as_bool().ok_or_else(|| self.wrong("a boolean"))
    }

    /// A `number` that is an integer in `min..=max`; otherwise `error`.
    fn integer(&self, min: f64, max: f64, error: Error) -> JsResult<f64> {
        let v = self.value.as_f64().ok_or_else(|| self.wrong("a number"))?;
        if v.fract() == 0.0 && v >= min && v <= max { Ok(v) } else { Err(otp_error(error)) }
    }

    /// A `number` that is an integer in `0..=u32::MAX`; otherwise `error`.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub(crate) fn u32(&self, error: Error) -> JsResult<u32> {
        // Checked to be an integer in range: the cast is exact.
        self.integer(0.0, f64::from(u32::MAX), error).map(|v| v as u32)
    }

    /// A `number` that is a safe integer, positive or negative; otherwise `error`.
    #[allow(clippy::cast_possible_truncation)]
    pub(crate) fn i64(&self, error: Error) -> JsResult<i64> {
        self.integer(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER, error).map(|v| v as i64)
    }

    /// A `u64`: a non-negative safe integer `number`, or a `bigint` in
    /// `0..=2^64-1`; otherwise `error`.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub(crate) fn u64(&self, error: Error) -> JsResult<u64> {
        if self.value.is_bigint() {
            return u64::try_from(self.value.clone()).map_err(|_| otp_error(error));
        }
        self.integer(0.0, MAX_SAFE_INTEGER, error).map(|v| v as u64)
    }

    /// Unix seconds from a timestamp in milliseconds (see the module docs).
    pub(crate) fn millis(&self) -> JsResult<u64> {
        if self.value.is_bigint() {
            if self.value.lt(&JsValue::from(0_u64)) {
                return Err(otp_error(Error::TimeBeforeT0));
            }
            let ms = u128::try_from(self.value.clone()).map_err(|_| otp_error(Error::InvalidTime))?;
            return u64::try_from(ms / 1000).map_err(|_| otp_error(Error::InvalidTime));
        }
        let ms = self.value.as_f64().ok_or_else(|| self.wrong("a number (milliseconds) or a bigint"))?;
        otp_core::unix_secs_from_millis_f64(ms).or_throw()
    }

    /// The milliseconds within the second of a timestamp (`millis` drops
    /// them): `0..1000`.
    pub(crate) fn millis_part(&self) -> JsResult<f64> {
        if self.value.is_bigint() {
            let ms = u128::try_from(self.value.clone()).map_err(|_| otp_error(Error::InvalidTime))?;
            #[allow(clippy::cast_precision_loss)]
            // Below 1000: exact.
            return Ok((ms % 1000) as f64);
        }
        let ms = self.value.as_f64().ok_or_else(|| self.wrong("a number (milliseconds) or a bigint"))?;
        Ok(ms.rem_euclid(1000.0))
    }

    /// Bytes: a `Uint8Array` (or any typed array's bytes, or an
    /// `ArrayBuffer`) copied, or a string's UTF-8.
    pub(crate) fn bytes(&self) -> JsResult<Vec<u8>> {
        if let Some(text) = self.value.as_string() {
            return Ok(text.into_bytes());
        }
        if let Some(view) = self.value.dyn_ref::<Uint8Array>() {
            return Ok(view.to_vec());
        }
        if let Some(buffer) = self.value.dyn_ref::<js_sys::ArrayBuffer>() {
            return Ok(Uint8Array::new(buffer).to_vec());
        }
        if js_sys::ArrayBuffer::is_view(self.value) {
            let view: &js_sys::DataView = self.value.unchecked_ref();
            let bytes = Uint8Array::new_with_byte_offset_and_length(
                &view.buffer(),
                u32::try_from(view.byte_offset()).unwrap_or(u32::MAX),
                u32::try_from(view.byte_length()).unwrap_or(u32::MAX),
            );
            return Ok(bytes.to_vec());
        }
        Err(self.wrong("a Uint8Array, an ArrayBuffer or a string"))
    }

    /// An array of at most `max` strings; more is `too_many`.
    pub(crate) fn strings(&self, max: usize, too_many: Error) -> JsResult<Vec<String>> {
        let array = self.value.dyn_ref::<Array>().ok_or_else(|| self.wrong("an array of strings"))?;
        if array.length() as usize > max {
            return Err(otp_error(too_many));
        }
        array.iter().map(|item| item.as_string().ok_or_else(|| self.wrong("an array of strings"))).collect()
    }

    /// The own enumerable string properties of an object, as pairs of strings.
    pub(crate) fn string_map(&self) -> JsResult<Vec<(String, String)>> {
        if !self.value.is_object() || Array::is_array(self.value) {
            return Err(self.wrong("an object of strings"));
        }
        let entries = Object::entries(self.value.unchecked_ref());
        entries
            .iter()
            .map(|pair| {
                let pair: Array = pair.unchecked_into();
                match (pair.get(0).as_string(), pair.get(1).as_string()) {
                    (Some(k), Some(v)) => Ok((k, v)),
                    _ => Err(self.wrong("an object of strings")),
                }
            })
            .collect()
    }
}

/// A timestamp argument (milliseconds; default `Date.now()`), as Unix seconds.
pub(crate) fn timestamp(value: &JsValue) -> JsResult<u64> {
    match Value::arg(value, "timestamp") {
        Some(v) => v.millis(),
        None => otp_core::unix_secs_from_millis_f64(js_sys::Date::now()).or_throw(),
    }
}

/// A `u64` as a `number` when it is safe, a `bigint` above
/// `Number.MAX_SAFE_INTEGER`.
pub(crate) fn u64_to_js(v: u64) -> JsValue {
    #[allow(clippy::cast_precision_loss)]
    // At most MAX_SAFE_INTEGER: exact.
    if v as f64 <= MAX_SAFE_INTEGER { JsValue::from_f64(v as f64) } else { JsValue::from(v) }
}

/// A plain object from `(key, value)` pairs; an `undefined` value leaves
/// its key out (as the Node package's objects do for a missing option).
pub(crate) fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o: JsValue = Object::new().into();
    for (key, value) in fields.iter().filter(|(_, v)| !v.is_undefined()) {
        set(&o, key, value);
    }
    o
}

/// A JavaScript array of `items`.
pub(crate) fn array(items: impl IntoIterator<Item = JsValue>) -> JsValue {
    items.into_iter().collect::<Array>().into()
}

/// A string that is `None` as `undefined`.
pub(crate) fn opt_str(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::UNDEFINED, JsValue::from_str)
}
