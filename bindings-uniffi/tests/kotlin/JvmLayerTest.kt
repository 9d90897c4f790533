// The JVM layer (bindings-uniffi/kotlin/dev/otpcore/OtpCoreJvm.kt): the
// getters as Kotlin properties, `java.time.Instant` overloads that agree
// with the seconds and milliseconds they stand for, the signed API's
// refusal of negative values, and the `suspend` PBKDF2 functions, which run
// on otp-core's own threads and rethrow the core's errors unwrapped.
// (The Java side is tests/java/JavaInterop.java.)

import dev.otpcore.AccountState
import dev.otpcore.Algorithm
import dev.otpcore.Hotp
import dev.otpcore.Keyring
import dev.otpcore.OtpException
import dev.otpcore.Steam
import dev.otpcore.Throttle
import dev.otpcore.Totp
import dev.otpcore.Verifier
import dev.otpcore.accountMaxFailures
import dev.otpcore.accountName
import dev.otpcore.algorithm
import dev.otpcore.at
import dev.otpcore.base
import dev.otpcore.cap
import dev.otpcore.checkBackupAsync
import dev.otpcore.checkTotp
import dev.otpcore.counter
import dev.otpcore.deviceState
import dev.otpcore.digits
import dev.otpcore.generateKey
import dev.otpcore.hashBackupCodesAsync
import dev.otpcore.hashRawTokensAsync
import dev.otpcore.issuer
import dev.otpcore.keyIds
import dev.otpcore.lookAhead
import dev.otpcore.past
import dev.otpcore.period
import dev.otpcore.primary
import dev.otpcore.retryAfterMillis
import dev.otpcore.secondsRemaining
import dev.otpcore.step
import dev.otpcore.t0
import dev.otpcore.verify
import dev.otpcore.verifyBackupCode
import dev.otpcore.verifyBackupCodeAsync
import dev.otpcore.verifyRawTokenAsync
import java.time.Instant
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.coroutines.Continuation
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.startCoroutine

/** Runs a `suspend` block to completion (no kotlinx.coroutines here): its
 *  result, and whether it had suspended (the caller's thread was free)
 *  before it finished. */
fun <T> runSuspend(block: suspend () -> T): Pair<T, Boolean> {
    val done = CountDownLatch(1)
    var outcome: Result<T>? = null
    block.startCoroutine(Continuation(EmptyCoroutineContext) { r ->
        outcome = r
        done.countDown()
    })
    // `startCoroutine` returns at the first suspension: still running here
    // means the work is on another thread.
    val suspended = done.count == 1L
    check(done.await(60, TimeUnit.SECONDS), "the suspend call finished")
    return outcome!!.getOrThrow() to suspended
}

