// The Express middleware and the Passport strategy, in a real Express app
// on 127.0.0.1 (the memory store: the stores themselves are guard.test.mjs's).
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { here, requirePackage } from './helpers.mjs'

const require = createRequire(join(here, '..', 'package.json'))
const express = require('express')
const passport = require('passport')
const { Keyring, URI } = requirePackage('./index.js')
const { Guard, stores } = requirePackage('./guard/index.js')
const { requireSecondFactor } = requirePackage('./guard/express.js')
const { GuardStrategy } = requirePackage('./guard/passport.js')

const keyring = new Keyring({ keys: { k: Keyring.generateKey() }, primary: 'k' })
const clock = { now: 1_700_000_000_000 }
const guard = new Guard({
  store: stores.memory(),
  keyring,
  policy: { accountMaxFailures: 4 },
  clock: () => clock.now,
})

let base
let server
let app
before(async () => {
  const { uri } = await guard.enroll('alice')
  app = URI.parse(uri)
  assert.equal((await guard.confirm('alice', app.generate({ timestamp: clock.now }))).kind, 'accepted')
  clock.now += 30_000
  await guard.enroll('bob')
  app.bob = URI.parse((await guard.enroll('bob')).uri)
  await guard.confirm('bob', app.bob.generate({ timestamp: clock.now - 30_000 }))

  const web = express()
  web.use(express.json())
  // The first factor, as the app has it: here a header naming the user, and
  // a session (an object kept per `x-session` header).
  const sessions = new Map()
  web.use((req, _res, next) => {
    const name = req.get('x-user')
    if (name) req.user = name === '(no id)' ? {} : { id: name }
    const sid = req.get('x-session')
    if (sid) {
      if (!sessions.has(sid)) sessions.set(sid, {})
      req.session = sessions.get(sid)
    }
    next()
  })
  const secret = (req, res) => res.json({ ok: true, kind: req.secondFactor.kind })
  web.get('/secret', requireSecondFactor(guard), secret)
  web.post('/secret', requireSecondFactor(guard), secret)
  passport.use(new GuardStrategy({ guard, codeField: 'otp.code' }, (user, done) => done(null, user.id)))
  passport.use('promised', new GuardStrategy({ guard }, async (user) => user.id))
  passport.use('default', new GuardStrategy({ guard, name: 'default' }))
  web.post('/passport-default', passport.authenticate('default', { session: false }), (_req, res) =>
    res.json({ ok: true }),
  )
  web.post('/passport', passport.authenticate('otp-core', { session: false, failWithError: true }), (req, res) =>
    res.json({ user: req.user.id }),
  )
  web.post('/passport-promise', passport.authenticate('promised', { session: false }), (_req, res) =>
    res.json({ ok: true }),
  )
  web.use((error, _req, res, _next) => res.status(error.status ?? 500).json({ error: error.message }))
  await new Promise((resolve) => {
    server = web.listen(0, '127.0.0.1', resolve)
  })
  base = `http://127.0.0.1:${server.address().port}`
})
after(() => new Promise((resolve) => server.close(resolve)))

async function call(path, { user, code, body, method = 'GET', session } = {}) {
  const headers = { 'content-type': 'application/json' }
  if (user) headers['x-user'] = user
  if (session) headers['x-session'] = session
  if (code) headers['x-otp-code'] = code
  const response = await fetch(base + path, { method, headers, body: body ? JSON.stringify(body) : undefined })
  const text = await response.text()
  let parsed
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = text // passport's own failure answer is plain text
  }
  return { status: response.status, headers: response.headers, body: parsed }
}

