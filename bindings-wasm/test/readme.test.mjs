// README.md's examples, run: each ```js block as a module in a fresh Node
// process, with 'otp-core-wasm' resolved to this package; every
// `console.log(...)` followed by `// → text` (on its line or the next) must
// print exactly that text. The ```html block is served and run in
// Chromium by browser.test.mjs.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'

import { packageDir } from './helpers.mjs'

const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])
const work = mkdtempSync(join(tmpdir(), 'otp-core-wasm-readme-'))

/** What a block says it prints: the `// → ` text after each console.log. */
function expected(source) {
  const lines = source.split('\n')
  const out = []
  lines.forEach((line, i) => {
    if (!line.includes('console.log(')) return
    const same = /\/\/ → (.*)$/.exec(line)
    const next = /^\s*\/\/ → (.*)$/.exec(lines[i + 1] ?? '')
    const want = same?.[1] ?? next?.[1]
    assert.ok(want !== undefined, `no // → after: ${line}`)
    out.push(want)
  })
  return out
}

describe('README examples', () => {
  after(() => rmSync(work, { recursive: true, force: true }))

  it('has the examples', () => {
    assert.ok(blocks.length >= 2)
    assert.ok(readme.includes('```html'))
  })

  blocks.forEach((source, n) => {
    it(`block ${n + 1} prints what it says`, () => {
      const file = join(work, `block${n}.mjs`)
      const url = pathToFileURL(join(packageDir, 'index.js')).href
      writeFileSync(file, source.replaceAll("'otp-core-wasm'", `'${url}'`))
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8' }).trimEnd().split('\n')
      assert.deepEqual(out, expected(source))
    })
  })
})
