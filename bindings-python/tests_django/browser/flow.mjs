// The demo site in a real browser (Debian chromium, playwright-core), run by
// test_browser.py against a live server on 127.0.0.1. Reads BASE_URL,
// USERNAME, PASSWORD, PYTHON (a Python with otp_core) and SCREENSHOTS.
//
// Sign in; enrol by decoding the QR image on the page with zbarimg; confirm
// with a code computed by otp_core; note the backup codes; sign out; sign in
// with a code; fail five times and see the throttle message; pass with a
// backup code; see that backup code refused the second time.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const { BASE_URL, USERNAME, PASSWORD, PYTHON, SCREENSHOTS } = process.env
for (const [k, v] of Object.entries({ BASE_URL, USERNAME, PASSWORD, PYTHON, SCREENSHOTS })) {
  assert.ok(v, `${k} is not set`)
}
mkdirSync(SCREENSHOTS, { recursive: true })

/** The TOTP code of `uri` at now + `offset` seconds, computed by otp_core. */
function code(uri, offset = 0) {
  const script =
    'import sys, time, otp_core; print(otp_core.parse_uri(sys.argv[1]).at(time.time() + float(sys.argv[2])))'
  return execFileSync(PYTHON, ['-c', script, uri, String(offset)], { encoding: 'utf8' }).trim()
}

/** A six-digit string that is none of the codes the server would accept now. */
function wrongCode(uri) {
  const valid = new Set([-60, -30, 0, 30, 60].map((o) => code(uri, o)))
  for (let n = 0; ; n++) {
    const guess = String(n).padStart(6, '0')
    if (!valid.has(guess)) return guess
  }
}

let shot = 0
async function screenshot(page, name) {
  shot += 1
  await page.screenshot({ path: join(SCREENSHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true })
}

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

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-quic',
    '--no-first-run',
    '--disable-component-update',
    '--disable-sync',
  ],
})
try {
  const page = await (await browser.newContext({ viewport: { width: 900, height: 1000 } })).newPage()

  // 1. Sign in with the password: no second factor yet.
  await signIn(page)
  await page.goto(`${BASE_URL}/2fa/`)
  await screenshot(page, 'manage-off')
  await Promise.all([page.waitForNavigation(), page.click('#otp-enroll')])

  // 2. Enrol: read the QR code from the page as an authenticator app would.
  const qrPng = join(SCREENSHOTS, 'qr.png')
  await page.locator('#otp-qr').screenshot({ path: qrPng })
  await screenshot(page, 'enroll')
  const uri = execFileSync('zbarimg', ['-q', '--raw', '--nodbus', qrPng], { encoding: 'utf8' }).trim()
  assert.match(uri, /^otpauth:\/\/totp\/otp-core%20demo:/, uri.slice(0, 30))
  assert.match(uri, /[?&]issuer=otp-core(%20|\+)demo(&|$)/)
  const shownSecret = (await page.textContent('#otp-secret')).replace(/\s/g, '')
  assert.ok(uri.includes(`secret=${shownSecret}`), 'the QR code holds the secret shown for manual entry')

  await page.fill('#id_token', code(uri))
  await Promise.all([page.waitForNavigation(), page.click('#otp-confirm')])
  await screenshot(page, 'backup-codes')
  assert.equal(await page.locator('#otp-enrolled').count(), 1, 'enrolment confirmed')
  const backupCodes = await page.locator('#otp-backup-codes code').allTextContents()
  assert.equal(backupCodes.length, 10)
  for (const c of backupCodes) assert.match(c, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
  await page.goto(`${BASE_URL}/protected/`)
  assert.equal(await page.locator('#protected').count(), 1, 'enrolment verified the session')
  await signOut(page)

  // 3. Sign in again: the protected page needs a code. The enrolment used this
  // step's code, so the next step's (within the ±1 window) is the fresh one.
  await signIn(page)
  assert.ok(page.url().includes('/2fa/verify/'), page.url())
  await submitCode(page, code(uri, 30))
  await page.goto(`${BASE_URL}/protected/`)
  assert.equal(await page.locator('#protected').count(), 1, 'a code opened the protected page')
  await screenshot(page, 'protected-with-code')
  await signOut(page)

  // 4. Five wrong codes: the back-off message appears.
  await signIn(page)
  const wrong = wrongCode(uri)
  for (let i = 0; i < 5; i++) await submitCode(page, wrong)
  const error = await page.textContent('#otp-error')
  // Each failure doubles the wait (1 s, 2 s, 4 s, …); attempts made while
  // waiting are refused unread. Either way the page now says when to retry.
  assert.match(error, /Too many failed attempts\. Try again in \d+ seconds?\./, error)
  await screenshot(page, 'throttled')

  // 5. A backup code still gets in (its own device, not throttled) ...
  await submitCode(page, backupCodes[0])
  await page.goto(`${BASE_URL}/protected/`)
  assert.equal(await page.locator('#protected').count(), 1, 'a backup code opened the protected page')
  await screenshot(page, 'protected-with-backup-code')
  await signOut(page)

  // 6. ... once.
  await signIn(page)
  await submitCode(page, backupCodes[0])
  assert.equal(await page.textContent('#otp-error'), 'That code is not valid.')
  await page.goto(`${BASE_URL}/protected/`)
  assert.ok(page.url().includes('/2fa/verify/'), 'still not verified')
  await screenshot(page, 'backup-code-reused')
  console.log(`browser flow passed (${shot} screenshots in ${SCREENSHOTS})`)
} finally {
  await browser.close()
}