describe('requireSecondFactor (Express)', () => {
  it('answers each outcome with its status and JSON body', async () => {
    assert.deepEqual(await call('/secret').then((r) => [r.status, r.body]), [401, { error: 'unauthenticated' }])
    const required = await call('/secret', { user: 'alice' })
    assert.deepEqual([required.status, required.body.error], [401, 'second_factor_required'])
    assert.equal(required.headers.get('www-authenticate'), 'OTP')
    const code = app.generate({ timestamp: clock.now })
    const ok = await call('/secret', { user: 'alice', code })
    assert.deepEqual([ok.status, ok.body], [200, { ok: true, kind: 'accepted' }])
    const replayed = await call('/secret', { user: 'alice', code })
    assert.deepEqual([replayed.status, replayed.body.error], [403, 'second_factor_replayed'])
    assert.match(replayed.body.message, /already used/)
    const throttled = await call('/secret', { user: 'alice', code: '000000' })
    assert.deepEqual([throttled.status, throttled.body.error], [429, 'second_factor_throttled'])
    assert.equal(throttled.headers.get('retry-after'), '1')
    assert.equal(throttled.body.retryAfter, 1)
    clock.now += 2_000
    const wrong = await call('/secret', { user: 'alice', code: 'abc' })
    assert.deepEqual([wrong.status, wrong.body.error], [403, 'second_factor_rejected'])
    // The code in the body works too.
    clock.now += 30_000
    const inBody = await call('/secret', {
      user: 'alice',
      method: 'POST',
      body: { code: app.generate({ timestamp: clock.now }) },
    })
    assert.deepEqual([inBody.status, inBody.body.kind], [200, 'accepted'])
  })

  it('a session passes once for its account, not for another user on it', async () => {
    clock.now += 600_000
    const code = app.generate({ timestamp: clock.now })
    const first = await call('/secret', { user: 'alice', code, session: 's1' })
    assert.equal(first.status, 200, JSON.stringify(first.body))
    assert.equal((await call('/secret', { user: 'alice', session: 's1' })).status, 200) // no code: the session passed
    const other = await call('/secret', { user: 'bob', session: 's1' })
    assert.deepEqual([other.status, other.body.error], [401, 'second_factor_required'])
  })

  it('locks with a 403 once the budget is spent', async () => {
    for (let i = 0; i < 6; i++) {
      clock.now += 600_000
      await call('/secret', { user: 'bob', code: '999999x' })
    }
    const locked = await call('/secret', { user: 'bob', code: app.bob.generate({ timestamp: clock.now }) })
    assert.deepEqual([locked.status, locked.body.error], [403, 'second_factor_locked'])
    await guard.unlock('bob')
  })

  it('refuses to be built without a guard', () => {
    assert.throws(() => requireSecondFactor({}), { code: 'ERR_INVALID_ARG_TYPE' })
  })
})

describe('GuardStrategy (Passport)', () => {
  it('succeeds with the same user, fails with 401 or 429', async () => {
    clock.now += 600_000
    const code = app.generate({ timestamp: clock.now })
    const ok = await call('/passport', { user: 'alice', method: 'POST', body: { otp: { code } } })
    assert.deepEqual([ok.status, ok.body], [200, { user: 'alice' }])
    const again = await call('/passport', { user: 'alice', method: 'POST', body: { otp: { code } } })
    assert.equal(again.status, 401)
    const none = await call('/passport', { method: 'POST', body: { otp: { code } } })
    assert.equal(none.status, 401)
    const missing = await call('/passport', { user: 'alice', method: 'POST', body: {} })
    assert.equal(missing.status, 401)
    const throttled = await call('/passport', { user: 'alice', method: 'POST', body: { otp: { code: '000000' } } })
    assert.equal(throttled.status, 429)
    clock.now += 600_000
    const promised = await call('/passport-promise', {
      user: 'alice',
      method: 'POST',
      body: { code: app.generate({ timestamp: clock.now }) },
    })
    assert.deepEqual([promised.status, promised.body], [200, { ok: true }])
  })

  it('never hangs on a user without an id (the default mapping)', async () => {
    const response = await call('/passport-default', { user: '(no id)', method: 'POST', body: { code: '123456' } })
    assert.equal(response.status, 401)
  })

  it('refuses to be built without a guard', () => {
    assert.throws(() => new GuardStrategy({}, () => {}), { code: 'ERR_INVALID_ARG_TYPE' })
  })
})
