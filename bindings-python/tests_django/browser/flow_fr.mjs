// The demo site in French, in a real browser (run by test_browser.py): the
// language switcher; sign-up; enrolment through its three steps (the stepper
// follows); a wrong code's message; the backup codes copied to the clipboard
// by the "Copier" button; the settings and backup-code pages; a new set of
// codes; sign-in with the code step's messages (a wrong code, then the
// back-off) in French; back to English with the switcher. A screenshot of
// every page. Reads BASE_URL, USERNAME, PASSWORD, PYTHON and SCREENSHOTS.

import assert from 'node:assert/strict'
import { BASE_URL, code, launch, scanQr, screenshots, submit, wrongCode } from './lib.mjs'

const { USERNAME, PASSWORD } = process.env
assert.ok(USERNAME && PASSWORD, 'USERNAME and PASSWORD are not set')
const screenshot = screenshots('fr-')

const text = async (page, selector) => ((await page.textContent(selector)) || '').replace(/\s+/g, ' ').trim()

/** The stepper's steps as [label, state]: done, current or to do. */
async function steps(page) {
  return page.$$eval('#otp-stepper li', (items) =>
    items.map((li) => [
      li.textContent.trim(),
      li.classList.contains('otp-done') ? 'done' : li.getAttribute('aria-current') === 'step' ? 'current' : 'todo',
    ]),
  )
}

