// XCTest of the Swift binding: every case of every file in
// otp-core/tests/vectors/ (the same files the Rust, Python, Node and Kotlin
// tests read), plus the error paths, the rules taken from the core
// (clampDrift, maxTokenLen, raw tokens, throttling in milliseconds), sealed
// secrets (generateKey, rotation, SealFailed), the Verifier's policy (its
// bounds, the guess bound, the replay TTL) and objects shared between
// threads.
//
// Run on macOS after build-xcframework.sh: `cd bindings-uniffi/swift && swift test`.
// The vectors are found from this file's path, or from $OTP_CORE_VECTORS.
// The binding's integers are signed (Int64, Int32: see the README), so a
// case holding an integer above Int64.max (a counter or time near 2^64) is
// left out of its file before decoding, and counted (`beyondInt64`).
// JSONDecoder reads 64-bit integers exactly only on macOS 14 / iOS 17 and
// later: on older systems the vector tests throw XCTSkip (the library
// itself supports iOS 15 / macOS 12; see Package.swift).

import Foundation
import OtpCore
import XCTest

// MARK: - Vector schemas (see otp-core/tests/vectors/README.md)

struct CaseList<C: Decodable>: Decodable {
    let cases: [C]
}

/// Every shape an `expect` takes; absent keys are nil. (Not `Outcome`:
/// that is the binding's enum of a `Decision`.)
struct Expected: Decodable {
    var step: Int64?
    var offset: Int64?
    var counter: Int64?
    var index: Int32?
    var normalized: String?
    var hex: String?
    var retryAfter: Int64?
    var uri: String?
    var error: String?
}

struct HotpRfcCase: Decodable {
    let name, secretHex, algorithm, code: String
    let digits: Int32
    let counter, truncated: Int64
}

struct TotpRfcCase: Decodable {
    let name, secretHex, algorithm, code: String
    let digits: Int32
    let period, t0, time, step: Int64
}

struct TotpVerifyCase: Decodable {
    let name, secretHex, algorithm, code: String
    let digits, past, future: Int32
    let period, t0, time: Int64
    let drift: Int64
    let lastStep: Int64?
    let expect: Expected?
}

struct HotpVerifyCase: Decodable {
    let name, secretHex, algorithm, code: String
    let digits, lookAhead: Int32
    let counter: Int64
    let expect: Expected?
}

struct SteamCase: Decodable {
    let name, secretBase32, code: String
    let time: Int64
}

struct Base32File: Decodable {
    struct Decode: Decodable {
        let name, input, policy: String
        let expect: Expected
    }
    struct Encode: Decodable {
        let name, hex, base32: String
    }
    let decode: [Decode]
    let encode: [Encode]
}

struct BackupFile: Decodable {
    struct Normalize: Decodable {
        let name, input: String
        let expect: Expected
    }
    struct CodeSet: Decodable {
        let name, salt: String
        let iterations: Int32
        let codes, hashes: [String]
    }
    struct Verify: Decodable {
        let name, set, candidate: String
        let expect: Expected?
    }
    struct InvalidHash: Decodable {
        let name, hash, error: String
    }
    let normalize: [Normalize]
    let sets: [CodeSet]
    let verify: [Verify]
    let invalidHashes: [InvalidHash]
}

struct ThrottleCase: Decodable {
    let name: String
    let base, cap, lastFailureAt, now: Int64
    let failures: Int32
    let expect: Expected
}

/// The fields of an otpauth URI as the vectors write them (or an error).
struct UriFields: Decodable, Equatable {
    var type: String? = nil
    var secretBase32: String? = nil
    var algorithm: String? = nil
    var digits: Int32? = nil
    var period: Int64? = nil
    var counter: Int64? = nil
    var account: String? = nil
    var issuer: String? = nil
    var image: String? = nil
    var error: String? = nil
}

struct UriParseCase: Decodable {
    let name, uri: String
    let policy: String?
    let expect: UriFields
}

struct UriBuildCase: Decodable {
    let name: String
    let input: UriFields
    let expect: Expected
}

/// A case of decision.json (see its "description").
struct DecisionCase: Decodable {
    struct Policy: Decodable {
        struct Backoff: Decodable {
            let base, cap: Int64
        }
        let past, future, lookAhead, accountMaxFailures, clockDiagnosis: Int32
        let syncDrift: Bool
        let throttle: Backoff?
    }
    struct Device: Decodable {
        let lastStep, lastFailureAtMs: Int64?
        let drift: Int64
        let failures: Int32
    }
    struct Account: Decodable {
        let failures: Int32
    }
    /// An outcome or a write as the vectors write them: `kind` and its fields.
    struct Fields: Decodable {
        let kind: String
        var step: Int64?
        var offset: Int64?
        var clockOffset: Int64?
        var retryAfterMs: Int64?
        var drift: Int64?
        var failuresRead: Int32?
        var index: Int64?
        var atMs: Int64?
    }
    struct Expect: Decodable {
        var outcome: Fields?
        var write: Fields?
        var error: String?
    }
    let name, kind, token: String
    let policy: Policy
    let device: Device
    let account: Account
    let nowMs: Int64
    var secretHex: String?
    var algorithm: String?
    var digits: Int32?
    var period: Int64?
    var t0: Int64?
    var hashes: [String]?
    let expect: Expect
}

// MARK: - Helpers

