// otp-core-wasm: the npm package otp-core's API over the WebAssembly build
// of otp-core, as an ES module for browsers, bundlers, Deno and edge
// runtimes (and Node).
//
// The Rust exports (src/*.rs, through wasm-bindgen's otp_core_wasm.js) are
// positional `*Core` classes and functions. This file only gives them the
// Node package's shape: it unpacks options objects, wraps the natives in
// the public classes, and groups functions into namespaces. Every type
// check, default and rule stays in Rust.
//
// Load the WebAssembly once, before any other call:
//   await init()                 browsers, bundlers, Deno, Node
//   initSync(wasmModuleOrBytes)  Cloudflare Workers and other runtimes that
//                                import the .wasm file as a module

import wasmInit, {
  AssemblerCore,
  backupCheckHash,
  backupGenerate,
  backupHash,
  backupHashRaw,
  backupNormalize,
  backupVerify,
  backupVerifyRaw,
  ExportCore,
  errorCodes,
  HotpCore,
  KeyringCore,
  maxTokenLen,
  migrationParse,
  qrDataUri,
  qrSvg,
  SecretCore,
  SteamCore,
  TotpCore,
  uriCompatibility,
  uriImport,
  uriLint,
  uriParse,
  initSync as wasmInitSync,
  version as wasmVersion,
} from './otp_core_wasm.js'

/** The package version (the Rust crate's); set by `init`. */
export let VERSION = ''
/** otpauth's name of `VERSION`. */
export let version = ''
/** Every `OtpError` code, in the core's order; set by `init`. */
export let ERROR_CODES = Object.freeze([])
/** The longest token any verifier reads (64); set by `init`. */
export let MAX_TOKEN_LEN = 0

function loaded() {
  VERSION = wasmVersion()
  version = VERSION
  ERROR_CODES = Object.freeze(errorCodes())
  MAX_TOKEN_LEN = maxTokenLen()
}

let ready = null

// Node's `fetch` cannot read `file:` URLs: there the bytes are read from the
// file beside this one. The specifier is computed so that bundlers for the
// browser leave it alone.
async function nodeBytes() {
  const fs = ['node', 'fs/promises'].join(':')
  const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ fs)
  return readFile(new URL('./otp_core_wasm_bg.wasm', import.meta.url))
}

const isNode = () => typeof process === 'object' && process !== null && typeof process.versions?.node === 'string'

/**
 * Loads the WebAssembly: from `input` (a URL, a `Response`, bytes or a
 * `WebAssembly.Module`) or, by default, from `otp_core_wasm_bg.wasm` beside
 * this file. Resolves when the package is ready; calling it again returns
 * the same promise.
 */
export function init(input) {
  if (ready === null) {
    ready = (async () => {
      let source = input
      if (source === undefined && isNode()) source = await nodeBytes()
      await wasmInit(source === undefined ? undefined : { module_or_path: source })
      loaded()
    })()
  }
  return ready
}

/** Loads the WebAssembly synchronously from a `WebAssembly.Module` or its bytes. */
export function initSync(module) {
  wasmInitSync({ module })
  loaded()
  ready = Promise.resolve()
}

export default init

/**
 * The class of every error of the core: `code` is `ERR_OTP_…`. The errors
 * are made in Rust (a JavaScript `Error` named `OtpError`); `instanceof`
 * recognises them.
 */
export class OtpError extends Error {
  constructor(message, code) {
    super(message)
    this.code = code
  }
  get name() {
    return 'OtpError'
  }
  static [Symbol.hasInstance](value) {
    return (
      value instanceof Error &&
      value.name === 'OtpError' &&
      typeof value.code === 'string' &&
      value.code.startsWith('ERR_OTP_')
    )
  }
}

// The same rule as Rust's: an options object, or `undefined`/`null` for none.
const NO_OPTIONS = Object.freeze({})
function options(value) {
  if (value === undefined || value === null) return NO_OPTIONS
  if (typeof value !== 'object') throw typeError('options must be an object')
  return value
}

function typeError(message) {
  const error = new TypeError(message)
  error.code = 'ERR_INVALID_ARG_TYPE'
  return error
}

