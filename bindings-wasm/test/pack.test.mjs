// The npm package as users get it: `npm pack` holds exactly the published
// files; installed into a fresh project (no Rust, no network: it has no
// dependencies), it loads with `import` and `init()` in Node, and a
// TypeScript consumer type-checks against index.d.ts with `tsc --strict`
// (and a wrong call fails to).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'

import { otp, packageDir } from './helpers.mjs'

const work = mkdtempSync(join(tmpdir(), 'otp-core-wasm-pack-'))
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const TSC = join(import.meta.dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc')

describe('npm pack and a fresh install', () => {
  after(() => rmSync(work, { recursive: true, force: true }))
  let tarball

  it('packs exactly the published files, with the version of Cargo.toml', () => {
    const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], packageDir))
    tarball = join(work, info.filename)
    assert.deepEqual(info.files.map((f) => f.path).sort(), [
      'README.md',
      'index.d.ts',
      'index.js',
      'otp_core_wasm.js',
      'otp_core_wasm_bg.wasm',
      'package.json',
    ])
    assert.equal(info.version, otp.VERSION)
  })

  it('installs into a fresh project and runs there, in JavaScript and in strict TypeScript', () => {
    const project = join(work, 'app')
    execFileSync('mkdir', ['-p', project])
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
    npm(['install', '--no-audit', '--no-fund', '--offline', tarball], project)
    writeFileSync(
      join(project, 'main.mjs'),
      `import init, { TOTP, URI, VERSION } from 'otp-core-wasm'
await init()
const totp = URI.parse('otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME')
console.log(JSON.stringify([VERSION, totp.generate({ timestamp: 59000 }), totp instanceof TOTP]))
`,
    )
    const out = JSON.parse(execFileSync(process.execPath, ['main.mjs'], { cwd: project, encoding: 'utf8' }))
    const want = new otp.TOTP({ secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' }).generate({ timestamp: 59000 })
    assert.deepEqual(out, [otp.VERSION, want, true])

    writeFileSync(
      join(project, 'main.ts'),
      `import init, { HOTP, Keyring, OtpError, Secret, TOTP, URI, backupCodes, migration, qr, type OtpErrorCode } from 'otp-core-wasm'
await init()
const totp: TOTP = new TOTP({ secret: new Secret({ size: 20 }), issuer: 'ACME', label: 'alice', t0: 0n })
const code: string = totp.generate({ timestamp: Date.now() })
const offset: number | null = totp.validate({ token: code, window: 1 })
const m = totp.match({ token: code, lastStep: 5n, drift: 0 })
const step: number | bigint | undefined = m?.step
const parsed: TOTP | HOTP = URI.parse(totp.toString())
const svg: string = qr.svg(parsed.toString()) + qr.dataUri('x')
const uris: string[] = migration.toUris([totp], { batchId: 1 })
const index: number | null = backupCodes.verify('ABCDE-FGHJK', backupCodes.hash(backupCodes.generate(), { iterations: 1000 }))
const ring = new Keyring({ keys: { k: Keyring.generateKey() }, primary: 'k' })
const opened: Secret = ring.open(ring.seal(totp.secret, { context: 'row 1' }), { context: new Uint8Array([1]) })
try { new HOTP({ secret: 'x' }) } catch (e) { if (e instanceof OtpError) { const c: OtpErrorCode = e.code; console.log(c) } }
// @ts-expect-error: digits is a number
new TOTP({ secret: 'x', digits: '6' })
console.log(offset, step, svg.length, uris.length, index, opened.size)
`,
    )
    const tsc = (...extra) =>
      execFileSync(
        process.execPath,
        [
          TSC,
          '--strict',
          '--noEmit',
          '--target',
          'es2022',
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
          '--skipLibCheck',
          'false',
          ...extra,
          'main.ts',
        ],
        { cwd: project, encoding: 'utf8' },
      )
    tsc()
    // The check can fail: a wrong type is reported.
    writeFileSync(
      join(project, 'main.ts'),
      `${readFileSync(join(project, 'main.ts'), 'utf8')}const n: number = new TOTP({ secret: 'x' }).generate()\n`,
    )
    assert.throws(
      () => tsc(),
      (e) => /TS2322/.test(e.stdout),
    )
  })
})
