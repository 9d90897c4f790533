// The JVM layer over the generated bindings (otp_core_uniffi.kt), shipped in
// the same jar: Kotlin properties for the getters, `java.time.Instant`
// overloads for every time, and the PBKDF2 work (backup codes) as `suspend`
// functions for coroutines and `CompletableFuture`s for Java. It converts
// and delegates; every rule is the core's.
//
// From Java these are static methods of `dev.otpcore.OtpCoreJvm`
// (`OtpCoreJvm.at(totp, Instant.now())`, `OtpCoreJvm.getDigits(totp)`); the
// generated classes' own methods (`totp.digits()`) are callable directly.
@file:JvmName("OtpCoreJvm")

package dev.otpcore

import java.time.Instant
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.concurrent.Executors
import java.util.concurrent.ThreadFactory
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlin.coroutines.suspendCoroutine

// ------------------------------------------------------------- properties

/** The hash algorithm. */
val Totp.algorithm: Algorithm get() = algorithm()
/** The number of digits of a code. */
val Totp.digits: Int get() = digits()
/** The time step in seconds. */
val Totp.period: Long get() = period()
/** The Unix time (seconds) at which step 0 begins. */
val Totp.t0: Long get() = t0()
/** The account name (empty when none was given). */
val Totp.accountName: String get() = accountName()
/** The issuer, if any. */
val Totp.issuer: String? get() = issuer()
/** The logo URL of the otpauth URI, if any. */
val Totp.image: String? get() = image()

/** The hash algorithm. */
val Hotp.algorithm: Algorithm get() = algorithm()
/** The number of digits of a code. */
val Hotp.digits: Int get() = digits()
/** The counter of the otpauth URI. */
val Hotp.counter: Long get() = counter()
/** The account name (empty when none was given). */
val Hotp.accountName: String get() = accountName()
/** The issuer, if any. */
val Hotp.issuer: String? get() = issuer()
/** The logo URL of the otpauth URI, if any. */
val Hotp.image: String? get() = image()

/** The key id that seals. */
val Keyring.primary: String get() = primary()
/** Every key id. */
val Keyring.keyIds: List<String> get() = keyIds()

/** The back-off's first delay, in seconds. */
val Throttle.base: Long get() = base()
/** The back-off's longest delay, in seconds. */
val Throttle.cap: Long get() = cap()

/** Steps accepted before the current one. */
val Verifier.past: Int get() = past()
/** Steps accepted after the current one. */
val Verifier.future: Int get() = future()
/** Whether an accepted TOTP code's offset becomes the device's drift. */
val Verifier.syncDrift: Boolean get() = syncDrift()
/** HOTP counters tried after the expected one. */
val Verifier.lookAhead: Int get() = lookAhead()
/** The per-device back-off, if any. */
val Verifier.throttle: Throttle? get() = throttle()
/** Consecutive failures of an account before it is locked. */
val Verifier.accountMaxFailures: Int get() = accountMaxFailures()
/** Steps searched beyond the window for a clock diagnosis (0: none). */
val Verifier.clockDiagnosis: Int get() = clockDiagnosis()

/** Whether every QR code of the export has been added. */
val MigrationAssembler.isComplete: Boolean get() = isComplete()

// ------------------------------------------------------------- Instant

/** Unix seconds of `time` (rounded down; before 1970 is negative, which the core refuses). */
private fun Instant.seconds(): Long = epochSecond

/** The code at `time`. @throws OtpException.TimeBeforeT0 before `t0` or 1970. */
@Throws(OtpException::class)
fun Totp.at(time: Instant): String = at(time.seconds())

/** The time step of `time`. */
@Throws(OtpException::class)
fun Totp.step(time: Instant): Long = step(time.seconds())

/** Seconds until the code of `time` expires. */
@Throws(OtpException::class)
fun Totp.secondsRemaining(time: Instant): Long = secondsRemaining(time.seconds())

