// An example service: Express, PostgreSQL (users and the guard's tables)
// and Redis (sessions), with the second factor by otp-core's guard.
//
//   DATABASE_URL=postgres://... REDIS_URL=redis://... OTP_CORE_SECRET_KEYS='{"k1":"..."}' PORT=3000 node server.mjs
//
// Endpoints (JSON): POST /signup {username, password}; POST /login
// {username, password} → {session}; with `Authorization: Bearer <session>`:
// POST /2fa/enroll → {uri, secret, qrSvg}; POST /2fa/confirm {code}; POST
// /2fa/verify {code} (the second step of a sign-in: the session is then
// verified); POST /2fa/backup-codes → {codes}; GET /me (needs a verified
// session); POST /logout.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'
import { createRequire } from 'node:module'
import { promisify } from 'node:util'

const require = createRequire(import.meta.url)
const express = require('express')
const pg = require('pg')
const { createClient } = require('redis')
const { Keyring } = require('otp-core')
const { Guard, stores } = require('otp-core/guard')
const { requireSecondFactor } = require('otp-core/express')

const scrypt = promisify(scryptCallback)
const SESSION_TTL = 3600

const keys = JSON.parse(process.env.OTP_CORE_SECRET_KEYS ?? '{}')
const keyring = new Keyring({ keys, primary: Object.keys(keys)[0] })
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
const redis = createClient({ url: process.env.REDIS_URL })
await redis.connect()

const store = stores.postgres(pool)
await store.migrate()
await pool.query(`CREATE TABLE IF NOT EXISTS app_user (
  username text PRIMARY KEY, salt bytea NOT NULL, hash bytea NOT NULL)`)
const guard = new Guard({ store, keyring, issuer: 'Example' })
guard.on('replayed', (e) => console.warn('security: a used code was sent again for', e.account))
guard.on('locked', (e) => console.warn('security: second factor locked for', e.account))

const app = express()
app.use(express.json())

// Sessions in Redis: a random bearer token → { user, verified }.
async function session(req, _res, next) {
  const token = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1]
  const data = token ? await redis.get(`session:${token}`) : null
  if (data) {
    req.sessionToken = token
    req.session = JSON.parse(data)
    req.user = { id: req.session.user }
  }
  next()
}
async function saveSession(req) {
  await redis.set(`session:${req.sessionToken}`, JSON.stringify(req.session), { EX: SESSION_TTL })
}
app.use(session)

const hashPassword = async (password, salt) => scrypt(password, salt, 32)

app.post('/signup', async (req, res) => {
  const { username, password } = req.body ?? {}
  if (typeof username !== 'string' || typeof password !== 'string' || password.length < 10) {
    return res.status(400).json({ error: 'a username and a password of 10 characters or more' })
  }
  const salt = randomBytes(16)
  const { rowCount } = await pool.query(
    'INSERT INTO app_user (username, salt, hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [username, salt, await hashPassword(password, salt)],
  )
  res.status(rowCount === 1 ? 201 : 409).json(rowCount === 1 ? { ok: true } : { error: 'taken' })
})

app.post('/login', async (req, res) => {
  const { username, password } = req.body ?? {}
  const { rows } = await pool.query('SELECT salt, hash FROM app_user WHERE username = $1', [String(username)])
  const ok = rows[0] && timingSafeEqual(rows[0].hash, await hashPassword(String(password), rows[0].salt))
  if (!ok) return res.status(401).json({ error: 'wrong username or password' })
  const token = randomBytes(24).toString('base64url')
  const status = await guard.status(username)
  req.sessionToken = token
  // A session with a second factor to pass is not verified until /2fa/verify.
  req.session = { user: username, secondFactorAt: status.confirmed ? null : undefined }
  await saveSession(req)
  res.json({ session: token, secondFactor: status.confirmed ? 'required' : 'not set up' })
})

app.get('/health', (_req, res) => res.json({ ok: true }))

const signedIn = (req, res, next) => (req.user ? next() : res.status(401).json({ error: 'unauthenticated' }))

app.post('/2fa/enroll', signedIn, async (req, res) => {
  try {
    const { uri, secret, qrSvg } = await guard.enroll(req.user.id)
    res.json({ uri, secret, qrSvg })
  } catch (error) {
    if (error.code !== 'ERR_GUARD_ALREADY_ENROLLED') throw error
    res.status(409).json({ error: 'already set up' })
  }
})
app.post('/2fa/confirm', signedIn, async (req, res) => {
  const outcome = await guard.confirm(req.user.id, req.body?.code)
  if (outcome.kind === 'accepted') {
    req.session.secondFactorAt = Date.now()
    req.session.secondFactorAccount = req.user.id
    await saveSession(req)
  }
  res.status(outcome.kind === 'accepted' ? 200 : 403).json(outcome)
})
app.post('/2fa/backup-codes', signedIn, requireSecondFactor(guard), async (req, res) => {
  res.json({ codes: await guard.issueBackupCodes(req.user.id) })
})
// The second step of a sign-in: the middleware checks the code and marks the session.
app.post(
  '/2fa/verify',
  requireSecondFactor(guard, {
    verified: () => false,
    onVerified: async (req, _outcome, account) => {
      req.session.secondFactorAt = Date.now()
      req.session.secondFactorAccount = account
      await saveSession(req)
    },
  }),
  (_req, res) => res.json({ ok: true }),
)
app.get('/me', requireSecondFactor(guard), (req, res) => res.json({ user: req.user.id, verified: true }))
app.post('/logout', signedIn, async (req, res) => {
  await redis.del(`session:${req.sessionToken}`)
  res.json({ ok: true })
})
app.use((error, _req, res, _next) => {
  console.error(error)
  res.status(500).json({ error: 'internal error' })
})

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`)
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close()
    Promise.all([pool.end(), redis.quit()]).then(() => process.exit(0))
  })
}
