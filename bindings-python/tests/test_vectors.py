"""Every shared vector file of otp-core/tests/vectors, through the Python API."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import VECTORS, b32, b32_hex, load_vectors

import otp_core

DIGESTS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}

# Each file, and the test functions below that run it.
RUNNERS = {
    "hotp_rfc4226.json": "test_hotp_rfc4226",
    "totp_rfc6238.json": "test_totp_rfc6238",
    "totp_verify.json": "test_totp_verify",
    "hotp_verify.json": "test_hotp_verify",
    "steam.json": "test_steam",
    "base32.json": "test_base32_decode / test_base32_encode",
    "backup_codes.json": "test_backup_normalize / test_backup_sets / test_backup_verify / test_backup_invalid_hashes",
    "throttle.json": "test_throttle",
    "uri_parse.json": "test_uri_parse",
    "uri_build.json": "test_uri_build",
    "seal.json": "test_seal / test_open / test_needs_rewrap / test_keyrings",
    "decision.json": "test_decision",
    "migration.json": "test_migration_parse / test_migration_assemble / test_migration_export",
    "uri_import.json": "test_uri_import",
}


def test_every_vector_file_has_a_runner() -> None:
    present = {p.name for p in VECTORS.glob("*.json")}
    assert present == set(RUNNERS), "a vector file without a runner here, or a runner without its file"


def cases(name: str, key: str = "cases") -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = load_vectors(name)[key]
    assert found, f"{name}: no {key}"
    return found


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [c["name"] for c in items]


def expect_error(code: str, call: Any) -> None:
    with pytest.raises(otp_core.OtpError) as info:
        call()
    assert info.value.code == code
    assert type(info.value).code == code


def hotp_reference(key: bytes, counter: int, digits: int = 6) -> str:
    """RFC 4226 §5.3, written out with the standard library."""
    mac = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


@pytest.mark.parametrize("case", cases("hotp_rfc4226.json"), ids=ids(cases("hotp_rfc4226.json")))
def test_hotp_rfc4226(case: dict[str, Any]) -> None:
    hotp = otp_core.HOTP(
        b32_hex(case["secret_hex"]),
        digits=case["digits"],
        digest=case["algorithm"],
        allow_legacy_secret=True,
    )
    assert hotp.at(case["counter"]) == case["code"]
    assert hotp.verify(case["code"], case["counter"])
    assert hotp.match(case["code"], case["counter"]) == case["counter"]


@pytest.mark.parametrize("case", cases("totp_rfc6238.json"), ids=ids(cases("totp_rfc6238.json")))
def test_totp_rfc6238(case: dict[str, Any]) -> None:
    totp = otp_core.TOTP(
        b32_hex(case["secret_hex"]),
        digits=case["digits"],
        digest=DIGESTS[case["algorithm"]],
        interval=case["period"],
        t0=case["t0"],
    )
    assert totp.timecode(case["time"]) == case["step"]
    assert totp.at(case["time"]) == case["code"]
    assert totp.verify(case["code"], case["time"])


@pytest.mark.parametrize("case", cases("totp_verify.json"), ids=ids(cases("totp_verify.json")))
def test_totp_verify(case: dict[str, Any]) -> None:
    totp = otp_core.TOTP(
        b32_hex(case["secret_hex"]),
        digits=case["digits"],
        digest=case["algorithm"].lower(),
        interval=case["period"],
        t0=case["t0"],
        allow_legacy_secret=True,
    )

    def match() -> otp_core.Match | None:
        return totp.match(
            case["code"],
            case["time"],
            past=case["past"],
            future=case["future"],
            drift=case["drift"],
            last_step=case["last_step"],
        )

    expect = case["expect"]
    if expect is not None and "error" in expect:
        expect_error(expect["error"], match)
    else:
        got = match()
        if expect is None:
            assert got is None
        else:
            assert got is not None
            assert (got.step, got.offset) == (expect["step"], expect["offset"])

    # pyotp's `verify(otp, for_time, valid_window)` is the symmetric window
    # without drift or replay protection.
    if case["past"] == case["future"] and case["drift"] == 0 and case["last_step"] is None:
        if expect is not None and "error" in expect:
            expect_error(expect["error"], lambda: totp.verify(case["code"], case["time"], case["past"]))
        else:
            assert totp.verify(case["code"], case["time"], case["past"]) is (expect is not None)


@pytest.mark.parametrize("case", cases("hotp_verify.json"), ids=ids(cases("hotp_verify.json")))
def test_hotp_verify(case: dict[str, Any]) -> None:
    hotp = otp_core.HOTP(
        b32_hex(case["secret_hex"]),
        digits=case["digits"],
        digest=case["algorithm"],
        allow_legacy_secret=True,
    )
    expect = case["expect"]
    if expect is not None and "error" in expect:
        expect_error(expect["error"], lambda: hotp.match(case["code"], case["counter"], look_ahead=case["look_ahead"]))
        return
    got = hotp.match(case["code"], case["counter"], look_ahead=case["look_ahead"])
    assert got == (None if expect is None else expect["counter"])
    if case["look_ahead"] == 0:
        assert hotp.verify(case["code"], case["counter"]) is (expect is not None)


@pytest.mark.parametrize("case", cases("steam.json"), ids=ids(cases("steam.json")))
def test_steam(case: dict[str, Any]) -> None:
    steam = otp_core.contrib.Steam(case["secret_base32"], allow_legacy_secret=True)
    assert steam.at(case["time"]) == case["code"]
    assert steam.timecode(case["time"]) == case["time"] // 30
    assert steam.verify(case["code"], case["time"])
    m = steam.match(case["code"], case["time"], past=0, future=0)
    assert m is not None and m.step == case["time"] // 30


def canonical_secret(otp: otp_core.TOTP | otp_core.HOTP) -> str:
    """The secret as otp-core re-encodes it, read back from the URI."""
    query = parse_qs(urlsplit(otp.provisioning_uri("alice")).query)
    return query["secret"][0]


@pytest.mark.parametrize("case", cases("base32.json", "decode"), ids=ids(cases("base32.json", "decode")))
def test_base32_decode(case: dict[str, Any]) -> None:
    legacy = case["policy"] == "allow_legacy"
    expect = case["expect"]
    if "error" in expect:
        expect_error(expect["error"], lambda: otp_core.HOTP(case["input"], allow_legacy_secret=legacy))
        expect_error(expect["error"], lambda: otp_core.TOTP(case["input"], allow_legacy_secret=legacy))
        return
    key = bytes.fromhex(expect["hex"])
    hotp = otp_core.HOTP(case["input"], allow_legacy_secret=legacy)
    assert hotp.secret == case["input"]  # as given, like pyotp
    assert canonical_secret(hotp) == b32(key)
    assert [hotp.at(c) for c in range(3)] == [hotp_reference(key, c) for c in range(3)]


@pytest.mark.parametrize("case", cases("base32.json", "encode"), ids=ids(cases("base32.json", "encode")))
def test_base32_encode(case: dict[str, Any]) -> None:
    key = bytes.fromhex(case["hex"])
    if len(key) < 10:
        # Shorter than any secret: the Python API encodes only through secrets.
        expect_error("secret_too_short", lambda: otp_core.HOTP(case["base32"], allow_legacy_secret=True))
        return
    # Decoded from a lower-case, padded spelling, and written back canonical.
    padded = case["base32"].lower() + "=" * (-len(case["base32"]) % 8)
    hotp = otp_core.HOTP(padded, allow_legacy_secret=True)
    assert canonical_secret(hotp) == case["base32"]


@pytest.mark.parametrize(
    "case", cases("backup_codes.json", "normalize"), ids=ids(cases("backup_codes.json", "normalize"))
)
def test_backup_normalize(case: dict[str, Any]) -> None:
    expect = case["expect"]
    if "error" in expect:
        expect_error(expect["error"], lambda: otp_core.normalize_backup_code(case["input"]))
    else:
        assert otp_core.normalize_backup_code(case["input"]) == expect["normalized"]


def backup_set(name: str) -> dict[str, Any]:
    (found,) = [s for s in cases("backup_codes.json", "sets") if s["name"] == name]
    return found


@pytest.mark.parametrize("backup", cases("backup_codes.json", "sets"), ids=ids(cases("backup_codes.json", "sets")))
def test_backup_sets(backup: dict[str, Any]) -> None:
    # Django's hashes (fixed salts) verify here, code by code.
    for i, code in enumerate(backup["codes"]):
        assert otp_core.verify_backup_code(code, backup["hashes"]) == i
    # Ours, with a fresh salt, have Django's shape and verify the same way.
    ours = otp_core.hash_backup_codes(backup["codes"], iterations=backup["iterations"])
    assert len(ours) == len(backup["codes"])
    for i, (mine, theirs) in enumerate(zip(ours, backup["hashes"])):
        assert mine.split("$")[:2] == theirs.split("$")[:2] == ["pbkdf2_sha256", str(backup["iterations"])]
        assert otp_core.verify_backup_code(backup["codes"][i], ours) == i


@pytest.mark.parametrize("case", cases("backup_codes.json", "verify"), ids=ids(cases("backup_codes.json", "verify")))
def test_backup_verify(case: dict[str, Any]) -> None:
    hashes = backup_set(case["set"])["hashes"]
    expect = case["expect"]
    assert otp_core.verify_backup_code(case["candidate"], hashes) == (None if expect is None else expect["index"])


@pytest.mark.parametrize(
    "case", cases("backup_codes.json", "invalid_hashes"), ids=ids(cases("backup_codes.json", "invalid_hashes"))
)
def test_backup_invalid_hashes(case: dict[str, Any]) -> None:
    expect_error(case["error"], lambda: otp_core.verify_backup_code("ABCDE-FGHJK", [case["hash"]]))


@pytest.mark.parametrize("case", cases("throttle.json"), ids=ids(cases("throttle.json")))
def test_throttle(case: dict[str, Any]) -> None:
    expect = case["expect"]
    if "error" in expect:
        expect_error(expect["error"], lambda: otp_core.Throttle(case["base"], case["cap"]))
        return
    throttle = otp_core.Throttle(case["base"], case["cap"])
    args = (case["failures"], case["last_failure_at"], case["now"])
    assert throttle.retry_after(*args) == expect["retry_after"]
    assert throttle.is_allowed(*args) is (expect["retry_after"] == 0)
    if max(case["last_failure_at"], case["now"]) * 1000 < 2**64:  # the same times in milliseconds
        millis = (case["failures"], case["last_failure_at"] * 1000, case["now"] * 1000)
        assert throttle.retry_after_millis(*millis) == expect["retry_after"] * 1000


def check_parsed(otp: otp_core.TOTP | otp_core.HOTP, expect: dict[str, Any]) -> None:
    assert otp.secret == expect["secret_base32"]
    assert otp.digest is DIGESTS[expect["algorithm"]]
    assert otp.digits == expect["digits"]
    assert otp.name == expect["account"]
    assert otp.issuer == expect["issuer"]
    assert otp.image == expect["image"]
    if expect["type"] == "totp":
        assert isinstance(otp, otp_core.TOTP)
        assert otp.interval == expect["period"]
    else:
        assert isinstance(otp, otp_core.HOTP)
        assert otp.initial_count == expect["counter"]


@pytest.mark.parametrize("case", cases("uri_parse.json"), ids=ids(cases("uri_parse.json")))
def test_uri_parse(case: dict[str, Any]) -> None:
    legacy = case.get("policy", "standard") == "allow_legacy"
    expect = case["expect"]
    if "error" in expect:
        expect_error(expect["error"], lambda: otp_core.parse_uri(case["uri"], allow_legacy_secret=legacy))
        return
    otp = otp_core.parse_uri(case["uri"], allow_legacy_secret=legacy)
    check_parsed(otp, expect)
    # What parses, builds, and builds back to itself.
    check_parsed(otp_core.parse_uri(otp.provisioning_uri(), allow_legacy_secret=True), expect)


def build(spec: dict[str, Any]) -> otp_core.TOTP | otp_core.HOTP:
    if spec["type"] == "totp":
        return otp_core.TOTP(
            spec["secret_base32"],
            digits=spec["digits"],
            digest=spec["algorithm"],
            name=spec["account"],
            issuer=spec["issuer"],
            interval=spec["period"],
            allow_legacy_secret=True,
        )
    return otp_core.HOTP(
        spec["secret_base32"],
        digits=spec["digits"],
        digest=spec["algorithm"],
        name=spec["account"],
        issuer=spec["issuer"],
        initial_count=spec["counter"],
        allow_legacy_secret=True,
    )


@pytest.mark.parametrize("case", cases("uri_build.json"), ids=ids(cases("uri_build.json")))
def test_uri_build(case: dict[str, Any]) -> None:
    spec, expect = case["input"], case["expect"]
    if spec["account"] == "":
        # pyotp's `name or "Secret"`: through this API an empty account name
        # becomes "Secret" (the empty label the case refuses cannot be built).
        assert expect == {"error": "invalid_label"}
        assert build(spec).name == "Secret"
        return
    if "error" in expect:
        # Digits and period are checked by the constructor, labels and image
        # by provisioning_uri: the same code either way.
        expect_error(expect["error"], lambda: build(spec).provisioning_uri(image=spec["image"]))
        return
    otp = build(spec)
    assert otp.provisioning_uri(image=spec["image"]) == expect["uri"]
    # The same through the arguments of provisioning_uri.
    if spec["type"] == "totp":
        bare = otp_core.TOTP(
            spec["secret_base32"], spec["digits"], spec["algorithm"], interval=spec["period"], allow_legacy_secret=True
        )
        uri = bare.provisioning_uri(spec["account"], spec["issuer"], spec["image"])
    else:
        bare_h = otp_core.HOTP(spec["secret_base32"], spec["digits"], spec["algorithm"], allow_legacy_secret=True)
        uri = bare_h.provisioning_uri(spec["account"], spec["counter"], spec["issuer"], spec["image"])
    assert uri == expect["uri"]
    # Every built URI parses back to its input.
    check_parsed(
        otp_core.parse_uri(uri, allow_legacy_secret=True),
        {**spec, "period": spec.get("period"), "counter": spec.get("counter")},
    )


SEAL = load_vectors("seal.json")


def keyring(keys: dict[str, str] | None = None, primary: str = "2026-12") -> otp_core.Keyring:
    return otp_core.Keyring(SEAL["keys"] if keys is None else keys, primary)


@pytest.mark.parametrize("case", cases("seal.json", "seal"), ids=ids(cases("seal.json", "seal")))
def test_seal(case: dict[str, Any]) -> None:
    """Envelopes written by libsodium open here, and a fresh seal opens too."""
    ring = keyring(primary=case["primary"])
    context = bytes.fromhex(case["context_hex"])
    secret = b32_hex(case["secret_hex"])
    assert ring.open(case["envelope"], context) == secret
    again = ring.seal(secret, context)
    assert again != case["envelope"] and again.startswith(f"otpseal:1:{case['primary']}:")
    assert ring.open(again, context) == secret
    assert otp_core.sealed_key_id(case["envelope"]) == case["primary"]


@pytest.mark.parametrize("case", cases("seal.json", "open"), ids=ids(cases("seal.json", "open")))
def test_open(case: dict[str, Any]) -> None:
    keys = SEAL["keys"]
    ring = keyring({k: keys[k] for k in case["keys"]}, case["keys"][0]) if "keys" in case else keyring()
    context = bytes.fromhex(case["context_hex"])
    if "error" in case["expect"]:
        expect_error(case["expect"]["error"], lambda: ring.open(case["envelope"], context))
    else:
        assert ring.open(case["envelope"], context) == b32_hex(case["expect"]["secret_hex"])


@pytest.mark.parametrize("case", cases("seal.json", "needs_rewrap"), ids=ids(cases("seal.json", "needs_rewrap")))
def test_needs_rewrap(case: dict[str, Any]) -> None:
    if isinstance(case["expect"], dict):
        expect_error(case["expect"]["error"], lambda: keyring().needs_rewrap(case["envelope"]))
    else:
        assert keyring().needs_rewrap(case["envelope"]) is case["expect"]


@pytest.mark.parametrize("case", cases("seal.json", "keyrings"), ids=ids(cases("seal.json", "keyrings")))
def test_keyrings(case: dict[str, Any]) -> None:
    if isinstance(case["expect"], dict):
        expect_error(case["expect"]["error"], lambda: otp_core.Keyring(case["keys"], case["primary"]))
    else:
        ring = otp_core.Keyring(case["keys"], case["primary"])
        assert ring.primary == case["primary"] and ring.key_ids == list(case["keys"])


def decision_json(d: otp_core.Decision) -> dict[str, Any]:
    """A decision as the vectors write it."""
    outcome: dict[str, Any] = {"kind": d.kind}
    if d.kind == "accepted":
        outcome.update(step=d.step, offset=d.offset)
    elif d.kind == "replayed":
        outcome.update(step=d.step)
    elif d.kind == "rejected":
        outcome.update(clock_offset=d.clock_offset)
    elif d.kind == "throttled":
        outcome.update(retry_after_ms=d.retry_after_ms)
    w = d.write
    write: dict[str, Any] = {"kind": w.kind}
    if w.kind == "accept":
        write.update(step=w.step, drift=w.drift, failures_read=w.failures_read)
    elif w.kind == "consume":
        write.update(index=w.index)
    elif w.kind == "failure":
        write.update(at_ms=w.at_ms)
    return {"outcome": outcome, "write": write}


@pytest.mark.parametrize("case", cases("decision.json"), ids=ids(cases("decision.json")))
def test_decision(case: dict[str, Any]) -> None:
    p = case["policy"]
    throttle = None if p["throttle"] is None else otp_core.Throttle(p["throttle"]["base"], p["throttle"]["cap"])
    verifier = otp_core.Verifier(
        past=p["past"],
        future=p["future"],
        sync_drift=p["sync_drift"],
        look_ahead=p["look_ahead"],
        throttle=throttle,
        account_max_failures=p["account_max_failures"],
        clock_diagnosis=p["clock_diagnosis"],
    )
    d = case["device"]
    # Times: milliseconds in the vectors, seconds here (an int of ms / 1000
    # is exact for these values as a float).
    now = case["now_ms"] / 1000
    last_failure = None if d["last_failure_at_ms"] is None else d["last_failure_at_ms"] / 1000
    state = {
        "failures": d["failures"],
        "last_failure_at": last_failure,
        "account_failures": case["account"]["failures"],
    }
    if case["kind"] == "backup":
        run = lambda: verifier.check_backup(case["token"], case["hashes"], now, **state)  # noqa: E731
    else:
        secret = b32_hex(case["secret_hex"])
        otp: otp_core.TOTP | otp_core.HOTP
        if case["kind"] == "totp":
            otp = otp_core.TOTP(secret, case["digits"], case["algorithm"], interval=case["period"], t0=case["t0"])
        else:
            otp = otp_core.HOTP(secret, case["digits"], case["algorithm"])
        run = lambda: verifier.check(otp, case["token"], now, last_step=d["last_step"], drift=d["drift"], **state)  # noqa: E731
    if "error" in case["expect"]:
        expect_error(case["expect"]["error"], run)
    else:
        assert decision_json(run()) == case["expect"]


def check_entry(entry: otp_core.MigrationEntry, want: dict[str, Any]) -> None:
    assert entry.position == want["position"]
    check_parsed(entry.otp, {**want, "secret_base32": b32_hex(want["secret_hex"]), "image": None})
    assert [f.code for f in entry.findings] == want["findings"]
    assert all(f.source is None and f.severity in {"info", "warning", "error"} for f in entry.findings)


@pytest.mark.parametrize("case", cases("migration.json", "parse"), ids=ids(cases("migration.json", "parse")))
def test_migration_parse(case: dict[str, Any]) -> None:
    expect = case["expect"]
    if "error" in expect:
        expect_error(expect["error"], lambda: otp_core.parse_migration_uri(case["uri"]))
        return
    batch = otp_core.parse_migration_uri(case["uri"])
    for key in ("version", "batch_size", "batch_index", "batch_id"):
        assert getattr(batch, key) == expect[key], key
    assert len(batch.entries) == len(expect["entries"])
    for entry, want in zip(batch.entries, expect["entries"]):
        check_entry(entry, want)
    assert [(s.position, s.name, s.reason) for s in batch.skipped] == [
        (s["position"], s["name"], s["reason"]) for s in expect["skipped"]
    ]


@pytest.mark.parametrize("case", cases("migration.json", "assemble"), ids=ids(cases("migration.json", "assemble")))
def test_migration_assemble(case: dict[str, Any]) -> None:
    expect = case["expect"]
    assembler = otp_core.MigrationAssembler()
    for i, uri in enumerate(case["uris"]):
        if expect.get("at") == i:
            expect_error(expect["error"], lambda uri=uri: assembler.add(uri))
            return
        assembler.add(uri)
    if "error" in expect:
        assert assembler.missing() == expect["missing"]
        assert not assembler.is_complete()
        expect_error(expect["error"], assembler.finish)
        return
    assert assembler.is_complete() and assembler.missing() == []
    entries, skipped = assembler.finish()
    assert [e.otp.name for e in entries] == expect["accounts"]
    assert [e.position for e in entries] == expect["positions"]
    assert skipped == []


def account_of(spec: dict[str, Any]) -> otp_core.TOTP | otp_core.HOTP:
    return build({**spec, "secret_base32": b32_hex(spec["secret_hex"])})


@pytest.mark.parametrize("case", cases("migration.json", "export"), ids=ids(cases("migration.json", "export")))
def test_migration_export(case: dict[str, Any]) -> None:
    accounts = [account_of(a) for a in case["accounts"]]
    expect = case["expect"]
    if "error" in expect:
        expect_error(expect["error"]["code"], lambda: otp_core.to_migration_uris(accounts, batch_id=case["batch_id"]))
        uris, dropped = otp_core.to_migration_uris(accounts, batch_id=case["batch_id"], lossy=True)
        assert uris == case["lossy"]["uris"]
        assert dropped == [(d["index"], d["code"]) for d in case["lossy"]["dropped"]]
        return
    uris = otp_core.to_migration_uris(accounts, batch_id=case["batch_id"])
    assert uris == expect["uris"]
    # And back.
    back = otp_core.MigrationAssembler()
    for uri in uris:
        back.add(uri)
    entries, _ = back.finish()
    assert [e.otp.provisioning_uri() for e in entries] == [a.provisioning_uri() for a in accounts]


@pytest.mark.parametrize("case", cases("uri_import.json"), ids=ids(cases("uri_import.json")))
def test_uri_import(case: dict[str, Any]) -> None:
    uri, expect = case["uri"], case["expect"]
    # parse_uri reads `encoder=steam` on a TOTP URI as pyotp does (the core's
    # parse_steam_aware): a Steam where the core's strict parse (the vector's
    # "strict") reads a TOTP, here with digits=5.
    steam_encoder = uri.lower().startswith("otpauth://totp/") and "encoder=steam" in uri.lower()
    if steam_encoder and expect.get("type") == "steam":
        parsed = otp_core.parse_uri(uri)
        assert isinstance(parsed, otp_core.Steam) and parsed.secret == expect["secret_base32"]
    elif case["strict"] == "ok":
        otp_core.parse_uri(uri)
    else:
        expect_error(case["strict"], lambda: otp_core.parse_uri(uri))
    if "error" in expect:
        expect_error(expect["error"], lambda: otp_core.import_uri(uri))
        expect_error(expect["error"], lambda: otp_core.parse_uri(uri, lenient=True))
        expect_error(expect["error"], lambda: otp_core.lint(uri))
        return
    imported = otp_core.import_uri(uri)
    assert [f.code for f in imported.findings] == expect["findings"]
    table = {row["code"] for row in otp_core.compatibility_table()}
    lint = otp_core.lint(uri)
    assert [f.code for f in lint] == expect["lint"]
    assert all(f.code in table for f in lint if f.source is not None)
    if expect["type"] == "steam":
        assert imported.steam
        steam = imported.otp
        assert isinstance(steam, otp_core.Steam)
        assert steam.secret == expect["secret_base32"]
        assert (steam.name, steam.issuer) == (expect["account"], expect["issuer"])
        assert len(steam.at(0)) == 5
        assert isinstance(otp_core.parse_uri(uri, lenient=True), otp_core.Steam)
        return
    assert not imported.steam
    check_parsed(imported.otp, expect)
    again = otp_core.parse_uri(uri, lenient=True)
    assert isinstance(again, otp_core.TOTP | otp_core.HOTP)
    check_parsed(again, expect)
    # The account lint is the URI lint without the import's findings and the text's rows.
    assert {f.code for f in otp_core.lint(imported.otp)} <= {f.code for f in lint}
