// Google Authenticator exports, the lenient import and the compatibility
// lint through the Kotlin binding: the runners of migration.json and
// uri_import.json (called from OtpCoreTest.kt's RUNNERS) and the API's own
// edges (Steam, t0, finish twice, threads, no secret in toString).

import dev.otpcore.CompatibilityFact
import dev.otpcore.Finding
import dev.otpcore.Hotp
import dev.otpcore.ImportedOtp
import dev.otpcore.MigrationAssembler
import dev.otpcore.MigrationEntry
import dev.otpcore.OtpException
import dev.otpcore.ParsedUri
import dev.otpcore.Severity
import dev.otpcore.Totp
import dev.otpcore.compatibilityTable
import dev.otpcore.importUri
import dev.otpcore.lintAccount
import dev.otpcore.lintUri
import dev.otpcore.parseMigrationUri
import dev.otpcore.parseUri
import dev.otpcore.toMigrationUris
import dev.otpcore.toMigrationUrisLossy
import java.math.BigInteger
import java.util.Base64
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/** Base32 (unpadded, upper case) of hex bytes, as the vectors name secrets. */
fun base32OfHex(hexText: String): String {
    val alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    val bytes = hex(hexText)
    val out = StringBuilder()
    var buffer = 0
    var bits = 0
    for (b in bytes) {
        buffer = (buffer shl 8) or (b.toInt() and 0xff)
        bits += 8
        while (bits >= 5) {
            out.append(alphabet[(buffer shr (bits - 5)) and 31])
            bits -= 5
        }
    }
    if (bits > 0) out.append(alphabet[(buffer shl (5 - bits)) and 31])
    return out.toString()
}

fun entryFields(e: MigrationEntry): Map<String, Any?> {
    val f = fields(e.otp).toMutableMap()
    f.remove("image")
    f["position"] = BigInteger.valueOf(e.position)
    f["findings"] = e.findings.map { it.code }
    return f
}

fun wantEntry(w: Map<String, Any?>): Map<String, Any?> {
    val f = w.toMutableMap()
    f["secret_base32"] = base32OfHex(w.str("secret_hex"))
    f.remove("secret_hex")
    return f
}

fun accountOf(a: Map<String, Any?>): ParsedUri = when (a.str("type")) {
    "totp" -> ParsedUri.TimeBased(
        Totp(base32OfHex(a.str("secret_hex")), algorithm = algorithm(a.str("algorithm")), digits = a.uint("digits"),
            period = a.ulong("period"), accountName = a.str("account"), issuer = a.optStr("issuer"), allowLegacySecret = true)
    )
    else -> ParsedUri.CounterBased(
        Hotp(base32OfHex(a.str("secret_hex")), algorithm = algorithm(a.str("algorithm")), digits = a.uint("digits"),
            counter = a.ulong("counter"), accountName = a.str("account"), issuer = a.optStr("issuer"), allowLegacySecret = true)
    )
}

fun uriOf(p: ParsedUri): String = when (p) {
    is ParsedUri.TimeBased -> p.totp.uri()
    is ParsedUri.CounterBased -> p.hotp.uri()
}

fun migrationVectors(file: Map<String, Any?>) {
    keys(file, "migration.json", "parse", "assemble", "export")
    cases(file, "parse", "migration.json") { c ->
        val expect = c["expect"].obj()
        if (expect.containsKey("error")) {
            expectError(expect.str("error"), "parseMigrationUri") { parseMigrationUri(c.str("uri")) }
            return@cases
        }
        val b = parseMigrationUri(c.str("uri"))
        eq(listOf(b.version, b.batchSize, b.batchIndex, b.batchId).map { BigInteger.valueOf(it.toLong()) },
            listOf("version", "batch_size", "batch_index", "batch_id").map { expect.int(it) }, "batch fields")
        eq(b.entries.size, expect["entries"].list().size, "entries")
        for ((got, want) in b.entries.zip(expect["entries"].list())) sameFields(entryFields(got), wantEntry(want.obj()), "entry")
        eq(b.skipped.map { Triple(it.position, it.name, codeOf(it.reason)) },
            expect["skipped"].list().map { s -> s.obj().let { Triple(it.long("position"), it.str("name"), it.str("reason")) } },
            "skipped")
    }
    cases(file, "assemble", "migration.json") { c ->
        val expect = c["expect"].obj()
        val assembler = MigrationAssembler()
        for ((i, uri) in c["uris"].list().withIndex()) {
            if (expect["at"] != null && expect.int("at").toInt() == i) {
                expectError(expect.str("error"), "add") { assembler.add(uri as String) }
                return@cases
            }
            assembler.add(uri as String)
        }
        if (expect.containsKey("error")) {
            eq(assembler.missing().map { BigInteger.valueOf(it.toLong()) }, expect["missing"].list(), "missing")
            check(!assembler.isComplete(), "not complete")
            expectError(expect.str("error"), "finish") { assembler.finish() }
            return@cases
        }
        check(assembler.isComplete(), "complete")
        val result = assembler.finish()
        eq(result.entries.map { fields(it.otp)["account"] }, expect["accounts"].list(), "accounts")
        eq(result.entries.map { BigInteger.valueOf(it.position) }, expect["positions"].list(), "positions")
        eq(result.skipped, emptyList(), "skipped")
    }
    cases(file, "export", "migration.json") { c ->
        val accounts = c["accounts"].list().map { accountOf(it.obj()) }
        val id = c.int("batch_id").intValueExact()
        val expect = c["expect"].obj()
        if (expect.containsKey("error")) {
            expectError(expect["error"].obj().str("code"), "toMigrationUris") { toMigrationUris(accounts, id) }
            val lossy = toMigrationUrisLossy(accounts, id)
            val want = c["lossy"].obj()
            same(lossy.uris, want["uris"].list(), "lossy uris")
            eq(lossy.dropped.map { it.index to codeOf(it.reason) },
                want["dropped"].list().map { d -> d.obj().let { it.long("index") to it.str("code") } }, "dropped")
            return@cases
        }
        val uris = toMigrationUris(accounts, id)
        same(uris, expect["uris"].list(), "uris")
        val back = MigrationAssembler()
        uris.forEach(back::add)
        same(back.finish().entries.map { uriOf(it.otp) }, accounts.map(::uriOf), "read back")
    }
}

