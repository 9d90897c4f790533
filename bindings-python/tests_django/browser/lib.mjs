// What the browser flows share: the environment (BASE_URL, PYTHON,
// SCREENSHOTS, CHROMIUM), codes computed by otp_core, numbered full-page
// screenshots, the QR code read off the page with zbarimg, and chromium.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

export const { BASE_URL, PYTHON, SCREENSHOTS } = process.env
for (const [k, v] of Object.entries({ BASE_URL, PYTHON, SCREENSHOTS })) assert.ok(v, `${k} is not set`)
mkdirSync(SCREENSHOTS, { recursive: true })

/** The TOTP code of `uri` at now + `offset` seconds, computed by otp_core. */
export function code(uri, offset = 0) {
  const script =
    'import sys, time, otp_core; print(otp_core.parse_uri(sys.argv[1]).at(time.time() + float(sys.argv[2])))'
  return execFileSync(PYTHON, ['-c', script, uri, String(offset)], { encoding: 'utf8' }).trim()
}

/** A six-digit string that is none of the codes the server would accept now. */
export function wrongCode(uri) {
  const valid = new Set([-60, -30, 0, 30, 60].map((o) => code(uri, o)))
  for (let n = 0; ; n++) {
    const guess = String(n).padStart(6, '0')
    if (!valid.has(guess)) return guess
  }
}

/** Numbered screenshots, `<prefix>NN-<name>.png`, of the whole page. */
export function screenshots(prefix = '') {
  let shot = 0
  const take = async (page, name) => {
    shot += 1
    const file = `${prefix}${String(shot).padStart(2, '0')}-${name}.png`
    await page.screenshot({ path: join(SCREENSHOTS, file), fullPage: true })
  }
  take.count = () => shot
  return take
}

/** The otpauth URI in the enrolment page's QR code, as an app's camera reads it. */
export async function scanQr(page, name = 'qr') {
  const png = join(SCREENSHOTS, `${name}.png`)
  await page.locator('#otp-qr').screenshot({ path: png })
  return execFileSync('zbarimg', ['-q', '--raw', '--nodbus', png], { encoding: 'utf8' }).trim()
}

/** Clicks `selector` and waits for the page it loads. */
export async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)])
}

export function launch() {
  return chromium.launch({
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
}
