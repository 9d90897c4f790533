// Sealed secrets (Keyring) and the second-factor check (Verifier) of the
// Kotlin binding: the runners of seal.json and decision.json (called from
// OtpCoreTest.kt's RUNNERS), the rules the binding takes from the core
// (rotation, errors, the policy bounds, the guess bound, the replay TTL),
// objects shared between threads, and the README's sign-in example
// (SecondFactor) against an in-memory store.

import dev.otpcore.AccountState
import dev.otpcore.Decision
import dev.otpcore.DeviceState
import dev.otpcore.GuessBound
import dev.otpcore.Hotp
import dev.otpcore.Keyring
import dev.otpcore.Outcome
import dev.otpcore.OtpException
import dev.otpcore.Steam
import dev.otpcore.Throttle
import dev.otpcore.Totp
import dev.otpcore.Verifier
import dev.otpcore.Write
import dev.otpcore.generateKey
import dev.otpcore.generateSecret
import dev.otpcore.guessProbability
import dev.otpcore.hashBackupCodes
import dev.otpcore.outcomeKind
import java.math.BigInteger
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

// ---------------------------------------------------------------- helpers

/** The canonical base32 of raw secret bytes (legacy lengths included), as
 *  otp-core writes it in a URI: what `Keyring.open` returns. */
fun base32Of(bytes: ByteArray): String =
    secretParam(Totp.fromBytes(bytes, accountName = "a", allowLegacySecret = true).uri())

fun keyMap(v: Any?): Map<String, String> = v.obj().mapValues { (_, key) -> key as? String ?: fail("a key is not a string") }

fun big(v: Int): BigInteger = BigInteger.valueOf(v.toLong())
fun big(v: Long): BigInteger = BigInteger.valueOf(v)

/** A decision as decision.json writes it (the Rust runner's `decision_json`). */
fun decisionJson(d: Decision): Map<String, Any?> {
    val outcome: Map<String, Any?> = when (val o = d.outcome) {
        is Outcome.Accepted -> linkedMapOf("kind" to "accepted", "step" to big(o.step), "offset" to big(o.offset))
        is Outcome.Replayed -> linkedMapOf("kind" to "replayed", "step" to big(o.step))
        is Outcome.Rejected -> linkedMapOf("kind" to "rejected", "clock_offset" to o.clockOffset?.let { big(it) })
        is Outcome.Throttled -> linkedMapOf("kind" to "throttled", "retry_after_ms" to big(o.retryAfterMs))
        Outcome.Locked -> linkedMapOf("kind" to "locked")
    }
    eq(outcomeKind(d.outcome), outcome["kind"], "outcomeKind")
    val write: Map<String, Any?> = when (val w = d.write) {
        Write.Nothing -> linkedMapOf("kind" to "nothing")
        is Write.Accept -> linkedMapOf(
            "kind" to "accept", "step" to big(w.step), "drift" to big(w.drift), "failures_read" to big(w.failuresRead),
        )
        is Write.Consume -> linkedMapOf("kind" to "consume", "index" to big(w.index))
        is Write.Failure -> linkedMapOf("kind" to "failure", "at_ms" to big(w.atMs))
    }
    return linkedMapOf("outcome" to outcome, "write" to write)
}

/** The Verifier of a vector's `policy`, and a check that its getters give
 *  the policy back. */