fun importedFields(i: ImportedOtp): Map<String, Any?> = when (i) {
    is ImportedOtp.TimeBased -> fields(ParsedUri.TimeBased(i.totp))
    is ImportedOtp.CounterBased -> fields(ParsedUri.CounterBased(i.hotp))
    is ImportedOtp.SteamGuard -> linkedMapOf("type" to "steam", "account" to i.accountName, "issuer" to i.issuer)
}

fun uriImport(file: Map<String, Any?>) {
    keys(file, "uri_import.json", "cases")
    val table = compatibilityTable().map(CompatibilityFact::code).toSet()
    cases(file, "cases", "uri_import.json") { c ->
        val uri = c.str("uri")
        if (c.str("strict") == "ok") parseUri(uri) else expectError(c.str("strict"), "parseUri") { parseUri(uri) }
        val expect = c["expect"].obj()
        if (expect.containsKey("error")) {
            expectError(expect.str("error"), "importUri") { importUri(uri) }
            expectError(expect.str("error"), "lintUri") { lintUri(uri) }
            return@cases
        }
        val imported = importUri(uri)
        eq(imported.findings.map(Finding::code), expect["findings"].list(), "findings")
        val lint = lintUri(uri)
        eq(lint.map(Finding::code), expect["lint"].list(), "lint")
        lint.filter { it.source != null }.forEach { check(it.code in table, "${it.code} is in the table") }
        val got = importedFields(imported.otp)
        if (imported.otp is ImportedOtp.SteamGuard) {
            eq(got, linkedMapOf("type" to "steam", "account" to expect.str("account"), "issuer" to expect.optStr("issuer")), "steam")
            eq((imported.otp as ImportedOtp.SteamGuard).steam.at(0L).length, 5, "a Steam code")
            return@cases
        }
        val want = expect.filterKeys { it != "findings" && it != "lint" }
        sameFields(got, want, "imported fields")
        val account = when (val o = imported.otp) {
            is ImportedOtp.TimeBased -> ParsedUri.TimeBased(o.totp)
            is ImportedOtp.CounterBased -> ParsedUri.CounterBased(o.hotp)
            is ImportedOtp.SteamGuard -> fail("not reached")
        }
        lintAccount(account).forEach { f -> check(lint.any { it.code == f.code }, "${f.code} also in lintUri") }
    }
}

