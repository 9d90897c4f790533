"""otp_core against pyotp, django-otp and cryptography, in one run: ns per call.

Fixture (as the Rust benches): RFC 6238's SHA1 key b"12345678901234567890",
6 digits, 30 s, T = 1111111109 (step 37037036). The valid code is the code of
the step before T, so a +-1 window accepts it at offset -1; the invalid code
is well formed and matches no step within +-10.

Rows:
  generate               the code at T
  verify_1_valid         verify the valid code at T, window +-1
  verify_1_invalid       verify the invalid code at T, window +-1
  base32_new_verify_1_invalid
                         construct from the base32 secret, then verify the
                         invalid code (one server request)

Each library is called the way its users call it: otp_core and pyotp with
the identical `verify(otp, for_time=T, valid_window=1)`; django-otp's
`django_otp.oath.TOTP` with `.time = T` and `verify(int_token, tolerance=1)`
(its drift is reset before each valid verification, since a match moves it);
cryptography's `TOTP` has no window, so +-1 is three `verify(token, t)` calls
in a loop, stopping at the first success (`InvalidToken` otherwise).

Run: make bench-python  (= .venv/bin/python benches/python/compare.py)
Not a timed test: it prints a table and says whether the targets are met.
"""

from __future__ import annotations

import base64
import os
import platform
import sys
import timeit
from importlib import metadata
from typing import Callable

import django_otp.oath
import pyotp
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP as CryptoTOTP

import otp_core

KEY = b"12345678901234567890"
B32 = base64.b32encode(KEY).decode("ascii")
T = 1111111109
STEP = 30


def reference(step: int) -> str:
    return pyotp.HOTP(B32).at(step)


VALID = reference(T // STEP - 1)
INVALID = next(c for c in ("000000", "111111", "222222") if c not in {reference(T // STEP + i) for i in range(-10, 11)})

# -- the four libraries ------------------------------------------------------

ours = otp_core.TOTP(B32)
theirs = pyotp.TOTP(B32)
django = django_otp.oath.TOTP(KEY, step=STEP, t0=0, digits=6, drift=0)
django.time = T
crypto = CryptoTOTP(KEY, 6, SHA1(), STEP)


def crypto_verify(totp: CryptoTOTP, code: str) -> bool:
    token = code.encode("ascii")
    for offset in (-1, 0, 1):
        try:
            totp.verify(token, T + offset * STEP)
            return True
        except InvalidToken:
            pass
    return False


def django_verify(totp: django_otp.oath.TOTP, code: str) -> bool:
    totp.drift = 0
    return bool(totp.verify(int(code), tolerance=1))


def django_new(code: str) -> bool:
    totp = django_otp.oath.TOTP(base64.b32decode(B32), step=STEP, t0=0, digits=6, drift=0)
    totp.time = T
    return bool(totp.verify(int(code), tolerance=1))


ROWS: dict[str, dict[str, Callable[[], object]]] = {
    "generate": {
        "otp_core": lambda: ours.at(T),
        "pyotp": lambda: theirs.at(T),
        "django-otp": lambda: django.token(),
        "cryptography": lambda: crypto.generate(T),
    },
    "verify_1_valid": {
        "otp_core": lambda: ours.verify(VALID, for_time=T, valid_window=1),
        "pyotp": lambda: theirs.verify(VALID, for_time=T, valid_window=1),
        "django-otp": lambda: django_verify(django, VALID),
        "cryptography": lambda: crypto_verify(crypto, VALID),
    },
    "verify_1_invalid": {
        "otp_core": lambda: ours.verify(INVALID, for_time=T, valid_window=1),
        "pyotp": lambda: theirs.verify(INVALID, for_time=T, valid_window=1),
        "django-otp": lambda: django_verify(django, INVALID),
        "cryptography": lambda: crypto_verify(crypto, INVALID),
    },
    "base32_new_verify_1_invalid": {
        "otp_core": lambda: otp_core.TOTP(B32).verify(INVALID, for_time=T, valid_window=1),
        "pyotp": lambda: pyotp.TOTP(B32).verify(INVALID, for_time=T, valid_window=1),
        "django-otp": lambda: django_new(INVALID),
        "cryptography": lambda: crypto_verify(CryptoTOTP(base64.b32decode(B32), 6, SHA1(), STEP), INVALID),
    },
}
LIBRARIES = ["otp_core", "pyotp", "django-otp", "cryptography"]

# Targets (issue 3): how many times faster otp_core must be.
TARGETS = [
    ("verify_1_invalid", "pyotp", 20.0),
    ("verify_1_invalid", "django-otp", 8.0),
    ("base32_new_verify_1_invalid", "django-otp", 10.0),
]


def check_agreement() -> None:
    """Every library gives the same answers before anything is timed."""
    code = ours.at(T)
    assert code == theirs.at(T) == f"{django.token():06d}" == crypto.generate(T).decode(), "generate differs"
    for row, expected in (
        ("verify_1_valid", True),
        ("verify_1_invalid", False),
        ("base32_new_verify_1_invalid", False),
    ):
        for lib in LIBRARIES:
            assert bool(ROWS[row][lib]()) is expected, f"{row}: {lib} disagrees"
    m = ours.match(VALID, T)
    assert m is not None and m.offset == -1
    for step in range(T // STEP - 1000, T // STEP + 1000):
        assert ours.at(step * STEP) == theirs.at(step * STEP)


def ns_per_call(fn: Callable[[], object], repeat: int, budget: float) -> float:
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, int(number * budget / 0.2))
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e9


def main() -> int:
    repeat = int(os.environ.get("BENCH_REPEAT", "7"))
    budget = float(os.environ.get("BENCH_BUDGET", "0.2"))  # seconds per repeat
    check_agreement()
    results = {row: {lib: ns_per_call(fn, repeat, budget) for lib, fn in libs.items()} for row, libs in ROWS.items()}

    versions = ", ".join(
        f"{dist} {metadata.version(dist)}" for dist in ("otp-core", "pyotp", "django-otp", "cryptography")
    )
    print(f"Python {platform.python_version()} ({platform.machine()}); {versions}")
    print(f"best of {repeat} repeats of ~{budget:.1f} s each; ns per call\n")
    header = (
        "| row | "
        + " | ".join(f"{lib} (ns)" for lib in LIBRARIES)
        + " | "
        + " | ".join(f"{lib} / otp_core" for lib in LIBRARIES[1:])
        + " |"
    )
    print(header)
    print("|---|" + "---:|" * (len(LIBRARIES) + 3))
    for row, by_lib in results.items():
        base = by_lib["otp_core"]
        cells = " | ".join(f"{by_lib[lib]:,.0f}" for lib in LIBRARIES)
        ratios = " | ".join(f"{by_lib[lib] / base:.1f}×" for lib in LIBRARIES[1:])
        print(f"| `{row}` | {cells} | {ratios} |")
    print()
    ok = True
    for row, lib, target in TARGETS:
        ratio = results[row][lib] / results[row]["otp_core"]
        met = ratio >= target
        ok &= met
        print(f"target {row}: otp_core >= {target:g}× faster than {lib}: {ratio:.1f}× {'met' if met else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