fun verifierOf(p: Map<String, Any?>): Verifier {
    val t = p["throttle"]?.obj()
    val v = Verifier(
        past = p.uint("past"), future = p.uint("future"),
        syncDrift = p["sync_drift"] as? Boolean ?: fail("sync_drift is not a boolean"),
        lookAhead = p.uint("look_ahead"),
        throttle = t?.let { Throttle(base = it.ulong("base"), cap = it.ulong("cap")) }, noThrottle = t == null,
        accountMaxFailures = p.uint("account_max_failures"), clockDiagnosis = p.uint("clock_diagnosis"),
    )
    eq(v.past() to v.future(), p.uint("past") to p.uint("future"), "window")
    eq(v.syncDrift(), p["sync_drift"], "syncDrift")
    eq(v.lookAhead(), p.uint("look_ahead"), "lookAhead")
    eq(v.throttle()?.let { it.base() to it.cap() }, t?.let { it.ulong("base") to it.ulong("cap") }, "throttle")
    eq(v.accountMaxFailures() to v.clockDiagnosis(), p.uint("account_max_failures") to p.uint("clock_diagnosis"), "budget, diagnosis")
    val budget = p.uint("account_max_failures")
    eq(v.isLocked(AccountState(budget - 1)) to v.isLocked(AccountState(budget)), false to true, "isLocked at the budget")
    return v
}

// ---------------------------------------------------------------- vector files

fun sealVectors(file: Map<String, Any?>) {
    keys(file, "seal.json", "keys", "seal", "open", "needs_rewrap", "keyrings")
    val keys = keyMap(file["keys"])
    case("seal.json: the keyring of every case") { eq(keys.keys, setOf("2026-11", "2026-12", "old.key_1"), "key ids") }
    cases(file, "seal", "seal.json") { c ->
        val ring = Keyring(keys, c.str("primary"))
        val context = hex(c.str("context_hex"))
        val secret = base32Of(hex(c.str("secret_hex")))
        val envelope = c.str("envelope")
        // The vector's envelope (libsodium, a fixed nonce) opens to the secret…
        same(ring.open(envelope, context), secret, "the vector's envelope opens")
        // …and one sealed here (a random nonce) has its header and length, and opens the same.
        val sealed = ring.seal(secret, context)
        check(sealed.startsWith("otpseal:1:${c.str("primary")}:"), "sealed under the primary")
        eq(sealed.length, envelope.length, "envelope length")
        check(sealed != envelope, "a fresh nonce")
        same(ring.open(sealed, context), secret, "sealed here opens")
        eq(ring.needsRewrap(sealed), false, "sealed by the primary")
    }
    cases(file, "open", "seal.json") { c ->
        val ring = when (val ids = c["keys"]) {
            null -> Keyring(keys, "2026-12")
            else -> ids.list().map { it as String }.let { subset -> Keyring(keys.filterKeys { it in subset }, subset.first()) }
        }
        val open = { ring.open(c.str("envelope"), hex(c.str("context_hex"))) }
        val expect = c["expect"].obj()
        if (expect.containsKey("error")) {
            expectError(expect.str("error"), "open") { open() }
        } else {
            same(open(), base32Of(hex(expect.str("secret_hex"))), "secret")
        }
    }
    val ring = Keyring(keys, "2026-12")
    cases(file, "needs_rewrap", "seal.json") { c ->
        when (val expect = c["expect"]) {
            is Boolean -> eq(ring.needsRewrap(c.str("envelope")), expect, "needsRewrap")
            else -> expectError(expect.obj().str("error"), "needsRewrap") { ring.needsRewrap(c.str("envelope")) }
        }
    }
    cases(file, "keyrings", "seal.json") { c ->
        val make = { Keyring(keyMap(c["keys"]), c.str("primary")) }
        when (val expect = c["expect"]) {
            "ok" -> make().let { r ->
                eq(r.primary(), c.str("primary"), "primary")
                eq(r.keyIds(), keyMap(c["keys"]).keys.sorted(), "keyIds, sorted")
            }
            else -> expectError(expect.obj().str("error"), "Keyring") { make() }
        }
    }
}