/// otp-core's error code of an `OtpError`: its case name in snake_case
/// (`TimeBeforeT0` -> `time_before_t0`); nil for any other error.
func errorCode(_ error: Error) -> String? {
    guard let otpError = error as? OtpError, let name = Mirror(reflecting: otpError).children.first?.label else {
        return nil
    }
    var code = ""
    for (i, ch) in name.enumerated() {
        if ch.isUppercase && i > 0 { code += "_" }
        code += ch.lowercased()
    }
    return code
}

func hexData(_ hex: String) -> Data {
    var data = Data()
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        data.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return data
}

func algorithm(_ name: String) -> Algorithm {
    switch name {
    case "SHA1": return .sha1
    case "SHA256": return .sha256
    case "SHA512": return .sha512
    default:
        XCTFail("unknown algorithm \(name) in a vector")
        return .sha1
    }
}

func algorithmName(_ a: Algorithm) -> String {
    switch a {
    case .sha1: return "SHA1"
    case .sha256: return "SHA256"
    case .sha512: return "SHA512"
    }
}

/// The `secret=` parameter of a URI built by otp-core.
func secretParam(_ uri: String) -> String? {
    guard let range = uri.range(of: "?secret=") else { return nil }
    return String(uri[range.upperBound...].prefix { $0 != "&" })
}

func fields(_ parsed: ParsedUri) throws -> UriFields {
    switch parsed {
    case .timeBased(let totp):
        return UriFields(
            type: "totp", secretBase32: secretParam(try totp.uri()), algorithm: algorithmName(totp.algorithm()),
            digits: totp.digits(), period: totp.period(), account: totp.accountName(), issuer: totp.issuer(),
            image: totp.image())
    case .counterBased(let hotp):
        return UriFields(
            type: "hotp", secretBase32: secretParam(try hotp.uri()), algorithm: algorithmName(hotp.algorithm()),
            digits: hotp.digits(), counter: hotp.counter(), account: hotp.accountName(), issuer: hotp.issuer(),
            image: hotp.image())
    }
}

/// The canonical base32 of raw secret bytes (legacy lengths included), as
/// otp-core writes it in a URI: what `Keyring.open` returns.
func base32Of(_ bytes: Data) throws -> String? {
    secretParam(try Totp.fromBytes(secret: bytes, accountName: "a", allowLegacySecret: true).uri())
}

/// The Verifier of a decision.json policy.
func makeVerifier(_ p: DecisionCase.Policy) throws -> Verifier {
    let throttle: Throttle? = try p.throttle.map { try Throttle(base: $0.base, cap: $0.cap) }
    return try Verifier(
        past: p.past, future: p.future, syncDrift: p.syncDrift, lookAhead: p.lookAhead, throttle: throttle,
        noThrottle: throttle == nil, accountMaxFailures: p.accountMaxFailures, clockDiagnosis: p.clockDiagnosis)
}

/// The `Decision` a decision.json `expect` describes (nil for an unknown kind).
func expectedDecision(_ e: DecisionCase.Expect) -> Decision? {
    guard let o = e.outcome, let w = e.write else { return nil }
    let outcome: Outcome
    switch o.kind {
    case "accepted": outcome = Outcome.accepted(step: o.step ?? 0, offset: o.offset ?? 0)
    case "replayed": outcome = Outcome.replayed(step: o.step ?? 0)
    case "rejected": outcome = Outcome.rejected(clockOffset: o.clockOffset)
    case "throttled": outcome = Outcome.throttled(retryAfterMs: o.retryAfterMs ?? 0)
    case "locked": outcome = Outcome.locked
    default: return nil
    }
    let write: Write
    switch w.kind {
    case "nothing": write = Write.nothing
    case "accept": write = Write.accept(step: w.step ?? 0, drift: w.drift ?? 0, failuresRead: w.failuresRead ?? 0)
    case "consume": write = Write.consume(index: w.index ?? 0)
    case "failure": write = Write.failure(atMs: w.atMs ?? 0)
    default: return nil
    }
    return Decision(outcome: outcome, write: write)
}

/// Asserts that `block` throws the `OtpError` case of `code`.
func expectError(_ code: String, _ what: String, _ block: () throws -> Void) {
    do {
        try block()
        XCTFail("\(what): expected \(code), got a result")
    } catch {
        XCTAssertEqual(errorCode(error), code, what)
    }
}

// MARK: - Tests

final class VectorTests: XCTestCase {
    static let knownFiles: Set<String> = [
        "hotp_rfc4226.json", "totp_rfc6238.json", "totp_verify.json", "hotp_verify.json", "steam.json",
        "base32.json", "backup_codes.json", "throttle.json", "uri_parse.json", "uri_build.json", "seal.json",
        "decision.json",
    ]

    static var vectorsDir: URL {
        if let dir = ProcessInfo.processInfo.environment["OTP_CORE_VECTORS"] {
            return URL(fileURLWithPath: dir)
        }
        // <root>/bindings-uniffi/swift/Tests/OtpCoreTests/VectorTests.swift
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("otp-core/tests/vectors")
    }

    /// Skips the calling test below macOS 14 / iOS 17, where JSONDecoder
    /// does not decode the vectors' integers up to 2^64-1 exactly.
    static func requireExactJSONIntegers() throws {
        if #available(macOS 14, iOS 17, tvOS 17, watchOS 10, *) { return }
        throw XCTSkip("the vectors need macOS 14 / iOS 17 or later, whose JSONDecoder decodes 64-bit integers exactly")
    }

    /// Cases left out because they hold an integer above Int64.max.
    static var beyondInt64 = 0

