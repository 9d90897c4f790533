// The demo site in a real browser (Debian chromium, playwright-core), run by
// test_browser.py against a live server on 127.0.0.1. Reads BASE_URL,
// USERNAME, PASSWORD, PYTHON (a Python with otp_core) and SCREENSHOTS.
//
// Sign in with the password: the demo (OTP_CORE_REQUIRED) allows nothing
// but enrolment; enrol by decoding the QR image on the page with zbarimg;
// confirm with a code computed by otp_core; note the backup codes; sign out.
// Sign in again: the password alone gives no session (another tab sees a
// signed-out visitor); pass the code step with "remember this device"; sign
// in with the password only (remembered); sign out everywhere, after which
// the code is needed again; fail and see the throttle message; pass with a
// backup code; see that backup code refused the second time; fail until the
// account locks and see the right code refused.

import assert from 'node:assert/strict'
import { BASE_URL, code, launch, scanQr, screenshots, submit, wrongCode } from './lib.mjs'

const { USERNAME, PASSWORD } = process.env
assert.ok(USERNAME && PASSWORD, 'USERNAME and PASSWORD are not set')
const screenshot = screenshots()

async function signIn(page) {
  await page.goto(`${BASE_URL}/login/`)
  await page.fill('#id_username', USERNAME)
  await page.fill('#id_password', PASSWORD)
  await Promise.all([page.waitForNavigation(), page.click('#login')])
}

async function signOut(page) {
  await Promise.all([page.waitForNavigation(), page.click('#logout')])
  assert.equal(await page.locator('#login-link').count(), 1, 'signed out')
}

async function submitCode(page, token) {
  await page.fill('#id_token', token)
  await Promise.all([page.waitForNavigation(), page.click('#otp-verify')])
}

