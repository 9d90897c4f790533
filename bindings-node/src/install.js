// JavaScript that the addon installs on its own exports when it loads
// (lib.rs `init`, through `napi_run_script`), so that `require`, `import`
// and a direct load of the `.node` file all get it: options objects for the
// hot methods, and `Secret`'s redaction in `util.inspect`.
//
// `TOTP`/`HOTP`/`Steam` `generate` and `validate`, and `TOTP.match`, are
// native methods with positional arguments. Reading an option through
// Node-API costs about 130 ns (a key string, a property lookup and a type
// check); destructuring it here costs next to nothing, and these are the
// calls a server makes on every sign-in. Each wrapper below only unpacks the
// options object that index.d.ts documents, in the order of the native
// parameters; every type check and every default stays in Rust.
(function install(exports) {
  'use strict'

  // `util.inspect` prints no key material, even with `getters: true`.
  Object.defineProperty(exports.Secret.prototype, Symbol.for('nodejs.util.inspect.custom'), {
    value: function inspect() {
      return 'Secret { [REDACTED] }'
    },
  })
  Object.freeze(exports.ERROR_CODES)

  const NO_OPTIONS = Object.freeze({})

  // As Rust's `Options::new`: an object, or `undefined`/`null` for none.
  function options(value) {
    if (value === undefined || value === null) return NO_OPTIONS
    if (typeof value !== 'object') {
      const error = new TypeError('options must be an object')
      error.code = 'ERR_INVALID_ARG_TYPE'
      throw error
    }
    return value
  }

  function wrap(Class, name, make) {
    const descriptor = Object.getOwnPropertyDescriptor(Class.prototype, name)
    Object.defineProperty(Class.prototype, name, { ...descriptor, value: make(descriptor.value) })
  }

  const { TOTP, HOTP, Steam } = exports

  wrap(TOTP, 'generate', (native) =>
    function generate(opts) {
      const o = options(opts)
      return native.call(this, o.timestamp)
    })
  wrap(TOTP, 'validate', (native) =>
    function validate(opts) {
      const o = options(opts)
      return native.call(this, o.token, o.timestamp, o.window)
    })
  wrap(TOTP, 'match', (native) =>
    function match(opts) {
      const o = options(opts)
      return native.call(this, o.token, o.timestamp, o.past, o.future, o.drift, o.lastStep)
    })
  wrap(HOTP, 'generate', (native) =>
    function generate(opts) {
      const o = options(opts)
      return native.call(this, o.counter)
    })
  wrap(HOTP, 'validate', (native) =>
    function validate(opts) {
      const o = options(opts)
      return native.call(this, o.token, o.counter, o.window)
    })
  wrap(Steam, 'generate', (native) =>
    function generate(opts) {
      const o = options(opts)
      return native.call(this, o.timestamp)
    })
  wrap(Steam, 'validate', (native) =>
    function validate(opts) {
      const o = options(opts)
      return native.call(this, o.token, o.timestamp, o.window)
    })
})