    /// Whether a JSON value holds an integer above Int64.max anywhere.
    static func holdsBeyondInt64(_ value: Any) -> Bool {
        switch value {
        case let n as NSNumber:
            return CFGetTypeID(n) != CFBooleanGetTypeID() && n.compare(NSNumber(value: Int64.max)) == .orderedDescending
        case let a as [Any]:
            return a.contains(where: holdsBeyondInt64)
        case let d as [String: Any]:
            return d.values.contains(where: holdsBeyondInt64)
        default:
            return false
        }
    }

    /// Decodes a vector file, after checking that its top-level keys are
    /// exactly the lists this test runs, without the cases that hold an
    /// integer above Int64.max (counted in `beyondInt64`).
    func load<T: Decodable>(_ file: String, lists: Set<String>, as type: T.Type) throws -> T {
        try Self.requireExactJSONIntegers()
        let data = try Data(contentsOf: Self.vectorsDir.appendingPathComponent(file))
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(object.keys), lists.union(["description", "source"]), "\(file): top-level keys")
        for list in lists {
            guard let cases = object[list] as? [Any] else { continue }
            let kept = cases.filter { !Self.holdsBeyondInt64($0) }
            Self.beyondInt64 += cases.count - kept.count
            object[list] = kept
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: try JSONSerialization.data(withJSONObject: object))
    }

    func testEveryVectorFileIsKnown() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.vectorsDir.path)
            .filter { $0.hasSuffix(".json") }
        XCTAssertEqual(Set(names), Self.knownFiles, "a vector file this test does not run, or a missing one")
    }

    func testHotpRfc4226() throws {
        let file = try load("hotp_rfc4226.json", lists: ["cases"], as: CaseList<HotpRfcCase>.self)
        XCTAssertFalse(file.cases.isEmpty)
        for c in file.cases {
            let hotp = try Hotp.fromBytes(secret: hexData(c.secretHex), algorithm: algorithm(c.algorithm), digits: c.digits)
            XCTAssertEqual(hotp.at(counter: c.counter), c.code, c.name)
            let ten = try Hotp.fromBytes(secret: hexData(c.secretHex), algorithm: algorithm(c.algorithm), digits: 10)
            XCTAssertEqual(Int64(ten.at(counter: c.counter)), c.truncated, c.name)
        }
    }

    func testTotpRfc6238() throws {
        let file = try load("totp_rfc6238.json", lists: ["cases"], as: CaseList<TotpRfcCase>.self)
        XCTAssertFalse(file.cases.isEmpty)
        for c in file.cases {
            let totp = try Totp.fromBytes(
                secret: hexData(c.secretHex), algorithm: algorithm(c.algorithm), digits: c.digits, period: c.period,
                t0: c.t0)
            XCTAssertEqual(try totp.at(time: c.time), c.code, c.name)
            XCTAssertEqual(try totp.step(time: c.time), c.step, c.name)
            XCTAssertEqual(totp.atStep(step: c.step), c.code, c.name)
            XCTAssertEqual(
                try totp.verify(code: c.code, time: c.time, past: 0, future: 0), Match(step: c.step, offset: 0), c.name)
        }
    }

    func testTotpVerify() throws {
        let file = try load("totp_verify.json", lists: ["cases"], as: CaseList<TotpVerifyCase>.self)
        XCTAssertFalse(file.cases.isEmpty)
        for c in file.cases {
            let totp = try Totp.fromBytes(
                secret: hexData(c.secretHex), algorithm: algorithm(c.algorithm), digits: c.digits, period: c.period,
                t0: c.t0)
            let verify = {
                try totp.verify(
                    code: c.code, time: c.time, past: c.past, future: c.future, drift: c.drift, lastStep: c.lastStep)
            }
            if let error = c.expect?.error {
                expectError(error, c.name) { _ = try verify() }
            } else if let expect = c.expect {
                XCTAssertEqual(try verify(), Match(step: expect.step!, offset: expect.offset!), c.name)
            } else {
                XCTAssertNil(try verify(), c.name)
            }
        }
    }

    func testHotpVerify() throws {
        let file = try load("hotp_verify.json", lists: ["cases"], as: CaseList<HotpVerifyCase>.self)
        XCTAssertFalse(file.cases.isEmpty)
        for c in file.cases {
            let hotp = try Hotp.fromBytes(secret: hexData(c.secretHex), algorithm: algorithm(c.algorithm), digits: c.digits)
            let verify = { try hotp.verify(code: c.code, counter: c.counter, lookAhead: c.lookAhead) }
            if let error = c.expect?.error {
                expectError(error, c.name) { _ = try verify() }
            } else {
                XCTAssertEqual(try verify(), c.expect?.counter, c.name)
            }
        }
    }

    func testSteam() throws {
        let file = try load("steam.json", lists: ["cases"], as: CaseList<SteamCase>.self)
        XCTAssertFalse(file.cases.isEmpty)
        for c in file.cases {
            let steam = try Steam(secret: c.secretBase32)
            XCTAssertEqual(steam.at(time: c.time), c.code, c.name)
            XCTAssertEqual(
                try steam.verify(code: c.code, time: c.time, past: 0, future: 0), Match(step: c.time / 30, offset: 0),
                c.name)
            XCTAssertNil(try steam.verify(code: c.code.lowercased(), time: c.time), "\(c.name): lower case is not accepted")
        }
    }

    func testBase32() throws {
        let file = try load("base32.json", lists: ["decode", "encode"], as: Base32File.self)
        XCTAssertFalse(file.decode.isEmpty)
        for c in file.decode {
            let legacy = c.policy == "allow_legacy"
            XCTAssertTrue(legacy || c.policy == "standard", c.name)
            if let error = c.expect.error {
                expectError(error, c.name) { _ = try Totp(secret: c.input, allowLegacySecret: legacy) }
                expectError(error, c.name) { _ = try Hotp(secret: c.input, allowLegacySecret: legacy) }
                expectError(error, c.name) { _ = try Steam(secret: c.input, allowLegacySecret: legacy) }
            } else {
                let fromText = try Totp(secret: c.input, accountName: "a", allowLegacySecret: legacy)
                let fromBytes = try Totp.fromBytes(
                    secret: hexData(c.expect.hex!), accountName: "a", allowLegacySecret: true)
                XCTAssertEqual(secretParam(try fromText.uri()), secretParam(try fromBytes.uri()), c.name)
                XCTAssertEqual(try fromText.at(time: 59), try fromBytes.at(time: 59), c.name)
            }
        }
        for c in file.encode {
            let bytes = hexData(c.hex)
            if bytes.count < 10 {
                expectError("secret_too_short", c.name) { _ = try Totp.fromBytes(secret: bytes, allowLegacySecret: true) }
            } else {
                let totp = try Totp.fromBytes(secret: bytes, accountName: "a", allowLegacySecret: true)
                XCTAssertEqual(secretParam(try totp.uri()), c.base32, c.name)
            }
        }
    }

    func testBackupCodes() throws {
        let file = try load(
            "backup_codes.json", lists: ["normalize", "sets", "verify", "invalid_hashes"], as: BackupFile.self)
        for c in file.normalize {
            if let error = c.expect.error {
                expectError(error, c.name) { _ = try normalizeBackupCode(code: c.input) }
            } else {
                XCTAssertEqual(try normalizeBackupCode(code: c.input), c.expect.normalized, c.name)
            }
        }
        var sets: [String: [String]] = [:]
        for s in file.sets {
            sets[s.name] = s.hashes
            XCTAssertEqual(s.codes.count, s.hashes.count, "\(s.name): one hash per code")
            for h in s.hashes {
                XCTAssertTrue(h.hasPrefix("pbkdf2_sha256$\(s.iterations)$\(s.salt)$"), "\(s.name): hash format")
                XCTAssertNoThrow(try checkBackupHash(hash: h), s.name)
            }
            // Hashing the same codes again uses a fresh salt, and verifies the same.
            let fresh = try hashBackupCodes(codes: s.codes, iterations: s.iterations)
            XCTAssertEqual(fresh.count, s.codes.count, s.name)
            XCTAssertTrue(Set(fresh).isDisjoint(with: s.hashes), "\(s.name): a fresh salt gives new hashes")
            for (i, code) in s.codes.enumerated() {
                XCTAssertEqual(try verifyBackupCode(candidate: code, hashes: s.hashes), Int32(i), s.name)
                XCTAssertEqual(try verifyBackupCode(candidate: code.lowercased(), hashes: fresh), Int32(i), s.name)
            }
        }
        for c in file.verify {
            let hashes = try XCTUnwrap(sets[c.set], c.name)
            XCTAssertEqual(try verifyBackupCode(candidate: c.candidate, hashes: hashes), c.expect?.index, c.name)
        }
        let someCode = try XCTUnwrap(file.sets.first?.codes.first)
        for c in file.invalidHashes {
            expectError(c.error, c.name) { _ = try verifyBackupCode(candidate: someCode, hashes: [c.hash]) }
            expectError(c.error, c.name) { _ = try verifyBackupCode(candidate: "not a code", hashes: [c.hash]) }
            expectError(c.error, c.name) { try checkBackupHash(hash: c.hash) }
            expectError(c.error, c.name) { _ = try verifyRawToken(candidate: someCode, hashes: [c.hash]) }
        }
    }

    func testThrottle() throws {
        let file = try load("throttle.json", lists: ["cases"], as: CaseList<ThrottleCase>.self)
        XCTAssertFalse(file.cases.isEmpty)
        for c in file.cases {
            if let error = c.expect.error {
                expectError(error, c.name) { _ = try Throttle(base: c.base, cap: c.cap) }
            } else {
                let t = try Throttle(base: c.base, cap: c.cap)
                let wait = t.retryAfter(failures: c.failures, lastFailureAt: c.lastFailureAt, now: c.now)
                XCTAssertEqual(wait, c.expect.retryAfter, c.name)
                XCTAssertEqual(
                    t.isAllowed(failures: c.failures, lastFailureAt: c.lastFailureAt, now: c.now), wait == 0, c.name)
                // The same times in milliseconds, where they fit: the same wait.
                if c.lastFailureAt <= Int64.max / 1000 && c.now <= Int64.max / 1000 {
                    let lastMs = c.lastFailureAt * 1000, nowMs = c.now * 1000
                    XCTAssertEqual(
                        t.retryAfterMillis(failures: c.failures, lastFailureAtMs: lastMs, nowMs: nowMs), wait * 1000, c.name)
                    XCTAssertEqual(
                        t.retryAfterSecsCeil(failures: c.failures, lastFailureAtMs: lastMs, nowMs: nowMs), wait, c.name)
                }
            }
        }
    }

    func testUriParse() throws {
        let file = try load("uri_parse.json", lists: ["cases"], as: CaseList<UriParseCase>.self)
        XCTAssertFalse(file.cases.isEmpty)
        for c in file.cases {
            let legacy = c.policy == "allow_legacy"
            if let error = c.expect.error {
                expectError(error, c.name) { _ = try parseUri(uri: c.uri, allowLegacySecret: legacy) }
            } else {
                XCTAssertEqual(try fields(try parseUri(uri: c.uri, allowLegacySecret: legacy)), c.expect, c.name)
            }
        }
    }

    func testUriBuild() throws {
        let file = try load("uri_build.json", lists: ["cases"], as: CaseList<UriBuildCase>.self)
        XCTAssertFalse(file.cases.isEmpty)
        for c in file.cases {
            let i = c.input
            let build: () throws -> String = {
                if i.type == "hotp" {
                    return try Hotp(
                        secret: i.secretBase32!, algorithm: algorithm(i.algorithm!), digits: i.digits!,
                        counter: i.counter!, accountName: i.account, issuer: i.issuer, image: i.image,
                        allowLegacySecret: true
                    ).uri()
                }
                return try Totp(
                    secret: i.secretBase32!, algorithm: algorithm(i.algorithm!), digits: i.digits!, period: i.period!,
                    accountName: i.account, issuer: i.issuer, image: i.image, allowLegacySecret: true
                ).uri()
            }
            if let error = c.expect.error {
                expectError(error, c.name) { _ = try build() }
            } else {
                let uri = try build()
                XCTAssertEqual(uri, c.expect.uri, c.name)
                XCTAssertEqual(try fields(try parseUri(uri: uri, allowLegacySecret: true)), i, c.name)
            }
        }
    }

    /// seal.json, read with JSONSerialization: its key ids (`old.key_1`) are
    /// dictionary keys, which `convertFromSnakeCase` would rewrite.
    func testSeal() throws {
        let data = try Data(contentsOf: Self.vectorsDir.appendingPathComponent("seal.json"))
        let file = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(
            Set(file.keys), ["description", "source", "keys", "seal", "open", "needs_rewrap", "keyrings"], "top-level keys")
        let keys = try XCTUnwrap(file["keys"] as? [String: String])
        let list = { (name: String) throws -> [[String: Any]] in
            let cases = try XCTUnwrap(file[name] as? [[String: Any]], name)
            XCTAssertFalse(cases.isEmpty, name)
            return cases
        }
        for c in try list("seal") {
            let name = try XCTUnwrap(c["name"] as? String)
            let primary = try XCTUnwrap(c["primary"] as? String)
            let ring = try Keyring(keys: keys, primary: primary)
            let context = hexData(try XCTUnwrap(c["context_hex"] as? String))
            let secret = try XCTUnwrap(try base32Of(hexData(try XCTUnwrap(c["secret_hex"] as? String))))
            let envelope = try XCTUnwrap(c["envelope"] as? String)
            XCTAssertEqual(try ring.open(envelope: envelope, context: context), secret, name)
            let sealed = try ring.seal(secretBase32: secret, context: context)
            XCTAssertTrue(sealed.hasPrefix("otpseal:1:\(primary):"), name)
            XCTAssertEqual(sealed.count, envelope.count, name)
            XCTAssertNotEqual(sealed, envelope, "\(name): a fresh nonce")
            XCTAssertEqual(try ring.open(envelope: sealed, context: context), secret, name)
        }
        for c in try list("open") {
            let name = try XCTUnwrap(c["name"] as? String)
            let ring: Keyring
            if let ids = c["keys"] as? [String] {
                ring = try Keyring(keys: keys.filter { ids.contains($0.key) }, primary: try XCTUnwrap(ids.first))
            } else {
                ring = try Keyring(keys: keys, primary: "2026-12")
            }
            let envelope = try XCTUnwrap(c["envelope"] as? String)
            let context = hexData(try XCTUnwrap(c["context_hex"] as? String))
            let expect = try XCTUnwrap(c["expect"] as? [String: Any])
            if let error = expect["error"] as? String {
                expectError(error, name) { _ = try ring.open(envelope: envelope, context: context) }
            } else {
                let secret = try base32Of(hexData(try XCTUnwrap(expect["secret_hex"] as? String)))
                XCTAssertEqual(try ring.open(envelope: envelope, context: context), secret, name)
            }
        }
        let ring = try Keyring(keys: keys, primary: "2026-12")
        for c in try list("needs_rewrap") {
            let name = try XCTUnwrap(c["name"] as? String)
            let envelope = try XCTUnwrap(c["envelope"] as? String)
            if let error = (c["expect"] as? [String: Any])?["error"] as? String {
                expectError(error, name) { _ = try ring.needsRewrap(envelope: envelope) }
            } else {
                XCTAssertEqual(try ring.needsRewrap(envelope: envelope), try XCTUnwrap(c["expect"] as? Bool), name)
            }
        }
        for c in try list("keyrings") {
            let name = try XCTUnwrap(c["name"] as? String)
            let caseKeys = try XCTUnwrap(c["keys"] as? [String: String])
            let primary = try XCTUnwrap(c["primary"] as? String)
            if let error = (c["expect"] as? [String: Any])?["error"] as? String {
                expectError(error, name) { _ = try Keyring(keys: caseKeys, primary: primary) }
            } else {
                XCTAssertEqual(c["expect"] as? String, "ok", name)
                let made = try Keyring(keys: caseKeys, primary: primary)
                XCTAssertEqual(made.primary(), primary, name)
                XCTAssertEqual(made.keyIds(), caseKeys.keys.sorted(), name)
            }
        }
    }

    func testDecision() throws {
        let file = try load("decision.json", lists: ["cases"], as: CaseList<DecisionCase>.self)
        XCTAssertFalse(file.cases.isEmpty)
        for c in file.cases {
            let verifier: Verifier = try makeVerifier(c.policy)
            XCTAssertEqual(verifier.accountMaxFailures(), c.policy.accountMaxFailures, c.name)
            let device = DeviceState(
                lastStep: c.device.lastStep, drift: c.device.drift, failures: c.device.failures,
                lastFailureAtMs: c.device.lastFailureAtMs)
            let account = AccountState(failures: c.account.failures)
            let decide: () throws -> Decision
            switch c.kind {
            case "totp":
                let totp = try Totp.fromBytes(
                    secret: hexData(try XCTUnwrap(c.secretHex)), algorithm: algorithm(try XCTUnwrap(c.algorithm)),
                    digits: try XCTUnwrap(c.digits), period: try XCTUnwrap(c.period), t0: try XCTUnwrap(c.t0))
                decide = { try verifier.checkTotp(totp: totp, code: c.token, nowMs: c.nowMs, device: device, account: account) }
            case "hotp":
                let hotp = try Hotp.fromBytes(
                    secret: hexData(try XCTUnwrap(c.secretHex)), algorithm: algorithm(try XCTUnwrap(c.algorithm)),
                    digits: try XCTUnwrap(c.digits))
                decide = { verifier.checkHotp(hotp: hotp, code: c.token, nowMs: c.nowMs, device: device, account: account) }
            case "backup":
                let hashes = try XCTUnwrap(c.hashes)
                decide = {
                    try verifier.checkBackup(code: c.token, hashes: hashes, nowMs: c.nowMs, device: device, account: account)
                }
            default:
                XCTFail("\(c.name): unknown kind \(c.kind)")
                continue
            }
            if let error = c.expect.error {
                expectError(error, c.name) { _ = try decide() }
            } else {
                let expected = try XCTUnwrap(expectedDecision(c.expect), c.name)
                let got = try decide()
                XCTAssertEqual(got, expected, c.name)
                XCTAssertEqual(outcomeKind(outcome: got.outcome), c.expect.outcome?.kind, c.name)
            }
        }
    }

    func testSealedSecrets() throws {
        let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        let context = Data("myapp/totp/device:42".utf8)
        let key = try generateKey()
        XCTAssertEqual(key.count, 43)
        XCTAssertNotEqual(try generateKey(), key)
        let ring = try Keyring(keys: ["k1": key], primary: "k1")
        let envelope = try ring.seal(secretBase32: secret, context: context)
        XCTAssertTrue(envelope.hasPrefix("otpseal:1:k1:"))
        XCTAssertEqual(try ring.open(envelope: envelope, context: context), secret)
        XCTAssertFalse(try ring.needsRewrap(envelope: envelope))
        // A wrong context, a wrong key: the same error.
        expectError("seal_failed", "another row's context") {
            _ = try ring.open(envelope: envelope, context: Data("myapp/totp/device:43".utf8))
        }
        let impostor = try Keyring(keys: ["k1": try generateKey()], primary: "k1")
        expectError("seal_failed", "another key under the same id") {
            _ = try impostor.open(envelope: envelope, context: context)
        }
        expectError("secret_too_short", "an 80-bit secret") {
            _ = try ring.seal(secretBase32: "JBSWY3DPEHPK3PXP", context: context)
        }
        // Rotation: a new primary, rewrap what needsRewrap names, drop the old key.
        let newKey = try generateKey()
        let during = try Keyring(keys: ["k1": key, "k2": newKey], primary: "k2")
        XCTAssertEqual(during.keyIds(), ["k1", "k2"])
        XCTAssertTrue(try during.needsRewrap(envelope: envelope))
        let rewrapped = try during.rewrap(envelope: envelope, context: context)
        XCTAssertTrue(rewrapped.hasPrefix("otpseal:1:k2:"))
        XCTAssertFalse(try during.needsRewrap(envelope: rewrapped))
        let after = try Keyring(keys: ["k2": newKey], primary: "k2")
        XCTAssertEqual(try after.open(envelope: rewrapped, context: context), secret)
        expectError("unknown_key", "the old envelope without its key") {
            _ = try after.open(envelope: envelope, context: context)
        }
        // The description names the key ids, never a key.
        let shown = String(reflecting: during)
        XCTAssertTrue(shown.contains("k1") && shown.contains("k2"))
        XCTAssertFalse(shown.contains(key) || shown.contains(newKey))
        XCTAssertFalse(during.debugDescription.contains(String(key.prefix(8))))
    }

    func testVerifierPolicy() throws {
        let verifier = try Verifier()
        XCTAssertEqual(verifier.past(), 1)
        XCTAssertEqual(verifier.future(), 1)
        XCTAssertTrue(verifier.syncDrift())
        XCTAssertEqual(verifier.lookAhead(), 10)
        XCTAssertEqual(verifier.throttle()?.cap(), 900)
        XCTAssertEqual(verifier.accountMaxFailures(), 10)
        XCTAssertEqual(verifier.clockDiagnosis(), 0)
        XCTAssertNil(try Verifier(noThrottle: true).throttle())
        expectError("invalid_window", "past 11") { _ = try Verifier(past: 11) }
        expectError("invalid_window", "lookAhead 101") { _ = try Verifier(lookAhead: 101) }
        expectError("invalid_policy", "accountMaxFailures 0") { _ = try Verifier(accountMaxFailures: 0) }
        expectError("invalid_policy", "accountMaxFailures 101") { _ = try Verifier(accountMaxFailures: 101) }
        expectError("invalid_policy", "clockDiagnosis 121") { _ = try Verifier(clockDiagnosis: 121) }
        expectError("invalid_throttle", "a throttle and noThrottle") {
            _ = try Verifier(throttle: try Throttle(), noThrottle: true)
        }
        // The brute-force bound at the defaults: 20 guesses a day, 3660 a year.
        let day = verifier.guessBound(digits: 6, secs: 86_400, resets: 1, devices: 1)
        XCTAssertEqual(day, GuessBound(guesses: 20, acceptedPerGuess: 3, codes: 1_000_000))
        XCTAssertEqual(guessProbability(bound: day), 6.0e-5, accuracy: 1e-12)
        let year = verifier.guessBound(digits: 6, secs: 365 * 86_400, resets: 365, devices: 1)
        XCTAssertEqual(year.guesses, 3660)
        XCTAssertEqual(verifier.replayTtlSecs(period: 30), 630)
        XCTAssertEqual(try Verifier(syncDrift: false).replayTtlSecs(period: 30), 90)
        // One sign-in: accepted, then the same code is a replay.
        let totp = try Totp(secret: try generateSecret())
        let nowMs: Int64 = 1_700_000_000_123
        let code = try totp.at(time: nowMs / 1000)
        let first = try verifier.checkTotp(
            totp: totp, code: code, nowMs: nowMs, device: DeviceState(), account: AccountState())
        XCTAssertEqual(outcomeKind(outcome: first.outcome), "accepted")
        guard case .accept(let step, _, let failuresRead) = first.write else {
            return XCTFail("expected Write.accept, got \(first.write)")
        }
        XCTAssertEqual(failuresRead, 0)
        let again = try verifier.checkTotp(
            totp: totp, code: code, nowMs: nowMs, device: DeviceState(lastStep: step), account: AccountState())
        XCTAssertEqual(again.outcome, Outcome.replayed(step: step))
        XCTAssertEqual(again.write, Write.failure(atMs: nowMs))
        let locked = try verifier.checkTotp(
            totp: totp, code: code, nowMs: nowMs, device: DeviceState(), account: AccountState(failures: 10))
        XCTAssertEqual(locked, Decision(outcome: .locked, write: .nothing))
        let steam = try Steam(secret: try generateSecret())
        let steamCode = steam.at(time: nowMs / 1000)
        XCTAssertEqual(
            outcomeKind(
                outcome: try verifier.checkSteam(
                    steam: steam, code: steamCode, nowMs: nowMs, device: DeviceState(), account: AccountState()
                ).outcome), "accepted")
    }

    func testErrorCodes() throws {
        let codes = errorCodes()
        XCTAssertGreaterThanOrEqual(codes.count, 25)
        XCTAssertTrue(codes.contains("invalid_t0"))
        expectError("invalid_secret", "Totp") { _ = try Totp(secret: "") }
        expectError("time_before_t0", "at") { _ = try Totp(secret: try generateSecret(), t0: 100).at(time: 99) }
        XCTAssertTrue(codes.contains("time_before_t0"))
    }

    func testErrorPaths() throws {
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        let totp = try Totp(secret: secret, accountName: "a")
        expectError("invalid_window", "verifyNow past 11") { _ = try totp.verifyNow(code: "123456", past: 11) }
        expectError("invalid_drift", "verifyNow drift 11") { _ = try totp.verifyNow(code: "123456", drift: 11) }
        let future = try Totp(secret: secret, t0: Int64.max)
        XCTAssertEqual(future.t0(), Int64.max)
        XCTAssertEqual(totp.t0(), 0)
        expectError("time_before_t0", "now before t0") { _ = try future.now() }
        expectError("time_before_t0", "secondsRemainingNow before t0") { _ = try future.secondsRemainingNow() }
        expectError("time_before_t0", "verifyNow before t0") { _ = try future.verifyNow(code: "123456") }
        // An otpauth URI cannot carry t0: an app would compute other codes.
        expectError("invalid_t0", "uri of a TOTP with t0") { _ = try Totp(secret: secret, t0: 1, accountName: "a").uri() }
        expectError("invalid_t0", "uri of a TOTP with t0, before the labels") { _ = try future.uri() }
        XCTAssertTrue(try Totp(secret: secret, t0: 0, accountName: "a").uri().hasPrefix("otpauth://totp/a?"))
        expectError("invalid_label", "Hotp.uri without an account") { _ = try Hotp(secret: secret).uri() }
        expectError("invalid_uri", "Hotp.uri with an empty image") {
            _ = try Hotp(secret: secret, accountName: "a", image: "").uri()
        }
        expectError("invalid_label", "Hotp.uri with a colon in the issuer") {
            _ = try Hotp(secret: secret, accountName: "a", issuer: "A:B").uri()
        }
        expectError("secret_too_short", "Steam.fromBytes 13 bytes") { _ = try Steam.fromBytes(secret: Data(count: 13)) }
        XCTAssertEqual(try Steam.fromBytes(secret: Data(count: 14)).at(time: 0).count, 5, "14 bytes: 112 bits")
        expectError("secret_too_short", "Steam.fromBytes 9 bytes, legacy") {
            _ = try Steam.fromBytes(secret: Data(count: 9), allowLegacySecret: true)
        }
        let steam = try Steam(secret: secret)
        expectError("invalid_window", "Steam.verify past 11") { _ = try steam.verify(code: "ABCDE", time: 0, past: 11) }
        expectError("invalid_backup_params", "101 backup codes") { _ = try generateBackupCodes(count: 101) }
        XCTAssertEqual(try generateBackupCodes(count: 100).count, 100)
    }

    func testCoreRules() throws {
        let drifts: [(stored: Int64, read: Int64)] = [(0, 0), (11, 10), (-11, -10), (.max, 10), (.min, -10)]
        for d in drifts {
            XCTAssertEqual(clampDrift(drift: d.stored), d.read)
        }
        let totp = try Totp(secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        expectError("invalid_drift", "an unclamped drift") { _ = try totp.verify(code: "123456", time: 0, drift: 11) }
        let code = try totp.at(time: 300)
        XCTAssertEqual(
            try totp.verify(code: code, time: 0, drift: clampDrift(drift: 1000)), Match(step: 10, offset: 10))

        let max = Int(maxTokenLen())
        XCTAssertEqual(max, 64)
        let atBound = String(repeating: "é", count: max / 2)  // max UTF-8 bytes
        let bound = try hashRawTokens(tokens: [atBound], iterations: 1000)
        XCTAssertEqual(try verifyRawToken(candidate: atBound, hashes: bound), 0)
        expectError("invalid_backup_code", "a token one byte over") {
            _ = try hashRawTokens(tokens: [String(repeating: "a", count: max + 1)], iterations: 1000)
        }

        let tokens = ["alpha-1", "Bravo 2", "charlie3"]
        let hashes = try hashRawTokens(tokens: tokens, iterations: 1000)
        for (i, token) in tokens.enumerated() {
            XCTAssertEqual(try verifyRawToken(candidate: token, hashes: hashes), Int32(i))
            XCTAssertNoThrow(try checkBackupHash(hash: hashes[i]))
        }
        XCTAssertNil(try verifyRawToken(candidate: "ALPHA-1", hashes: hashes))
        XCTAssertNil(try verifyRawToken(candidate: "bravo2", hashes: hashes))
        let more = try hashRawTokens(tokens: ["delta"], iterations: 1500)
        XCTAssertEqual(try verifyRawToken(candidate: "delta", hashes: hashes + more), 3)
        expectError("invalid_backup_code", "an empty token") { _ = try hashRawTokens(tokens: [""], iterations: 1000) }
        expectError("invalid_backup_hash", "md5") { try checkBackupHash(hash: "md5$1$salt$x") }

        let throttle = try Throttle()
        XCTAssertEqual(throttle.retryAfterMillis(failures: 1, lastFailureAtMs: 10_999, nowMs: 11_000), 999)
        XCTAssertEqual(throttle.retryAfterSecsCeil(failures: 1, lastFailureAtMs: 10_999, nowMs: 11_000), 1)
        XCTAssertEqual(throttle.retryAfterSecsCeil(failures: 2, lastFailureAtMs: 10_000, nowMs: 10_001), 2)
        XCTAssertEqual(throttle.retryAfterSecsCeil(failures: 40, lastFailureAtMs: 0, nowMs: 0), 900)
    }

    func testSharedBetweenThreads() throws {
        let totp = try Totp.fromBytes(secret: Data("12345678901234567890".utf8), digits: 8)
        let rfc: [(Int64, String)] = [(59, "94287082"), (1_111_111_109, "07081804"), (1_234_567_890, "89005924")]
        let lock = NSLock()
        var wrong = 0
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<200 {
                let (time, code) = rfc[(i + worker) % rfc.count]
                let ok = (try? totp.at(time: time)) == code
                    && (try? totp.verify(code: code, time: time, past: 0, future: 0))?.step == time / 30
                if !ok {
                    lock.lock()
                    wrong += 1
                    lock.unlock()
                }
            }
        }
        XCTAssertEqual(wrong, 0)
    }

    func testDescriptionHidesTheSecret() throws {
        let totp = try Totp(secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", accountName: "alice", issuer: "ACME")
        XCTAssertFalse(String(reflecting: totp).contains("JBSWY3DP"))
        XCTAssertFalse(totp.debugDescription.contains("JBSWY3DP"))
    }

    /// OtpCoreSwift.swift: `Date` overloads equal to the seconds and
    /// milliseconds they stand for, and each error's lower-camel-case cause.
    func testDateOverloadsAndErrorCodes() throws {
        let totp = try Totp(secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", digits: 8)
        XCTAssertEqual(try totp.at(date: Date(timeIntervalSince1970: 59.9)), "94287082")
        XCTAssertEqual(try totp.step(date: Date(timeIntervalSince1970: 59.9)), 1)
        XCTAssertEqual(try totp.verify(code: "94287082", date: Date(timeIntervalSince1970: 59)), Match(step: 1, offset: 0))
        XCTAssertThrowsError(try totp.at(date: Date(timeIntervalSince1970: -1))) { error in
            XCTAssertEqual((error as? OtpError)?.code, .timeBeforeT0)
        }
        let verifier = try Verifier()
        let decision = try verifier.checkTotp(
            totp: totp, code: "94287082", now: Date(timeIntervalSince1970: 59), device: DeviceState(), account: AccountState())
        XCTAssertEqual(decision.outcome, .accepted(step: 1, offset: 0))
        do {
            _ = try Totp(secret: "not base32!")
            XCTFail("no error")
        } catch let e as OtpError {
            XCTAssertEqual(e.code, .invalidSecret)
            XCTAssertEqual(e.code.rawValue, "invalid_secret")
        }
        XCTAssertEqual(OtpErrorCode.allCases.map(\.rawValue), errorCodes())
    }
}
