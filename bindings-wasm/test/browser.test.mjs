// The package in headless Chromium (Debian's chromium, driven by
// playwright-core): a page served on 127.0.0.1 loads it with
// `<script type="module">` and `init()`, runs every vector file it covers
// through the shared handlers, draws a QR code from `qr.dataUri` (read back
// from the pixels with jsQR), and times
// otp-core-wasm against otpauth in the same page (reported, not asserted).
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { extname, join, normalize, sep } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { NOT_IN_WASM, packageDir, VECTORS, vectorFiles } from './helpers.mjs'

const here = import.meta.dirname
const require = createRequire(import.meta.url)
const { chromium } = require('playwright-core')

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
}
// URL prefix → folder (and for the package, only its published files).
const ROOTS = {
  '/pkg/': packageDir,
  '/otp-core-wasm/': packageDir,
  '/vectors/': VECTORS,
  '/test/': join(here, 'browser'),
  '/otpauth/': join(here, '..', 'node_modules', 'otpauth', 'dist'),
  '/jsqr/': join(here, '..', 'node_modules', 'jsqr', 'dist'),
}

// README.md's ```html example, as a page of its own.
const README_PAGE = /```html\n([\s\S]*?)```/.exec(readFileSync(join(packageDir, 'README.md'), 'utf8'))[1]

function serve(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1')
  if (url.pathname === '/readme.html') {
    res.writeHead(200, { 'content-type': TYPES['.html'] })
    return res.end(`<!doctype html><meta charset="utf-8">\n${README_PAGE}`)
  }
  if (url.pathname === '/vectors/index.json') {
    res.writeHead(200, { 'content-type': TYPES['.json'] })
    return res.end(JSON.stringify(vectorFiles()))
  }
  for (const [prefix, root] of Object.entries(ROOTS)) {
    if (!url.pathname.startsWith(prefix)) continue
    const file = normalize(join(root, decodeURIComponent(url.pathname.slice(prefix.length))))
    if (!file.startsWith(root + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) break
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    return res.end(readFileSync(file))
  }
  res.writeHead(404).end()
}

describe('the package in headless Chromium', () => {
  let server
  let browser
  let result
  let readmePage
  before(async () => {
    server = createServer(serve)
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    })
    const page = await browser.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`http://127.0.0.1:${server.address().port}/test/page.html`)
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 120_000 })
    result = await page.evaluate(() => window.__result)
    assert.deepEqual(errors, [])
    // The README's example page.
    const readme = await browser.newPage()
    readme.on('pageerror', (e) => errors.push(String(e)))
    await readme.goto(`http://127.0.0.1:${server.address().port}/readme.html`)
    await readme.waitForFunction(
      () => document.getElementById('code').value !== '' && document.getElementById('qr').complete,
    )
    readmePage = await readme.evaluate(() => ({
      code: document.getElementById('code').value,
      qrWidth: document.getElementById('qr').naturalWidth,
      now: Date.now(),
    }))
    assert.deepEqual(errors, [])
  })
  after(async () => {
    await browser?.close()
    server?.close()
  })

  it('loads with init() and runs every vector file it covers', (t) => {
    assert.equal(result.error, undefined, result.error)
    assert.deepEqual(result.vectors.failures, [])
    assert.equal(result.vectors.files, readdirSync(VECTORS).filter((f) => f.endsWith('.json')).length)
    const want = vectorFiles().filter((f) => !(f in NOT_IN_WASM))
    assert.deepEqual(Object.keys(result.vectors.ran).sort(), want)
    for (const [name, n] of Object.entries(result.vectors.ran)) assert.ok(n > 0, `${name}: no case ran`)
    const total = Object.values(result.vectors.ran).reduce((a, b) => a + b, 0)
    t.diagnostic(`${want.length} files, ${total} cases, otp-core-wasm ${result.version}`)
  })

  it('draws the QR data URI, which reads back as the URI; draws randomness from crypto.getRandomValues', () => {
    assert.ok(result.qr.square)
    assert.ok(result.qr.uri.startsWith('otpauth://totp/ACME:alice?secret='))
    assert.equal(result.qr.decoded, result.qr.uri)
    assert.deepEqual(result.random, { size: 20, distinct: true })
  })

  it("runs the README's page: the current code and the QR image", async () => {
    const { TOTP } = await import('./helpers.mjs').then((h) => h.otp)
    const totp = new TOTP({ issuer: 'ACME', label: 'alice', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' })
    const around = [-30000, 0].map((d) => totp.generate({ timestamp: readmePage.now + d }))
    assert.ok(around.includes(readmePage.code), `${readmePage.code} not in ${around}`)
    assert.ok(readmePage.qrWidth > 0)
  })

  it('times otp-core-wasm against otpauth in the same page (reported, not asserted)', (t) => {
    for (const [row, r] of Object.entries(result.bench)) {
      assert.ok(r.ours_ns > 0 && r.otpauth_ns > 0 && Number.isFinite(r.ratio), row)
      t.diagnostic(
        `${row}: otp-core-wasm ${r.ours_ns.toFixed(0)} ns, otpauth ${r.otpauth_ns.toFixed(0)} ns (otpauth/ours ${r.ratio.toFixed(2)}x)`,
      )
    }
  })
})
