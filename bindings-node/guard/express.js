// `otp-core/express`: Express middleware over a `Guard`.
//
//   app.get('/account', requireSecondFactor(guard, { account: (req) => req.user?.id }), handler)
//
// answers, as JSON:
//   401 { error: 'unauthenticated' }          no signed-in account (the first factor is the app's)
//   401 { error: 'second_factor_required' }   no code sent (WWW-Authenticate: OTP)
//   403 { error: 'second_factor_rejected' }   a wrong code
//   403 { error: 'second_factor_replayed' }   a code already used (wait for the next one)
//   403 { error: 'second_factor_locked' }     the account's budget of failures is spent
//   429 { error: 'second_factor_throttled', retryAfter } with `Retry-After` (seconds)
// and calls `next()` once the code is accepted (or was, for this session and
// account: `verified(req, account)`), with the outcome on `req.secondFactor`
// (`{ kind: 'accepted', session: true }` for the session's mark). Store
// errors go to `next(error)`.

const MESSAGES = Object.freeze({
  rejected: 'That code is not valid.',
  replayed: 'This code was already used. Wait for the next one.',
  locked: 'Too many failed attempts: signing in with a code is locked for this account.',
  throttled: 'Too many failed attempts. Try again later.',
})

/** `req.secondFactor` of a request let through by its session's mark. */
const SESSION_PASSED = Object.freeze({ kind: 'accepted', session: true })

function defaultToken(req) {
  const header = typeof req.get === 'function' ? req.get('x-otp-code') : req.headers?.['x-otp-code']
  if (typeof header === 'string' && header !== '') return header
  const body = req.body
  if (body !== null && typeof body === 'object') {
    for (const field of ['otp', 'code', 'token']) {
      if (typeof body[field] === 'string' && body[field] !== '') return body[field]
    }
  }
  return undefined
}

function send(res, status, body, headers = {}) {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  res.status(status).json(body)
}

/**
 * @param {import('./index.js').Guard} guard
 * @param {object} [options]
 * @param {(req) => string | null | undefined} [options.account] the signed-in account (default `req.user?.id`)
 * @param {(req) => string | undefined} [options.token] the code (default: header `X-OTP-Code`, then body `otp`, `code` or `token`)
 * @param {(req, account) => boolean} [options.verified] whether this session passed already for `account` (default: `req.session.secondFactorAt` set, for this account)
 * @param {(req, outcome, account) => void | Promise<void>} [options.onVerified] after an accepted code (default: sets `req.session.secondFactorAt` and `secondFactorAccount` when there is a session)
 */
function requireSecondFactor(guard, options = {}) {
  if (guard === null || typeof guard !== 'object' || typeof guard.verify !== 'function') {
    const error = new TypeError('requireSecondFactor needs a Guard')
    error.code = 'ERR_INVALID_ARG_TYPE'
    throw error
  }
  const accountOf = options.account ?? ((req) => (req.user?.id === undefined ? undefined : String(req.user.id)))
  const tokenOf = options.token ?? defaultToken
  // The session's mark names the account it was made for: a session whose
  // user changes (without a new session) does not inherit it.
  const verified =
    options.verified ??
    ((req, account) => Boolean(req.session?.secondFactorAt) && req.session.secondFactorAccount === account)
  const onVerified =
    options.onVerified ??
    ((req, _outcome, account) => {
      if (req.session) {
        req.session.secondFactorAt = Date.now()
        req.session.secondFactorAccount = account
      }
    })
  return async function secondFactor(req, res, next) {
    try {
      const account = await accountOf(req)
      if (account === undefined || account === null || account === '') {
        return send(res, 401, { error: 'unauthenticated' })
      }
      if (await verified(req, String(account))) {
        req.secondFactor = SESSION_PASSED
        return next()
      }
      const token = await tokenOf(req)
      if (token === undefined || token === null || token === '') {
        return send(res, 401, { error: 'second_factor_required' }, { 'WWW-Authenticate': 'OTP' })
      }
      const outcome = await guard.verify(String(account), token)
      req.secondFactor = outcome
      switch (outcome.kind) {
        case 'accepted':
          await onVerified(req, outcome, String(account))
          return next()
        case 'throttled':
          return send(
            res,
            429,
            { error: 'second_factor_throttled', message: MESSAGES.throttled, retryAfter: outcome.retryAfter },
            { 'Retry-After': String(outcome.retryAfter) },
          )
        default:
          return send(res, 403, { error: `second_factor_${outcome.kind}`, message: MESSAGES[outcome.kind] })
      }
    } catch (error) {
      return next(error)
    }
  }
}

module.exports = { requireSecondFactor, MESSAGES }
