// `npm pack`, install the tarball into a temporary project, and use the
// package from CommonJS, from an ES module and from TypeScript checked by
// `tsc --strict` (then run). Local tarball only: no registry is contacted.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { here } from './helpers.mjs'

const pkgDir = join(here, '..')
const tsc = join(pkgDir, 'node_modules', 'typescript', 'bin', 'tsc')
const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'

const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  })

describe('npm pack', () => {
  let dir

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'otp-core-pack-'))
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], pkgDir))
    const files = packed[0].files.map((f) => f.path).sort()
    assert.deepEqual(
      files.filter((f) => !/^otp-core\..*\.node$/.test(f)),
      [
        'README.md',
        'binding.js',
        'guard/express.d.ts',
        'guard/express.js',
        'guard/index.d.ts',
        'guard/index.js',
        'guard/passport.d.ts',
        'guard/passport.js',
        'guard/stores/README.md',
        'guard/stores/memory.js',
        'guard/stores/postgres.js',
        'guard/stores/postgres.sql',
        'guard/stores/redis.js',
        'index.d.ts',
        'index.js',
        'index.mjs',
        'package.json',
      ],
    )
    assert.ok(
      files.some((f) => /^otp-core\.linux-x64-gnu\.node$/.test(f)),
      files.join(),
    )
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '0.0.0' }))
    run('npm', ['install', '--offline', '--no-package-lock', join(dir, packed[0].filename)], dir)
  })

  after(() => rmSync(dir, { recursive: true, force: true }))

  it('CommonJS require', () => {
    writeFileSync(
      join(dir, 'app.cjs'),
      `const { TOTP, OtpError, URI, qr, backupCodes } = require('otp-core')
const t = new TOTP({ secret: '${SEED}', digits: 8 })
if (t.generate({ timestamp: 59000 }) !== '94287082') throw new Error('wrong code')
try { new TOTP({ secret: '!' }); throw new Error('accepted') } catch (e) { if (!(e instanceof OtpError) || e.code !== 'ERR_OTP_INVALID_SECRET') throw e }
if (!(URI.parse(t.toString()) instanceof TOTP)) throw new Error('parse')
if (!qr.png(t.toString()).length || backupCodes.generate().length !== 10) throw new Error('extras')
const { Guard, stores } = require('otp-core/guard')
const { requireSecondFactor } = require('otp-core/express')
const { GuardStrategy } = require('otp-core/passport')
const { Keyring } = require('otp-core')
const guard = new Guard({ store: stores.memory(), keyring: new Keyring({ keys: { k: Keyring.generateKey() }, primary: 'k' }) })
if (typeof requireSecondFactor(guard) !== 'function' || new GuardStrategy({ guard }).name !== 'otp-core') throw new Error('glue')
console.log('cjs ok', require.resolve('otp-core'))
`,
    )
    const out = run('node', ['app.cjs'], dir)
    assert.match(out, /^cjs ok .*node_modules\/otp-core\/index\.js/)
  })

  it('ES module import', () => {
    writeFileSync(
      join(dir, 'app.mjs'),
      `import otp, { TOTP, HOTP, OtpError, ERROR_CODES, Secret } from 'otp-core'
const t = new TOTP({ secret: Secret.fromBase32('${SEED}'), digits: 8 })
if (t.generate({ timestamp: 59000 }) !== '94287082') throw new Error('wrong code')
if (otp.TOTP !== TOTP || !(new HOTP({ secret: '${SEED}' }) instanceof otp.HOTP)) throw new Error('default export')
try { t.validate({ token: 1 }); throw new Error('accepted') } catch (e) { if (!(e instanceof TypeError)) throw e }
if (!(ERROR_CODES.includes('ERR_OTP_INVALID_T0') && typeof OtpError === 'function')) throw new Error('errors')
const { Guard, stores } = await import('otp-core/guard')
if (typeof Guard !== 'function' || typeof stores.postgres !== 'function') throw new Error('guard from ESM')
console.log('esm ok', import.meta.resolve('otp-core'))
`,
    )
    const out = run('node', ['app.mjs'], dir)
    assert.match(out, /^esm ok .*node_modules\/otp-core\/index\.mjs/)
  })

  it('TypeScript, tsc --strict', () => {
    writeFileSync(
      join(dir, 'app.mts'),
      `import { TOTP, HOTP, URI, OtpError, Secret, Throttle, Keyring, Verifier, backupCodes, qr, type Decision, type OtpErrorCode, type TotpMatch } from 'otp-core'
import { Guard, GuardError, stores, type Outcome, type Store } from 'otp-core/guard'
import { requireSecondFactor } from 'otp-core/express'
import { GuardStrategy } from 'otp-core/passport'

const totp: TOTP = new TOTP({ secret: new Secret({ size: 20 }), issuer: 'ACME', label: 'alice@example.com' })
const token: string = totp.generate({ timestamp: Date.now() })
const offset: number | null = totp.validate({ token, window: 1 })
const m: TotpMatch | null = totp.match({ token, lastStep: null, drift: 0 })
const step: number | bigint | undefined = m?.step
const parsed: TOTP | HOTP = URI.parse(totp.toString(), { allowLegacySecret: false })
const png: Buffer = qr.png(URI.stringify(parsed))
const wait: number = new Throttle({ base: 1, cap: 900 }).retryAfter({ failures: 2, lastFailureAt: 1_700_000_000_999, now: 1_700_000_001_000 })
// Nullable database columns go straight into the options: null is a default.
const row: { drift: number | null; lastStep: number | null; issuer: string | null } = { drift: null, lastStep: null, issuer: null }
const fromRow: TotpMatch | null = new TOTP({ secret: new Secret(), issuer: row.issuer, t0: null }).match({ token, drift: row.drift, lastStep: row.lastStep })
const allowed: boolean = new Throttle().isAllowed() && (fromRow === null || typeof fromRow.offset === "number")
const hashes: Promise<string[]> = backupCodes.hashAsync(backupCodes.generate({ count: 2 }), { iterations: 1000 })
const index: Promise<number | null> = hashes.then((h) => backupCodes.verifyAsync('00000-00000', h))
const ring = new Keyring({ keys: { k1: Keyring.generateKey() }, primary: 'k1' })
const opened: Secret = ring.open(ring.seal(totp.secret, { context: 'row 1' }), { context: Buffer.from('row 1') })
const decision: Decision = new Verifier({ throttle: null }).check(new TOTP({ secret: opened }), { token, lastStep: null })
// The union narrows on \`kind\`: \`write.step\` exists on an accept only.
const stored: number | bigint | null = decision.write.kind === 'accept' ? decision.write.step : null
const wait2: number | null = decision.kind === 'throttled' ? decision.retryAfterMs : null
const store: Store = stores.memory()
const guard = new Guard({ store, keyring: ring, policy: { accountMaxFailures: 5 }, issuer: 'ACME' })
const { uri } = await guard.enroll('alice', { label: 'alice@example.com' })
const app = URI.parse(uri) as TOTP
const outcome: Outcome = await guard.confirm('alice', app.generate())
const retry: number | null = outcome.kind === 'throttled' ? outcome.retryAfter : null
const middleware = requireSecondFactor<{ user?: { id: string } }>(guard, { account: (req) => req.user?.id })
const strategy = new GuardStrategy<{ id: string }>({ guard }, (user, done) => done(null, user.id))
let guardError: string | undefined
try {
  await guard.enroll('alice')
} catch (e) {
  if (e instanceof GuardError) guardError = e.code
}
let code: OtpErrorCode | undefined
try {
  new HOTP({ secret: 'JBSWY3DPEHPK3PXP', counter: 2n ** 64n - 1n })
} catch (e) {
  if (e instanceof OtpError) code = e.code
}
console.log('ts ok', offset, step !== undefined, png.length > 0, wait, await index, code, allowed, decision.kind, stored !== null, wait2, outcome.kind, retry, typeof middleware, strategy.name, guardError)
`,
    )
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          outDir: 'out',
          typeRoots: [join(pkgDir, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['app.mts'],
      }),
    )
    run('node', [tsc, '-p', 'tsconfig.json'], dir)
    const out = run('node', [join('out', 'app.mjs')], dir)
    assert.equal(
      out.trim(),
      'ts ok 0 true true 2 null ERR_OTP_SECRET_TOO_SHORT true accepted true null accepted null function otp-core ERR_GUARD_ALREADY_ENROLLED',
    )
    // A type error is caught: tsc really checks against index.d.ts.
    writeFileSync(
      join(dir, 'bad.mts'),
      `import { TOTP } from 'otp-core'\nconst n: number = new TOTP({ secret: 'x' }).generate()\n`,
    )
    const bad = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'))
    bad.files = ['bad.mts']
    writeFileSync(join(dir, 'tsconfig.bad.json'), JSON.stringify(bad))
    assert.throws(
      () => run('node', [tsc, '-p', 'tsconfig.bad.json'], dir),
      (e) => /TS2322/.test(e.stdout),
    )
  })
})