fun decisionVectors(file: Map<String, Any?>) {
    keys(file, "decision.json", "cases")
    val kinds = sortedSetOf<String>()
    cases(file, "cases", "decision.json") { c ->
        val verifier = verifierOf(c["policy"].obj())
        val d = c["device"].obj()
        val device = DeviceState(d.optULong("last_step"), d.long("drift"), d.uint("failures"), d.optULong("last_failure_at_ms"))
        val account = AccountState(c["account"].obj().uint("failures"))
        val code = c.str("token")
        val now = c.ulong("now_ms")
        val decide: () -> Decision = when (c.str("kind")) {
            "totp" -> {
                val totp = Totp.fromBytes(
                    hex(c.str("secret_hex")), algorithm = algorithm(c.str("algorithm")), digits = c.uint("digits"),
                    period = c.ulong("period"), t0 = c.ulong("t0"),
                )
                ({ verifier.checkTotp(totp, code, now, device, account) })
            }
            "hotp" -> {
                val hotp = Hotp.fromBytes(hex(c.str("secret_hex")), algorithm = algorithm(c.str("algorithm")), digits = c.uint("digits"))
                ({ verifier.checkHotp(hotp, code, now, device, account) })
            }
            "backup" -> {
                val hashes = c["hashes"].list().map { it as String }
                ({ verifier.checkBackup(code, hashes, now, device, account) })
            }
            else -> fail("unknown kind ${c.str("kind")}")
        }
        kinds.add(c.str("kind"))
        val expect = c["expect"].obj()
        if (expect.containsKey("error")) {
            expectError(expect.str("error"), "check") { decide() }
        } else {
            eq(decisionJson(decide()), expect, "decision")
        }
    }
    case("decision.json: every kind of check") { eq(kinds.toList(), listOf("backup", "hotp", "totp"), "kinds") }
}

// ---------------------------------------------------------------- beyond the vectors