const browser = await launch()
try {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL })
  const page = await context.newPage()

  // 1. The switcher: picking Français reloads the page in French.
  await page.goto(`${BASE_URL}/`)
  assert.equal(await page.getAttribute('html', 'lang'), 'en')
  await Promise.all([page.waitForNavigation(), page.selectOption('#language', 'fr')])
  assert.equal(await page.getAttribute('html', 'lang'), 'fr')
  assert.equal(await text(page, 'h1'), 'Démo otp-core')
  assert.equal(await text(page, '#login-link'), 'Se connecter')
  await screenshot(page, 'home')

  // 2. Sign up (Django's own form, in French too); the demo requires a
  // second factor, so the enrolment follows.
  await page.goto(`${BASE_URL}/signup/`)
  assert.equal(await text(page, 'h1'), 'Créer un compte')
  assert.equal(await text(page, 'label[for="id_username"]'), 'Nom d’utilisateur :')
  await page.fill('#id_username', USERNAME)
  await page.fill('#id_password1', PASSWORD)
  await page.fill('#id_password2', PASSWORD)
  await screenshot(page, 'signup')
  await submit(page, '#signup')
  assert.ok(page.url().includes('/2fa/enroll/'), page.url())

  // 3. Enrolment, step 1: scan.
  assert.equal(await text(page, 'h1'), "Configurer une application d'authentification")
  assert.deepEqual(await steps(page), [
    ['Scanner le code QR', 'current'],
    ['Saisir un code', 'todo'],
    ['Conserver vos codes de secours', 'todo'],
  ])
  const uri = await scanQr(page, 'fr-qr')
  const key = await text(page, '#otp-secret')
  assert.match(key, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, 'the key in groups of four')
  assert.ok(uri.includes(`secret=${key.replace(/ /g, '')}`))
  await screenshot(page, 'enroll')

  // Step 2: a wrong code, said in French, and the stepper moves on.
  await page.fill('#id_token', wrongCode(uri))
  await submit(page, '#otp-confirm')
  assert.equal(
    await text(page, '#otp-error'),
    "Ce code n'est pas valide. Vérifiez l'heure de votre téléphone et réessayez.",
  )
  assert.deepEqual(
    (await steps(page)).map(([, state]) => state),
    ['done', 'current', 'todo'],
  )
  await screenshot(page, 'enroll-wrong-code')
  await page.waitForTimeout(1100) // the one-second back-off after a failure
  await page.fill('#id_token', code(uri))
  await submit(page, '#otp-confirm')

  // Step 3: the backup codes, shown once; "Copier" puts them on the clipboard.
  assert.equal(await text(page, 'h1'), 'Vos codes de secours')
  assert.deepEqual(
    (await steps(page)).map(([, state]) => state),
    ['done', 'done', 'current'],
  )
  assert.equal(await text(page, '#otp-enrolled'), "Votre application d'authentification est configurée.")
  const codes = await page.locator('#otp-backup-codes code').allTextContents()
  assert.equal(codes.length, 10)
  assert.equal(await text(page, '#otp-copy-codes'), 'Copier')
  await page.click('#otp-copy-codes')
  await page.waitForFunction(() => document.getElementById('otp-copy-codes').textContent === 'Copié')
  const clipboard = await page.evaluate(() => navigator.clipboard.readText())
  assert.deepEqual(clipboard.trim().split('\n'), codes)
  await screenshot(page, 'backup-codes')
  await submit(page, '#otp-done')

  // 4. The settings, the backup-code page, a new set.
  assert.equal(await text(page, 'h1'), 'Authentification à deux facteurs')
  assert.equal(await text(page, '#otp-backup-remaining'), 'Il reste 10 codes de secours.')
  await screenshot(page, 'manage')
  await submit(page, '#otp-backup-codes-link')
  assert.equal(await text(page, '#otp-backup-remaining'), 'Il reste 10 codes de secours inutilisés.')
  await screenshot(page, 'backup-codes-page')
  await submit(page, '#otp-regenerate')
  assert.equal(await text(page, 'h1'), 'Vos codes de secours')
  assert.equal(await page.locator('#otp-stepper').count(), 0, 'no stepper outside enrolment')
  const fresh = await page.locator('#otp-backup-codes code').allTextContents()
  assert.equal(fresh.length, 10)
  assert.ok(!fresh.some((c) => codes.includes(c)), 'a new set')
  await screenshot(page, 'backup-codes-new')
  // On a phone's screen: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${BASE_URL}/2fa/`)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 390px screen`)
  await screenshot(page, 'manage-phone')
  await page.setViewportSize({ width: 900, height: 1000 })

  // 5. Sign out, sign in: the code step in French, its messages too.
  await submit(page, '#logout')
  await page.goto(`${BASE_URL}/login/`)
  assert.equal(await text(page, 'h1'), 'Se connecter')
  await page.fill('#id_username', USERNAME)
  await page.fill('#id_password', PASSWORD)
  await screenshot(page, 'login')
  await submit(page, '#login')
  assert.ok(page.url().includes('/2fa/verify/'), page.url())
  assert.equal(await text(page, 'h1'), 'Saisissez votre code')
  assert.match(await text(page, 'label[for="otp-remember"]'), /^Se souvenir de cet appareil pendant 30 jours$/)
  await screenshot(page, 'verify')
  const wrong = wrongCode(uri)
  await page.fill('#id_token', wrong)
  await submit(page, '#otp-verify')
  assert.equal(await text(page, '#otp-error'), "Ce code n'est pas valide.")
  await page.fill('#id_token', wrong)
  await submit(page, '#otp-verify')
  assert.match(await text(page, '#otp-error'), /^Trop de tentatives échouées\. Réessayez dans \d+ secondes?\.$/)
  await screenshot(page, 'throttled')
  await page.waitForTimeout(2100)
  await page.fill('#id_token', code(uri, 30)) // the enrolment used this step's code
  await submit(page, '#otp-verify')
  await page.goto(`${BASE_URL}/protected/`)
  assert.equal(await text(page, '#protected'), 'Page protégée')
  assert.match(await text(page, '#whoami'), /2FA vérifiée/)
  await screenshot(page, 'protected')

  // 6. Back to English with the switcher, on the same page.
  await Promise.all([page.waitForNavigation(), page.selectOption('#language', 'en')])
  assert.equal(new URL(page.url()).pathname, '/protected/')
  assert.equal(await text(page, '#protected'), 'Protected page')
  console.log(`browser flow in French passed (${screenshot.count()} screenshots)`)
} finally {
  await browser.close()
}
