// otp-core (Node) against otpauth and otplib 13, in one run: ns per call.
//
// Fixture (as the Rust and Python benches): RFC 6238's SHA1 key
// "12345678901234567890", 6 digits, 30 s, T = 1111111109 s (step 37037036).
// The valid code is the code of the step before T, so a ±1 window accepts
// it at offset -1; the invalid code is well formed and matches no step
// within ±10.
//
// Rows:
//   generate                     the code at T
//   verify_1_valid               validate the valid code at T, window ±1
//   verify_1_invalid             validate the invalid code at T, window ±1
//   base32_new_verify_1_invalid  construct from the base32 secret, then
//                                validate the invalid code (one server request;
//                                the same secret each time, as a returning user)
//   base32_new_verify_1_invalid_cold  the same with 4,096 distinct secrets in
//                                turn (more than otp-core's instance cache
//                                keeps: every construction is a miss)
//
// Also measured in the same run: an empty addon call (`clampDrift(0)`) and
// the Rust call itself (otp-core/examples/verify_ns.rs, the same fixture),
// for the target "validate within 2× of the Rust call + an empty call".
//
// Each library is called the way its users call it: otp-core and otpauth
// with the identical `new TOTP({ secret })` and `validate({ token,
// timestamp, window: 1 })` (timestamps in ms); otplib 13 with its
// recommended functional API, `generateSync` / `verifySync({ secret, token,
// epoch, epochTolerance: 30 })` (seconds; ±30 s is its ±1 step), which
// decodes the base32 secret on every call, so its construct row is the same
// call as its validate row.
//
// Run: make bench-node  (= node benches/node/compare.mjs, after the build)
// Not a timed test: it prints a table and says whether the targets are met.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkgDir = join(fileURLToPath(import.meta.url), '..', '..', '..', 'bindings-node')
const require = createRequire(join(pkgDir, 'package.json'))
const ours = require('./index.js')
const OTPAuth = require('otpauth')
const otplib = require('otplib')

const _KEY = Buffer.from('12345678901234567890')
const B32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
const T = 1111111109
const T_MS = T * 1000
const STEP = 30

const reference = new OTPAuth.HOTP({ secret: OTPAuth.Secret.fromBase32(B32) })
const code = (step) => reference.generate({ counter: step })
const VALID = code(Math.floor(T / STEP) - 1)
const near = new Set(Array.from({ length: 21 }, (_, i) => code(Math.floor(T / STEP) + i - 10)))
const INVALID = ['000000', '111111', '222222'].find((c) => !near.has(c))

// Distinct 20-byte secrets, as otpauth and otp-core both read them.
const COLD = Array.from({ length: 4096 }, (_, i) => {
  const bytes = Buffer.alloc(20)
  bytes.writeUInt32BE(i, 0)
  bytes.write('12345678901234567890'.slice(4), 4)
  return OTPAuth.Secret.fromHex(bytes.toString('hex')).base32
})
let coldIndex = 0
const nextCold = () => COLD[coldIndex++ & 4095]

const oursTotp = new ours.TOTP({ secret: B32 })
const theirTotp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(B32) })

const ROWS = {
  generate: {
    'otp-core': () => oursTotp.generate({ timestamp: T_MS }),
    otpauth: () => theirTotp.generate({ timestamp: T_MS }),
    otplib: () => otplib.generateSync({ secret: B32, epoch: T }),
  },
  verify_1_valid: {
    'otp-core': () => oursTotp.validate({ token: VALID, timestamp: T_MS, window: 1 }),
    otpauth: () => theirTotp.validate({ token: VALID, timestamp: T_MS, window: 1 }),
    otplib: () => otplib.verifySync({ secret: B32, token: VALID, epoch: T, epochTolerance: 30 }).valid,
  },
  verify_1_invalid: {
    'otp-core': () => oursTotp.validate({ token: INVALID, timestamp: T_MS, window: 1 }),
    otpauth: () => theirTotp.validate({ token: INVALID, timestamp: T_MS, window: 1 }),
    otplib: () => otplib.verifySync({ secret: B32, token: INVALID, epoch: T, epochTolerance: 30 }).valid,
  },
  base32_new_verify_1_invalid: {
    'otp-core': () => new ours.TOTP({ secret: B32 }).validate({ token: INVALID, timestamp: T_MS, window: 1 }),
    otpauth: () =>
      new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(B32) }).validate({
        token: INVALID,
        timestamp: T_MS,
        window: 1,
      }),
    otplib: () => otplib.verifySync({ secret: B32, token: INVALID, epoch: T, epochTolerance: 30 }).valid,
  },
  base32_new_verify_1_invalid_cold: {
    'otp-core': () => new ours.TOTP({ secret: nextCold() }).validate({ token: INVALID, timestamp: T_MS, window: 1 }),
    otpauth: () =>
      new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(nextCold()) }).validate({
        token: INVALID,
        timestamp: T_MS,
        window: 1,
      }),
    otplib: () => otplib.verifySync({ secret: nextCold(), token: INVALID, epoch: T, epochTolerance: 30 }).valid,
  },
}
const LIBRARIES = ['otp-core', 'otpauth', 'otplib']