fun sealedSecrets() {
    val secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    val context = "myapp/totp/device:42".toByteArray()
    case("generateKey: 32 random bytes as unpadded base64url, and a keyring that seals and opens with it") {
        val key = generateKey()
        check(Regex("[A-Za-z0-9_-]{43}").matches(key), "43 characters of base64url")
        check(generateKey() != key, "random")
        val ring = Keyring(mapOf("k1" to key), "k1")
        val envelope = ring.seal(secret, context)
        check(envelope.startsWith("otpseal:1:k1:"), "the envelope names its key")
        check(!envelope.contains(secret) && !envelope.contains(key), "the envelope holds neither the secret nor the key")
        same(ring.open(envelope, context), secret, "open")
        same(ring.open(ring.seal("jbsw y3dp-ehpk 3pxp jbsw y3dp ehpk 3pxp", context), context), secret, "canonical base32 out")
        check(ring.seal(secret, context) != envelope, "a fresh nonce each time")
        eq(ring.needsRewrap(envelope), false, "sealed by the primary")
        eq(ring.primary() to ring.keyIds(), "k1" to listOf("k1"), "primary and keyIds")
    }
    case("rotation: rewrap what needsRewrap names, then drop the old key") {
        val (old, new) = generateKey() to generateKey()
        val before = Keyring(mapOf("2026-11" to old), "2026-11")
        val envelopes = List(3) { before.seal(generateSecret(), "row:$it".toByteArray()) }
        val secrets = envelopes.mapIndexed { i, e -> before.open(e, "row:$i".toByteArray()) }
        val during = Keyring(mapOf("2026-12" to new, "2026-11" to old), "2026-12")
        eq(during.keyIds(), listOf("2026-11", "2026-12"), "keyIds in the order of their ids")
        check(envelopes.all { during.needsRewrap(it) }, "every old envelope needs a rewrap")
        val rewrapped = envelopes.mapIndexed { i, e -> during.rewrap(e, "row:$i".toByteArray()) }
        check(rewrapped.all { it.startsWith("otpseal:1:2026-12:") && !during.needsRewrap(it) }, "rewrapped under the primary")
        val after = Keyring(mapOf("2026-12" to new), "2026-12")
        for ((i, e) in rewrapped.withIndex()) same(after.open(e, "row:$i".toByteArray()), secrets[i], "row $i opens without the old key")
        expectError("unknown_key", "an envelope not rewrapped, once its key is dropped") { after.open(envelopes[0], "row:0".toByteArray()) }
        expectError("unknown_key", "needsRewrap of it") { after.needsRewrap(envelopes[0]) }
        expectError("seal_failed", "a rewrap under another row's context") { during.rewrap(envelopes[0], "row:1".toByteArray()) }
        val again = during.rewrap(rewrapped[0], "row:0".toByteArray())
        check(again != rewrapped[0], "rewrapping an up-to-date envelope seals it again, with a fresh nonce")
    }
    case("a wrong context, a wrong key and a changed byte: the same SealFailed") {
        val key = generateKey()
        val ring = Keyring(mapOf("k" to key), "k")
        val envelope = ring.seal(secret, context)
        val messages = mutableSetOf<String>()
        for ((what, call) in listOf<Pair<String, () -> Any?>>(
            "another row's context" to { ring.open(envelope, "myapp/totp/device:43".toByteArray()) },
            "an empty context" to { ring.open(envelope, ByteArray(0)) },
            "another key under the same id" to { Keyring(mapOf("k" to generateKey()), "k").open(envelope, context) },
            "a changed byte" to { ring.open(envelope.dropLast(1) + (if (envelope.last() == 'A') 'B' else 'A'), context) },
        )) {
            try {
                call()
                fail("$what: opened")
            } catch (e: OtpException.SealFailed) {
                messages.add(e.message ?: "")
            }
        }
        eq(messages.size, 1, "one message for every cause")
        check(messages.none { it.contains("device") || it.contains(key) }, "the message holds no input")
    }
    case("Keyring's toString shows the key ids, never a key") {
        val keys = mapOf("2026-11" to generateKey(), "2026-12" to generateKey())
        val shown = Keyring(keys, "2026-12").toString()
        check(shown.contains("2026-11") && shown.contains("2026-12"), "the ids: $shown")
        for (key in keys.values) {
            check(!shown.contains(key) && !shown.contains(key.take(8)), "no key in toString")
        }
    }
    val ok = generateKey()
    bad("Keyring with no keys", "invalid_key") { Keyring(emptyMap(), "k") }
    bad("Keyring with 33 keys", "invalid_key") { Keyring((0..32).associate { "k$it" to ok }, "k0") }
    bad("Keyring with 32 keys") { eq(Keyring((0..31).associate { "k$it" to ok }, "k0").keyIds().size, 32, "keys") }
    bad("Keyring with a 1 MB key", "invalid_key") { Keyring(mapOf("k" to "A".repeat(1_000_000)), "k") }
    bad("Keyring with a 1 MB key id", "invalid_key") { Keyring(mapOf("k".repeat(1_000_000) to ok), "k") }
    bad("Keyring with an emoji key id", "invalid_key") { Keyring(mapOf("😀" to ok), "😀") }
    val ring = Keyring(mapOf("k" to ok), "k")
    bad("seal with a 1025-byte context", "input_too_long") { ring.seal(secret, ByteArray(1025)) }
    bad("seal with a 1024-byte context") { same(ring.open(ring.seal(secret, ByteArray(1024)), ByteArray(1024)), secret, "open") }
    bad("open with a 1 MB context", "input_too_long") { ring.open(ring.seal(secret, context), ByteArray(1_000_000)) }
    bad("seal a 64-bit secret", "secret_too_short") { ring.seal("GEZDGNBVGY3TQ", context) }
    bad("seal an 80-bit secret (admitted at enrolment)") {
        same(ring.open(ring.seal("JBSWY3DPEHPK3PXP", context), context), "JBSWY3DPEHPK3PXP", "open")
    }
    bad("seal a bad secret", "invalid_secret") { ring.seal("not base32!", context) }
    bad("open 1 MB", "invalid_envelope") { ring.open("otpseal:1:k:" + "A".repeat(1_000_000), context) }
    bad("open an empty string", "invalid_envelope") { ring.open("", context) }
    bad("open a base32 secret", "invalid_envelope") { ring.open(secret, context) }
    bad("needsRewrap of 1 MB", "invalid_envelope") { ring.needsRewrap("A".repeat(1_000_000)) }
    bad("rewrap garbage", "invalid_envelope") { ring.rewrap("otpseal:1:k:!!!", context) }
}

