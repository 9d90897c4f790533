//! JavaScript values to core types, and nothing else.
//!
//! The rules, the same for every function of the package:
//!
//! * Options objects may be omitted. An option that is `undefined` or `null`
//!   takes its default (a database column that was never set is `null`).
//! * A value of the wrong JavaScript type is a `TypeError`
//!   (`ERR_INVALID_ARG_TYPE`): a string where a number is expected, a
//!   `bigint` where only a `number` is accepted, an object where a string is.
//! * A value of the right type that the core's Rust type cannot hold (a
//!   fraction, `NaN`, `±Infinity`, a negative or unsafe integer, a `bigint`
//!   above 2^64-1) is the `OtpError` of the option it belongs to: digits give
//!   `ERR_OTP_INVALID_DIGITS`, counters `ERR_OTP_INVALID_COUNTER`, and so on.
//! * Small integers (digits, period, windows, drift, counts) are `number`s
//!   that are integers. Counters and steps are `u64`: a safe integer
//!   (`Number.isSafeInteger`) or a `bigint` up to 2^64-1.
//! * Timestamps are milliseconds like `Date.now()`: a `number` (converted by
//!   the core's `unix_secs_from_millis_f64`: negative is
//!   `ERR_OTP_TIME_BEFORE_T0`; `NaN`, `Infinity` and 2^64 ms on are
//!   `ERR_OTP_INVALID_TIME`), or a `bigint` of milliseconds, exact, for
//!   times up to (2^64-1) s.

use std::ffi::CStr;

use napi::{
    Env, JsString, JsValue, ValueType,
    bindgen_prelude::{
        Array, ArrayBuffer, BigInt, FromNapiValue, JsObjectValue, KeyCollectionMode, KeyConversion, KeyFilter, Object,
        TypedArray, Uint8ArraySlice, Unknown,
    },
};
use otp_core::{Error, SecretPolicy};
use zeroize::Zeroizing;

use crate::errors::{OrThrow, otp_error, type_error};

/// `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// `value` as `T`, whose JavaScript type the caller has just checked.
#[allow(unsafe_code)]
fn checked<T: FromNapiValue>(value: &Unknown<'_>) -> napi::Result<T> {
    // SAFETY: every caller matches on `value.get_type()` first and asks only
    // for the Rust type of that JavaScript type (String for String, f64 for
    // Number, Object for Object, ...): napi's documented contract of `cast`.
    unsafe { value.cast::<T>() }
}

/// The secret policy of `allowLegacySecret`.
pub(crate) fn policy(allow_legacy: bool) -> SecretPolicy {
    if allow_legacy { SecretPolicy::AllowLegacy } else { SecretPolicy::Standard }
}

/// One JavaScript value, with the name to report in a `TypeError`.
pub(crate) struct Value<'e> {
    env: &'e Env,
    value: Unknown<'e>,
    ty: ValueType,
    name: &'static str,
}

impl<'e> Value<'e> {
    /// A positional argument; `None` when it is `undefined` or `null`.
    pub(crate) fn arg(env: &'e Env, value: Option<Unknown<'e>>, name: &'static str) -> napi::Result<Option<Self>> {
        let Some(value) = value else { return Ok(None) };
        let ty = value.get_type()?;
        Ok(match ty {
            ValueType::Undefined | ValueType::Null => None,
            _ => Some(Value { env, value, ty, name }),
        })
    }

    /// A required positional argument.
    pub(crate) fn required(env: &'e Env, value: Option<Unknown<'e>>, name: &'static str) -> napi::Result<Self> {
        Self::arg(env, value, name)?.ok_or_else(|| type_error(env, format!("{name} is required")))
    }

    fn wrong(&self, expected: &str) -> napi::Error {
        type_error(self.env, format!("{} must be {expected}", self.name))
    }

    fn fail(&self, error: Error) -> napi::Error {
        otp_error(self.env, error)
    }

    /// A string.
    pub(crate) fn string(&self) -> napi::Result<String> {
        match self.ty {
            ValueType::String => checked(&self.value),
            _ => Err(self.wrong("a string")),
        }
    }

    /// A string that is zeroized when dropped (secrets, backup codes).
    pub(crate) fn secret_string(&self) -> napi::Result<Zeroizing<String>> {
        self.string().map(Zeroizing::new)
    }

    /// A boolean.
    pub(crate) fn bool(&self) -> napi::Result<bool> {
        match self.ty {
            ValueType::Boolean => checked(&self.value),
            _ => Err(self.wrong("a boolean")),
        }
    }

