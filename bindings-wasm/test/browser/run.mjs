// Runs in headless Chromium (test/browser.test.mjs serves this folder, the
// package, the vectors and otpauth on 127.0.0.1): every vector file the
// package covers, through the handlers the Node tests use; a QR data URI
// drawn by the browser; and otp-core-wasm against otpauth in the same page.
// The result is left in `window.__result` for the test to read.

import * as OTPAuth from '/otpauth/otpauth.esm.js'
import init, * as otp from '/pkg/index.js'
import { parseLossless, vectorHandlers } from '/vectors/npm-api.mjs'
import * as assert from './assert.mjs'

const NOT_IN_WASM = ['decision.json', 'throttle.json']

async function vectors() {
  const files = await (await fetch('/vectors/index.json')).json()
  const handlers = vectorHandlers(otp, assert)
  const ran = {}
  const failures = []
  for (const name of files) {
    if (NOT_IN_WASM.includes(name)) continue
    try {
      const file = parseLossless(await (await fetch(`/vectors/${name}`)).text())
      ran[name] = handlers[name](file)
    } catch (e) {
      failures.push(`${name}: ${e?.name}: ${e?.message}`)
    }
  }
  return { files: files.length, ran, failures }
}

// The QR code's data URI as an image the browser decodes and draws, read
// back from the canvas's pixels by jsQR.
async function qrImage() {
  const uri = new otp.TOTP({ secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', label: 'alice', issuer: 'ACME' }).toString()
  const img = document.getElementById('qr')
  img.src = otp.qr.dataUri(uri)
  await img.decode()
  const side = Number(/viewBox="0 0 (\d+) /.exec(otp.qr.svg(uri))[1]) * 6
  const canvas = document.createElement('canvas')
  canvas.width = side
  canvas.height = side
  const ctx = canvas.getContext('2d')
  ctx.drawImage(img, 0, 0, side, side)
  const decoded = window.jsQR(ctx.getImageData(0, 0, side, side).data, side, side)
  return { square: img.naturalWidth === img.naturalHeight && img.naturalWidth > 0, decoded: decoded?.data, uri }
}

// ns per call, best of 5 rounds of `n` calls (after a warm-up round).
function time(fn, n) {
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < 6; round++) {
    const start = performance.now()
    for (let i = 0; i < n; i++) fn(i)
    const ns = ((performance.now() - start) * 1e6) / n
    if (round > 0) best = Math.min(best, ns)
  }
  return best
}

async function bench() {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
  const ours = new otp.TOTP({ secret })
  const theirs = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) })
  const t = 1_700_000_000_000
  const token = theirs.generate({ timestamp: t })
  if (ours.generate({ timestamp: t }) !== token) throw new Error('the two disagree')
  const n = 20_000
  const rows = {
    generate: [
      time((i) => ours.generate({ timestamp: t + i }), n),
      time((i) => theirs.generate({ timestamp: t + i }), n),
    ],
    validate_valid: [
      time(() => ours.validate({ token, timestamp: t, window: 1 }), n),
      time(() => theirs.validate({ token, timestamp: t, window: 1 }), n),
    ],
    validate_invalid: [
      time(() => ours.validate({ token: '000000', timestamp: t, window: 1 }), n),
      time(() => theirs.validate({ token: '000000', timestamp: t, window: 1 }), n),
    ],
    construct_and_verify: [
      time(() => new otp.TOTP({ secret }).validate({ token, timestamp: t }), n / 4),
      time(
        () => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).validate({ token, timestamp: t }),
        n / 4,
      ),
    ],
  }
  return Object.fromEntries(Object.entries(rows).map(([k, [a, b]]) => [k, { ours_ns: a, otpauth_ns: b, ratio: b / a }]))
}

try {
  await init()
  const result = { version: otp.VERSION, vectors: await vectors(), qr: await qrImage() }
  const s = new otp.Secret()
  result.random = { size: s.size, distinct: new otp.Secret().hex !== s.hex }
  result.bench = await bench()
  window.__result = result
} catch (e) {
  window.__result = { error: `${e?.name}: ${e?.message}\n${e?.stack}` }
}
