"""The Python API's own promises: errors, repr, immutability, the pyotp-compatible conversions."""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
import time

import pytest
from conftest import b32

import otp_core

SECRET = b32(b"12345678901234567890")  # RFC 6238's SHA1 seed, 160 bits


def class_name(code: str) -> str:
    return "".join(part.capitalize() if part != "t0" else "T0" for part in code.split("_")) + "Error"


def test_one_exception_class_per_error_code() -> None:
    assert len(otp_core.ERROR_CODES) == len(set(otp_core.ERROR_CODES)) >= 25
    # The generated module has a class for every code of the extension
    # (the core's table), in the same order: it does not lag.
    assert tuple(otp_core.errors.ERRORS_BY_CODE) == otp_core.ERROR_CODES
    classes = {}
    for code in otp_core.ERROR_CODES:
        cls = getattr(otp_core, class_name(code))
        assert cls is otp_core.errors.ERRORS_BY_CODE[code]
        assert issubclass(cls, otp_core.OtpError) and cls is not otp_core.OtpError
        assert cls.code == code
        assert cls.__module__ == "otp_core.errors"
        assert cls.__doc__ and code in cls.__doc__
        classes[code] = cls
    assert len(set(classes.values())) == len(classes)
    assert issubclass(otp_core.OtpError, ValueError)
    # Every exception class the module exports has a code, but pyotp's two
    # (a rejected code is no error of the input: not an OtpError).
    pyotp_names = {"OTPVerificationError", "PyOTPError"}
    exported = {n for n in dir(otp_core) if n.endswith("Error") and n != "OtpError"} - pyotp_names
    assert not any(issubclass(getattr(otp_core, n), otp_core.OtpError) for n in pyotp_names)
    assert exported == {c.__name__ for c in classes.values()}
    assert set(otp_core.__all__) == {n for n in dir(otp_core) if not n.startswith("_")} | {"__version__"}


def test_errors_carry_code_and_message_without_input() -> None:
    with pytest.raises(otp_core.SecretTooShortError) as info:
        otp_core.TOTP("JBSWY3DPEHPK3PXP")
    assert info.value.code == "secret_too_short"
    assert "JBSWY3DP" not in str(info.value)
    assert isinstance(info.value, ValueError)  # pyotp callers catch ValueError
    with pytest.raises(otp_core.IssuerMismatchError) as mismatch:
        otp_core.parse_uri(f"otpauth://totp/Evil:alice?secret={SECRET}&issuer=ACME")
    assert SECRET not in str(mismatch.value) and "Evil" not in str(mismatch.value)


def test_repr_never_shows_the_secret_or_a_code() -> None:
    for otp in (
        otp_core.TOTP(SECRET, name="alice", issuer="ACME"),
        otp_core.HOTP(SECRET, initial_count=3),
        otp_core.Steam(SECRET),
        otp_core.parse_uri(f"otpauth://totp/ACME:alice?secret={SECRET.lower()}&issuer=ACME"),
    ):
        text = repr(otp) + str(otp)
        assert SECRET not in text.upper()
        assert not re.search("[A-Z2-7]{16}", text.upper().replace("INITIAL_COUNT", ""))
        codes = [otp.at(59)] if not isinstance(otp, otp_core.HOTP) else [otp.at(0)]
        assert all(code not in text for code in codes)
    assert repr(otp_core.TOTP(SECRET, 8, "SHA256", "alice", "ACME", 60)) == (
        "TOTP(digits=8, digest='sha256', interval=60, t0=0, name='alice', issuer='ACME')"
    )
    m = otp_core.TOTP(SECRET).match(otp_core.TOTP(SECRET).at(59), 89)
    assert repr(m) == "Match(step=1, offset=-1)"
    assert repr(otp_core.Throttle()) == "Throttle(base=1, cap=900)"


def test_objects_are_immutable() -> None:
    totp = otp_core.TOTP(SECRET)
    for attribute, value in [("secret", "X"), ("digits", 8), ("interval", 60), ("name", "x"), ("new", 1)]:
        with pytest.raises(AttributeError):
            setattr(totp, attribute, value)
    with pytest.raises(AttributeError):
        otp_core.Throttle().base = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        otp_core.Match()  # type: ignore[call-arg]


def test_totp_attributes_as_pyotp() -> None:
    totp = otp_core.TOTP(SECRET.lower())
    assert totp.secret == SECRET.lower()
    assert (totp.digits, totp.interval, totp.t0, totp.name, totp.issuer, totp.image) == (6, 30, 0, "Secret", None, None)
    assert totp.digest is hashlib.sha1
    assert otp_core.TOTP(SECRET, digest=hashlib.sha512).digest is hashlib.sha512
    assert otp_core.TOTP(SECRET, digest="Sha256").digest is hashlib.sha256
    assert otp_core.TOTP(SECRET, name="").name == "Secret"
    assert otp_core.TOTP(SECRET, issuer="").issuer == ""


