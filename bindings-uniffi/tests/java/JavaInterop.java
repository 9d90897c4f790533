// Java calls the Kotlin binding: every main entry point of the jar
// (target/uniffi/otp-core.jar), compiled by javac and run with
// `java -cp otp-core.jar:jna.jar:.` and no library path (the native library
// is a resource of the jar). Then, by reflection over the jar, no public
// method or constructor of dev.otpcore has a name Java cannot call (Kotlin
// mangles the names of functions that take unsigned types: `at-VKZWuLQ`).
// Prints `N passed, M failed` and exits 1 on any failure.

import dev.otpcore.*;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

public final class JavaInterop {
    static int passed = 0;
    static int failed = 0;

    interface Body {
        void run() throws Exception;
    }

    static void test(String name, Body body) {
        try {
            body.run();
            passed++;
        } catch (Throwable e) {
            failed++;
            System.out.println("FAIL " + name + ": " + e);
        }
    }

    static void check(boolean condition, String what) {
        if (!condition) throw new AssertionError(what);
    }

    static <T> void eq(T actual, T expected, String what) {
        if (actual == null ? expected != null : !actual.equals(expected)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }

    /** UniFFI's own plumbing, public in Kotlin for the generated code but not
     *  API: the converters and buffers (their sizes stay `ULong`), the call
     *  status, the library handle and the error handler. */
    static boolean plumbing(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            String n = k.getSimpleName();
            if (n.startsWith("FfiConverter") || n.startsWith("RustBuffer") || n.startsWith("Uniffi")
                    || n.startsWith("ForeignBytes") || n.equals("ErrorHandler") || n.startsWith("IntegrityChecking")) {
                return true;
            }
        }
        return false;
    }

