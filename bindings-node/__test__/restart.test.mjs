// A store's server killed (no clean shutdown) while calls are in flight,
// and restarted, keeps every acknowledged write: accepted steps, counted
// failures, consumed backup codes. (This kills the server process; a
// machine crash is the server's fsync setting's matter: Redis here runs
// `appendfsync always`, the test PostgreSQL `fsync=off`, which a process
// crash does not test.) Each server here is a private one of this test's own
// (scripts/pg.sh and scripts/redis.sh on other ports and folders), so that
// killing it disturbs no other test file running meanwhile.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, it } from 'node:test'

import { here, requirePackage } from './helpers.mjs'

const require = createRequire(join(here, '..', 'package.json'))
const { Keyring, URI } = requirePackage('./index.js')
const { Guard, stores } = requirePackage('./guard/index.js')

const ROOT = join(here, '..', '..')
const REQUIRE = process.env.OTP_CORE_REQUIRE_SERVERS === '1'
const SERVERS = {
  postgres: { script: 'pg.sh', env: { OTP_PG_DIR: '/tmp/otp-core-pg-restart', PGPORT: '25436' } },
  redis: { script: 'redis.sh', env: { OTP_REDIS_DIR: '/tmp/otp-core-redis-restart', REDIS_PORT: '26386' } },
}

function server(name, command) {
  const { script, env } = SERVERS[name]
  return execFileSync('bash', [join(ROOT, 'scripts', script), command], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim()
}

function available(name) {
  try {
    return server(name, 'start')
  } catch (error) {
    if (REQUIRE) throw error
    return null
  }
}

const keyring = new Keyring({ keys: { k1: Keyring.generateKey() }, primary: 'k1' })

for (const name of Object.keys(SERVERS)) {
  const url = available(name)
  describe(`${name} killed and restarted mid-run`, { skip: url === null && `no ${name} server here` }, () => {
    it('loses nothing that was acknowledged', async () => {
      let store
      let close
      if (name === 'postgres') {
        const pg = require('pg')
        const pool = new pg.Pool({ connectionString: url, max: 4 })
        pool.on('error', () => {}) // the connections the crash drops
        store = stores.postgres(pool)
        await store.migrate()
        close = () => pool.end()
      } else {
        const IORedis = require('ioredis')
        // Reconnect every 50 ms, and give up on a call after 20 attempts (1 s):
        // ioredis's defaults (100 attempts, up to 2 s apart) make the calls cut
        // off by the crash wait almost 3 minutes.
        const client = new IORedis(url, { maxRetriesPerRequest: 20, retryStrategy: () => 50 })
        client.on('error', () => {})
        store = stores.redis(client)
        close = () => client.quit()
      }
      const clock = { now: 1_700_000_000_000 }
      const guard = new Guard({
        store,
        keyring,
        policy: { throttle: null, accountMaxFailures: 100 },
        backupIterations: 1000,
        clock: () => clock.now,
      })
      const ada = `ada-${process.pid}-${Date.now()}` // the servers are reused across runs
      try {
        const app = URI.parse((await guard.enroll(ada)).uri)
        assert.equal((await guard.confirm(ada, app.generate({ timestamp: clock.now }))).kind, 'accepted')
        clock.now += 30_000
        const codes = await guard.issueBackupCodes(ada, { count: 2 })
        const code = app.generate({ timestamp: clock.now })
        assert.equal((await guard.verify(ada, code)).kind, 'accepted')
        assert.equal((await guard.verifyBackupCode(ada, codes[0])).kind, 'accepted')
        // Then wrong codes from 8 concurrent workers, and the server killed
        // while they are in flight, once 40 of them were acknowledged.
        let acknowledged = 0
        let unknown = 0
        let crashed = false
        const worker = async () => {
          while (!crashed) {
            try {
              const outcome = await guard.verify(ada, 'wrong')
              assert.equal(outcome.kind, 'rejected')
              acknowledged += 1
              if (acknowledged >= 40 && !crashed) {
                crashed = true
                server(name, 'crash') // synchronous: the other workers' calls are in flight
              }
            } catch {
              unknown += 1 // lost with the server: counted or not
              crashed = true
            }
          }
        }
        await Promise.all(Array.from({ length: 8 }, worker))
        server(name, 'start')
        let status
        for (let i = 0; i < 100 && status === undefined; i++) {
          try {
            status = await guard.status(ada)
          } catch {
            await new Promise((r) => setTimeout(r, 100))
          }
        }
        assert.ok(status, 'the store came back')
        assert.deepEqual([status.confirmed, status.backupCodesLeft], [true, 1])
        // Every acknowledged failure is there; of the calls cut off, some may be.
        assert.ok(status.failures >= acknowledged, `${status.failures} < ${acknowledged} acknowledged`)
        assert.ok(status.failures <= acknowledged + unknown + 8, `${status.failures} failures`)
        assert.equal((await guard.verify(ada, code)).kind, 'replayed') // the accepted step is remembered
        assert.equal((await guard.verifyBackupCode(ada, codes[0])).kind, 'rejected') // still consumed
        assert.equal((await guard.verifyBackupCode(ada, codes[1])).kind, 'accepted')
      } finally {
        await close()
        server(name, 'stop')
      }
    })
  })
}