/** `verify` at `time`. */
@JvmOverloads
@Throws(OtpException::class)
fun Totp.verify(
    code: String,
    time: Instant,
    past: Int? = null,
    future: Int? = null,
    drift: Long? = null,
    lastStep: Long? = null,
): Match? = verify(code, time.seconds(), past, future, drift, lastStep)

/** The Steam code at `time`. */
@Throws(OtpException::class)
fun Steam.at(time: Instant): String = at(time.seconds())

/** Steam's `verify` at `time`. */
@JvmOverloads
@Throws(OtpException::class)
fun Steam.verify(
    code: String,
    time: Instant,
    past: Int? = null,
    future: Int? = null,
    drift: Long? = null,
    lastStep: Long? = null,
): Match? = verify(code, time.seconds(), past, future, drift, lastStep)

/** `checkTotp` at `now`. */
@Throws(OtpException::class)
fun Verifier.checkTotp(totp: Totp, code: String, now: Instant, device: DeviceState, account: AccountState): Decision =
    checkTotp(totp, code, now.toEpochMilli(), device, account)

/** `checkHotp` at `now`. */
@Throws(OtpException::class)
fun Verifier.checkHotp(hotp: Hotp, code: String, now: Instant, device: DeviceState, account: AccountState): Decision =
    checkHotp(hotp, code, now.toEpochMilli(), device, account)

/** `checkSteam` at `now`. */
@Throws(OtpException::class)
fun Verifier.checkSteam(steam: Steam, code: String, now: Instant, device: DeviceState, account: AccountState): Decision =
    checkSteam(steam, code, now.toEpochMilli(), device, account)

/** `checkBackup` at `now` (PBKDF2: see `checkBackupAsync`). */
@Throws(OtpException::class)
fun Verifier.checkBackup(code: String, hashes: List<String>, now: Instant, device: DeviceState, account: AccountState): Decision =
    checkBackup(code, hashes, now.toEpochMilli(), device, account)

/** Milliseconds to wait, from instants. */
@Throws(OtpException::class)
fun Throttle.retryAfterMillis(failures: Int, lastFailureAt: Instant, now: Instant): Long =
    retryAfterMillis(failures, lastFailureAt.toEpochMilli(), now.toEpochMilli())

/** A device state whose last failure is an instant. */
@JvmOverloads
fun deviceState(lastStep: Long? = null, drift: Long = 0, failures: Int = 0, lastFailureAt: Instant? = null): DeviceState =
    DeviceState(lastStep, drift, failures, lastFailureAt?.toEpochMilli())

// ------------------------------------------------------------- constructors for Java

// UniFFI's constructors throw `OtpException` without declaring it, so Java
// cannot `catch (OtpException.InvalidSecret e)` around `new Totp(…)`. These
// factories declare it, and their `@JvmOverloads` give Java the defaults
// (`OtpCoreJvm.newTotp(secret)`).

/** `Totp(…)`, declaring `OtpException`. */
@JvmOverloads
@Throws(OtpException::class)
fun newTotp(
    secret: String,
    algorithm: Algorithm? = null,
    digits: Int? = null,
    period: Long? = null,
    t0: Long? = null,
    accountName: String? = null,
    issuer: String? = null,
    image: String? = null,
    allowLegacySecret: Boolean = false,
): Totp = Totp(secret, algorithm, digits, period, t0, accountName, issuer, image, allowLegacySecret)

/** `Hotp(…)`, declaring `OtpException`. */
@JvmOverloads
@Throws(OtpException::class)
fun newHotp(
    secret: String,
    algorithm: Algorithm? = null,
    digits: Int? = null,
    counter: Long = 0,
    accountName: String? = null,
    issuer: String? = null,
    image: String? = null,
    allowLegacySecret: Boolean = false,
): Hotp = Hotp(secret, algorithm, digits, counter, accountName, issuer, image, allowLegacySecret)

/** `Steam(…)`, declaring `OtpException`. */
@JvmOverloads
@Throws(OtpException::class)
fun newSteam(secret: String, allowLegacySecret: Boolean = false): Steam = Steam(secret, allowLegacySecret)

