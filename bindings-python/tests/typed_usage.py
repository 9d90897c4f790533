"""A typed tour of the API: `mypy --strict` checks it against the stubs, and
test_typing.py also runs it. The `type: ignore[...]` lines are misuse that
the stubs must reject (strict mode reports an unused ignore otherwise)."""

from __future__ import annotations

import datetime
import hashlib
from typing import Callable, Literal

from typing_extensions import assert_type

import otp_core
from otp_core.contrib import Steam


def enrol(account: str) -> tuple[str, str, bytes]:
    secret = otp_core.random_base32()
    totp = otp_core.TOTP(secret, issuer="ACME")
    uri = totp.provisioning_uri(name=account)
    png = totp.qr_png(name=account)
    assert_type(png, bytes)
    return secret, uri, png


def sign_in(secret: str, code: str, last_step: int | None, drift: int) -> tuple[int, int] | None:
    totp = otp_core.TOTP(secret)
    m = totp.match(code, last_step=last_step, drift=drift)
    assert_type(m, "otp_core.Match | None")
    if m is None:
        return None
    return m.step, m.offset


def main() -> None:
    secret, uri, png = enrol("alice@example.com")
    assert png.startswith(b"\x89PNG")
    parsed = otp_core.parse_uri(uri)
    assert_type(parsed, "otp_core.TOTP | otp_core.HOTP | otp_core.Steam")
    assert isinstance(parsed, otp_core.TOTP)
    code: str = parsed.now()
    assert sign_in(secret, code, None, 0) is not None

    totp = otp_core.TOTP(secret, 8, hashlib.sha256, "alice", "ACME", 60, t0=0)
    when = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    ok: bool = totp.verify(totp.at(when), when, valid_window=1)
    assert ok and totp.timecode(when) > 0 and totp.digest is hashlib.sha256
    digest: Callable[..., object] = totp.digest
    assert digest is hashlib.sha256
    interval: int = totp.interval
    assert interval == 60 and totp.issuer == "ACME" and totp.image is None

    hotp = otp_core.HOTP(secret, initial_count=3)
    matched = hotp.match(hotp.at(5), 4, look_ahead=3)
    assert_type(matched, "int | None")
    assert matched == 5 and hotp.verify(hotp.at(1), 1)

    steam = Steam(secret)
    assert len(steam.at(1.5)) == steam.digits

    codes: list[str] = otp_core.generate_backup_codes(3)
    hashes = otp_core.hash_backup_codes(codes, iterations=otp_core.MIN_BACKUP_ITERATIONS)
    index = otp_core.verify_backup_code(codes[1], hashes)
    assert_type(index, "int | None")
    assert index == 1

    throttle = otp_core.Throttle(base=1, cap=60)
    wait: int = throttle.retry_after(2, 1000, 1000)
    assert wait == 2

    try:
        otp_core.TOTP("JBSWY3DPEHPK3PXP")
    except otp_core.SecretTooShortError as e:
        assert_type(e.code, str)
    except otp_core.OtpError:
        raise

    # The second-factor check and sealed secrets.
    keyring = otp_core.Keyring({"2026-12": otp_core.Keyring.generate_key()}, "2026-12")
    envelope: str = keyring.seal(totp.secret, b"app/device:1")
    assert keyring.open(envelope, b"app/device:1") == totp.secret
    assert_type(keyring.needs_rewrap(envelope), bool)
    verifier = otp_core.Verifier(account_max_failures=5, throttle=None)
    decision = verifier.check(totp, totp.at(59), 59, last_step=None, drift=0, account_failures=0)
    assert_type(decision.kind, Literal["accepted", "replayed", "rejected", "throttled", "locked"])
    assert decision.kind == "accepted" and decision.write.kind == "accept"
    step: int | None = decision.write.step
    assert step is not None and step == totp.timecode(59)
    assert verifier.guess_bound().guesses == 10

    # Google Authenticator exports, lenient import, the lint.
    plain = otp_core.TOTP(secret, name="alice", issuer="ACME")
    uris: list[str] = otp_core.to_migration_uris([plain], batch_id=1)
    kept, dropped = otp_core.to_migration_uris([plain, totp], lossy=True)  # a 60 s period is left out
    assert dropped == [(1, "unexportable")]
    assert_type(dropped, "list[tuple[int, str]]")
    assembler = otp_core.MigrationAssembler()
    for u in uris:
        assembler.add(u)
    entries, skipped = assembler.finish()
    assert_type(entries[0].otp, "otp_core.TOTP | otp_core.HOTP")
    imported = otp_core.parse_uri(uri, lenient=True)
    assert_type(imported, "otp_core.TOTP | otp_core.HOTP | otp_core.Steam")
    severities = {f.severity for f in otp_core.lint(uri)}
    assert severities <= {"info", "warning", "error"} and kept and not skipped

    # Misuse that the stubs refuse.
    keyring.seal(totp.secret, "a str context")  # type: ignore[arg-type]
    otp_core.TOTP(bytearray(b"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))  # type: ignore[arg-type]
    totp.at("59")  # type: ignore[arg-type]
    totp.verify(None)  # type: ignore[arg-type]
    totp.match("123456", 59, 1)  # type: ignore[call-arg]
    otp_core.hash_backup_codes(codes, 1000)  # type: ignore[call-arg]
    totp.digits = 8  # type: ignore[misc]


if __name__ == "__main__":
    import contextlib

    # The misuse lines raise at run time too; run everything above them.
    with contextlib.suppress(TypeError, AttributeError):
        main()
    print("typed_usage: ok")
