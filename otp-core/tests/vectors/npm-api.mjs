// The shared vectors (this folder's JSON files) through the npm API of
// otp-core: TOTP, HOTP, Steam, Secret, URI, Keyring, Verifier, Throttle,
// and the qr, migration and backupCodes namespaces. One source for every
// package with that API: the Node addon (bindings-node/__test__/
// vectors.test.mjs) and the WebAssembly package, in Node and in a browser
// (bindings-wasm/test/). Browser-safe: no Node module is imported; the
// caller passes `assert` (node:assert/strict, or the browser's small copy
// in bindings-wasm/test/browser/assert.mjs) and the parsed files.

/**
 * JSON.parse, except that integers outside Number's safe range become
 * BigInts (the vectors hold u64 values up to 2^64-1). Node 20's JSON.parse
 * reviver has no access to the source text, so this is a small parser of its
 * own; it accepts exactly JSON (RFC 8259) and throws on anything else.
 */
export function parseLossless(text) {
  let i = 0
  const fail = (what) => {
    throw new SyntaxError(`JSON: ${what} at offset ${i}`)
  }
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++
  }
  const value = () => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const obj = {}
      ws()
      if (text[i] === '}') {
        i++
        return obj
      }
      for (;;) {
        ws()
        if (text[i] !== '"') fail('expected a key')
        const key = string()
        ws()
        if (text[i++] !== ':') fail("expected ':'")
        obj[key] = value()
        ws()
        const d = text[i++]
        if (d === '}') return obj
        if (d !== ',') fail("expected ',' or '}'")
      }
    }
    if (c === '[') {
      i++
      const arr = []
      ws()
      if (text[i] === ']') {
        i++
        return arr
      }
      for (;;) {
        arr.push(value())
        ws()
        const d = text[i++]
        if (d === ']') return arr
        if (d !== ',') fail("expected ',' or ']'")
      }
    }
    if (c === '"') return string()
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ]) {
      if (text.startsWith(word, i)) {
        i += word.length
        return v
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (!m) fail('unexpected character')
    i += m[0].length
    if (m[2] || m[3]) return Number(m[0])
    const n = BigInt(m[0])
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n
  }
  const string = () => {
    // From the opening quote to the closing one, decoded by JSON.parse.
    const start = i++
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    if (i >= text.length) fail('unterminated string')
    i++
    return JSON.parse(text.slice(start, i))
  }
  const out = value()
  ws()
  if (i !== text.length) fail('trailing data')
  return out
}

/** A timestamp in milliseconds for a time in seconds, exact (a BigInt). */
export const ms = (seconds) => BigInt(seconds) * 1000n

/** `ERR_OTP_<CODE>` for a core code. */
export const jsCode = (code) => `ERR_OTP_${code.toUpperCase()}`

/**
 * The error assertions of the npm packages' tests: `throwsOtp(fn, code)`
 * (the OtpError of a core code) and `throwsType(fn)` (a TypeError with
 * Node's `ERR_INVALID_ARG_TYPE`), for the package `otp`.
 */
export function errorAssertions(otp, assert) {
  return {
    throwsOtp(fn, code, message) {
      assert.throws(
        fn,
        (e) => e instanceof otp.OtpError && e instanceof Error && e.code === jsCode(code) && e.name === 'OtpError',
        message,
      )
    },
    throwsType(fn, message) {
      assert.throws(fn, (e) => e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE', message)
    },
  }
}

/** The bytes of hex text. */
export function hexBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return bytes
}

/**
 * The handler of each vector file: `handlers[name](file)` checks every case
 * of the parsed file against the package `otp` with `assert`, and returns
 * how many cases ran.
 */
