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

  // The constructors of TOTP, HOTP and Steam are positional natively too:
  // each wrapper refuses an option it does not know, unpacks the others in
  // the native order, and keeps the instances made from a base32 string in
  // a small LRU (instances are immutable and frozen, so sharing one is
  // safe): a server that builds `new TOTP({ secret })` per request from the
  // secret it loaded then pays the native construction (a wrapped object,
  // the secret decoded, the HMAC keyed) once per secret, not per request.
  // A `Secret` object, a subclass (`class My extends TOTP`) or an option of
  // an unexpected type is never cached.
  const CACHE_SIZE = 1024

  function unknownOption(name) {
    const error = new TypeError(`unknown option: ${String(name).slice(0, 64)}`)
    error.code = 'ERR_INVALID_ARG_TYPE'
    return error
  }

  const isText = (v) => v === undefined || v === null || typeof v === 'string'
  const isCount = (v) => v === undefined || v === null || (typeof v === 'number' && Number.isSafeInteger(v))
  const isWide = (v) => isCount(v) || typeof v === 'bigint'
  const isFlag = (v) => v === undefined || v === null || typeof v === 'boolean'
  // A key part: nothing for a default, strings with their length (so that
  // a `|` inside one cannot make two different option sets one key).
  const text = (v) => (v === undefined || v === null ? '' : typeof v === 'string' ? `${v.length}:${v}` : `#${v}`)

  // Whether every option after the secret is left to its default.
  function defaults(args) {
    for (let i = 1; i < args.length; i++) {
      if (args[i] !== undefined && args[i] !== null) return false
    }
    return true
  }

  // The cache key of positional arguments of the expected kinds (`text`,
  // `count`, `wide`, `flag`), or undefined when one is of another type
  // (the native constructor then reports it, and nothing is cached).
  const KINDS = { text: isText, count: isCount, wide: isWide, flag: isFlag }
  function keyOf(args, kinds) {
    let key = ''
    for (let i = 0; i < args.length; i++) {
      if (!KINDS[kinds[i]](args[i])) return undefined
      key += `${text(args[i])}|`
    }
    return key
  }

  function wrapConstructor(name, spec) {
    const Native = exports[name]
    const known = new Set(spec.options)
    const cache = new Map()
    const bySecret = new Map()
    // Keys seen once (strings only), oldest first out.
    const seen = new Set()
    const admit = (key) => {
      if (seen.delete(key)) return true
      seen.add(key)
      if (seen.size > 4 * CACHE_SIZE) seen.delete(seen.values().next().value)
      return false
    }
    const Wrapper = {
      [name]: function (opts) {
        if (new.target === undefined) {
          const error = new TypeError(`Class constructor ${name} cannot be invoked without 'new'`)
          error.code = 'ERR_CONSTRUCT_CALL_REQUIRED'
          throw error
        }
        const o = options(opts)
        for (const key in o) {
          if (Object.hasOwn(o, key) && !known.has(key)) throw unknownOption(key)
        }
        // Each option is read once: the key and the native call see the same
        // values, whatever getters the options object has.
        const args = spec.args(o)
        // The common case, a base32 secret and every other option left to
        // its default, is keyed by the secret alone (in a map of its own).
        let map
        let key
        if (new.target === Wrapper && typeof args[0] === 'string') {
          if (defaults(args)) {
            map = bySecret
            key = args[0]
          } else {
            map = cache
            key = keyOf(args, spec.kinds)
          }
        }
        if (key !== undefined) {
          const hit = map.get(key)
          if (hit !== undefined) return hit
        }
        const instance = Reflect.construct(Native, args, new.target)
        // Kept only for a key seen before: an instance kept alive costs the
        // garbage collector (its native finalizer runs in a full
        // collection), so a stream of distinct secrets is not cached.
        if (key !== undefined && admit(key)) {
          // Oldest first out: a hit does not reorder (cheaper than an LRU's bump).
          map.set(key, Object.freeze(instance))
          if (map.size > CACHE_SIZE) map.delete(map.keys().next().value)
        }
        return instance
      },
    }[name]
    // `instanceof` and subclasses see the native prototype; URI.parse's
    // instances (made natively) are instances too.
    Wrapper.prototype = Native.prototype
    Object.defineProperty(Native.prototype, 'constructor', { value: Wrapper, writable: true, configurable: true })
    Object.setPrototypeOf(Wrapper, Native)
    exports[name] = Wrapper
  }

  wrapConstructor('TOTP', {
    options: ['secret', 'algorithm', 'digits', 'period', 't0', 'issuer', 'label', 'image', 'allowLegacySecret'],
    args: (o) => [o.secret, o.algorithm, o.digits, o.period, o.t0, o.issuer, o.label, o.image, o.allowLegacySecret],
    kinds: ['text', 'text', 'count', 'count', 'wide', 'text', 'text', 'text', 'flag'],
  })
  wrapConstructor('HOTP', {
    options: ['secret', 'algorithm', 'digits', 'counter', 'issuer', 'label', 'image', 'allowLegacySecret'],
    args: (o) => [o.secret, o.algorithm, o.digits, o.counter, o.issuer, o.label, o.image, o.allowLegacySecret],
    kinds: ['text', 'text', 'count', 'wide', 'text', 'text', 'text', 'flag'],
  })
  wrapConstructor('Steam', {
    options: ['secret', 'allowLegacySecret'],
    args: (o) => [o.secret, o.allowLegacySecret],
    kinds: ['text', 'flag'],
  })

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
