// Google Authenticator exports, lenient import and the lint: the API's own
// edges beyond the vectors (typed errors, Steam, secrets kept out of output).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import util from 'node:util'

import { otp, throwsOtp, throwsType } from './helpers.mjs'

const { HOTP, Secret, Steam, TOTP, URI, migration } = otp

// RFC 6238 Appendix B, SHA1 seed, base32.
const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'

describe('migration', () => {
  it('exports in URIs of 10 accounts, read back in any order, each part once', () => {
    const accounts = Array.from({ length: 12 }, (_, i) => new TOTP({ secret: SEED, label: `user${i}`, issuer: 'ACME' }))
    accounts.push(new HOTP({ secret: SEED, label: 'token', counter: 7, digits: 8, algorithm: 'SHA256' }))
    const uris = migration.toUris(accounts)
    assert.equal(uris.length, 2)
    const ids = new Set(uris.map((u) => migration.parse(u).batchId))
    assert.equal(ids.size, 1)
    assert.ok([...ids][0] >= 0)
    const assembler = new migration.Assembler()
    for (const u of [...uris].reverse()) {
      assembler.add(u)
      assembler.add(u)
    }
    assert.ok(assembler.isComplete())
    const { entries, skipped } = assembler.finish()
    assert.deepEqual(skipped, [])
    assert.deepEqual(
      entries.map((e) => e.otp.toString()),
      accounts.map((a) => a.toString()),
    )
    throwsType(() => assembler.finish())
    throwsType(() => assembler.add(uris[0]))
    assert.deepEqual(migration.toUris([]), [])
  })

  it('refuses a Steam account with a typed error, or leaves it out when lossy', () => {
    const steam = new Steam({ secret: SEED })
    throwsOtp(() => migration.toUris([steam]), 'unexportable')
    const lossy = migration.toUrisLossy([steam, new TOTP({ secret: SEED, period: 60 }), new TOTP({ secret: SEED })], {
      batchId: 4,
    })
    assert.deepEqual(lossy.dropped, [
      { index: 0, code: 'unexportable' },
      { index: 1, code: 'unexportable' },
    ])
    assert.equal(lossy.uris.length, 1)
  })

  it('refuses a TOTP whose t0 the format cannot carry, or leaves it out when lossy', () => {
    const shifted = new TOTP({ secret: SEED, t0: 30 })
    throwsOtp(() => migration.toUris([shifted]), 'invalid_t0')
    const lossy = migration.toUrisLossy([shifted, new TOTP({ secret: SEED })], { batchId: 1 })
    assert.deepEqual(lossy.dropped, [{ index: 0, code: 'invalid_t0' }])
    throwsOtp(() => URI.lint(shifted), 'invalid_t0')
  })

  it('splits an export too large for one QR code', () => {
    const big = Array.from(
      { length: 10 },
      (_, i) =>
        new TOTP({
          secret: Secret.fromHex(`${i}`.padStart(2, '0').repeat(64)),
          label: '漢'.repeat(60),
          issuer: '字'.repeat(60),
        }),
    )
    const uris = migration.toUris(big, { batchId: 1 })
    assert.ok(uris.length > 1 && uris.every((u) => u.length <= 2048))
    const assembler = new migration.Assembler()
    for (const u of uris) assembler.add(u)
    assert.deepEqual(
      assembler.finish().entries.map((e) => e.otp.toString()),
      big.map((a) => a.toString()),
    )
  })

  it('gives a TypeError or an OtpError for bad arguments, never a crash', () => {
    throwsType(() => migration.toUris('not an array'))
    throwsType(() => migration.toUris([{}]))
    throwsType(() => migration.toUris([Object.create(TOTP.prototype)]))
    throwsType(() => migration.toUris())
    throwsOtp(() => migration.toUris([new TOTP({ secret: SEED })], { batchId: 2 ** 31 }), 'invalid_migration')
    throwsOtp(() => migration.parse('otpauth-migration://offline?data=%%%'), 'invalid_migration')
    throwsOtp(() => migration.parse(`otpauth-migration://offline?data=${'A'.repeat(5000)}`), 'input_too_long')
    throwsType(() => migration.parse(42))
    const a = new migration.Assembler()
    a.add(migration.toUris([new TOTP({ secret: SEED })], { batchId: 1 })[0])
    throwsOtp(() => a.add(migration.toUris([new TOTP({ secret: SEED })], { batchId: 2 })[0]), 'migration_mismatch')
    throwsOtp(() => new migration.Assembler().finish(), 'migration_incomplete')
  })

  it('prints no secret', () => {
    const uri = migration.toUris([new TOTP({ secret: SEED, label: 'a' })], { batchId: 1 })[0]
    for (const value of [migration.parse(uri), URI.import(`steam://${SEED}`)]) {
      const text = util.inspect(value, { depth: 10, getters: true })
      assert.ok(!text.includes(SEED) && !text.toLowerCase().includes(SEED.toLowerCase()), text)
    }
  })
})

describe('lenient import and the lint', () => {
  it('is a separate entry point: the strict parser still refuses', () => {
    const uri = `otpauth://totp/Contoso:alice?secret=${SEED}&issuer=Microsoft`
    throwsOtp(() => URI.parse(uri), 'issuer_mismatch')
    throwsType(() => URI.parse(uri, { lenient: true }))
    const { otp } = URI.import(uri)
    assert.ok(otp instanceof TOTP)
    assert.equal(otp.issuer, 'Microsoft')
    const [finding] = URI.import(uri).findings
    // Import findings rest on no app's documentation: no app, no source.
    assert.deepEqual(finding, { code: 'issuer_parameter_wins', severity: 'warning', message: finding.message })
  })

  it('lints an account, and has a sourced table', () => {
    const totp = new TOTP({ secret: SEED, digits: 8, period: 60, algorithm: 'SHA512' })
    assert.deepEqual(
      URI.lint(totp).map((f) => f.code),
      ['algorithm_ignored', 'digits_ignored', 'period_ignored', 'issuer_missing'],
    )
    const [fact] = URI.lint(totp)
    assert.equal(fact.app, 'Google Authenticator')
    assert.match(fact.source, /Key-Uri-Format/)
    assert.deepEqual(URI.lint(new TOTP({ secret: SEED, issuer: 'ACME' })), [])
    for (const row of URI.compatibility()) {
      assert.match(row.source, /^https:\/\//)
      assert.ok(['info', 'warning', 'error'].includes(row.severity))
      assert.ok(row.app && row.parameter && row.message)
    }
    throwsType(() => URI.lint(42))
    throwsOtp(() => URI.lint('https://example.com'), 'invalid_uri')
  })
})