fun decisions() {
    case("Verifier(): the core's defaults") {
        val v = Verifier()
        eq(listOf(v.past(), v.future(), v.lookAhead(), v.accountMaxFailures(), v.clockDiagnosis()), listOf(1, 1, 10, 10, 0), "window, look-ahead, budget, diagnosis")
        eq(v.syncDrift(), true, "follows drift")
        eq(v.throttle()?.let { it.base() to it.cap() }, 1L to 900L, "the default back-off")
        eq(Verifier(noThrottle = true).throttle(), null, "no back-off")
        eq(Verifier(throttle = Throttle(base = 2L, cap = 60L)).throttle()?.cap(), 60L, "another back-off")
        check(v.toString().startsWith("Verifier") && v.toString().contains("account_max_failures: 10"), "toString: ${v.toString()}")
    }
    bad("Verifier past 11", "invalid_window") { Verifier(past = 11) }
    bad("Verifier future Int.MAX", "invalid_window") { Verifier(future = Int.MAX_VALUE) }
    bad("Verifier past and future 10") { Verifier(past = 10, future = 10) }
    bad("Verifier lookAhead 101", "invalid_window") { Verifier(lookAhead = 101) }
    bad("Verifier lookAhead 100") { Verifier(lookAhead = 100) }
    bad("Verifier accountMaxFailures 0", "invalid_policy") { Verifier(accountMaxFailures = 0) }
    bad("Verifier accountMaxFailures 101", "invalid_policy") { Verifier(accountMaxFailures = 101) }
    bad("Verifier accountMaxFailures 100 (NIST's ceiling)") { Verifier(accountMaxFailures = 100) }
    bad("Verifier clockDiagnosis 121", "invalid_policy") { Verifier(clockDiagnosis = 121) }
    bad("Verifier clockDiagnosis Int.MAX", "invalid_policy") { Verifier(clockDiagnosis = Int.MAX_VALUE) }
    bad("Verifier clockDiagnosis 120") { Verifier(clockDiagnosis = 120) }
    bad("Verifier with a throttle and noThrottle", "invalid_throttle") { Verifier(throttle = Throttle(), noThrottle = true) }
    case("guessBound at the defaults: 20 guesses a day, 3660 a year") {
        val v = Verifier()
        val day = v.guessBound(6, 86_400L, 1L, 1)
        eq(day, GuessBound(20L, 3L, 1_000_000L), "a day with one sign-in")
        check(Math.abs(guessProbability(day) - 6.0e-5) < 1e-12, "6.0e-5: ${guessProbability(day)}")
        val year = v.guessBound(6, 365L * 86_400L, 365L, 1)
        eq(year.guesses, 3660L, "a year of daily sign-ins")
        check(Math.abs(guessProbability(year) - 3660 * 3 / 1e6) < 1e-12, "1.1e-2: ${guessProbability(year)}")
        // Without a budget worth the name, the back-off binds: about 105 a day per device.
        val throttleBound = Verifier(accountMaxFailures = 100).guessBound(6, 86_400L, 10L, 1).guesses
        check(throttleBound in 100L..110L, "the back-off's bound: $throttleBound")
        eq(guessProbability(GuessBound(2_000_000L, 3L, 1_000_000L)), 1.0, "at most 1")
    }
    case("replayTtlSecs: 630 s at 30 s with drift, 90 s for ±1 without") {
        eq(Verifier().replayTtlSecs(30L), 630L, "default")
        eq(Verifier(syncDrift = false).replayTtlSecs(30L), 90L, "no drift")
        eq(Verifier().replayTtlSecs(Long.MAX_VALUE), Long.MAX_VALUE, "saturates")
    }
    case("outcomeKind of every outcome") {
        eq(
            listOf(Outcome.Accepted(1L, 0L), Outcome.Replayed(1L), Outcome.Rejected(null), Outcome.Throttled(5L), Outcome.Locked)
                .map(::outcomeKind),
            listOf("accepted", "replayed", "rejected", "throttled", "locked"),
            "kinds",
        )
    }
    case("DeviceState() and AccountState(): a device and an account never used") {
        eq(DeviceState(), DeviceState(null, 0L, 0, null), "DeviceState()")
        eq(AccountState().failures, 0, "AccountState()")
    }
    case("a sign-in with each kind of generator: accepted, then replayed") {
        val secret = generateSecret()
        val now = 1_700_000_000_123L
        val v = Verifier()
        val totp = Totp(secret)
        val first = v.checkTotp(totp, totp.at(now / 1000L), now, DeviceState(), AccountState())
        val step = (first.outcome as? Outcome.Accepted ?: fail("TOTP not accepted")).step
        eq(first.write, Write.Accept(step, 0L, 0), "TOTP write")
        eq(v.checkTotp(totp, totp.at(now / 1000L), now, DeviceState(lastStep = step), AccountState()).outcome, Outcome.Replayed(step), "TOTP replay")
        val steam = Steam(secret)
        val s = v.checkSteam(steam, steam.at(now / 1000L), now, DeviceState(), AccountState())
        eq(s.outcome, Outcome.Accepted(now / 1000L / 30L, 0L), "Steam")
        eq(v.checkSteam(steam, totp.at(now / 1000L), now, DeviceState(), AccountState()).outcome, Outcome.Rejected(null), "a TOTP code is no Steam code")
        val hotp = Hotp(secret)
        eq(v.checkHotp(hotp, hotp.at(3L), now, DeviceState(lastStep = 0L), AccountState()).write, Write.Accept(3L, 0L, 0), "HOTP")
        eq(v.checkHotp(hotp, hotp.at(0L), now, DeviceState(lastStep = 3L), AccountState()).outcome, Outcome.Replayed(0L), "HOTP replay")
        val codes = listOf("ABCDE-FGHJK", "01234-56789")
        val hashes = hashBackupCodes(codes, iterations = 1000)
        eq(v.checkBackup("01234 56789", hashes, now, DeviceState(), AccountState()), Decision(Outcome.Accepted(1L, 0L), Write.Consume(1L)), "backup code")
        eq(v.checkBackup("ABCDE-FGHJK", hashes.drop(1), now, DeviceState(), AccountState()).write, Write.Failure(now), "a used backup code")
        expectError("invalid_backup_hash", "a corrupt hash") { v.checkBackup("ABCDE-FGHJK", listOf("md5\$x"), now, DeviceState(), AccountState()) }
        expectError("time_before_t0", "before t0") { v.checkTotp(Totp(secret, t0 = 2_000_000_000L), "123456", now, DeviceState(), AccountState()) }
    }
    case("the clock diagnosis tells how far off the device's clock is") {
        val totp = Totp(generateSecret())
        val now = 1_700_000_000_000L
        val late = totp.at(now / 1000L - 7L * 30L)
        eq(Verifier(clockDiagnosis = 20).checkTotp(totp, late, now, DeviceState(), AccountState()).outcome, Outcome.Rejected(-7L), "7 steps behind")
        eq(Verifier().checkTotp(totp, late, now, DeviceState(), AccountState()).outcome, Outcome.Rejected(null), "off by default")
    }
    val totp = Totp(generateSecret())
    val code = totp.at(1_700_000_000L)
    for ((label, token) in lookAlikes(code, "A".repeat(1_000_000))) {
        bad("Verifier: TOTP code $label is rejected, never an error") {
            eq(Verifier().checkTotp(totp, token, 1_700_000_000_000L, DeviceState(), AccountState()).outcome, Outcome.Rejected(null), "outcome")
        }
    }
    bad("Verifier: extremes of the stored state") {
        val v = Verifier()
        val d = DeviceState(Long.MAX_VALUE, Long.MIN_VALUE, Int.MAX_VALUE, Long.MAX_VALUE)
        eq(outcomeKind(v.checkTotp(totp, code, Long.MAX_VALUE, d, AccountState()).outcome), "throttled", "at the end of time")
        eq(v.checkTotp(totp, code, 0L, d, AccountState(Int.MAX_VALUE)).outcome, Outcome.Locked, "locked")
        val last = v.checkHotp(Hotp(generateSecret()), "123456", 0L, DeviceState(lastStep = Long.MAX_VALUE), AccountState())
        check(outcomeKind(last.outcome) != "accepted", "no counter after the last")
        v.guessBound(Int.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Int.MAX_VALUE)
        v.guessBound(0, 0L, 0L, 0)
    }
}