    /// A `number` that is an integer in `min..=max`; otherwise `error`.
    fn integer(&self, min: f64, max: f64, error: Error) -> napi::Result<f64> {
        match self.ty {
            ValueType::Number => {
                let v: f64 = checked(&self.value)?;
                if v.fract() == 0.0 && v >= min && v <= max { Ok(v) } else { Err(self.fail(error)) }
            }
            _ => Err(self.wrong("a number")),
        }
    }

    /// A `number` that is not `NaN` (infinities included); a `TypeError` otherwise.
    pub(crate) fn finite_number(&self) -> napi::Result<f64> {
        match self.ty {
            ValueType::Number => {
                checked::<f64>(&self.value).and_then(|v| if v.is_nan() { Err(self.wrong("a number")) } else { Ok(v) })
            }
            _ => Err(self.wrong("a number")),
        }
    }

    /// A `number` that is an integer in `0..=u32::MAX`; otherwise `error`.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub(crate) fn u32(&self, error: Error) -> napi::Result<u32> {
        // Checked to be an integer in range: the cast is exact.
        self.integer(0.0, f64::from(u32::MAX), error).map(|v| v as u32)
    }

    /// A `number` that is a safe integer, positive or negative; otherwise `error`.
    #[allow(clippy::cast_possible_truncation)]
    pub(crate) fn i64(&self, error: Error) -> napi::Result<i64> {
        self.integer(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER, error).map(|v| v as i64)
    }

    /// A `u64`: a non-negative safe integer `number`, or a `bigint` in
    /// `0..=2^64-1`; otherwise `error`.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub(crate) fn u64(&self, error: Error) -> napi::Result<u64> {
        match self.ty {
            ValueType::BigInt => {
                let (negative, v, lossless) = checked::<BigInt>(&self.value)?.get_u64();
                if negative || !lossless { Err(self.fail(error)) } else { Ok(v) }
            }
            ValueType::Number => self.integer(0.0, MAX_SAFE_INTEGER, error).map(|v| v as u64),
            _ => Err(self.wrong("a number or a bigint")),
        }
    }

    /// Unix seconds from a timestamp in milliseconds (see the module docs).
    pub(crate) fn millis(&self) -> napi::Result<u64> {
        match self.ty {
            ValueType::Number => otp_core::unix_secs_from_millis_f64(checked(&self.value)?).or_throw(self.env),
            ValueType::BigInt => {
                let (negative, ms, lossless) = checked::<BigInt>(&self.value)?.get_u128();
                if negative {
                    return Err(self.fail(Error::TimeBeforeT0));
                }
                let secs = if lossless { u64::try_from(ms / 1000).ok() } else { None };
                secs.ok_or_else(|| self.fail(Error::InvalidTime))
            }
            _ => Err(self.wrong("a number (milliseconds) or a bigint")),
        }
    }

    /// A timestamp in milliseconds, exact: `Some(ms)` when it fits a `u64`
    /// (every `number` that `millis` accepts; a `bigint` below 2^64), `None`
    /// for a larger `bigint` that `millis` accepts. A fractional `number` is
    /// truncated to whole milliseconds. Errors as `millis`.
    pub(crate) fn exact_millis(&self) -> napi::Result<Option<u64>> {
        self.millis()?;
        match self.ty {
            // In `0.0..2^64` (checked by `millis`): the core's truncation to
            // an integer, of milliseconds here.
            ValueType::Number => otp_core::unix_secs_from_f64(checked(&self.value)?).or_throw(self.env).map(Some),
            _ => {
                // Not negative and below 2^128 (checked by `millis`).
                let (_, ms, _) = checked::<BigInt>(&self.value)?.get_u128();
                Ok(u64::try_from(ms).ok())
            }
        }
    }

    /// The milliseconds within the second of a timestamp (`millis` drops
    /// them): `0..1000`, fractional for a fractional `number`.
    pub(crate) fn millis_part(&self) -> napi::Result<f64> {
        match self.ty {
            ValueType::Number => Ok(checked::<f64>(&self.value)?.rem_euclid(1000.0)),
            ValueType::BigInt => {
                let (_, ms, _) = checked::<BigInt>(&self.value)?.get_u128();
                #[allow(clippy::cast_precision_loss)]
                // Below 1000: exact.
                Ok((ms % 1000) as f64)
            }
            _ => Err(self.wrong("a number (milliseconds) or a bigint")),
        }
    }

    /// The environment the value belongs to.
    pub(crate) fn env(&self) -> &'e Env {
        self.env
    }

    /// The JavaScript type of the value.
    pub(crate) fn js_type(&self) -> ValueType {
        self.ty
    }

    /// A `TypeError` naming this value and the type it should have.
    pub(crate) fn type_error(&self, expected: &str) -> napi::Error {
        self.wrong(expected)
    }

    /// The value as `T`, whose JavaScript type the caller has checked with
    /// [`js_type`](Self::js_type).
    pub(crate) fn cast<T: FromNapiValue>(&self) -> napi::Result<T> {
        checked(&self.value)
    }

    /// Bytes: a `Uint8Array` (a `Buffer`) copied, or a string's UTF-8.
    pub(crate) fn bytes(&self) -> napi::Result<Vec<u8>> {
        match self.ty {
            ValueType::String => Ok(self.string()?.into_bytes()),
            ValueType::Object if self.value.is_typedarray()? => checked::<Uint8ArraySlice<'_>>(&self.value)
                .map(|b| b.to_vec())
                .map_err(|_| self.wrong("a Uint8Array (a Buffer) or a string")),
            _ => Err(self.wrong("a Uint8Array (a Buffer) or a string")),
        }
    }

    /// The bytes of an `ArrayBuffer` or of any typed array's view (a
    /// `Buffer`, a `Uint8Array`, a `Uint16Array`, ...), copied.
    pub(crate) fn byte_source(&self) -> napi::Result<Vec<u8>> {
        let wrong = || self.wrong("an ArrayBuffer or a typed array");
        if self.ty != ValueType::Object {
            return Err(wrong());
        }
        if self.value.is_arraybuffer()? {
            return checked::<ArrayBuffer<'_>>(&self.value).map(|b| b.to_vec()).map_err(|_| wrong());
        }
        if self.value.is_typedarray()? {
            return checked::<TypedArray<'_>>(&self.value).map(|t| t.arraybuffer.to_vec()).map_err(|_| wrong());
        }
        Err(wrong())
    }

    /// A plain object of strings (`Record<string, string>`), its own
    /// enumerable keys in order.
    pub(crate) fn string_map(&self) -> napi::Result<Vec<(String, String)>> {
        let wrong = || self.wrong("an object of strings");
        if self.ty != ValueType::Object || self.value.is_array()? {
            return Err(wrong());
        }
        let object: Object<'_> = checked(&self.value)?;
        // Own keys only: an object built on a prototype (a class's getters)
        // holds no key of its own.
        let names = object.get_all_property_names(
            KeyCollectionMode::OwnOnly,
            KeyFilter::Enumerable,
            KeyConversion::NumbersToStrings,
        )?;
        let count = names.get_array_length()?;
        // A keyring holds at most 32 keys: more is refused by the core, and
        // read no further here.
        if count as usize > otp_core::seal::MAX_KEYS {
            return Err(otp_error(self.env, Error::InvalidKey));
        }
        let mut out = Vec::with_capacity(count as usize);
        for i in 0..count {
            let name: Unknown<'_> = names.get_element(i)?;
            let name = Value::arg(self.env, Some(name), "key id")?.ok_or_else(wrong)?.string()?;
            let value: Unknown<'_> = object.get_named_property_unchecked(&name)?;
            let value = Value::arg(self.env, Some(value), "key")?.ok_or_else(wrong)?.string()?;
            out.push((name, value));
        }
        Ok(out)
    }

    /// An array of at most `max` strings; a longer array is `too_many`,
    /// refused before any element is read or any memory reserved (an
    /// array's length can be 2^32 - 1 with no element behind it).
    pub(crate) fn strings(&self, max: usize, too_many: Error) -> napi::Result<Vec<String>> {
        let not_strings = || self.wrong("an array of strings");
        if self.ty != ValueType::Object || !self.value.is_array()? {
            return Err(not_strings());
        }
        let array: Array<'_> = checked(&self.value)?;
        let len = usize::try_from(array.len()).unwrap_or(usize::MAX);
        if len > max {
            return Err(otp_error(self.env, too_many));
        }
        let mut out = Vec::with_capacity(len);
        for i in 0..array.len() {
            let item: Option<Unknown<'_>> = array.get(i)?;
            match item {
                Some(item) if item.get_type()? == ValueType::String => out.push(checked(&item)?),
                _ => return Err(not_strings()),
            }
        }
        Ok(out)
    }

    /// The JavaScript value itself, as an object (for class instances).
    pub(crate) fn unknown(&self) -> Unknown<'e> {
        self.value
    }
}

