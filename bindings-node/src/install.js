// JavaScript that the addon installs on its own exports when it loads
// (lib.rs `init`, through `napi_run_script`), so that `require`, `import`
// and a direct load of the `.node` file all get it: options objects for the
// hot methods, `Secret`'s redaction in `util.inspect`, TypeErrors for
// getters read on a non-instance, and classes that refuse to be called
// without `new`.
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

  // The hot methods' fast entry points (otp.rs, "Fast entry points"): static
  // functions that take the instance as an argument, without the borrow
  // tracking that napi-rs does for a `&self` receiver (about 90 ns a call).
  // They must only ever see objects wrapped by this addon's class: napi-rs
  // recognises its own wraps only, and V8's check of a prototype method's
  // receiver does not apply to them. Such objects get a brand (a private
  // field, which no other code can add, read or forge, not even through a
  // Proxy): when the class's own constructor has just made them (`construct`
  // below), or once a prototype method has accepted them as its receiver
  // (after V8's and napi-rs's checks: URI.parse's objects, for instance).
  // Any other receiver goes to the prototype method, with its errors.
  function instances(Class) {
    class Base {
      constructor(object) {
        return object
      }
    }
    class Brand extends Base {
      #instance = true
      static has(object) {
        return #instance in object
      }
    }
    const fast = {}
    for (const name of ['generate', 'validate', 'match']) {
      if (Object.hasOwn(Class, `__${name}`)) {
        fast[name] = Class[`__${name}`]
        delete Class[`__${name}`]
      }
    }
    return {
      fast,
      has(object) {
        return typeof object === 'object' && object !== null && Brand.has(object)
      },
      add(object) {
        if (typeof object !== 'object' || object === null || Brand.has(object)) return
        try {
          new Brand(object)
        } catch {
          // An object that cannot take a private field: left to the prototype methods.
        }
      },
    }
  }

  const { TOTP, HOTP, Steam } = exports
  const BRANDS = new Map([
    [TOTP, instances(TOTP)],
    [HOTP, instances(HOTP)],
    [Steam, instances(Steam)],
  ])

  // Replaces `Class.prototype[name]` with `make(native, fast, brand)`.
  function wrap(Class, name, make) {
    const brand = BRANDS.get(Class)
    const descriptor = Object.getOwnPropertyDescriptor(Class.prototype, name)
    Object.defineProperty(Class.prototype, name, {
      ...descriptor,
      value: make(descriptor.value, brand.fast[name], brand),
    })
  }

  // Each wrapper: the fast entry point for a branded instance; otherwise the
  // prototype method, and a brand for its receiver once it has accepted it.
  wrap(TOTP, 'generate', (native, fast, brand) =>
    function generate(opts) {
      const o = options(opts)
      if (brand.has(this)) return fast(this, o.timestamp)
      const result = native.call(this, o.timestamp)
      brand.add(this)
      return result
    })
  wrap(TOTP, 'validate', (native, fast, brand) =>
    function validate(opts) {
      const o = options(opts)
      if (brand.has(this)) return fast(this, o.token, o.timestamp, o.window)
      const result = native.call(this, o.token, o.timestamp, o.window)
      brand.add(this)
      return result
    })
  wrap(TOTP, 'match', (native, fast, brand) =>
    function match(opts) {
      const o = options(opts)
      if (brand.has(this)) return fast(this, o.token, o.timestamp, o.past, o.future, o.drift, o.lastStep)
      const result = native.call(this, o.token, o.timestamp, o.past, o.future, o.drift, o.lastStep)
      brand.add(this)
      return result
    })
  wrap(HOTP, 'generate', (native, fast, brand) =>
    function generate(opts) {
      const o = options(opts)
      if (brand.has(this)) return fast(this, o.counter)
      const result = native.call(this, o.counter)
      brand.add(this)
      return result
    })
  wrap(HOTP, 'validate', (native, fast, brand) =>
    function validate(opts) {
      const o = options(opts)
      if (brand.has(this)) return fast(this, o.token, o.counter, o.window)
      const result = native.call(this, o.token, o.counter, o.window)
      brand.add(this)
      return result
    })
  wrap(Steam, 'generate', (native, fast, brand) =>
    function generate(opts) {
      const o = options(opts)
      if (brand.has(this)) return fast(this, o.timestamp)
      const result = native.call(this, o.timestamp)
      brand.add(this)
      return result
    })
  wrap(Steam, 'validate', (native, fast, brand) =>
    function validate(opts) {
      const o = options(opts)
      if (brand.has(this)) return fast(this, o.token, o.timestamp, o.window)
      const result = native.call(this, o.token, o.timestamp, o.window)
      brand.add(this)
      return result
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

  // napi-rs's constructors do not check `new.target`: `TOTP({ secret })`
  // would wrap a native object around its receiver (the exports object, or
  // `globalThis`) and `Reflect.construct(TOTP, [o], Object)` around a plain
  // object. Each class is exported behind a Proxy that refuses both, as a
  // JavaScript class does. Everything else reaches the class itself:
  // `prototype` (so `instanceof`, and objects the addon makes, such as
  // `URI.parse`'s, are unaffected), static methods (`Secret.fromBase32`),
  // `name`, `length`, subclassing (`class X extends TOTP`).
  for (const name of CLASSES) {
    const Class = exports[name]
    const refuse = (message) => {
      const error = new TypeError(message)
      error.code = 'ERR_CONSTRUCT_CALL_REQUIRED'
      return error
    }
    const proxy = new Proxy(Class, {
      apply() {
        throw refuse(`Class constructor ${name} cannot be invoked without 'new'`)
      },
      construct(target, args, newTarget) {
        if (newTarget !== proxy && !(newTarget.prototype instanceof target)) {
          throw refuse(`Class constructor ${name} can only construct a ${name} or a subclass`)
        }
        const object = Reflect.construct(target, args, newTarget)
        // Made and wrapped by the class's native constructor (see `instances`).
        BRANDS.get(Class)?.add(object)
        return object
      },
    })
    // `obj.constructor === TOTP` holds for the exported name.
    Object.defineProperty(Class.prototype, 'constructor', { value: proxy })
    exports[name] = proxy
  }
})