/** Verifier and Keyring shared by 8 threads at once. */
fun sealAndDecisionThreads() {
    case("Verifier and Keyring shared by 8 threads at once") {
        val ring = Keyring(mapOf("k" to generateKey()), "k")
        val verifier = Verifier()
        val totp = Totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        val pool = Executors.newFixedThreadPool(8)
        val start = CountDownLatch(1)
        val errors = AtomicInteger()
        val done = AtomicInteger()
        repeat(8) { worker ->
            pool.execute {
                try {
                    start.await()
                    for (i in 0 until 100) {
                        val context = "w$worker/$i".toByteArray()
                        val secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                        if (ring.open(ring.seal(secret, context), context) != secret) errors.incrementAndGet()
                        val now = (1_700_000_000L + i.toLong() * 30L) * 1000L
                        val d = verifier.checkTotp(totp, totp.at(now / 1000L), now, DeviceState(), AccountState())
                        if (d.write != Write.Accept(now / 30_000L, 0L, 0)) errors.incrementAndGet()
                    }
                    done.incrementAndGet()
                } catch (e: Throwable) {
                    errors.incrementAndGet()
                }
            }
        }
        start.countDown()
        pool.shutdown()
        check(pool.awaitTermination(120, TimeUnit.SECONDS), "threads finished")
        eq(done.get(), 8, "threads completed")
        eq(errors.get(), 0, "wrong results or exceptions")
    }
}

