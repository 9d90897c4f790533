// `otp-core/passport`: a Passport strategy over a `Guard`, shaped like
// passport-totp's so that its users change little:
//
//   // passport-totp:
//   passport.use(new TotpStrategy({ codeField: 'code' }, (user, done) => done(null, user.key, 30)))
//   // otp-core:
//   passport.use(new GuardStrategy({ guard, codeField: 'code' }, (user, done) => done(null, user.id)))
//
// The verify function maps the signed-in user (`req.user`, from the first
// factor) to the guard's account id, by callback or by returning it (or a
// promise of it); the guard holds the secret, sealed, and makes the
// decision. `passport.authenticate('otp-core', { failureRedirect, ... })`
// then succeeds with the same user, `info.secondFactor` being the outcome,
// or fails with `{ message, outcome }` and a status: 401 (no user, no code,
// a wrong or replayed code, a locked account) or 429 (throttled).

const { MESSAGES } = require('./express.js')

function lookup(source, field) {
  if (source === null || typeof source !== 'object') return undefined
  let value = source
  for (const part of field.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = value[part]
  }
  return typeof value === 'string' ? value : undefined
}

class GuardStrategy {
  /**
   * @param {object} options `guard` (required), `codeField` (default `code`, read from the body, then the query), `name` (default `otp-core`)
   * @param {(user, done?) => any} verify maps the user to the guard's account id
   */
  constructor(options, verify) {
    if (options === null || typeof options !== 'object' || typeof options.guard?.verify !== 'function') {
      const error = new TypeError('GuardStrategy needs { guard }')
      error.code = 'ERR_INVALID_ARG_TYPE'
      throw error
    }
    this.name = options.name ?? 'otp-core'
    this._guard = options.guard
    this._codeField = options.codeField ?? 'code'
    this._verify = verify ?? ((user) => user?.id)
  }

  _account(user) {
    return new Promise((resolve, reject) => {
      let settled = false
      const done = (error, account) => {
        if (settled) return
        settled = true
        if (error) reject(error)
        else resolve(account)
      }
      try {
        const returned = this._verify(user, done)
        // A verify function that returns (rather than calling `done`), even
        // `undefined` for a user without an id, settles here: a request
        // never hangs on a function that takes no `done`.
        if (!settled && (returned !== undefined || this._verify.length < 2)) {
          Promise.resolve(returned).then((a) => done(null, a), done)
        }
      } catch (error) {
        done(error)
      }
    })
  }

  authenticate(req) {
    const user = req.user
    if (!user) return this.fail({ message: 'Sign in first.' }, 401)
    const code = lookup(req.body, this._codeField) ?? lookup(req.query, this._codeField)
    if (code === undefined || code === '') return this.fail({ message: 'Missing code.' }, 401)
    this._account(user)
      .then(async (account) => {
        if (account === undefined || account === null || account === '') {
          return this.fail({ message: 'No second factor is set up.' }, 401)
        }
        const outcome = await this._guard.verify(String(account), code)
        if (outcome.kind === 'accepted') return this.success(user, { secondFactor: outcome })
        return this.fail({ message: MESSAGES[outcome.kind], outcome }, outcome.kind === 'throttled' ? 429 : 401)
      })
      .catch((error) => this.error(error))
  }
}

module.exports = { GuardStrategy, Strategy: GuardStrategy }
