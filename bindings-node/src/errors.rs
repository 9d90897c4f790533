//! The one mapping from `otp_core::Error` to JavaScript errors.
//!
//! Every core error becomes an instance of the package's `OtpError` class
//! (`class OtpError extends Error`), with `code` = `"ERR_OTP_"` + the core's
//! `Error::code()` in upper case (`ERR_OTP_INVALID_SECRET`) and `message` =
//! the core's `Error::message()`, which never contains input data. Wrong
//! JavaScript types become a `TypeError` with `code` =
//! `"ERR_INVALID_ARG_TYPE"` (Node's own code for the same mistake), whose
//! message names the option, never its value.
//!
//! `OtpError` is defined in JavaScript when the addon loads (`init`), once
//! per Node environment (main thread or worker), and kept in the
//! environment's instance data so that errors can be built from Rust.

use napi::{
    Env, JsError, JsTypeError, Status,
    bindgen_prelude::{FnArgs, Function, FunctionRef, JavaScriptClassExt, Object, Unknown},
};

/// The class, defined in JavaScript so that it really extends `Error`
/// (stack traces, `instanceof Error`, `util.inspect`).
const OTP_ERROR_CLASS: &str = r#"(class OtpError extends Error {
  constructor(message, code) {
    super(message);
    Object.defineProperty(this, "code", { value: code, enumerable: true, writable: false, configurable: true });
  }
  get name() { return "OtpError"; }
})"#;

/// Constructor arguments: `(message, code)`.
type ErrorArgs = FnArgs<(&'static str, String)>;

/// What the addon keeps per Node environment.
struct InstanceData {
    otp_error: FunctionRef<ErrorArgs, Unknown<'static>>,
}

/// Node's code for an argument of the wrong type.
const TYPE_ERROR_CODE: &str = "ERR_INVALID_ARG_TYPE";

/// Defines `OtpError` in this environment, remembers it, and exports it.
pub(crate) fn init(env: &Env, exports: &mut Object<'_>) -> napi::Result<()> {
    let class: Function<'_, ErrorArgs, Unknown<'static>> = env.run_script(OTP_ERROR_CLASS)?;
    env.set_instance_data(InstanceData { otp_error: class.create_ref()? }, (), |_| {})?;
    exports.set("OtpError", class)?;
    // The codes, in `otp_core::Error::ALL` order, for callers that switch on them.
    let codes: Vec<String> = otp_core::Error::ALL.iter().map(|e| js_code(*e)).collect();
    exports.set("ERROR_CODES", codes)
}

/// `ERR_OTP_<CODE>`.
pub(crate) fn js_code(error: otp_core::Error) -> String {
    let mut code = String::from("ERR_OTP_");
    code.push_str(&error.code().to_ascii_uppercase());
    code
}

/// The `OtpError` for a core error, ready to be thrown (returned as `Err`)
/// or to reject a promise with.
pub(crate) fn otp_error(env: &Env, error: otp_core::Error) -> napi::Error {
    let build = || -> napi::Result<napi::Error> {
        let data = env
            .get_instance_data::<InstanceData>()?
            .ok_or_else(|| napi::Error::new(Status::GenericFailure, "otp-core is not initialised"))?;
        let class = data.otp_error.borrow_back(env)?;
        Ok(napi::Error::from(class.new_instance(FnArgs::from((error.message(), js_code(error))))?))
    };
    // Only reachable when `OtpError` cannot be built (the environment is
    // shutting down): a plain `Error` (not an `OtpError`) with the same
    // `code` (`ERR_OTP_…`) and message.
    build().unwrap_or_else(|_| {
        napi::Error::from(JsError::from(napi::Error::new(js_code(error), error.message())).into_unknown(*env))
    })
}

/// A `TypeError` (`code` = `ERR_INVALID_ARG_TYPE`) with a message that names
/// the argument and the expected type, never the value.
pub(crate) fn type_error(env: &Env, message: String) -> napi::Error {
    napi::Error::from(JsTypeError::from(napi::Error::new(TYPE_ERROR_CODE, message)).into_unknown(*env))
}

/// Node's code for a class constructor called without `new`.
const CONSTRUCT_CALL_REQUIRED: &str = "ERR_CONSTRUCT_CALL_REQUIRED";

/// Refuses a constructor call whose receiver is not an instance under
/// construction (`TOTP(o)` without `new`, `TOTP.call(globalThis, o)`,
/// `Reflect.construct(TOTP, [o], Object)`), with the `TypeError` a
/// JavaScript class throws: napi-rs's constructors do not check
/// `new.target`, and would wrap the receiver (the exports object, a plain
/// object) instead. `new` on the class or on a subclass passes.
pub(crate) fn require_new<C: JavaScriptClassExt>(env: &Env, this: &Unknown<'_>, name: &str) -> napi::Result<()> {
    if C::instance_of(env, this)? {
        return Ok(());
    }
    let message = format!("Class constructor {name} cannot be invoked without 'new'");
    Err(napi::Error::from(JsTypeError::from(napi::Error::new(CONSTRUCT_CALL_REQUIRED, message)).into_unknown(*env)))
}

/// `?`-friendly conversion of core results.
pub(crate) trait OrThrow<T> {
    /// Maps an `otp_core::Error` to its `OtpError`.
    fn or_throw(self, env: &Env) -> napi::Result<T>;
}

impl<T> OrThrow<T> for Result<T, otp_core::Error> {
    #[inline]
    fn or_throw(self, env: &Env) -> napi::Result<T> {
        self.map_err(|e| otp_error(env, e))
    }
}