def test_times_as_pyotp() -> None:
    totp = otp_core.TOTP(SECRET, 8)
    assert (
        totp.at(59) == totp.at(59.99) == totp.at(datetime.datetime(1970, 1, 1, 0, 0, 59, 999999, datetime.timezone.utc))
    )
    assert totp.at(59) == "94287082"
    cet = datetime.timezone(datetime.timedelta(hours=1))
    assert totp.at(datetime.datetime(2005, 3, 18, 2, 58, 29, tzinfo=cet)) == "07081804"  # 1111111109
    naive = datetime.datetime.fromtimestamp(1111111109)  # local time, as pyotp reads it
    assert totp.at(naive) == "07081804"
    assert totp.timecode(1111111109) == 37037036
    assert totp.at(1111111109 - 30, counter_offset=1) == "07081804"
    now = totp.now()
    assert totp.verify(now) or totp.verify(now, valid_window=1)
    assert totp.verify(94287082, 59)  # an int compares as str(otp), as in pyotp
    assert not totp.verify(int(totp.at(1111111109)), 1111111109)  # "7081804": the leading 0 is lost


def test_t0() -> None:
    totp = otp_core.TOTP(SECRET, 8, t0=1000)
    assert totp.at(1059) == "94287082"
    with pytest.raises(otp_core.TimeBeforeT0Error):
        totp.at(999)
    with pytest.raises(otp_core.InvalidT0Error):
        totp.provisioning_uri("alice")  # a URI has no t0: it would describe another generator


def test_match_replay_protection_and_drift() -> None:
    totp = otp_core.TOTP(SECRET)
    t = 1_700_000_000
    code = totp.at(t)
    first = totp.match(code, t)
    assert first is not None and first.offset == 0
    assert totp.match(code, t, last_step=first.step) is None  # replay
    assert totp.match(code, t + 30, last_step=first.step) is None
    late = totp.at(t, counter_offset=3)
    assert totp.match(late, t) is None
    drifted = totp.match(late, t, drift=3, past=0, future=0)
    assert drifted is not None and drifted.offset == 3 and drifted.step == first.step + 3
    assert drifted == otp_core.TOTP(SECRET).match(late, t, drift=3, past=0, future=0)
    assert hash(drifted) == hash(otp_core.TOTP(SECRET).match(late, t, drift=3, past=0, future=0))
    assert drifted != first


def test_hotp_counters_relative_to_initial_count() -> None:
    base = otp_core.HOTP(SECRET)
    shifted = otp_core.HOTP(SECRET, initial_count=5)
    assert shifted.at(0) == base.at(5)
    assert shifted.at(-5) == base.at(0)
    assert shifted.verify(base.at(7), 2)
    assert shifted.match(base.at(9), 2, look_ahead=5) == 4
    assert shifted.match(base.at(3), -5, look_ahead=5) == -2
    assert base.match(base.at(2**64 - 1), 2**64 - 3, look_ahead=100) == 2**64 - 1
    assert "counter=5" in shifted.provisioning_uri("a") and "counter=9" in shifted.provisioning_uri("a", 9)


def test_steam() -> None:
    steam = otp_core.contrib.Steam(SECRET)
    assert (steam.digits, steam.interval, steam.digest) == (5, 30, hashlib.sha1)
    code = steam.at(1_700_000_000)
    assert re.fullmatch("[23456789BCDFGHJKMNPQRTVWXY]{5}", code)
    assert steam.at(1_700_000_000 - 30, 1) == code
    assert steam.verify(code, 1_700_000_000) and not steam.verify(code.lower(), 1_700_000_000)
    assert len(steam.now()) == 5
    with pytest.raises(otp_core.InvalidPeriodError):
        otp_core.Steam(SECRET, interval=60)
    with pytest.raises(otp_core.InvalidDigitsError):
        otp_core.Steam(SECRET, digits=6)


def test_parse_uri_types_and_round_trip() -> None:
    totp = otp_core.parse_uri(f"otpauth://totp/ACME:alice?secret={SECRET}&issuer=ACME&image=https://x.example/a.png")
    assert isinstance(totp, otp_core.TOTP) and totp.image == "https://x.example/a.png"
    assert otp_core.parse_uri(totp.provisioning_uri()).provisioning_uri() == totp.provisioning_uri()
    hotp = otp_core.parse_uri(f"otpauth://hotp/alice?secret={SECRET}&counter=42&digits=8")
    assert isinstance(hotp, otp_core.HOTP) and hotp.initial_count == 42 and hotp.digits == 8
    with pytest.raises(otp_core.SecretTooShortError):
        otp_core.parse_uri("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP")
    assert otp_core.parse_uri("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP", allow_legacy_secret=True).name == "alice"


