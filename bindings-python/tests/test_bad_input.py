"""Hostile values into every public function, constructor and method.

The only exceptions allowed are `OtpError` subclasses (a value the core
refuses) and `TypeError` (a value of the wrong Python type): never
`OverflowError`, `UnicodeEncodeError`, `pyo3_runtime.PanicException` or a
crash. Verification never raises because of the code itself.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import itertools
import random
from typing import Any, Callable

import pytest
from conftest import b32

import otp_core

SECRET = b32(bytes(range(20)))
UTC = datetime.timezone.utc
PLUS_14 = datetime.timezone(datetime.timedelta(hours=14))
MINUS_12 = datetime.timezone(datetime.timedelta(hours=-12))

HOSTILE: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    5,
    11,
    2**31,
    2**32,
    2**63,
    2**64 - 1,
    2**64,
    -(2**63) - 1,
    10**100,
    -(10**100),
    float("nan"),
    float("inf"),
    float("-inf"),
    -0.0,
    -0.5,
    1.5,
    1e19,
    1e308,
    b"bytes",
    bytearray(b"GEZDGNBV"),
    memoryview(b"x"),
    "",
    " ",
    "\x00",
    "\x00" * 64,
    "\ud800",
    "abc\udfffdef",
    "é漢字",
    "١٢٣٤٥٦",
    "１２３４５６",
    "123456",
    "-12345",
    "JBSWY3DPEHPK3PXP",
    SECRET,
    "otpauth://totp/a?secret=" + SECRET,
    "otpauth://totp/a\x00b?secret=" + SECRET,
    "pbkdf2_sha256$1000$salt$" + "A" * 43 + "=",
    "a" * 100_000,
    "1" * 5000,
    "%" * 3000,
    [],
    [SECRET],
    ["\ud800"],
    ["ABCDE-FGHJK"] * 200,
    ("ABCDE-FGHJK",),
    "ABCDE-FGHJK",
    {},
    {"a": 1},
    set(),
    object(),
    complex(1, 1),
    decimal.Decimal("1"),
    decimal.Decimal("NaN"),
    hashlib.md5,
    hashlib.sha1,
    "SHA-256",
    len,
    lambda: 0,
    datetime.datetime.min,
    datetime.datetime.max,
    datetime.datetime.min.replace(tzinfo=PLUS_14),
    datetime.datetime.max.replace(tzinfo=MINUS_12),
    datetime.datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime.datetime(1970, 1, 1, tzinfo=UTC),
    datetime.date(2024, 1, 1),
    datetime.timedelta(days=1),
    otp_core.TOTP(SECRET),
    otp_core,
    Ellipsis,
]


def totp() -> otp_core.TOTP:
    return otp_core.TOTP(SECRET, name="alice", issuer="ACME")


def hotp() -> otp_core.HOTP:
    return otp_core.HOTP(SECRET, name="alice", issuer="ACME")


def steam() -> otp_core.Steam:
    return otp_core.Steam(SECRET)


HASHES = otp_core.hash_backup_codes(["ABCDE-FGHJK", "00000-11111"], iterations=1000)
KEY = otp_core.Keyring.generate_key()
KEYRING = otp_core.Keyring({"k": KEY}, "k")
ENVELOPE = KEYRING.seal(SECRET, b"ctx")

# (name, callable, positional arguments that work, keyword arguments that work)
CALLS: list[tuple[str, Callable[..., Any], list[Any], dict[str, Any]]] = [
    ("random_base32", otp_core.random_base32, [32], {}),
    ("random_hex", otp_core.random_hex, [40], {}),
    ("parse_uri", otp_core.parse_uri, ["otpauth://totp/a?secret=" + SECRET], {"allow_legacy_secret": False}),
    ("qr_svg", otp_core.qr_svg, ["otpauth://totp/a?secret=" + SECRET], {}),
    ("qr_png", otp_core.qr_png, ["otpauth://totp/a?secret=" + SECRET], {}),
    ("qr_data_uri", otp_core.qr_data_uri, ["otpauth://totp/a?secret=" + SECRET], {}),
    ("qr_terminal", otp_core.qr_terminal, ["otpauth://totp/a?secret=" + SECRET], {}),
    ("generate_backup_codes", otp_core.generate_backup_codes, [3], {}),
    ("hash_backup_codes", otp_core.hash_backup_codes, [["ABCDE-FGHJK"]], {"iterations": 1000}),
    ("verify_backup_code", otp_core.verify_backup_code, ["ABCDE-FGHJK", HASHES], {}),
    ("normalize_backup_code", otp_core.normalize_backup_code, ["abcde-fghjk"], {}),
    ("TOTP", otp_core.TOTP, [SECRET, 6, None, "alice", "ACME", 30], {"t0": 0, "allow_legacy_secret": False}),
    ("HOTP", otp_core.HOTP, [SECRET, 6, None, "alice", "ACME", 0], {"allow_legacy_secret": False}),
    ("Steam", otp_core.Steam, [SECRET, "alice", "ACME", 30, 5], {"allow_legacy_secret": False}),
    ("Throttle", otp_core.Throttle, [1, 900], {}),
    ("TOTP.now", lambda: totp().now(), [], {}),
    ("TOTP.at", lambda *a, **k: totp().at(*a, **k), [10**9, 0], {}),
    ("TOTP.timecode", lambda *a, **k: totp().timecode(*a, **k), [10**9], {}),
    ("TOTP.verify", lambda *a, **k: totp().verify(*a, **k), ["123456", 10**9, 1], {}),
    (
        "TOTP.match",
        lambda *a, **k: totp().match(*a, **k),
        ["123456", 10**9],
        {"past": 1, "future": 1, "drift": 0, "last_step": None},
    ),
    ("TOTP.provisioning_uri", lambda *a, **k: totp().provisioning_uri(*a, **k), ["bob", "ACME", None], {}),
    ("TOTP.qr_svg", lambda *a, **k: totp().qr_svg(*a, **k), ["bob", "ACME", None], {}),
    ("TOTP.qr_png", lambda *a, **k: totp().qr_png(*a, **k), ["bob", "ACME", None], {}),
    ("TOTP.qr_data_uri", lambda *a, **k: totp().qr_data_uri(*a, **k), ["bob", "ACME", None], {}),
    ("TOTP.qr_terminal", lambda *a, **k: totp().qr_terminal(*a, **k), ["bob", "ACME", None], {}),
    ("HOTP.at", lambda *a, **k: hotp().at(*a, **k), [5], {}),
    ("HOTP.verify", lambda *a, **k: hotp().verify(*a, **k), ["123456", 5], {}),
    ("HOTP.match", lambda *a, **k: hotp().match(*a, **k), ["123456", 5], {"look_ahead": 3}),
    ("HOTP.provisioning_uri", lambda *a, **k: hotp().provisioning_uri(*a, **k), ["bob", 3, "ACME", None], {}),
    ("HOTP.qr_svg", lambda *a, **k: hotp().qr_svg(*a, **k), ["bob", 3, "ACME", None], {}),
    ("HOTP.qr_png", lambda *a, **k: hotp().qr_png(*a, **k), ["bob", 3, "ACME", None], {}),
    ("HOTP.qr_data_uri", lambda *a, **k: hotp().qr_data_uri(*a, **k), ["bob", 3, "ACME", None], {}),
    ("HOTP.qr_terminal", lambda *a, **k: hotp().qr_terminal(*a, **k), ["bob", 3, "ACME", None], {}),
    ("Steam.now", lambda: steam().now(), [], {}),
    ("Steam.at", lambda *a, **k: steam().at(*a, **k), [10**9, 0], {}),
    ("Steam.timecode", lambda *a, **k: steam().timecode(*a, **k), [10**9], {}),
    ("Steam.verify", lambda *a, **k: steam().verify(*a, **k), ["2C5H6", 10**9, 1], {}),
    (
        "Steam.match",
        lambda *a, **k: steam().match(*a, **k),
        ["2C5H6", 10**9],
        {"past": 1, "future": 1, "drift": 0, "last_step": None},
    ),
    ("Throttle.retry_after", lambda *a, **k: otp_core.Throttle().retry_after(*a, **k), [3, 10**9, 10**9 + 1], {}),
    (
        "Throttle.retry_after_millis",
        lambda *a, **k: otp_core.Throttle().retry_after_millis(*a, **k),
        [3, 10**12, 10**12 + 1],
        {},
    ),
    ("Throttle.is_allowed", lambda *a, **k: otp_core.Throttle().is_allowed(*a, **k), [3, 10**9, 10**9 + 1], {}),
    ("Throttle.delay", lambda *a, **k: otp_core.Throttle().delay(*a, **k), [3], {}),
    (
        "Throttle.retry_after_exact",
        lambda *a, **k: otp_core.Throttle().retry_after_exact(*a, **k),
        [3, 10**9, 10**9],
        {},
    ),
    ("random_secret", otp_core.random_secret, ["SHA256"], {}),
    ("clamp_drift", otp_core.clamp_drift, [3], {}),
    ("hash_raw_tokens", otp_core.hash_raw_tokens, [["token"]], {"iterations": 1000}),
    ("verify_raw_token", otp_core.verify_raw_token, ["token", HASHES], {}),
    ("check_backup_hash", otp_core.check_backup_hash, [HASHES[0]], {}),
    ("Keyring", otp_core.Keyring, [{"k": KEY}, "k"], {}),
    ("Keyring.seal", lambda *a, **k: KEYRING.seal(*a, **k), [SECRET, b"ctx"], {}),
    ("Keyring.open", lambda *a, **k: KEYRING.open(*a, **k), [ENVELOPE, b"ctx"], {}),
    ("Keyring.needs_rewrap", lambda *a, **k: KEYRING.needs_rewrap(*a, **k), [ENVELOPE], {}),
    ("Keyring.rewrap", lambda *a, **k: KEYRING.rewrap(*a, **k), [ENVELOPE, b"ctx"], {}),
    ("sealed_key_id", otp_core.sealed_key_id, [ENVELOPE], {}),
    (
        "Verifier",
        otp_core.Verifier,
        [],
        {"past": 1, "future": 1, "look_ahead": 3, "account_max_failures": 10, "clock_diagnosis": 5},
    ),
    (
        "Verifier.check",
        lambda *a, **k: otp_core.Verifier().check(*a, **k),
        [totp(), "123456", 10**9],
        {"last_step": 5, "drift": 0, "failures": 1, "last_failure_at": 10**9 - 100, "account_failures": 2},
    ),
    (
        "Verifier.check_backup",
        lambda *a, **k: otp_core.Verifier().check_backup(*a, **k),
        ["ABCDE-FGHJK", HASHES, 10**9],
        {"failures": 1, "last_failure_at": 10**9 - 100, "account_failures": 2},
    ),
    ("Verifier.replay_ttl", lambda *a, **k: otp_core.Verifier().replay_ttl(*a, **k), [30], {}),
    ("Verifier.guess_bound", lambda *a, **k: otp_core.Verifier().guess_bound(*a, **k), [6, 86400, 1, 1], {}),
]

# Verifiers, and the position of the code they check: any str or int there
# is "not accepted", never an exception.
VERIFIERS = {
    "TOTP.verify": 0,
    "TOTP.match": 0,
    "HOTP.verify": 0,
    "HOTP.match": 0,
    "Steam.verify": 0,
    "Steam.match": 0,
    "Verifier.check": 1,
    "Verifier.check_backup": 0,
}


def call(fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> BaseException | None:
    try:
        fn(*args, **kwargs)
    except BaseException as e:
        return e
    return None


def check(name: str, error: BaseException | None, where: str) -> None:
    if error is None:
        return
    assert isinstance(error, (otp_core.OtpError, TypeError)), (
        f"{name} {where}: {type(error).__module__}.{type(error).__name__}"
    )
    if isinstance(error, otp_core.OtpError):
        assert error.code in otp_core.ERROR_CODES
        assert SECRET not in str(error)


def test_every_call_works_with_its_valid_arguments() -> None:
    for name, fn, args, kwargs in CALLS:
        assert call(fn, args, kwargs) is None, name


@pytest.mark.parametrize("name,fn,args,kwargs", CALLS, ids=[c[0] for c in CALLS])
def test_each_argument_with_each_hostile_value(
    name: str, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]
) -> None:
    for i in range(len(args)):
        for value in HOSTILE:
            bad = [*args[:i], value, *args[i + 1 :]]
            error = call(fn, bad, kwargs)
            check(name, error, f"argument {i} = {type(value).__name__}")
            if VERIFIERS.get(name) == i and isinstance(value, (str, int)):
                assert error is None, f"{name}: a code of type {type(value).__name__} raised {error!r}"
    for key in kwargs:
        for value in HOSTILE:
            check(name, call(fn, args, {**kwargs, key: value}), f"keyword {key} = {type(value).__name__}")
    # Too many, too few and unknown arguments are TypeErrors.
    check(name, call(fn, [*args, *([None] * 8)], kwargs), "too many arguments")
    check(name, call(fn, args, {**kwargs, "no_such_argument": 1}), "unknown keyword")


def test_random_combinations() -> None:
    r = random.Random(20240501)
    for _ in range(4000):
        name, fn, args, kwargs = r.choice(CALLS)
        bad = [r.choice(HOSTILE) if r.random() < 0.6 else a for a in args]
        bad_kwargs = {k: (r.choice(HOSTILE) if r.random() < 0.5 else v) for k, v in kwargs.items()}
        check(name, call(fn, bad, bad_kwargs), "random combination")


def test_out_of_range_ints_map_to_their_field() -> None:
    t = otp_core.TOTP(SECRET)
    cases: list[tuple[Callable[[], Any], type[otp_core.OtpError]]] = [
        (lambda: otp_core.TOTP(SECRET, digits=2**70), otp_core.InvalidDigitsError),
        (lambda: otp_core.TOTP(SECRET, digits=-1), otp_core.InvalidDigitsError),
        (lambda: otp_core.TOTP(SECRET, interval=-30), otp_core.InvalidPeriodError),
        (lambda: otp_core.TOTP(SECRET, t0=-1), otp_core.InvalidT0Error),
        (lambda: otp_core.TOTP(SECRET, t0=2**64), otp_core.InvalidT0Error),
        (lambda: t.at(-1), otp_core.TimeBeforeT0Error),
        (lambda: t.at(-0.5), otp_core.TimeBeforeT0Error),
        (lambda: t.at(float("-inf")), otp_core.TimeBeforeT0Error),
        (lambda: t.at(2**64), otp_core.InvalidTimeError),
        (lambda: t.at(float("nan")), otp_core.InvalidTimeError),
        (lambda: t.at(float("inf")), otp_core.InvalidTimeError),
        (lambda: t.at(datetime.datetime(1969, 12, 31, tzinfo=UTC)), otp_core.TimeBeforeT0Error),
        (lambda: t.at(0, -1), otp_core.InvalidCounterError),
        (lambda: t.at(0, 2**64), otp_core.InvalidCounterError),
        (lambda: t.verify("123456", 0, -1), otp_core.InvalidWindowError),
        (lambda: t.verify("123456", 0, 11), otp_core.InvalidWindowError),
        (lambda: t.match("123456", 0, past=2**40), otp_core.InvalidWindowError),
        (lambda: t.match("123456", 0, drift=-(2**70)), otp_core.InvalidDriftError),
        (lambda: t.match("123456", 0, drift=11), otp_core.InvalidDriftError),
        (lambda: t.match("123456", 0, last_step=-1), otp_core.InvalidCounterError),
        (lambda: otp_core.HOTP(SECRET).at(-1), otp_core.InvalidCounterError),
        (lambda: otp_core.HOTP(SECRET, initial_count=2**64), otp_core.InvalidCounterError),
        (lambda: otp_core.HOTP(SECRET).match("123456", 0, look_ahead=101), otp_core.InvalidWindowError),
        (lambda: otp_core.Throttle(-1), otp_core.InvalidThrottleError),
        (lambda: otp_core.Throttle().retry_after(-1, 0, 0), otp_core.InvalidThrottleError),
        (lambda: otp_core.Throttle().retry_after(1, -1, 0), otp_core.TimeBeforeT0Error),
        (lambda: otp_core.Throttle().retry_after_millis(1, -1, 0), otp_core.TimeBeforeT0Error),
        (lambda: otp_core.Throttle().retry_after_millis(1, 0, 2**64), otp_core.InvalidTimeError),
        (lambda: otp_core.Throttle().retry_after_millis(2**32, 0, 0), otp_core.InvalidThrottleError),
        (lambda: otp_core.generate_backup_codes(-1), otp_core.InvalidBackupParamsError),
        (lambda: otp_core.hash_backup_codes(["ABCDE-FGHJK"], iterations=2**32), otp_core.InvalidBackupParamsError),
        (lambda: otp_core.random_base32(-1), otp_core.SecretTooShortError),
        (lambda: otp_core.random_base32(2**70), otp_core.SecretTooLongError),
        (lambda: otp_core.random_base32(33), otp_core.InvalidSecretError),
        (lambda: otp_core.random_hex(41), otp_core.InvalidSecretError),
        (lambda: otp_core.TOTP("\ud800" * 32), otp_core.InvalidSecretError),
        (lambda: otp_core.parse_uri("\ud800"), otp_core.InvalidUriError),
        (lambda: otp_core.TOTP(SECRET).provisioning_uri("\ud800"), otp_core.InvalidLabelError),
        (lambda: otp_core.TOTP(SECRET).provisioning_uri("a", image="\ud800"), otp_core.InvalidUriError),
        (lambda: otp_core.TOTP(SECRET, digest="md5"), otp_core.UnsupportedAlgorithmError),
        (lambda: otp_core.TOTP(SECRET, digest=hashlib.md5), otp_core.UnsupportedAlgorithmError),
        (lambda: otp_core.TOTP(SECRET, digest=hashlib.sha3_256), otp_core.UnsupportedAlgorithmError),
        (lambda: otp_core.TOTP(SECRET, digest="\ud800"), otp_core.UnsupportedAlgorithmError),
        (lambda: otp_core.hash_backup_codes(["\ud800"], iterations=1000), otp_core.InvalidBackupCodeError),
        (lambda: otp_core.verify_backup_code("x", ["\ud800"]), otp_core.InvalidBackupHashError),
        # Iterables longer than the core's bounds are read no further.
        (lambda: otp_core.hash_backup_codes(itertools.repeat("ABCDE-FGHJK")), otp_core.InvalidBackupParamsError),
        (lambda: otp_core.verify_backup_code("x", itertools.repeat(HASHES[0])), otp_core.InputTooLongError),
        (lambda: otp_core.verify_backup_code("x", [HASHES[0]] * 1001), otp_core.InputTooLongError),
    ]
    for fn, expected in cases:
        with pytest.raises(expected):
            fn()


def test_wrong_types_are_type_errors() -> None:
    t = otp_core.TOTP(SECRET)
    cases: list[Callable[[], Any]] = [
        lambda: otp_core.TOTP(bytearray(b"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")),  # type: ignore[arg-type]
        lambda: otp_core.TOTP(5),  # type: ignore[arg-type]
        lambda: otp_core.TOTP(SECRET, digits="6"),  # type: ignore[arg-type]
        lambda: otp_core.TOTP(SECRET, digits=6.0),  # type: ignore[arg-type]
        lambda: otp_core.TOTP(SECRET, digest=5),  # type: ignore[arg-type]
        lambda: otp_core.TOTP(SECRET, name=5),  # type: ignore[arg-type]
        lambda: otp_core.TOTP(SECRET, allow_legacy_secret=1),  # type: ignore[arg-type]
        lambda: t.at("59"),  # type: ignore[arg-type]
        lambda: t.at(datetime.date(2024, 1, 1)),  # type: ignore[arg-type]
        lambda: t.verify(None),  # type: ignore[arg-type]
        lambda: t.verify(b"123456"),  # type: ignore[arg-type]
        lambda: t.verify(123456.0),  # type: ignore[arg-type]
        lambda: otp_core.hash_backup_codes("ABCDE-FGHJK"),
        lambda: otp_core.hash_backup_codes([b"ABCDE-FGHJK"]),  # type: ignore[list-item]
        lambda: otp_core.verify_backup_code("ABCDE-FGHJK", "pbkdf2_sha256$1000$salt$hash"),
        lambda: otp_core.parse_uri(b"otpauth://totp/a?secret=" + SECRET.encode()),  # type: ignore[arg-type]
    ]
    for fn in cases:
        with pytest.raises(TypeError):
            fn()


def test_verification_never_raises_because_of_the_code() -> None:
    t = otp_core.TOTP(SECRET)
    h = otp_core.HOTP(SECRET)
    s = otp_core.Steam(SECRET)
    r = random.Random(7)
    alphabet = "0123456789 -+\x00\t\n١２\ud800aZ😀"
    for _ in range(3000):
        code: str | int = "".join(r.choice(alphabet) for _ in range(r.randint(0, 14)))
        if r.random() < 0.1:
            code = r.choice([-1, 0, 2**64, -(10**30), 123456])
        assert t.verify(code, 10**9, 1) in (True, False)
        assert t.match(code, 10**9) is None or isinstance(code, int) or code.isdigit()
        assert h.verify(code, 0) in (True, False)
        assert h.match(code, 0, look_ahead=5) is None or isinstance(code, int) or code.isdigit()
        assert s.verify(code, 10**9) in (True, False)
        assert otp_core.verify_backup_code(str(code), HASHES) is None
