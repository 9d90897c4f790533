// The example service's README, run as written: its ```sh blocks, in
// order, in one bash script (set -euo pipefail) from the example's folder,
// against the private PostgreSQL (a database of its own) and Redis that
// `make node-test` starts. Every `# →` line of a block must appear in the
// script's output.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, it } from 'node:test'

import { here } from './helpers.mjs'

const require = createRequire(join(here, '..', 'package.json'))
const EXAMPLE = join(here, '..', 'examples', 'service')
const pgUrl = process.env.OTP_CORE_PG_URL
const redisUrl = process.env.OTP_CORE_REDIS_URL
const required = process.env.OTP_CORE_REQUIRE_SERVERS === '1'

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

describe('examples/service/README.md', { skip: !(pgUrl && redisUrl) && !required && 'no servers' }, () => {
  it('runs as written', async () => {
    assert.ok(pgUrl && redisUrl, 'OTP_CORE_PG_URL and OTP_CORE_REDIS_URL')
    const readme = readFileSync(join(EXAMPLE, 'README.md'), 'utf8')
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1])
    assert.ok(blocks.length >= 5, `${blocks.length} sh blocks`)
    const expected = blocks.flatMap((b) => [...b.matchAll(/^# → (.*)$/gm)].map((m) => m[1]))
    assert.ok(expected.length >= 6)
    // A database of its own, so that a rerun starts clean.
    const pg = require('pg')
    const admin = new pg.Client({ connectionString: pgUrl })
    await admin.connect()
    const name = `example_${process.pid}_${Date.now()}`
    await admin.query(`CREATE DATABASE ${name}`)
    try {
      const url = new URL(pgUrl)
      url.pathname = `/${name}`
      const script = ['set -euo pipefail', "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT", ...blocks].join('\n')
      const result = spawnSync('bash', ['-c', script], {
        cwd: EXAMPLE,
        env: { ...process.env, DATABASE_URL: url.toString(), REDIS_URL: redisUrl, PORT: String(await freePort()) },
        encoding: 'utf8',
        timeout: 60_000,
      })
      assert.equal(result.status, 0, result.stdout + result.stderr)
      for (const line of expected) assert.ok(result.stdout.includes(line), `missing "${line}" in:\n${result.stdout}`)
      assert.match(result.stderr, /security: a used code was sent again for ada/)
    } finally {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`)
      await admin.end()
    }
  })
})