const browser = await launch()
try {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } })
  const page = await context.newPage()

  // 1. The pages a visitor sees. Sign in with the password: no second
  // factor yet, and the demo requires one, so enrolment is the only page open.
  await page.goto(`${BASE_URL}/`)
  await screenshot(page, 'home')
  await page.goto(`${BASE_URL}/signup/`)
  await screenshot(page, 'signup')
  await page.goto(`${BASE_URL}/login/`)
  await screenshot(page, 'login')
  await signIn(page)
  assert.ok(page.url().includes('/2fa/enroll/'), page.url())
  await page.goto(`${BASE_URL}/protected/`)
  assert.ok(page.url().includes('/2fa/enroll/'), `protected page before enrolment: ${page.url()}`)

  // 2. Enrol: read the QR code from the page as an authenticator app would.
  const uri = await scanQr(page)
  await screenshot(page, 'enroll')
  assert.match(uri, /^otpauth:\/\/totp\/otp-core%20demo:/, uri.slice(0, 30))
  assert.match(uri, /[?&]issuer=otp-core(%20|\+)demo(&|$)/)
  const shownSecret = (await page.textContent('#otp-secret')).replace(/\s/g, '')
  assert.ok(uri.includes(`secret=${shownSecret}`), 'the QR code holds the secret shown for manual entry')

  await page.fill('#id_token', code(uri))
  await submit(page, '#otp-confirm')
  await screenshot(page, 'backup-codes')
  assert.equal(await page.locator('#otp-enrolled').count(), 1, 'enrolment confirmed')
  const backupCodes = await page.locator('#otp-backup-codes code').allTextContents()
  assert.equal(backupCodes.length, 10)
  for (const c of backupCodes) assert.match(c, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
  await page.goto(`${BASE_URL}/protected/`)
  assert.equal(await page.locator('#protected').count(), 1, 'enrolment verified the session')
  await signOut(page)

  // 3. Sign in again: the password step gives no session. Another tab of the
  // same browser is a signed-out visitor until the code is accepted.
  await signIn(page)
  assert.ok(page.url().includes('/2fa/verify/'), page.url())
  await screenshot(page, 'code-step')
  const other = await context.newPage()
  for (const path of ['/protected/', '/admin/', '/2fa/']) {
    await other.goto(`${BASE_URL}${path}`)
    assert.notEqual(new URL(other.url()).pathname, path, `a password alone opened ${path}`)
    assert.equal(await other.locator('#protected').count(), 0)
  }
  await other.goto(`${BASE_URL}/`)
  assert.equal(await other.locator('#login-link').count(), 1, 'signed out in the other tab')
  await other.close()
  // The enrolment used this step's code, so the next step's (within the ±1
  // window) is the fresh one. Remember this browser.
  await page.fill('#id_token', code(uri, 30))
  await page.check('#otp-remember')
  await Promise.all([page.waitForNavigation(), page.click('#otp-verify')])
  const remembered = (await context.cookies()).find((c) => c.name === 'otp_core_remember')
  assert.ok(remembered, 'the remember cookie is set')
  assert.ok(remembered.httpOnly && remembered.sameSite === 'Lax', JSON.stringify(remembered))
  assert.ok(remembered.expires * 1000 > Date.now() + 29 * 86400_000, 'the cookie lasts 30 days')
  await page.goto(`${BASE_URL}/protected/`)
  assert.equal(await page.locator('#protected').count(), 1, 'a code opened the protected page')
  await screenshot(page, 'protected-with-code')
  await signOut(page)

  // 4. Remembered: the password alone signs in, verified.
  await signIn(page)
  await page.goto(`${BASE_URL}/protected/`)
  assert.equal(await page.locator('#protected').count(), 1, 'the remembered browser skipped the code')
  assert.match(await page.textContent('#whoami'), /2FA verified/)

  // 5. Sign out everywhere: this browser is forgotten and signed out.
  await page.goto(`${BASE_URL}/2fa/`)
  assert.equal(await page.locator('#otp-remembered').count(), 1, 'the settings say this browser is remembered')
  await screenshot(page, 'manage')
  await submit(page, '#otp-backup-codes-link')
  assert.match(await page.textContent('#otp-backup-remaining'), /^10 unused backup codes left\.$/)
  await screenshot(page, 'backup-codes-page')
  await page.goto(`${BASE_URL}/2fa/`)
  await Promise.all([page.waitForNavigation(), page.click('#otp-sign-out-everywhere')])
  assert.ok(!(await context.cookies()).some((c) => c.name === 'otp_core_remember' && c.value), 'cookie cleared')
  await page.goto(`${BASE_URL}/`)
  assert.equal(await page.locator('#login-link').count(), 1, 'signed out everywhere')
  await signIn(page)
  assert.ok(page.url().includes('/2fa/verify/'), `the code is needed again: ${page.url()}`)

  // 6. Wrong codes: the back-off message appears.
  const wrong = wrongCode(uri)
  for (let i = 0; i < 3; i++) await submitCode(page, wrong)
  const error = await page.textContent('#otp-error')
  // Each failure doubles the wait (1 s, then 2 s: the test caps it at 2 s);
  // attempts made while waiting are refused unread. Either way the page now
  // says when to retry.
  assert.match(error, /Try again in \d+ seconds?\./, error)
  await screenshot(page, 'throttled')

  // 7. A backup code still gets in (its own device, not throttled) ...
  await submitCode(page, backupCodes[0])
  await page.goto(`${BASE_URL}/protected/`)
  assert.equal(await page.locator('#protected').count(), 1, 'a backup code opened the protected page')
  await screenshot(page, 'protected-with-backup-code')
  await signOut(page)

  // 8. ... once.
  await signIn(page)
  await submitCode(page, backupCodes[0])
  assert.equal(await page.textContent('#otp-error'), 'That code is not valid.')
  await page.goto(`${BASE_URL}/protected/`)
  assert.notEqual(new URL(page.url()).pathname, '/protected/', 'still not signed in')
  await screenshot(page, 'backup-code-reused')

  // 9. Wrong codes until the account locks (waiting out each back-off):
  // then even the right code is refused.
  let message = ''
  for (let i = 0; i < 40 && !/locked/.test(message); i++) {
    if (!page.url().includes('/2fa/verify/')) await signIn(page)
    await submitCode(page, wrong)
    message = (await page.textContent('#otp-error')) || ''
    const wait = /Try again in (\d+) second/.exec(message)
    if (wait) await page.waitForTimeout(Number(wait[1]) * 1000 + 100)
  }
  assert.match(message, /signing in with a code is locked/, message)
  await screenshot(page, 'locked')
  await signIn(page)
  assert.match(await page.textContent('#otp-error'), /locked/, 'the code step says so at once')
  await submitCode(page, code(uri))
  assert.match(await page.textContent('#otp-error'), /locked/)
  await page.goto(`${BASE_URL}/protected/`)
  assert.notEqual(new URL(page.url()).pathname, '/protected/', 'locked out')
  console.log(`browser flow passed (${screenshot.count()} screenshots)`)
} finally {
  await browser.close()
}
