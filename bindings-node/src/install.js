// JavaScript that the addon installs on its own exports when it loads
// (lib.rs `init`, through `napi_run_script`), so that `require`, `import`
// and a direct load of the `.node` file all get it: options objects for the
// hot methods, `Secret`'s redaction in `util.inspect`, and TypeErrors for
// getters read on a non-instance. (Constructors called without `new` are
// refused natively: errors.rs, `require_new`.)
//
// `TOTP`/`HOTP`/`Steam` `generate` and `validate`, and `TOTP.match`, are
// native methods with positional arguments. Reading an option through
// Node-API costs about 130 ns (a key string, a property lookup and a type
// check); destructuring it here costs next to nothing, and these are the
// calls a server makes on every sign-in. Each wrapper below only unpacks the
// options object that index.d.ts documents, in the order of the native
// parameters; every type check and every default stays in Rust.
;(function install(exports) {
  // `util.inspect` prints no key material, even with `getters: true`.
  Object.defineProperty(exports.Secret.prototype, Symbol.for('nodejs.util.inspect.custom'), {
    value: function inspect() {
      return 'Secret { [REDACTED] }'
    },
  })
  Object.freeze(exports.ERROR_CODES)
  // otpauth's name of the version.
  exports.version = exports.VERSION

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

  // Each wrapper unpacks the options object that index.d.ts documents into
  // the native method's positional parameters, in their order.
  function wrap(Class, name, make) {
    const descriptor = Object.getOwnPropertyDescriptor(Class.prototype, name)
    Object.defineProperty(Class.prototype, name, { ...descriptor, value: make(descriptor.value) })
  }
  const { TOTP, HOTP, Steam } = exports
  wrap(
    TOTP,
    'generate',
    (native) =>
      function generate(opts) {
        return native.call(this, options(opts).timestamp)
      },
  )
  wrap(
    TOTP,
    'validate',
    (native) =>
      function validate(opts) {
        const o = options(opts)
        return native.call(this, o.token, o.timestamp, o.window)
      },
  )
  wrap(
    TOTP,
    'match',
    (native) =>
      function match(opts) {
        const o = options(opts)
        return native.call(this, o.token, o.timestamp, o.past, o.future, o.drift, o.lastStep)
      },
  )
  wrap(
    HOTP,
    'generate',
    (native) =>
      function generate(opts) {
        return native.call(this, options(opts).counter)
      },
  )
  wrap(
    HOTP,
    'validate',
    (native) =>
      function validate(opts) {
        const o = options(opts)
        return native.call(this, o.token, o.counter, o.window)
      },
  )
  wrap(
    Steam,
    'generate',
    (native) =>
      function generate(opts) {
        return native.call(this, options(opts).timestamp)
      },
  )
  wrap(
    Steam,
    'validate',
    (native) =>
      function validate(opts) {
        const o = options(opts)
        return native.call(this, o.token, o.timestamp, o.window)
      },
  )

  const CLASSES = ['HOTP', 'Secret', 'Steam', 'TOTP', 'Throttle', 'URI']

  // A getter read on an object that is not an instance (`Object.create(
  // TOTP.prototype)`, another class's object) fails in napi-rs's glue with a
  // plain `Error` (code `InvalidArg`): make it a TypeError, as V8 does for
  // the methods ("Illegal invocation"), with Node's code for a bad `this`.
  // The getters themselves throw nothing else (none can fail on an instance).
  for (const name of CLASSES) {
    const proto = exports[name].prototype
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (typeof d.get !== 'function') continue
      const native = d.get
      Object.defineProperty(proto, key, {
        ...d,
        get: {
          [key]() {
            try {
              return native.call(this)
            } catch (cause) {
              const error = new TypeError(`Value of "this" must be of type ${name}`, { cause })
              error.code = 'ERR_INVALID_THIS'
              throw error
            }
          },
        }[key],
      })
    }
  }
})