// The public classes hold their native object in a private field; `INTERNAL`
// as the first constructor argument wraps a native from Rust.
const INTERNAL = Symbol('otp-core-wasm internal')
let secretNative
let otpNative

// A `secret` option: a `Secret` (a copy of its native, which the Rust
// constructors take over) or anything else (Rust checks it is base32 text).
function secretArgs(secret) {
  if (!(secret instanceof Secret)) return [secret, undefined]
  const native = secretNative(secret)
  if (native === undefined) throw typeError('secret must be a string or a Secret')
  return [undefined, native.copy()]
}

/** A shared secret. Never printed: `toString`/`toJSON` give `"[Secret]"`. */
export class Secret {
  #native
  static #of(self) {
    if (typeof self !== 'object' || self === null || !(#native in self)) throw typeError('the receiver is not a Secret')
    return self.#native
  }
  static {
    secretNative = (s) => (#native in s ? s.#native : undefined)
  }
  constructor(opts, native) {
    if (opts === INTERNAL) {
      this.#native = native
      return
    }
    const o = options(opts)
    this.#native = SecretCore.create(o.size, o.algorithm, o.buffer, o.allowLegacySecret)
  }
  static fromBase32(str, opts) {
    return new Secret(INTERNAL, SecretCore.fromBase32(str, options(opts).allowLegacySecret))
  }
  static fromHex(str, opts) {
    return new Secret(INTERNAL, SecretCore.fromHex(str, options(opts).allowLegacySecret))
  }
  static fromLatin1(str, opts) {
    return new Secret(INTERNAL, SecretCore.fromLatin1(str, options(opts).allowLegacySecret))
  }
  static fromUTF8(str, opts) {
    return new Secret(INTERNAL, SecretCore.fromUTF8(str, options(opts).allowLegacySecret))
  }
  get bytes() {
    return Secret.#of(this).bytes
  }
  get buffer() {
    return Secret.#of(this).bytes.buffer
  }
  get latin1() {
    return Secret.#of(this).latin1
  }
  get utf8() {
    return Secret.#of(this).utf8
  }
  get base32() {
    return Secret.#of(this).base32
  }
  get hex() {
    return Secret.#of(this).hex
  }
  get size() {
    return Secret.#of(this).size
  }
  toJSON() {
    return '[Secret]'
  }
  toString() {
    return '[Secret]'
  }
  [Symbol.for('nodejs.util.inspect.custom')]() {
    return 'Secret { [REDACTED] }'
  }
}

/** Time-based one-time passwords (RFC 6238), shaped like otpauth's `TOTP`. */
export class TOTP {
  #native
  static #of(self) {
    if (typeof self !== 'object' || self === null || !(#native in self)) throw typeError('the receiver is not a TOTP')
    return self.#native
  }
  static {
    const previous = otpNative
    otpNative = (o) => (#native in o ? o.#native : previous?.(o))
  }
  constructor(opts, native) {
    if (opts === INTERNAL) {
      this.#native = native
      return
    }
    const o = options(opts)
    const [text, core] = secretArgs(o.secret)
    this.#native = TotpCore.create(
      text,
      core,
      o.algorithm,
      o.digits,
      o.period,
      o.t0,
      o.issuer,
      o.label,
      o.image,
      o.allowLegacySecret,
    )
  }
  generate(opts) {
    return TOTP.#of(this).generate(options(opts).timestamp)
  }
  validate(opts) {
    const o = options(opts)
    return TOTP.#of(this).validate(o.token, o.timestamp, o.window) ?? null
  }
  match(opts) {
    const o = options(opts)
    return TOTP.#of(this).match(o.token, o.timestamp, o.past, o.future, o.drift, o.lastStep)
  }
  counter(opts) {
    return TOTP.#of(this).counter(options(opts).timestamp)
  }
  remaining(opts) {
    return TOTP.#of(this).remaining(options(opts).timestamp)
  }
  toString() {
    return TOTP.#of(this).toString()
  }
  get secret() {
    return new Secret(INTERNAL, TOTP.#of(this).secret)
  }
  get algorithm() {
    return TOTP.#of(this).algorithm
  }
  get digits() {
    return TOTP.#of(this).digits
  }
  get period() {
    return TOTP.#of(this).period
  }
  get t0() {
    return TOTP.#of(this).t0
  }
  get label() {
    return TOTP.#of(this).label
  }
  get issuer() {
    return TOTP.#of(this).issuer
  }
  get image() {
    return TOTP.#of(this).image ?? null
  }
}

/** Counter-based one-time passwords (RFC 4226), shaped like otpauth's `HOTP`. */
export class HOTP {
  #native
  static #of(self) {
    if (typeof self !== 'object' || self === null || !(#native in self)) throw typeError('the receiver is not an HOTP')
    return self.#native
  }
  static {
    const previous = otpNative
    otpNative = (o) => (#native in o ? o.#native : previous?.(o))
  }
  constructor(opts, native) {
    if (opts === INTERNAL) {
      this.#native = native
      return
    }
    const o = options(opts)
    const [text, core] = secretArgs(o.secret)
    this.#native = HotpCore.create(
      text,
      core,
      o.algorithm,
      o.digits,
      o.counter,
      o.issuer,
      o.label,
      o.image,
      o.allowLegacySecret,
    )
  }
  generate(opts) {
    return HOTP.#of(this).generate(options(opts).counter)
  }
  validate(opts) {
    const o = options(opts)
    return HOTP.#of(this).validate(o.token, o.counter, o.window) ?? null
  }
  toString() {
    return HOTP.#of(this).toString()
  }
  get secret() {
    return new Secret(INTERNAL, HOTP.#of(this).secret)
  }
  get algorithm() {
    return HOTP.#of(this).algorithm
  }
  get digits() {
    return HOTP.#of(this).digits
  }
  get counter() {
    return HOTP.#of(this).counter
  }
  get label() {
    return HOTP.#of(this).label
  }
  get issuer() {
    return HOTP.#of(this).issuer
  }
  get image() {
    return HOTP.#of(this).image ?? null
  }
}

/** Steam Guard codes (5 characters of Steam's alphabet, 30 s steps). */
export class Steam {
  #native
  static #of(self) {
    if (typeof self !== 'object' || self === null || !(#native in self)) throw typeError('the receiver is not a Steam')
    return self.#native
  }
  static {
    const previous = otpNative
    otpNative = (o) => (#native in o ? o.#native : previous?.(o))
  }
  constructor(opts, native) {
    if (opts === INTERNAL) {
      this.#native = native
      return
    }
    const o = options(opts)
    const [text, core] = secretArgs(o.secret)
    this.#native = SteamCore.create(text, core, o.allowLegacySecret)
  }
  generate(opts) {
    return Steam.#of(this).generate(options(opts).timestamp)
  }
  validate(opts) {
    const o = options(opts)
    return Steam.#of(this).validate(o.token, o.timestamp, o.window) ?? null
  }
}

// A native account from Rust as its public class.
function wrap(native) {
  if (native instanceof TotpCore) return new TOTP(INTERNAL, native)
  if (native instanceof HotpCore) return new HOTP(INTERNAL, native)
  return new Steam(INTERNAL, native)
}

// The native of a TOTP or HOTP (`what` names the argument in the TypeError).
function accountNative(value, what) {
  const native = value instanceof TOTP || value instanceof HOTP ? otpNative(value) : undefined
  if (native === undefined) throw typeError(`${what} must be a TOTP or an HOTP`)
  return native
}

/** otpauth:// Key URIs, as otpauth's `URI` (static functions only). */
export class URI {
  constructor() {
    throw typeError('URI has static functions only: use URI.parse and URI.stringify')
  }
  static parse(uri, opts) {
    return wrap(uriParse(uri, options(opts).allowLegacySecret))
  }
  static import(uri) {
    const imported = uriImport(uri)
    imported.otp = wrap(imported.otp)
    return imported
  }
  static lint(target) {
    if (typeof target === 'string') return uriLint(target)
    if (target === undefined || target === null) throw typeError('target is required')
    return accountNative(target, 'target').lint()
  }
  static compatibility() {
    return uriCompatibility()
  }
  static stringify(otp) {
    return accountNative(otp, 'otp').toString()
  }
}

/** Named keys that seal secrets (XChaCha20-Poly1305) for storage. */
export class Keyring {
  #native
  static #of(self) {
    if (typeof self !== 'object' || self === null || !(#native in self))
      throw typeError('the receiver is not a Keyring')
    return self.#native
  }
  constructor(opts) {
    const o = options(opts)
    this.#native = KeyringCore.create(o.keys, o.primary)
  }
  static generateKey() {
    return KeyringCore.generateKey()
  }
  seal(secret, opts) {
    const [text, core] = secretArgs(secret)
    return Keyring.#of(this).seal(text, core, options(opts).context)
  }
  open(envelope, opts) {
    return new Secret(INTERNAL, Keyring.#of(this).open(envelope, options(opts).context))
  }
  needsRewrap(envelope) {
    return Keyring.#of(this).needsRewrap(envelope)
  }
  rewrap(envelope, opts) {
    return Keyring.#of(this).rewrap(envelope, options(opts).context)
  }
  static keyIdOf(envelope) {
    return KeyringCore.keyIdOf(envelope)
  }
  get primary() {
    return Keyring.#of(this).primary
  }
  get keyIds() {
    return Keyring.#of(this).keyIds
  }
  toString() {
    return `[Keyring ${this.keyIds.join(',')} primary=${this.primary}]`
  }
  toJSON() {
    return this.toString()
  }
}

/** QR codes of otpauth URIs (or any text). */
export const qr = Object.freeze({
  svg: (uri) => qrSvg(uri),
  dataUri: (uri) => qrDataUri(uri),
})

// The entries of a batch with their accounts as public classes.
function withAccounts(batch) {
  for (const entry of batch.entries) entry.otp = wrap(entry.otp)
  return batch
}

// `ExportCore` holding `accounts` (TOTP, HOTP or Steam objects).
function exporting(accounts) {
  if (!Array.isArray(accounts)) throw typeError('accounts must be an array of TOTP, HOTP or Steam objects')
  const list = new ExportCore()
  for (const account of accounts) {
    const native = typeof account === 'object' && account !== null ? otpNative(account) : undefined
    if (native instanceof TotpCore) list.addTotp(native)
    else if (native instanceof HotpCore) list.addHotp(native)
    else if (native instanceof SteamCore) list.addSteam()
    else throw typeError('accounts must be TOTP, HOTP or Steam objects')
  }
  return list
}

/** The QR codes of one Google Authenticator export, in any order. */
class Assembler {
  #native = new AssemblerCore()
  static #of(self) {
    if (typeof self !== 'object' || self === null || !(#native in self))
      throw typeError('the receiver is not an Assembler')
    return self.#native
  }
  add(uri) {
    Assembler.#of(this).add(uri)
  }
  missing() {
    return Array.from(Assembler.#of(this).missing())
  }
  isComplete() {
    return Assembler.#of(this).isComplete()
  }
  finish() {
    return withAccounts(Assembler.#of(this).finish())
  }
}

/** Google Authenticator's export format (`otpauth-migration://`). */
export const migration = Object.freeze({
  Assembler,
  parse: (uri) => withAccounts(migrationParse(uri)),
  toUris: (accounts, opts) => exporting(accounts).finish(options(opts).batchId, false),
  toUrisLossy: (accounts, opts) => exporting(accounts).finish(options(opts).batchId, true),
})

/** Backup codes, hashed as Django's `pbkdf2_sha256$…` (PBKDF2-HMAC-SHA256). */
export const backupCodes = Object.freeze({
  generate: (opts) => backupGenerate(options(opts).count),
  normalize: (code) => backupNormalize(code),
  hash: (codes, opts) => backupHash(codes, options(opts).iterations),
  hashRaw: (tokens, opts) => backupHashRaw(tokens, options(opts).iterations),
  checkHash: (hash) => {
    backupCheckHash(hash)
  },
  verify: (candidate, hashes) => backupVerify(candidate, hashes) ?? null,
  verifyRaw: (candidate, hashes) => backupVerifyRaw(candidate, hashes) ?? null,
})