/** `Keyring(…)`, declaring `OtpException`. */
@Throws(OtpException::class)
fun newKeyring(keys: Map<String, String>, primary: String): Keyring = Keyring(keys, primary)

/** `Throttle(…)`, declaring `OtpException`. */
@JvmOverloads
@Throws(OtpException::class)
fun newThrottle(base: Long? = null, cap: Long? = null): Throttle = Throttle(base, cap)

/** `Verifier(…)`, declaring `OtpException`. */
@JvmOverloads
@Throws(OtpException::class)
fun newVerifier(
    past: Int? = null,
    future: Int? = null,
    syncDrift: Boolean? = null,
    lookAhead: Int? = null,
    throttle: Throttle? = null,
    noThrottle: Boolean = false,
    accountMaxFailures: Int? = null,
    clockDiagnosis: Int? = null,
): Verifier = Verifier(past, future, syncDrift, lookAhead, throttle, noThrottle, accountMaxFailures, clockDiagnosis)

// ------------------------------------------------------------- PBKDF2 off the caller's thread

private val pbkdf2Threads = AtomicInteger()

/** Daemon threads for PBKDF2 (600,000 iterations by default: tens of
 *  milliseconds of CPU), so that a coroutine or a request thread is not held. */
private val pbkdf2: Executor = Executors.newCachedThreadPool(
    ThreadFactory { r -> Thread(r, "otp-core-pbkdf2-${pbkdf2Threads.incrementAndGet()}").apply { isDaemon = true } },
)

private fun <T> future(work: () -> T): CompletableFuture<T> = CompletableFuture.supplyAsync(work, pbkdf2)

// The continuation is resumed from a PBKDF2 thread (never on the caller's,
// even when the work is already done); a coroutine dispatcher then moves it
// back where it runs.
private suspend fun <T> offThread(work: () -> T): T = suspendCoroutine { cont ->
    future(work).whenCompleteAsync({ value, error ->
        if (error == null) cont.resume(value) else cont.resumeWithException(error.cause ?: error)
    }, pbkdf2)
}

/** `hashBackupCodes` on a PBKDF2 thread (a `suspend` function). */
suspend fun hashBackupCodesAsync(codes: List<String>, iterations: Int? = null): List<String> =
    offThread { hashBackupCodes(codes, iterations) }

/** `verifyBackupCode` on a PBKDF2 thread. */
suspend fun verifyBackupCodeAsync(candidate: String, hashes: List<String>): Int? =
    offThread { verifyBackupCode(candidate, hashes) }

/** `hashRawTokens` on a PBKDF2 thread. */
suspend fun hashRawTokensAsync(tokens: List<String>, iterations: Int? = null): List<String> =
    offThread { hashRawTokens(tokens, iterations) }

/** `verifyRawToken` on a PBKDF2 thread. */
suspend fun verifyRawTokenAsync(candidate: String, hashes: List<String>): Int? =
    offThread { verifyRawToken(candidate, hashes) }

/** `Verifier.checkBackup` on a PBKDF2 thread. */
suspend fun Verifier.checkBackupAsync(
    code: String,
    hashes: List<String>,
    nowMs: Long,
    device: DeviceState,
    account: AccountState,
): Decision = offThread { checkBackup(code, hashes, nowMs, device, account) }

/** `hashBackupCodes` on a PBKDF2 thread, for Java. */
@JvmOverloads
fun hashBackupCodesFuture(codes: List<String>, iterations: Int? = null): CompletableFuture<List<String>> =
    future { hashBackupCodes(codes, iterations) }

/** `verifyBackupCode` on a PBKDF2 thread, for Java. */
fun verifyBackupCodeFuture(candidate: String, hashes: List<String>): CompletableFuture<Int?> =
    future { verifyBackupCode(candidate, hashes) }

/** `Verifier.checkBackup` on a PBKDF2 thread, for Java. */
fun Verifier.checkBackupFuture(
    code: String,
    hashes: List<String>,
    nowMs: Long,
    device: DeviceState,
    account: AccountState,
): CompletableFuture<Decision> = future { checkBackup(code, hashes, nowMs, device, account) }