fun javaInterop() {
    val secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    case("JVM layer: the getters are properties") {
        val totp = Totp(secret, Algorithm.SHA256, digits = 8, period = 60, accountName = "alice", issuer = "ACME")
        eq(listOf(totp.algorithm, totp.digits, totp.period, totp.t0, totp.accountName, totp.issuer),
            listOf<Any?>(Algorithm.SHA256, 8, 60L, 0L, "alice", "ACME"), "Totp")
        val hotp = Hotp(secret, counter = 41)
        eq(hotp.counter to hotp.digits, 41L to 6, "Hotp")
        val ring = Keyring(mapOf("a" to generateKey(), "b" to generateKey()), "b")
        eq(ring.primary to ring.keyIds.sorted(), "b" to listOf("a", "b"), "Keyring")
        val t = Throttle(base = 2, cap = 60)
        eq(t.base to t.cap, 2L to 60L, "Throttle")
        val v = Verifier(past = 2, lookAhead = 5, accountMaxFailures = 7)
        eq(Triple(v.past, v.lookAhead, v.accountMaxFailures), Triple(2, 5, 7), "Verifier")
    }
    case("JVM layer: Instant overloads agree with seconds and milliseconds") {
        val totp = Totp(secret, digits = 8)
        val t = Instant.ofEpochSecond(1_111_111_109)
        eq(totp.at(t), "07081804", "RFC 6238 at 1111111109")
        eq(totp.at(t), totp.at(1_111_111_109L), "at")
        eq(totp.step(t), totp.step(1_111_111_109L), "step")
        eq(totp.secondsRemaining(t.plusMillis(999)), totp.secondsRemaining(1_111_111_109L), "milliseconds dropped")
        eq(totp.verify("07081804", t)?.step, 1_111_111_109L / 30, "verify")
        val steam = Steam(secret)
        eq(steam.at(t), steam.at(1_111_111_109L), "Steam at")
        eq(Throttle().retryAfterMillis(1, Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(1_250)),
            Throttle().retryAfterMillis(1, 1_000L, 1_250L), "retryAfterMillis")
        val v = Verifier()
        val d = v.checkTotp(totp, "07081804", t, deviceState(lastFailureAt = Instant.ofEpochMilli(5)), AccountState())
        eq(d, v.checkTotp(totp, "07081804", t.toEpochMilli(), deviceState(lastFailureAt = Instant.ofEpochMilli(5)), AccountState()),
            "checkTotp")
        bad("an Instant before 1970", "time_before_t0") { totp.at(Instant.ofEpochSecond(-1)) }
    }
    case("JVM layer: negative values are refused with the error of what they are") {
        val totp = Totp(secret)
        val hotp = Hotp(secret)
        bad("time -1", "time_before_t0") { totp.at(-1L) }
        bad("step -1", "invalid_counter") { totp.atStep(-1L) }
        bad("lastStep -1", "invalid_counter") { totp.verify("123456", 0L, lastStep = -1L) }
        bad("past -1", "invalid_window") { totp.verify("123456", 0L, past = -1) }
        bad("digits -1", "invalid_digits") { Totp(secret, digits = -1) }
        bad("period -1", "invalid_period") { Totp(secret, period = -1) }
        bad("t0 -1", "invalid_t0") { Totp(secret, t0 = -1) }
        bad("counter -1", "invalid_counter") { hotp.at(-1L) }
        bad("HOTP counter -1", "invalid_counter") { Hotp(secret, counter = -1) }
        bad("look-ahead -1", "invalid_window") { hotp.verify("123456", 0L, lookAhead = -1) }
        bad("throttle base -1", "invalid_throttle") { Throttle(base = -1) }
        bad("failures -1", "invalid_throttle") { Throttle().retryAfter(-1, 0L, 0L) }
        bad("iterations -1", "invalid_backup_params") { dev.otpcore.hashBackupCodes(listOf("ABCDE-FGHJK"), iterations = -1) }
        bad("count -1", "invalid_backup_params") { dev.otpcore.generateBackupCodes(count = -1) }
        bad("device failures -1", "invalid_throttle") {
            Verifier().checkTotp(totp, "123456", 0L, deviceState(failures = -1), AccountState())
        }
        bad("now -1", "time_before_t0") { Verifier().checkTotp(totp, "123456", -1L, deviceState(), AccountState()) }
        bad("account failures -1", "invalid_throttle") { Verifier().isLocked(AccountState(-1)) }
        bad("guess bound digits -1", "invalid_digits") { Verifier().guessBound(-1, 1L, 1L, 1) }
        bad("replay TTL period -1", "invalid_period") { Verifier().replayTtlSecs(-1L) }
        bad("a URI counter above Long.MAX_VALUE", "invalid_counter") {
            dev.otpcore.parseUri("otpauth://hotp/a?secret=$secret&counter=9223372036854775808")
        }
        eq((dev.otpcore.parseUri("otpauth://hotp/a?secret=$secret&counter=9223372036854775807") as dev.otpcore.ParsedUri.CounterBased)
            .hotp.counter, Long.MAX_VALUE, "Long.MAX_VALUE itself")
    }
    case("JVM layer: suspend PBKDF2 runs off the caller's thread") {
        val codes = listOf("ABCDE-FGHJK", "23456-789AB")
        // 600,000 iterations (the default): a tenth of a second or more, while
        // the caller's thread is handed back at once.
        val (hashes, suspended) = runSuspend { hashBackupCodesAsync(codes) }
        check(suspended, "the caller's thread was free while PBKDF2 ran")
        eq(verifyBackupCode("23456-789ab", hashes), 1, "the hashes verify")
        eq(runSuspend { verifyBackupCodeAsync("ABCDE-FGHJK", hashes) }.first, 0, "verifyBackupCodeAsync")
        val raw = runSuspend { hashRawTokensAsync(listOf("t 1"), iterations = 1000) }.first
        eq(runSuspend { verifyRawTokenAsync("t 1", raw) }.first, 0, "raw tokens")
        val d = runSuspend { Verifier().checkBackupAsync("ABCDE-FGHJK", hashes, 0L, deviceState(), AccountState()) }.first
        eq(d.write, dev.otpcore.Write.Consume(0L), "checkBackupAsync")
        // The core's error, not a CompletionException around it.
        try {
            runSuspend { hashBackupCodesAsync(codes, iterations = 1) }
            fail("no error")
        } catch (e: OtpException.InvalidBackupParams) {
            // expected
        }
    }
}