    // RFC 6238's SHA-1 secret ("12345678901234567890") in base32.
    static final String SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    public static void main(String[] args) throws Exception {
        test("Totp: constructors, codes, verify, getters, the URI", () -> {
            Totp totp = new Totp(SECRET, Algorithm.SHA1, 8, 30L, null, "alice", "ACME", null, false);
            eq(totp.at(59L), "94287082", "RFC 6238 at T=59");
            eq(OtpCoreJvm.at(totp, Instant.ofEpochSecond(59)), "94287082", "at(Instant)");
            eq(totp.step(59L), 1L, "step");
            eq(OtpCoreJvm.step(totp, Instant.ofEpochSecond(59)), 1L, "step(Instant)");
            eq(totp.secondsRemaining(59L), 1L, "secondsRemaining");
            Match m = totp.verify("94287082", 59L, null, null, null, null);
            check(m != null && m.getStep() == 1L && m.getOffset() == 0L, "verify");
            eq(totp.verify("94287082", 59L, null, null, null, m.getStep()), null, "replay refused");
            Match viaInstant = OtpCoreJvm.verify(totp, "94287082", Instant.ofEpochSecond(59));
            eq(viaInstant, m, "verify(Instant), default window");
            eq(totp.digits(), 8, "digits");
            eq(OtpCoreJvm.getDigits(totp), 8, "the digits property");
            eq(totp.period(), 30L, "period");
            eq(totp.t0(), 0L, "t0");
            eq(totp.algorithm(), Algorithm.SHA1, "algorithm");
            eq(totp.accountName(), "alice", "accountName");
            eq(totp.issuer(), "ACME", "issuer");
            check(totp.uri().startsWith("otpauth://totp/ACME:alice?secret="), "uri");
            check(totp.now().length() == 8, "now");
            // The current code is accepted now (a step boundary between the two
            // calls still leaves it in the default window of one step back).
            check(totp.verifyNow(totp.now(), null, null, null, null) != null, "verifyNow");
            Totp fromBytes = Totp.Companion.fromBytes("12345678901234567890".getBytes(StandardCharsets.US_ASCII),
                    Algorithm.SHA1, 8, null, null, null, null, null, false);
            eq(fromBytes.at(59L), "94287082", "fromBytes");
        });

        test("Hotp and Steam", () -> {
            Hotp hotp = new Hotp(SECRET, null, null, 0L, "bob", null, null, false);
            eq(OtpCoreJvm.newHotp(SECRET).at(7L), "162583", "newHotp with the defaults");
            eq(OtpCoreJvm.newSteam(SECRET).at(0L), new Steam(SECRET, false).at(0L), "newSteam");
            eq(hotp.at(7L), "162583", "RFC 4226 counter 7");
            eq(hotp.verify("162583", 0L, 10), 7L, "look-ahead");
            eq(hotp.counter(), 0L, "counter");
            eq(OtpCoreJvm.getCounter(hotp), 0L, "the counter property");
            Hotp fromBytes = Hotp.Companion.fromBytes(new byte[20], null, 6, 5L, null, null, null, false);
            eq(fromBytes.counter(), 5L, "fromBytes counter");
            Steam steam = new Steam(SECRET, false);
            eq(steam.at(0L).length(), 5, "a Steam code");
            eq(OtpCoreJvm.at(steam, Instant.EPOCH), steam.at(0L), "Steam at(Instant)");
            check(steam.verify(steam.at(0L), 0L, null, null, null, null) != null, "Steam verify");
            check(Steam.Companion.fromBytes(new byte[20], false).now().length() == 5, "Steam fromBytes");
        });

        test("errors are OtpException subclasses, catchable in Java", () -> {
            // The factories declare OtpException (UniFFI's constructors do not).
            try {
                OtpCoreJvm.newTotp("not base32!");
                throw new AssertionError("no exception");
            } catch (OtpException.InvalidSecret e) {
                check(!e.getMessage().contains("not base32"), "the message holds no input");
            }
            // A constructor's error, caught as what Java can name.
            try {
                new Totp("not base32!", null, null, null, null, null, null, null, false);
                throw new AssertionError("no exception");
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                check(e instanceof OtpException.InvalidSecret, "the constructor throws InvalidSecret");
            }
            try {
                OtpCoreJvm.newTotp(SECRET).at(-1L);
                throw new AssertionError("no exception");
            } catch (OtpException.TimeBeforeT0 e) {
                // A negative time: refused, not wrapped to a huge unsigned one.
            }
            try {
                OtpCoreJvm.newHotp(SECRET, null, null, -1L);
                throw new AssertionError("no exception");
            } catch (OtpException.InvalidCounter e) {
                // expected
            }
        });

        test("URIs, the lint, QR codes, secrets", () -> {
            ParsedUri parsed = Otp_core_uniffiKt.parseUri("otpauth://totp/ACME:alice?secret=" + SECRET + "&issuer=ACME", false);
            check(parsed instanceof ParsedUri.TimeBased, "a TOTP URI");
            Totp totp = ((ParsedUri.TimeBased) parsed).getTotp();
            eq(totp.issuer(), "ACME", "issuer");
            ImportedUri imported = Otp_core_uniffiKt.importUri("otpauth://totp/X:alice?secret=gezdgnbvgy3tqojq&issuer=Y");
            check(!imported.getFindings().isEmpty(), "findings of a lenient import");
            List<Finding> lint = Otp_core_uniffiKt.lintUri(totp.uri());
            check(lint != null, "lintUri");
            check(Otp_core_uniffiKt.lintAccount(parsed) != null, "lintAccount");
            check(!Otp_core_uniffiKt.compatibilityTable().isEmpty(), "compatibilityTable");
            check(Otp_core_uniffiKt.qrSvg(totp.uri()).startsWith("<svg"), "qrSvg");
            byte[] png = Otp_core_uniffiKt.qrPng(totp.uri());
            check(png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "qrPng");
            eq(Otp_core_uniffiKt.generateSecret(Algorithm.SHA256).length(), 52, "generateSecret(SHA256)");
            eq(Otp_core_uniffiKt.clampDrift(99L), 10L, "clampDrift");
            eq(Otp_core_uniffiKt.maxTokenLen(), 64, "maxTokenLen");
        });

        test("backup codes, sync and as futures (PBKDF2 off the caller's thread)", () -> {
            List<String> codes = Otp_core_uniffiKt.generateBackupCodes(3);
            eq(codes.size(), 3, "three codes");
            List<String> hashes = Otp_core_uniffiKt.hashBackupCodes(codes, 1000);
            eq(Otp_core_uniffiKt.verifyBackupCode(codes.get(2), hashes), 2, "verify");
            eq(OtpCoreJvm.verifyBackupCodeFuture(codes.get(1), hashes).get(), 1, "verify as a future");
            List<String> again = OtpCoreJvm.hashBackupCodesFuture(codes, 1000).get();
            eq(Otp_core_uniffiKt.verifyBackupCode(codes.get(0), again), 0, "hashed as a future");
            Otp_core_uniffiKt.checkBackupHash(hashes.get(0));
            eq(Otp_core_uniffiKt.normalizeBackupCode("abcde-fghjk"), "ABCDEFGHJK", "normalize");
            List<String> raw = Otp_core_uniffiKt.hashRawTokens(List.of("token 1"), 1000);
            eq(Otp_core_uniffiKt.verifyRawToken("token 1", raw), 0, "raw token");
        });

        test("Keyring", () -> {
            String key = Otp_core_uniffiKt.generateKey();
            Keyring ring = new Keyring(Map.of("k1", key), "k1");
            eq(OtpCoreJvm.newKeyring(Map.of("k1", key), "k1").primary(), "k1", "newKeyring");
            byte[] context = "users/1".getBytes(StandardCharsets.UTF_8);
            String envelope = ring.seal(SECRET, context);
            eq(ring.open(envelope, context), SECRET, "open");
            eq(ring.needsRewrap(envelope), false, "needsRewrap");
            check(ring.rewrap(envelope, context).startsWith("otpseal:1:k1:"), "rewrap");
            eq(ring.primary(), "k1", "primary");
            eq(OtpCoreJvm.getKeyIds(ring), List.of("k1"), "the keyIds property");
        });

        test("Google Authenticator export and import", () -> {
            Totp totp = new Totp(SECRET, null, null, null, null, "alice", "ACME", null, false);
            List<ParsedUri> accounts = List.of(new ParsedUri.TimeBased(totp));
            List<String> uris = Otp_core_uniffiKt.toMigrationUris(accounts, 7);
            MigrationBatch batch = Otp_core_uniffiKt.parseMigrationUri(uris.get(0));
            eq(batch.getBatchId(), 7, "batch id");
            eq(batch.getEntries().size(), 1, "one account");
            MigrationAssembler assembler = new MigrationAssembler();
            assembler.add(uris.get(0));
            check(assembler.isComplete(), "complete");
            eq(assembler.finish().getEntries().size(), 1, "finish");
            check(Otp_core_uniffiKt.toMigrationUrisLossy(accounts, 7).getDropped().isEmpty(), "lossy export");
        });

        test("Verifier, Throttle and the decision types", () -> {
            Throttle throttle = new Throttle(1L, 900L);
            eq(throttle.retryAfter(1, 100L, 100L), 1L, "retryAfter");
            eq(throttle.retryAfterMillis(1, 100_000L, 100_500L), 500L, "retryAfterMillis");
            eq(OtpCoreJvm.retryAfterMillis(throttle, 1, Instant.ofEpochMilli(100_000), Instant.ofEpochMilli(100_500)), 500L,
                    "retryAfterMillis(Instant)");
            check(throttle.isAllowed(0, 0L, 0L), "isAllowed");
            eq(throttle.delay(2), 2L, "delay");
            Verifier verifier = new Verifier(null, null, null, null, throttle, false, null, null);
            eq(OtpCoreJvm.newVerifier().past(), 1, "newVerifier with the defaults");
            eq(OtpCoreJvm.newThrottle().cap(), 900L, "newThrottle with the defaults");
            Totp totp = new Totp(SECRET, null, 8, null, null, null, null, null, false);
            DeviceState device = OtpCoreJvm.deviceState();
            Decision decision = verifier.checkTotp(totp, "94287082", 59_000L, device, new AccountState(0));
            check(decision.getOutcome() instanceof Outcome.Accepted, "accepted");
            eq(((Outcome.Accepted) decision.getOutcome()).getStep(), 1L, "step");
            check(decision.getWrite() instanceof Write.Accept, "write: accept");
            eq(Otp_core_uniffiKt.outcomeKind(decision.getOutcome()), "accepted", "outcomeKind");
            Decision replay = OtpCoreJvm.checkTotp(verifier, totp, "94287082", Instant.ofEpochSecond(59),
                    new DeviceState(1L, 0L, 0, null), new AccountState(0));
            check(replay.getOutcome() instanceof Outcome.Replayed, "replayed");
            Hotp hotp = new Hotp(SECRET, null, null, 0L, null, null, null, false);
            check(verifier.checkHotp(hotp, "755224", 0L, device, new AccountState(0)).getOutcome() instanceof Outcome.Accepted,
                    "checkHotp");
            Steam steam = new Steam(SECRET, false);
            check(verifier.checkSteam(steam, steam.at(0L), 0L, device, new AccountState(0)).getOutcome() instanceof Outcome.Accepted,
                    "checkSteam");
            List<String> hashes = Otp_core_uniffiKt.hashBackupCodes(List.of("ABCDE-FGHJK"), 1000);
            Decision backup = OtpCoreJvm.checkBackupFuture(verifier, "ABCDE-FGHJK", hashes, 0L, device, new AccountState(0)).get();
            check(backup.getWrite() instanceof Write.Consume, "checkBackup as a future");
            eq(verifier.isLocked(new AccountState(100)), true, "isLocked");
            check(verifier.replayTtlSecs(30L) > 0, "replayTtlSecs");
            GuessBound bound = verifier.guessBound(6, 86_400L, 1L, 1);
            check(Otp_core_uniffiKt.guessProbability(bound) < 1.0, "guessProbability");
            eq(verifier.past() + verifier.future(), 2, "window");
            check(verifier.syncDrift(), "syncDrift");
            eq(verifier.lookAhead() >= 0, true, "lookAhead");
            check(verifier.accountMaxFailures() > 0 && verifier.clockDiagnosis() >= 0, "budget");
            try {
                verifier.checkTotp(totp, "94287082", -1L, device, new AccountState(0));
                throw new AssertionError("no exception");
            } catch (OtpException.TimeBeforeT0 e) {
                // A negative time.
            }
        });

        test("no public method or constructor of dev.otpcore has a name Java cannot call", () -> {
            String jar = args.length > 0 ? args[0] : "target/uniffi/otp-core.jar";
            List<String> mangled = new ArrayList<>();
            int classes = 0;
            try (JarFile file = new JarFile(new File(jar))) {
                for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    if (!name.startsWith("dev/otpcore/") || !name.endsWith(".class")) continue;
                    Class<?> c = Class.forName(name.replace('/', '.').replace(".class", ""), false,
                            JavaInterop.class.getClassLoader());
                    if (!Modifier.isPublic(c.getModifiers()) || plumbing(c)) continue;
                    classes++;
                    for (Method m : c.getDeclaredMethods()) {
                        if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && m.getName().contains("-")) {
                            mangled.add(c.getName() + "." + m.getName());
                        }
                    }
                    // A constructor that takes unsigned types is compiled with a
                    // DefaultConstructorMarker parameter: Java cannot call it.
                    boolean anyPublic = false;
                    boolean usable = false;
                    for (Constructor<?> k : c.getDeclaredConstructors()) {
                        if (!Modifier.isPublic(k.getModifiers())) continue;
                        anyPublic = true;
                        boolean marker = false;
                        for (Class<?> p : k.getParameterTypes()) {
                            marker |= p.getName().equals("kotlin.jvm.internal.DefaultConstructorMarker");
                        }
                        usable |= !k.isSynthetic() && !marker;
                    }
                    boolean instantiable = !Modifier.isAbstract(c.getModifiers()) && !c.getSimpleName().equals("Companion");
                    if (instantiable && anyPublic && !usable) mangled.add(c.getName() + ": no constructor Java can call");
                }
            }
            check(classes > 20, "the jar's public classes were found: " + classes);
            eq(mangled, List.of(), "mangled names");
        });

        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
