// A/B of builds of the addon in one process: ns per call of the per-request
// path of a server (construct a TOTP from the base32 secret, then validate a
// wrong code at ±1 step) and of `validate` alone, for each `.node` file given,
// with otpauth's figure from the same run for scale.
//
// Build each variant to its own folder (`npx napi build --platform --release
// --output-dir /tmp/ab/A`, edit, again for B, ...), then:
//   node benches/node/ab.mjs /tmp/ab/A/otp-core.linux-x64-gnu.node /tmp/ab/B/...
// Rounds alternate between the builds, so that a machine that slows down or
// speeds up during the run affects each build alike; the table gives the
// median and the spread (min–max) of the per-round figures.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkgDir = join(fileURLToPath(import.meta.url), '..', '..', '..', 'bindings-node')
const require = createRequire(join(pkgDir, 'package.json'))
const OTPAuth = require('otpauth')

const B32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
const T_MS = 1111111109 * 1000
const INVALID = '000000'
const ROUNDS = Number(process.env.AB_ROUNDS ?? 30)
const CALLS = Number(process.env.AB_CALLS ?? 50_000)

const builds = process.argv.slice(2).map((path) => ({ name: path, lib: require(path) }))
if (builds.length === 0) {
  console.error('usage: node benches/node/ab.mjs BUILD.node [BUILD.node ...]')
  process.exit(2)
}

const cases = []
for (const { name, lib } of builds) {
  const totp = new lib.TOTP({ secret: B32 })
  cases.push([
    `${name} construct+validate`,
    () => new lib.TOTP({ secret: B32 }).validate({ token: INVALID, timestamp: T_MS, window: 1 }),
  ])
  cases.push([`${name} validate`, () => totp.validate({ token: INVALID, timestamp: T_MS, window: 1 })])
}
const theirs = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(B32) })
cases.push([
  'otpauth construct+validate',
  () =>
    new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(B32) }).validate({
      token: INVALID,
      timestamp: T_MS,
      window: 1,
    }),
])
cases.push(['otpauth validate', () => theirs.validate({ token: INVALID, timestamp: T_MS, window: 1 })])

const results = new Map(cases.map(([name]) => [name, []]))
let sink = 0
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of cases) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < CALLS; i++) sink ^= fn() === null ? 1 : 0
    results.get(name).push(Number(process.hrtime.bigint() - start) / CALLS)
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`| case | median ns | min–max ns | (${ROUNDS} rounds × ${CALLS} calls, sink ${sink}) |`)
console.log('|---|---|---|---|')
for (const [name, xs] of results) {
  console.log(`| ${name} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} | |`)
}