fun migrationApi() {
    val secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    case("migration: twelve accounts, two QR codes, any order, each once") {
        val accounts = (0 until 12).map { ParsedUri.TimeBased(Totp(secret, accountName = "user$it", issuer = "ACME")) }
        val uris = toMigrationUris(accounts)
        eq(uris.size, 2, "URIs")
        val ids = uris.map { parseMigrationUri(it).batchId }.toSet()
        check(ids.size == 1 && ids.first() >= 0, "one random, positive batch id")
        val assembler = MigrationAssembler()
        for (u in uris.reversed()) repeat(2) { assembler.add(u) }
        val result = assembler.finish()
        same(result.entries.map { uriOf(it.otp) }, accounts.map(::uriOf), "round trip")
        expectError("migration_incomplete", "finish twice") { assembler.finish() }
        expectError("migration_incomplete", "add after finish") { assembler.add(uris[0]) }
    }
    case("migration: what the format cannot carry") {
        val t0 = ParsedUri.TimeBased(Totp(secret, t0 = 30L, accountName = "a"))
        val sixty = ParsedUri.TimeBased(Totp(secret, period = 60L, accountName = "b"))
        expectError("invalid_t0", "t0") { toMigrationUris(listOf(t0)) }
        expectError("unexportable", "period") { toMigrationUris(listOf(sixty)) }
        val lossy = toMigrationUrisLossy(listOf(t0, ParsedUri.TimeBased(Totp(secret, accountName = "c")), sixty), 5)
        eq(lossy.dropped.map { it.index to codeOf(it.reason) }, listOf(0L to "invalid_t0", 2L to "unexportable"), "dropped")
        eq(lossy.uris.size, 1, "one URI")
        eq(toMigrationUris(emptyList()), emptyList(), "nothing to export")
    }
    case("migration: bad input is a typed error") {
        expectError("invalid_migration", "bad base64") { parseMigrationUri("otpauth-migration://offline?data=%%%") }
        expectError("input_too_long", "long") { parseMigrationUri("otpauth-migration://offline?data=" + "A".repeat(5000)) }
        expectError("invalid_migration", "random bytes") {
            parseMigrationUri("otpauth-migration://offline?data=" + Base64.getEncoder().encodeToString(ByteArray(40) { (it * 37).toByte() }))
        }
    }
    case("migration: no secret in toString") {
        val uri = toMigrationUris(listOf(ParsedUri.TimeBased(Totp(secret, accountName = "a"))), 1)[0]
        val text = parseMigrationUri(uri).toString() + importUri("steam://$secret").toString()
        check(!text.contains(secret) && !text.contains(secret.lowercase()), "no secret in toString")
    }
    case("migration: one assembler shared by 8 threads") {
        val accounts = (0 until 30).map { ParsedUri.TimeBased(Totp(secret, accountName = "user$it")) }
        val uris = toMigrationUris(accounts, 9)
        val assembler = MigrationAssembler()
        val pool = Executors.newFixedThreadPool(8)
        repeat(8) { t -> pool.submit { for (u in uris.shuffled(kotlin.random.Random(t))) assembler.add(u) } }
        pool.shutdown()
        check(pool.awaitTermination(60, TimeUnit.SECONDS), "threads finished")
        eq(assembler.finish().entries.map { fields(it.otp)["account"] }, (0 until 30).map { "user$it" }, "accounts")
    }
    case("lint: an account, and the table's sources") {
        val totp = ParsedUri.TimeBased(Totp(secret, digits = 8, period = 60L, accountName = "a"))
        eq(lintAccount(totp).map(Finding::code), listOf("digits_ignored", "period_ignored", "issuer_missing"), "codes")
        eq(lintAccount(totp).first().severity, Severity.WARNING, "severity")
        for (row in compatibilityTable()) check(row.source.startsWith("https://") && row.app.isNotEmpty(), "${row.code} has a source")
        try {
            importUri("otpauth://totp/Contoso:a?secret=$secret&issuer=Microsoft")
        } catch (e: OtpException) {
            fail("the lenient import refused a Microsoft-style URI")
        }
    }
}

/** The README's Google Authenticator example: its functions, and its block
 *  of statements (run with every other block) on a real two-QR export. */
fun readmeMigration() {
    val secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    val runAll = { for ((_, block) in readmeBlocks) block() }
    case("README: the published sample export moves in, its short secret flagged") {
        savedAccounts.clear()
        runAll()
        val moved = savedAccounts.single()
        eq(moved.issuer to moved.account, "Example" to "alice@google.com", "labels")
        check(moved.warnings.any { it.contains("112 bits") }, "the 80-bit secret is flagged: ${moved.warnings}")
    }
    case("README: a two-QR export scanned in reverse, moved out and in again") {
        val accounts = (0 until 11).map { ParsedUri.TimeBased(Totp(secret, accountName = "user$it", issuer = "ACME")) }
        scannedExportQrCodes = toMigrationUris(accounts).reversed()
        savedAccounts.clear()
        runAll()
        eq(savedAccounts.map { it.account }, (0 until 11).map { "user$it" }, "accounts")
        check(savedAccounts.all { it.warnings.isEmpty() }, "no warnings")
        val pngs = moveOut(savedAccounts.map { it.otp })
        eq(pngs.size, 2, "QR codes")
        val assembler = MigrationAssembler()
        val again = pngs.map(::zbarimg).mapNotNull { moveIn(assembler, it) }.single()
        same(again.map { uriOf(it.otp) }, accounts.map(::uriOf), "read back from the QR images")
        expectError("unexportable", "moveOut of a 60 s TOTP") { moveOut(listOf(ParsedUri.TimeBased(Totp(secret, period = 60L, accountName = "x")))) }
        scannedExportQrCodes = listOf("otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC")
    }
}
