// The memory store: FOR TESTS AND SINGLE-PROCESS TOOLS ONLY. Its state lives
// in this process and dies with it; two processes (two app servers, a
// cluster, a restart) do not share it, so replay protection and the budget
// hold only within one process. Each operation runs synchronously between
// two awaits, which is what makes it atomic here.

function memoryStore() {
  const accounts = new Map()
  const entry = (id) => {
    let e = accounts.get(id)
    if (e === undefined) {
      e = { device: null, failures: 0, lockedAt: null, backupFailures: 0, backupLastFailureAt: null, backup: new Map() }
      accounts.set(id, e)
    }
    return e
  }
  const snapshot = (e, withBackup) => ({
    device: e.device === null ? null : { ...e.device },
    account: {
      failures: e.failures,
      lockedAt: e.lockedAt,
      backupFailures: e.backupFailures,
      backupLastFailureAt: e.backupLastFailureAt,
    },
    backup: withBackup ? [...e.backup].map(([index, hash]) => ({ index, hash })) : undefined,
  })
  const withinBudget = (e, budget) => budget === null || budget === undefined || e.failures < budget

  return {
    kind: 'memory',
    async load(id, options) {
      const e = accounts.get(id)
      if (e === undefined) return snapshot(entry(id), options?.backup)
      return snapshot(e, options?.backup)
    },
    async enroll(id, device) {
      const e = entry(id)
      if (e.device?.confirmed) return false
      e.device = { ...device, confirmed: false, lastStep: null, drift: 0, failures: 0, lastFailureAt: null }
      return true
    },
    async accept(id, { deviceId, step, drift, failuresRead, budget, confirm }) {
      const e = entry(id)
      const d = e.device
      if (!withinBudget(e, budget)) return 'locked'
      if (d === null || d.deviceId !== deviceId || d.confirmed === confirm) return 'replayed'
      if (d.lastStep !== null && BigInt(d.lastStep) >= BigInt(step)) return 'replayed'
      if (d.failures !== failuresRead) return 'replayed'
      Object.assign(d, { lastStep: step, drift, failures: 0, lastFailureAt: null, confirmed: true })
      if (budget !== null && budget !== undefined) e.failures = 0
      return 'accepted'
    },
    async fail(id, { deviceId, at, budget, backup }) {
      const e = entry(id)
      const counting = budget !== null && budget !== undefined
      if (counting && e.failures >= budget) return { counted: false, accountFailures: e.failures, lockedNow: false }
      if (counting) e.failures += 1
      const lockedNow = counting && e.failures === budget
      if (lockedNow) e.lockedAt = at
      if (backup) {
        e.backupFailures += 1
        e.backupLastFailureAt = at
      } else if (e.device !== null && e.device.deviceId === deviceId) {
        e.device.failures += 1
        e.device.lastFailureAt = at
      }
      return { counted: true, accountFailures: e.failures, lockedNow }
    },
    async setBackupCodes(id, hashes) {
      const e = entry(id)
      // Indices unique across sets (a sequence), as the other stores' ids.
      e.backupSeq = (e.backupSeq ?? 0) + 1
      e.backup = new Map(hashes.map((h, i) => [`${e.backupSeq}:${i}`, h]))
      e.backupFailures = 0
      e.backupLastFailureAt = null
    },
    async consumeBackup(id, { index, hash, budget }) {
      const e = entry(id)
      if (!withinBudget(e, budget)) return 'locked'
      // The hash as read: a code of a set replaced meanwhile consumes nothing.
      if (e.backup.get(index) !== hash || !e.backup.delete(index)) return 'replayed'
      e.failures = 0
      e.backupFailures = 0
      e.backupLastFailureAt = null
      return 'accepted'
    },
    async countBackupCodes(id) {
      return accounts.get(id)?.backup.size ?? 0
    },
    async remove(id) {
      accounts.delete(id)
    },
    async unlock(id) {
      const e = entry(id)
      e.failures = 0
      e.lockedAt = null
    },
    async *envelopes() {
      for (const [account, e] of accounts) {
        if (e.device !== null) yield { account, deviceId: e.device.deviceId, envelope: e.device.envelope }
      }
    },
    async rewrap(id, envelope, next) {
      const d = accounts.get(id)?.device
      if (!d || d.envelope !== envelope) return false
      d.envelope = next
      return true
    },
  }
}

module.exports = { memoryStore }