export function vectorHandlers(otp, assert) {
  const { HOTP, Keyring, Secret, Steam, TOTP, Throttle, URI, Verifier, backupCodes, migration } = otp

  /** The result of `fn()`, or `{ error: <core code> }` if it threw an OtpError. */
  const outcome = (fn) => {
    try {
      return fn()
    } catch (e) {
      if (e instanceof otp.OtpError) return { error: e.code.slice('ERR_OTP_'.length).toLowerCase() }
      throw e
    }
  }

  const secretHex = (hex) => Secret.fromHex(hex, { allowLegacySecret: true })
  const _offset = (a, b) => Number(BigInt(a) - BigInt(b))

  // An imported TOTP/HOTP as the vector files spell it.
  const accountFields = (o) => {
    const fields = {
      type: o instanceof TOTP ? 'totp' : o instanceof HOTP ? 'hotp' : 'neither',
      algorithm: o.algorithm,
      digits: o.digits,
    }
    if (o instanceof TOTP) fields.period = o.period
    else fields.counter = o.counter
    return { ...fields, account: o.label, issuer: o.issuer === '' ? null : o.issuer }
  }
  const entryFields = (e) => ({
    position: e.position,
    ...accountFields(e.otp),
    secret_hex: e.otp.secret.hex.toLowerCase(),
    findings: e.findings.map((f) => f.code),
  })
  const wantEntry = (w) => {
    const { secret_hex, findings, position, ...rest } = w
    return { position, ...rest, secret_hex, findings }
  }
  const accountOf = (a) => {
    const common = { secret: secretHex(a.secret_hex), algorithm: a.algorithm, digits: a.digits, label: a.account }
    if (a.issuer !== null) common.issuer = a.issuer
    return a.type === 'totp' ? new TOTP({ ...common, period: a.period }) : new HOTP({ ...common, counter: a.counter })
  }

  const HANDLED = {
    'hotp_rfc4226.json': (file) => {
      for (const c of file.cases) {
        const hotp = new HOTP({ secret: secretHex(c.secret_hex), algorithm: c.algorithm, digits: c.digits })
        assert.equal(hotp.generate({ counter: c.counter }), c.code, c.name)
        // The RFC's decimal column, through 10 digits of the same truncation.
        const ten = new HOTP({ secret: secretHex(c.secret_hex), algorithm: c.algorithm, digits: 10 })
        assert.equal(BigInt(ten.generate({ counter: c.counter })), BigInt(c.truncated), c.name)
      }
      return file.cases.length
    },
    'totp_rfc6238.json': (file) => {
      for (const c of file.cases) {
        const totp = new TOTP({
          secret: secretHex(c.secret_hex),
          algorithm: c.algorithm,
          digits: c.digits,
          period: c.period,
          t0: c.t0,
        })
        assert.equal(totp.generate({ timestamp: ms(c.time) }), c.code, c.name)
        assert.equal(BigInt(totp.counter({ timestamp: ms(c.time) })), BigInt(c.step), c.name)
        // The same through a plain number timestamp (all RFC times are safe in ms).
        assert.equal(totp.generate({ timestamp: Number(c.time) * 1000 }), c.code, c.name)
      }
      return file.cases.length
    },
    'totp_verify.json': (file) => {
      for (const c of file.cases) {
        const got = outcome(() => {
          const totp = new TOTP({
            secret: secretHex(c.secret_hex),
            algorithm: c.algorithm,
            digits: c.digits,
            period: c.period,
            t0: c.t0,
          })
          const m = totp.match({
            token: c.code,
            timestamp: ms(c.time),
            past: c.past,
            future: c.future,
            drift: c.drift,
            lastStep: c.last_step,
          })
          return m && { step: BigInt(m.step), offset: m.offset }
        })
        const want = c.expect && !c.expect.error ? { step: BigInt(c.expect.step), offset: c.expect.offset } : c.expect
        assert.deepEqual(got, want, c.name)
        if (got && got.step !== undefined) {
          // A number when it is safe, a bigint above.
          const m = new TOTP({
            secret: secretHex(c.secret_hex),
            algorithm: c.algorithm,
            digits: c.digits,
            period: c.period,
            t0: c.t0,
          }).match({
            token: c.code,
            timestamp: ms(c.time),
            past: c.past,
            future: c.future,
            drift: c.drift,
            lastStep: c.last_step,
          })
          assert.equal(typeof m.step, got.step <= BigInt(Number.MAX_SAFE_INTEGER) ? 'number' : 'bigint', c.name)
        }
      }
      return file.cases.length
    },
    'hotp_verify.json': (file) => {
      for (const c of file.cases) {
        const got = outcome(() => {
          const hotp = new HOTP({ secret: secretHex(c.secret_hex), algorithm: c.algorithm, digits: c.digits })
          const delta = hotp.validate({ token: c.code, counter: c.counter, window: c.look_ahead })
          return delta === null ? null : { counter: BigInt(c.counter) + BigInt(delta) }
        })
        const want = c.expect && c.expect.counter !== undefined ? { counter: BigInt(c.expect.counter) } : c.expect
        assert.deepEqual(got, want, c.name)
      }
      return file.cases.length
    },
    'steam.json': (file) => {
      for (const c of file.cases) {
        const steam = new Steam({ secret: c.secret_base32 })
        assert.equal(steam.generate({ timestamp: ms(c.time) }), c.code, c.name)
        assert.equal(steam.validate({ token: c.code, timestamp: ms(c.time), window: 0 }), 0, c.name)
      }
      return file.cases.length
    },
    'base32.json': (file) => {
      for (const c of file.decode) {
        const got = outcome(() => ({
          hex: Secret.fromBase32(c.input, { allowLegacySecret: c.policy === 'allow_legacy' }).hex.toLowerCase(),
        }))
        assert.deepEqual(got, c.expect, c.name)
      }
      // The codec is reached through `Secret`, which holds 10 bytes at least:
      // the README says to skip shorter encode cases. Count them, so that a
      // skip never hides a real case.
      let skipped = 0
      for (const c of file.encode) {
        if (c.hex.length / 2 < 10) {
          skipped++
          continue
        }
        assert.equal(secretHex(c.hex).base32, c.base32, c.name)
      }
      assert.ok(skipped < file.encode.length, 'every encode case was skipped')
      return file.decode.length + file.encode.length - skipped
    },
    'backup_codes.json': (file) => {
      let n = 0
      for (const c of file.normalize) {
        assert.deepEqual(
          outcome(() => ({ normalized: backupCodes.normalize(c.input) })),
          c.expect,
          c.name,
        )
        n++
      }
      const sets = new Map(file.sets.map((s) => [s.name, s]))
      for (const s of file.sets) {
        // Each code normalises, and a fresh hash of the set (a new salt)
        // verifies every code at its index, as typed or normalised.
        for (const code of s.codes) assert.match(backupCodes.normalize(code), /^[0-9A-Z]{10}$/, s.name)
        const fresh = backupCodes.hash(s.codes, { iterations: 1000 })
        assert.notDeepEqual(fresh, s.hashes, s.name)
        s.codes.forEach((code, i) => {
          assert.equal(backupCodes.verify(code, fresh), i, `${s.name}: ${code}`)
          assert.equal(backupCodes.verify(backupCodes.normalize(code), fresh), i, `${s.name}: ${code}`)
        })
        n++
      }
      for (const c of file.verify) {
        const set = sets.get(c.set)
        assert.ok(set, `${c.name}: unknown set ${c.set}`)
        const got = backupCodes.verify(c.candidate, set.hashes)
        assert.deepEqual(got === null ? null : { index: got }, c.expect, c.name)
        n++
      }
      for (const c of file.invalid_hashes) {
        assert.deepEqual(
          outcome(() => backupCodes.verify('ABCDE-FGHJK', [c.hash])),
          { error: c.error },
          c.name,
        )
        n++
      }
      return n
    },
    'throttle.json': (file) => {
      for (const c of file.cases) {
        // `base` and `cap` are numbers only (a bigint is a TypeError): a u64
        // beyond 2^53 (error_huge_base) is passed as the nearest number, which
        // is out of range all the same.
        const got = outcome(() => ({
          retry_after: new Throttle({ base: Number(c.base), cap: Number(c.cap) }).retryAfter({
            failures: c.failures,
            lastFailureAt: ms(c.last_failure_at),
            now: ms(c.now),
          }),
        }))
        assert.deepEqual(got, c.expect, c.name)
      }
      return file.cases.length
    },
    'uri_parse.json': (file) => {
      for (const c of file.cases) {
        const got = outcome(() => {
          const o = URI.parse(c.uri, { allowLegacySecret: c.policy === 'allow_legacy' })
          const fields = {
            type: o instanceof TOTP ? 'totp' : o instanceof HOTP ? 'hotp' : 'neither',
            secret_base32: o.secret.base32,
            algorithm: o.algorithm,
            digits: o.digits,
          }
          if (o instanceof TOTP) fields.period = o.period
          else fields.counter = o.counter
          return { ...fields, account: o.label, issuer: o.issuer === '' ? null : o.issuer, image: o.image }
        })
        const want = c.expect
        assert.deepEqual(got, want, c.name)
      }
      return file.cases.length
    },
    'uri_build.json': (file) => {
      for (const c of file.cases) {
        const i = c.input
        const got = outcome(() => {
          const options = {
            secret: i.secret_base32,
            algorithm: i.algorithm,
            digits: i.digits,
            label: i.account,
            issuer: i.issuer,
            image: i.image,
            allowLegacySecret: true,
          }
          const o =
            i.type === 'totp'
              ? new TOTP({ ...options, period: i.period })
              : new HOTP({ ...options, counter: i.counter })
          return { uri: o.toString() }
        })
        assert.deepEqual(got, c.expect, c.name)
        if (got.uri) {
          // Round trip: the URI parses back to the input.
          const o = URI.parse(got.uri, { allowLegacySecret: true })
          assert.equal(o.secret.base32, i.secret_base32, c.name)
          assert.equal(o.label, i.account, c.name)
          assert.equal(o.issuer, i.issuer ?? '', c.name)
          assert.equal(o.image, i.image, c.name)
          assert.equal(URI.stringify(o), got.uri, c.name)
        }
      }
      return file.cases.length
    },
    'seal.json': (file) => {
      const ring = (keys = file.keys, primary = '2026-12') => new Keyring({ keys, primary })
      const ctx = hexBytes
      const base32 = (hex) => secretHex(hex).base32
      let n = 0
      // Envelopes written by libsodium open here, and a fresh seal opens too.
      for (const c of file.seal) {
        const r = ring(file.keys, c.primary)
        assert.equal(r.open(c.envelope, { context: ctx(c.context_hex) }).base32, base32(c.secret_hex), c.name)
        const again = r.seal(secretHex(c.secret_hex), { context: ctx(c.context_hex) })
        assert.notEqual(again, c.envelope, c.name)
        assert.ok(again.startsWith(`otpseal:1:${c.primary}:`), c.name)
        assert.equal(r.open(again, { context: ctx(c.context_hex) }).base32, base32(c.secret_hex), c.name)
        assert.equal(Keyring.keyIdOf(c.envelope), c.primary, c.name)
        n++
      }
      for (const c of file.open) {
        const r = c.keys ? ring(Object.fromEntries(c.keys.map((k) => [k, file.keys[k]])), c.keys[0]) : ring()
        const got = outcome(() => ({
          secret_hex: r.open(c.envelope, { context: ctx(c.context_hex) }).hex.toLowerCase(),
        }))
        assert.deepEqual(got, c.expect, c.name)
        n++
      }
      for (const c of file.needs_rewrap) {
        assert.deepEqual(
          outcome(() => ring().needsRewrap(c.envelope)),
          c.expect,
          c.name,
        )
        n++
      }
      for (const c of file.keyrings) {
        const got = outcome(() => {
          const r = new Keyring({ keys: c.keys, primary: c.primary })
          assert.deepEqual(r.keyIds, Object.keys(c.keys), c.name)
          return r.primary === c.primary
        })
        assert.deepEqual(got, typeof c.expect === 'object' ? c.expect : true, c.name)
        n++
      }
      return n
    },
    'migration.json': (file) => {
      for (const c of file.parse) {
        const got = outcome(() => {
          const b = migration.parse(c.uri)
          return {
            version: b.version,
            batch_size: b.batchSize,
            batch_index: b.batchIndex,
            batch_id: b.batchId,
            entries: b.entries.map(entryFields),
            skipped: b.skipped.map((s) => ({ position: s.position, name: s.name, reason: s.reason })),
          }
        })
        const want = c.expect.error ? c.expect : { ...c.expect, entries: c.expect.entries.map(wantEntry) }
        assert.deepEqual(got, want, c.name)
      }
      for (const c of file.assemble) {
        const assembler = new migration.Assembler()
        let failedAt = null
        for (const [i, uri] of c.uris.entries()) {
          const r = outcome(() => assembler.add(uri))
          if (r?.error) {
            assert.equal(r.error, c.expect.error, c.name)
            failedAt = i
            break
          }
        }
        if (c.expect.at !== undefined) {
          assert.equal(failedAt, c.expect.at, c.name)
          continue
        }
        if (c.expect.error) {
          assert.deepEqual(assembler.missing(), c.expect.missing, c.name)
          assert.equal(assembler.isComplete(), false, c.name)
          assert.deepEqual(
            outcome(() => assembler.finish()),
            { error: c.expect.error },
            c.name,
          )
          continue
        }
        const { entries, skipped } = assembler.finish()
        assert.deepEqual(
          entries.map((e) => e.otp.label),
          c.expect.accounts,
          c.name,
        )
        assert.deepEqual(
          entries.map((e) => e.position),
          c.expect.positions,
          c.name,
        )
        assert.deepEqual(skipped, [], c.name)
      }
      for (const c of file.export) {
        const accounts = c.accounts.map(accountOf)
        if (c.expect.error) {
          assert.deepEqual(
            outcome(() => migration.toUris(accounts, { batchId: c.batch_id })),
            { error: c.expect.error.code },
          )
          const lossy = migration.toUrisLossy(accounts, { batchId: c.batch_id })
          assert.deepEqual(lossy, { uris: c.lossy.uris, dropped: c.lossy.dropped }, c.name)
          continue
        }
        const uris = migration.toUris(accounts, { batchId: c.batch_id })
        assert.deepEqual(uris, c.expect.uris, c.name)
        const back = new migration.Assembler()
        for (const u of uris) back.add(u)
        assert.deepEqual(
          back.finish().entries.map((e) => e.otp.toString()),
          accounts.map((a) => a.toString()),
          c.name,
        )
      }
      return file.parse.length + file.assemble.length + file.export.length
    },
    'uri_import.json': (file) => {
      const table = new Set(URI.compatibility().map((f) => f.code))
      for (const c of file.cases) {
        const strict = outcome(() => URI.parse(c.uri))
        if (c.strict === 'ok') assert.ok(!strict.error, c.name)
        else assert.deepEqual(strict, { error: c.strict }, c.name)
        if (c.expect.error) {
          assert.deepEqual(
            outcome(() => URI.import(c.uri)),
            c.expect,
            c.name,
          )
          assert.deepEqual(
            outcome(() => URI.lint(c.uri)),
            c.expect,
            c.name,
          )
          continue
        }
        const imported = URI.import(c.uri)
        const lint = URI.lint(c.uri)
        assert.deepEqual(
          imported.findings.map((f) => f.code),
          c.expect.findings,
          c.name,
        )
        assert.deepEqual(
          lint.map((f) => f.code),
          c.expect.lint,
          c.name,
        )
        for (const f of lint.filter((f) => f.source)) assert.ok(table.has(f.code), `${c.name}: ${f.code}`)
        assert.equal(imported.account, c.expect.account, c.name)
        assert.equal(imported.issuer ?? null, c.expect.issuer, c.name)
        if (c.expect.type === 'steam') {
          assert.ok(imported.steam && imported.otp instanceof Steam, c.name)
          assert.equal(
            imported.otp.generate({ timestamp: 0 }),
            new Steam({ secret: c.expect.secret_base32, allowLegacySecret: true }).generate({ timestamp: 0 }),
          )
          assert.ok(URI.import(` ${c.uri} `).otp instanceof Steam, c.name)
          continue
        }
        const { findings, lint: _lint, image, secret_base32, ...want } = c.expect
        assert.deepEqual(accountFields(imported.otp), want, c.name)
        assert.equal(imported.otp.secret.base32, secret_base32, c.name)
        assert.equal(imported.otp.image ?? null, image, c.name)
        assert.deepEqual(accountFields(URI.import(` ${c.uri}\n`).otp), want, c.name)
        const accountCodes = URI.lint(imported.otp).map((f) => f.code)
        assert.ok(
          accountCodes.every((code) => lint.some((f) => f.code === code)),
          c.name,
        )
      }
      return file.cases.length
    },
    'decision.json': (file) => {
      for (const c of file.cases) {
        const p = c.policy
        const verifier = new Verifier({
          past: p.past,
          future: p.future,
          syncDrift: p.sync_drift,
          lookAhead: p.look_ahead,
          throttle: p.throttle,
          accountMaxFailures: p.account_max_failures,
          clockDiagnosis: p.clock_diagnosis,
        })
        const d = c.device
        const state = {
          timestamp: c.now_ms,
          failures: d.failures,
          lastFailureAt: d.last_failure_at_ms,
          accountFailures: c.account.failures,
        }
        const got = outcome(() => {
          let decision
          if (c.kind === 'backup') {
            decision = verifier.checkBackup(c.token, c.hashes, state)
          } else {
            const options = { secret: secretHex(c.secret_hex), algorithm: c.algorithm, digits: c.digits }
            const gen = c.kind === 'totp' ? new TOTP({ ...options, period: c.period, t0: c.t0 }) : new HOTP(options)
            decision = verifier.check(gen, { token: c.token, lastStep: d.last_step, drift: d.drift, ...state })
          }
          return decisionJson(decision)
        })
        assert.deepEqual(got, c.expect, c.name)
      }
      return file.cases.length
    },
  }

  /** A decision as the vectors write it (snake case, exact integers). */
  function decisionJson(d) {
    const num = (v) => (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v)
    const outcome = { kind: d.kind }
    if (d.kind === 'accepted') Object.assign(outcome, { step: num(d.step), offset: d.offset })
    if (d.kind === 'replayed') Object.assign(outcome, { step: num(d.step) })
    if (d.kind === 'rejected') Object.assign(outcome, { clock_offset: d.clockOffset ?? null })
    if (d.kind === 'throttled') Object.assign(outcome, { retry_after_ms: d.retryAfterMs })
    const w = d.write
    const write = { kind: w.kind }
    if (w.kind === 'accept') Object.assign(write, { step: num(w.step), drift: w.drift, failures_read: w.failuresRead })
    if (w.kind === 'consume') Object.assign(write, { index: w.index })
    if (w.kind === 'failure') Object.assign(write, { at_ms: num(w.at) })
    return { outcome, write }
  }

  return HANDLED
}