// ---------------------------------------------------------------- the README's sign-in

/** An in-memory DeviceStore (the README's interface) that applies each
 *  write as the database would: conditionally, and by increments.
 *  `beforeAccept` lets a test run a concurrent request's write first. */
class MemoryStore : DeviceStore {
    val devices = HashMap<Long, DeviceRow>()
    val accounts = HashMap<Long, Int>()
    var beforeAccept: (DeviceRow) -> Unit = {}

    override fun device(id: Long): DeviceRow = devices[id] ?: fail("no device $id")
    override fun accountFailures(userId: Long): Int = accounts[userId] ?: 0

    override fun accept(row: DeviceRow, step: Long, drift: Long, failuresRead: Int): Boolean {
        beforeAccept(row)
        val now = device(row.id)
        val last = now.lastStep
        if (!(last == null || last < step) || now.failures != failuresRead) return false
        devices[row.id] = now.copy(lastStep = step, drift = drift, failures = 0, lastFailureAtMs = null)
        accounts[row.userId] = 0
        return true
    }

    override fun failure(row: DeviceRow, atMs: Long) {
        val now = device(row.id)
        devices[row.id] = now.copy(failures = now.failures + 1, lastFailureAtMs = atMs)
        accounts[row.userId] = accountFailures(row.userId) + 1
    }

    override fun saveSealedSecret(row: DeviceRow, sealedSecret: String) {
        devices[row.id] = device(row.id).copy(sealedSecret = sealedSecret)
    }
}

/** A code of none of the steps around `nowMs` (the window, and the replays before it). */
fun wrongCode(totp: Totp, nowMs: Long): String {
    val step = nowMs / 30_000L
    val near = (step - 3L..step + 3L).map { totp.atStep(it) }.toSet()
    return generateSequence(0) { it + 1 }.map { it.toString().padStart(6, '0') }.first { it !in near }
}