// Targets: how many times faster otp-core must be.
const TARGETS = [
  ['verify_1_invalid', 'otpauth', 10],
  ['verify_1_invalid', 'otplib', 30],
  ['base32_new_verify_1_invalid', 'otpauth', 10],
]

function check(condition, message) {
  if (!condition) throw new Error(`agreement check failed: ${message}`)
}

/** Every library gives the same answers before anything is timed. */
function checkAgreement() {
  const c = ROWS.generate['otp-core']()
  check(c === '081804' && c === ROWS.generate.otpauth() && c === ROWS.generate.otplib(), 'generate differs')
  for (const lib of LIBRARIES) {
    const valid = ROWS.verify_1_valid[lib]()
    check(valid === -1 || valid === true, `verify_1_valid: ${lib}`)
    for (const row of ['verify_1_invalid', 'base32_new_verify_1_invalid', 'base32_new_verify_1_invalid_cold']) {
      const r = ROWS[row][lib]()
      check(r === null || r === false, `${row}: ${lib}`)
    }
  }
  for (let step = Math.floor(T / STEP) - 1000; step < Math.floor(T / STEP) + 1000; step++) {
    const t = step * STEP * 1000
    check(oursTotp.generate({ timestamp: t }) === theirTotp.generate({ timestamp: t }), `step ${step}`)
  }
}

let sink = 0
const consume = (v) => {
  sink ^= v === null || v === false ? 1 : typeof v === 'string' ? v.length : 2
}

/** Best of `repeat` runs of about `budget` seconds each, in ns per call. */
function nsPerCall(fn, repeat, budget) {
  let n = 1
  for (;;) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) consume(fn())
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9
    if (elapsed >= 0.05) {
      n = Math.max(1, Math.round((n * budget) / elapsed))
      break
    }
    n *= 2
  }
  let best = Infinity
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) consume(fn())
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / n)
  }
  return best
}

const fmt = (ns) => Math.round(ns).toLocaleString('en-US')

function main() {
  const repeat = Number(process.env.BENCH_REPEAT ?? 7)
  const budget = Number(process.env.BENCH_BUDGET ?? 0.2)
  checkAgreement()
  const versions = {
    'otp-core': ours.VERSION,
    otpauth: OTPAuth.version,
    otplib: JSON.parse(readFileSync(join(pkgDir, 'node_modules', 'otplib', 'package.json'), 'utf8')).version,
  }
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} CPUs)`)
  console.log(`libraries: ${LIBRARIES.map((l) => `${l} ${versions[l]}`).join(', ')}`)
  console.log(`valid code ${VALID}, invalid code ${INVALID}; best of ${repeat} x ~${budget} s\n`)
  const results = {}
  for (const [row, fns] of Object.entries(ROWS)) {
    results[row] = {}
    for (const lib of LIBRARIES) results[row][lib] = nsPerCall(fns[lib], repeat, budget)
  }
  console.log('| row | otp-core (ns) | otpauth (ns) | otplib (ns) | otpauth / otp-core | otplib / otp-core |')
  console.log('|---|---:|---:|---:|---:|---:|')
  for (const [row, r] of Object.entries(results)) {
    const ratio = (lib) => `${(r[lib] / r['otp-core']).toFixed(1)}×`
    console.log(
      `| \`${row}\` | ${fmt(r['otp-core'])} | ${fmt(r.otpauth)} | ${fmt(r.otplib)} | ${ratio('otpauth')} | ${ratio('otplib')} |`,
    )
  }
  console.log()
  let ok = true
  for (const [row, lib, target] of TARGETS) {
    const ratio = results[row][lib] / results[row]['otp-core']
    const met = ratio >= target
    ok &&= met
    console.log(`target ${row}: ≥ ${target}× faster than ${lib}: ${ratio.toFixed(1)}× ${met ? 'met' : 'NOT MET'}`)
  }
  // validate against the Rust call it wraps plus an empty addon call.
  const empty = nsPerCall(() => ours.clampDrift(0), repeat, budget)
  const rust = Number(
    execFileSync('cargo', ['run', '-q', '--release', '-p', 'otp-core', '--example', 'verify_ns'], {
      cwd: join(pkgDir, '..'),
      encoding: 'utf8',
    }).trim(),
  )
  const floor = rust + empty
  const validate = results.verify_1_invalid['otp-core']
  const within = validate <= 2 * floor
  ok &&= within
  console.log(
    `target verify_1_invalid: within 2× of the Rust call (${fmt(rust)} ns) + an empty addon call (${fmt(empty)} ns) = ${fmt(floor)} ns: ${fmt(validate)} ns, ${(validate / floor).toFixed(2)}× ${within ? 'met' : 'NOT MET'}`,
  )
  if (sink === 0.5) console.log(sink)
  return ok ? 0 : 1
}

process.exitCode = main()