/// An options object, which may be omitted.
pub(crate) struct Options<'e> {
    env: &'e Env,
    object: Option<Object<'e>>,
}

impl<'e> Options<'e> {
    /// The options argument: an object, `undefined` or `null`.
    pub(crate) fn new(env: &'e Env, value: Option<Unknown<'e>>) -> napi::Result<Self> {
        let object = match Value::arg(env, value, "options")? {
            None => None,
            Some(v) if v.ty == ValueType::Object => Some(checked(&v.value)?),
            Some(v) => return Err(v.wrong("an object")),
        };
        Ok(Options { env, object })
    }

    /// The option `name`; `None` when absent, `undefined` or `null`. Names
    /// are C strings: V8 looks them up as internalized keys, which is several
    /// times faster than a fresh key string per read.
    pub(crate) fn get(&self, name: &'static CStr) -> napi::Result<Option<Value<'e>>> {
        let Some(object) = &self.object else { return Ok(None) };
        let value: Unknown<'e> = object.get_c_named_property_unchecked(name)?;
        Value::arg(self.env, Some(value), name.to_str().unwrap_or("option"))
    }

    /// Refuses an option this call does not know (a `TypeError` naming it):
    /// a misspelt or unsupported option is never silently ignored.
    pub(crate) fn only(&self, known: &[&str]) -> napi::Result<()> {
        let Some(object) = &self.object else { return Ok(()) };
        let names = object.get_all_property_names(
            KeyCollectionMode::OwnOnly,
            KeyFilter::Enumerable,
            KeyConversion::NumbersToStrings,
        )?;
        for i in 0..names.get_array_length()? {
            let name: Unknown<'_> = names.get_element(i)?;
            // Symbol keys are not options.
            if name.get_type()? != ValueType::String {
                continue;
            }
            let name = Value::arg(self.env, Some(name), "option")?.map(|v| v.string()).transpose()?.unwrap_or_default();
            if !known.contains(&name.as_str()) {
                let shown: String = name.chars().take(64).collect();
                return Err(type_error(self.env, format!("unknown option: {shown}")));
            }
        }
        Ok(())
    }

    /// Whether the option `name` is explicitly `null` (for options where
    /// `null` turns a feature off and absence means the default).
    pub(crate) fn is_null(&self, name: &'static CStr) -> napi::Result<bool> {
        let Some(object) = &self.object else { return Ok(false) };
        let value: Unknown<'e> = object.get_c_named_property_unchecked(name)?;
        Ok(value.get_type()? == ValueType::Null)
    }

    /// A required option.
    pub(crate) fn required(&self, name: &'static CStr) -> napi::Result<Value<'e>> {
        self.get(name)?
            .ok_or_else(|| type_error(self.env, format!("{} is required", name.to_str().unwrap_or("option"))))
    }

    /// An optional boolean, `false` when absent.
    pub(crate) fn flag(&self, name: &'static CStr) -> napi::Result<bool> {
        self.get(name)?.map_or(Ok(false), |v| v.bool())
    }

    /// An optional string.
    pub(crate) fn string(&self, name: &'static CStr) -> napi::Result<Option<String>> {
        self.get(name)?.map(|v| v.string()).transpose()
    }

    /// The timestamp option in Unix seconds; now when absent.
    pub(crate) fn timestamp(&self) -> napi::Result<u64> {
        match self.get(c"timestamp")? {
            Some(v) => v.millis(),
            None => otp_core::unix_now().or_throw(self.env),
        }
    }
}

/// Secret text (a key in base32 or hex, an otpauth URI, backup codes) as a
/// JavaScript string. V8 copies it; the Rust copy is zeroized when `text`
/// drops, instead of lingering in freed memory.
pub(crate) fn secret_to_js(env: &Env, text: Zeroizing<String>) -> napi::Result<JsString<'_>> {
    env.create_string(text.as_str())
}

/// A `u64` as a JavaScript `number` when it is a safe integer, or a `bigint`.
pub(crate) fn u64_to_js(v: u64) -> napi::Either<f64, BigInt> {
    #[allow(clippy::cast_precision_loss)]
    // At most 2^53-1: exact.
    if v <= MAX_SAFE_INTEGER as u64 { napi::Either::A(v as f64) } else { napi::Either::B(BigInt::from(v)) }
}