fun readmeSignIn() {
    val secret = generateSecret()
    val totp = Totp(secret)
    val t = 1_700_000_000_000L                         // a step boundary (ms)
    val codeAt = { ms: Long -> totp.at(ms / 1000L) }
    val oldKey = generateKey()
    val store = MemoryStore()
    val service = SecondFactor(Keyring(mapOf("2026-11" to oldKey), "2026-11"), store)
    store.devices[1L] = DeviceRow(1L, 7L, service.seal(1L, secret))
    store.devices[2L] = DeviceRow(2L, 7L, service.seal(2L, generateSecret()))
    case("README sign-in: the secret is stored sealed") {
        check(store.device(1L).sealedSecret.startsWith("otpseal:1:2026-11:"), "an envelope")
        check(!store.device(1L).sealedSecret.contains(secret), "not the secret")
    }
    case("README sign-in: accepted, then the same code is a replay") {
        eq(service.check(1L, codeAt(t), t), "accepted", "first use")
        eq(store.device(1L).lastStep, t / 30_000L, "lastStep stored")
        eq(service.check(1L, codeAt(t), t + 1_000L), "replayed", "the same code")
        eq(store.device(1L).failures to store.accountFailures(7L), 1 to 1, "a replay is a failure")
    }
    case("README sign-in: the back-off, then a wrong code, then the next code") {
        eq(service.check(1L, codeAt(t + 30_000L), t + 1_500L), "throttled", "within the second after a failure")
        eq(service.check(1L, wrongCode(totp, t + 3_000L), t + 3_000L), "rejected", "a wrong code")
        eq(store.device(1L).failures to store.accountFailures(7L), 2 to 2, "two failures")
        eq(service.check(1L, codeAt(t + 30_000L), t + 30_000L), "accepted", "the next code")
        eq(store.device(1L).failures to store.accountFailures(7L), 0 to 0, "failures reset")
    }
    case("README sign-in: of two requests with the same code, the one that loses the race is a replay") {
        val now = t + 60_000L
        store.beforeAccept = { row -> store.devices[row.id] = store.device(row.id).copy(lastStep = now / 30_000L) }
        try {
            eq(service.check(1L, codeAt(now), now), "replayed", "the write changed nothing")
        } finally {
            store.beforeAccept = {}
        }
        eq(store.device(1L).failures, 1, "counted as a failure")
    }
    case("README sign-in: the account budget locks every device of the account") {
        store.accounts[7L] = 10
        eq(service.check(2L, "123456", t + 200_000L), "locked", "another device of the account")
        eq(service.check(1L, codeAt(t + 200_000L), t + 200_000L), "locked", "even with the right code")
        store.accounts[7L] = 0                           // an admin, or a recovery path
        store.devices[1L] = store.device(1L).copy(failures = 0, lastFailureAtMs = null)
        eq(service.check(1L, codeAt(t + 200_000L), t + 200_000L), "accepted", "unlocked")
    }
    case("README sign-in: an envelope copied to another row does not open") {
        store.devices[2L] = store.device(2L).copy(sealedSecret = store.device(1L).sealedSecret)
        expectError("seal_failed", "row 2 with row 1's envelope") { service.check(2L, codeAt(t + 300_000L), t + 300_000L) }
        store.devices[2L] = store.device(2L).copy(sealedSecret = service.seal(2L, generateSecret()))
    }
    case("README sign-in: key rotation with rewrapAll") {
        val newKey = generateKey()
        val during = SecondFactor(Keyring(mapOf("2026-11" to oldKey, "2026-12" to newKey), "2026-12"), store)
        eq(during.rewrapAll(listOf(1L, 2L)), 2, "rewrapped")
        eq(during.rewrapAll(listOf(1L, 2L)), 0, "nothing left to rewrap")
        val after = SecondFactor(Keyring(mapOf("2026-12" to newKey), "2026-12"), store)
        check(store.device(1L).sealedSecret.startsWith("otpseal:1:2026-12:"), "under the new key")
        eq(after.check(1L, codeAt(t + 400_000L), t + 400_000L), "accepted", "signs in without the old key")
    }
}