def test_random_secrets() -> None:
    seen = {otp_core.random_base32() for _ in range(50)}
    assert len(seen) == 50 and all(re.fullmatch("[A-Z2-7]{32}", s) for s in seen)
    assert otp_core.TOTP(otp_core.random_base32(26)).digits == 6
    # 112 bits (14 bytes, 23 characters; 24 would be 15 bytes) is the floor.
    assert otp_core.MIN_SECRET_BYTES == 14
    assert len(otp_core.random_base32(24)) == 24
    with pytest.raises(otp_core.SecretTooShortError):
        otp_core.random_base32(21)
    assert re.fullmatch("[0-9A-F]{64}", otp_core.random_hex(64))
    assert len(otp_core.random_hex(28)) == 28
    with pytest.raises(otp_core.SecretTooShortError):
        otp_core.random_hex(26)


def test_backup_codes() -> None:
    codes = otp_core.generate_backup_codes()
    assert len(codes) == 10 and all(re.fullmatch("[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", c) for c in codes)
    hashes = otp_core.hash_backup_codes(tuple(codes), iterations=1000)
    assert otp_core.verify_backup_code(codes[7].lower(), iter(hashes)) == 7
    assert otp_core.verify_backup_code("not a code", hashes) is None
    with pytest.raises(otp_core.InvalidBackupParamsError):
        otp_core.generate_backup_codes(0)
    with pytest.raises(otp_core.InvalidBackupParamsError):
        otp_core.hash_backup_codes(codes, iterations=999)
    with pytest.raises(otp_core.InvalidBackupCodeError):
        otp_core.hash_backup_codes(["ABCDE-FGHJU"], iterations=1000)


def test_core_rules_exposed() -> None:
    assert otp_core.MAX_TOKEN_LEN == 64
    assert [otp_core.clamp_drift(d) for d in (0, -3, 11, -11, 10**30, -(10**30))] == [0, -3, 10, -10, 10, -10]
    with pytest.raises(TypeError):
        otp_core.clamp_drift("3")  # type: ignore[arg-type]
    for digest, size in ((None, 20), ("SHA1", 20), ("sha256", 32), (hashlib.sha512, 64)):
        secret = otp_core.random_secret(digest)
        assert len(base64.b32decode(secret + "=" * (-len(secret) % 8))) == size
    assert len({otp_core.random_secret() for _ in range(20)}) == 20
    with pytest.raises(otp_core.UnsupportedAlgorithmError):
        otp_core.random_secret("md5")


def test_throttle() -> None:
    throttle = otp_core.Throttle()
    assert (throttle.base, throttle.cap) == (1, 900)
    now = time.time()
    assert throttle.retry_after(0, now, now) == 0
    assert throttle.retry_after(3, 1000, 1001) == 3
    assert throttle.retry_after(3, datetime.datetime.fromtimestamp(1000, datetime.timezone.utc), 1001.5) == 3
    assert throttle.delay(40) == 900 and throttle.is_allowed(1, 1000, 1001)
    # Milliseconds: a failure at ...999 ms and a try at ...000 ms is 1 ms apart.
    assert throttle.retry_after_millis(1, 1_000_999, 1_001_000) == 999
    assert throttle.retry_after_millis(3, 1_000_000, 1_003_999) == 1
    assert throttle.retry_after_millis(3, 1_000_000, 1_004_000) == 0
    assert throttle.retry_after_millis(2, 1_000_000, 999_000) == 2000  # a clock that went back
    with pytest.raises(TypeError):
        throttle.retry_after_millis(1, 1000.5, 2000)  # type: ignore[arg-type]
    # Whole seconds rounded up, computed to the millisecond (never short):
    # the failure is rounded up, "now" down, as the core rounds them.
    assert throttle.retry_after_exact(1, 1000.9996, 1001.0) == 1
    assert throttle.retry_after_exact(1, 1000.9996, 1001.9995) == 1
    assert throttle.retry_after_exact(1, 1000.9996, 1002.0) == 0
    aware = datetime.datetime.fromtimestamp(1000.25, datetime.timezone.utc)
    assert throttle.retry_after_exact(3, aware, 1003.0) == 2
    assert throttle.retry_after_exact(3, aware, 1004.25) == 0
    assert throttle.retry_after_exact(1, time.time()) == 1  # now by default
    with pytest.raises(otp_core.TimeBeforeT0Error):
        throttle.retry_after_exact(1, -0.5, 0)
    with pytest.raises(otp_core.InvalidTimeError):
        throttle.retry_after_exact(1, float("nan"), 0)
    with pytest.raises(TypeError):
        throttle.retry_after_exact(1, "1000", 0)  # type: ignore[arg-type]
    assert otp_core.Throttle(2, 60) == otp_core.Throttle(2, 60) != throttle
    with pytest.raises(otp_core.InvalidThrottleError):
        otp_core.Throttle(0)
