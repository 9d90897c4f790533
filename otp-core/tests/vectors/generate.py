#!/usr/bin/env python3
"""Generates otp-core's language-neutral conformance vectors.

Every expectation here comes from an implementation that is independent of
otp-core's Rust code: the RFCs' own tables, pyotp (HOTP, TOTP, Steam), Django's
PBKDF2PasswordHasher and check_password (backup-code hashes), Python's
base64 module (base32 cross-checks), and small reference implementations of
the documented semantics written below (windows, drift, replay, throttling,
base32 leniency, backup-code normalisation). Each hand-chosen case also states
what its author expects (`want`), and the script refuses to write anything
when the reference implementation disagrees.

Usage (from this directory, in the venv that requirements.txt describes):

    python generate.py          # (re)write the generated *.json files
    python generate.py --check  # exit 1 if a committed file differs

Hand-written files (uri_parse.json, uri_build.json) are not touched.
Deterministic: no randomness except seeded random.Random(...) instances, fixed
salts, no clock.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import random
import struct
import sys
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

import nacl.bindings
import pyotp
import pyotp.contrib

HERE = Path(__file__).resolve().parent
U64_MAX = 2**64 - 1
MAX_WINDOW = 10
MAX_DRIFT = 10
MAX_LOOK_AHEAD = 100

DIGESTS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}

RFC_SEED_SHA1 = b"12345678901234567890"
RFC_SEED_SHA256 = b"12345678901234567890123456789012"
RFC_SEED_SHA512 = b"1234567890123456789012345678901234567890123456789012345678901234"
RFC_SEEDS = {"SHA1": RFC_SEED_SHA1, "SHA256": RFC_SEED_SHA256, "SHA512": RFC_SEED_SHA512}


class CheckError(Exception):
    """A reference implementation disagrees with a stated expectation."""


def check(cond: bool, msg: str) -> None:
    if not cond:
        raise CheckError(msg)


def b32(data: bytes) -> str:
    """Unpadded upper-case base32, as pyotp wants it and otpauth URIs carry it."""
    return base64.b32encode(data).decode("ascii").rstrip("=")


def unique_names(cases: list[dict], what: str) -> None:
    names = [c["name"] for c in cases]
    dupes = sorted({n for n in names if names.count(n) > 1})
    check(not dupes, f"{what}: duplicate case names {dupes}")


# --------------------------------------------------------------------------
# pyotp wrappers


class _LegacyHOTP(pyotp.HOTP):
    # pyotp refuses secrets under 112 bits; the vectors never need it, but keep
    # the wrapper independent of that policy.
    min_secret_length_bits = 80


def hotp_code(secret: bytes, algorithm: str, digits: int, counter: int) -> str:
    check(0 <= counter <= U64_MAX, f"counter {counter} outside u64")
    return _LegacyHOTP(b32(secret), digits=digits, digest=DIGESTS[algorithm]).at(counter)


def hmac_truncated(secret: bytes, algorithm: str, counter: int) -> int:
    """RFC 4226 §5.3, written out (an independent check of pyotp)."""
    mac = hmac.new(secret, struct.pack(">Q", counter), DIGESTS[algorithm]).digest()
    offset = mac[-1] & 0x0F
    return int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF


def totp_code_pyotp(secret: bytes, algorithm: str, digits: int, period: int, time: int) -> str:
    """pyotp's TOTP (t0 = 0), given an aware UTC datetime so no local zone leaks in."""
    when = datetime.fromtimestamp(time, tz=timezone.utc)
    return pyotp.TOTP(b32(secret), digits=digits, digest=DIGESTS[algorithm], interval=period).at(when)


# --------------------------------------------------------------------------
# hotp_rfc4226.json


def gen_hotp_rfc4226() -> dict:
    # RFC 4226 Appendix D, literally: (count, truncated decimal, HOTP value).
    table = [
        (0, 1284755224, "755224"),
        (1, 1094287082, "287082"),
        (2, 137359152, "359152"),
        (3, 1726969429, "969429"),
        (4, 1640338314, "338314"),
        (5, 868254676, "254676"),
        (6, 1918287922, "287922"),
        (7, 82162583, "162583"),
        (8, 673399871, "399871"),
        (9, 645520489, "520489"),
    ]
    cases = []
    for counter, truncated, code in table:
        check(hmac_truncated(RFC_SEED_SHA1, "SHA1", counter) == truncated, f"RFC 4226 truncated {counter}")
        check(hotp_code(RFC_SEED_SHA1, "SHA1", 6, counter) == code, f"RFC 4226 pyotp {counter}")
        check(str(truncated % 10**6).zfill(6) == code, f"RFC 4226 mod {counter}")
        cases.append(
            {
                "name": f"rfc4226_count_{counter}",
                "secret_hex": RFC_SEED_SHA1.hex(),
                "algorithm": "SHA1",
                "digits": 6,
                "counter": counter,
                "truncated": truncated,
                "code": code,
            }
        )
    return {
        "description": 'HOTP test values of RFC 4226 Appendix D: secret "12345678901234567890" (ASCII), '
        "HMAC-SHA-1, 6 digits, counters 0..9, with the 31-bit dynamically truncated value.",
        "source": "RFC 4226 Appendix D (literal), checked by generate.py against pyotp.HOTP and hmac.",
        "cases": cases,
    }


# --------------------------------------------------------------------------
# totp_rfc6238.json


def gen_totp_rfc6238() -> dict:
    # RFC 6238 Appendix B: time -> (SHA1, SHA256, SHA512), 8 digits, 30 s, T0 = 0,
    # with the seeds of the RFC's reference code (20, 32 and 64 bytes).
    table = [
        (59, "94287082", "46119246", "90693936"),
        (1111111109, "07081804", "68084774", "25091201"),
        (1111111111, "14050471", "67062674", "99943326"),
        (1234567890, "89005924", "91819424", "93441116"),
        (2000000000, "69279037", "90698825", "38618901"),
        (20000000000, "65353130", "77737706", "47863826"),
    ]
    cases = []
    for time, *codes in table:
        for algorithm, code in zip(("SHA1", "SHA256", "SHA512"), codes):
            seed = RFC_SEEDS[algorithm]
            step = time // 30
            check(totp_code_pyotp(seed, algorithm, 8, 30, time) == code, f"RFC 6238 pyotp TOTP {time} {algorithm}")
            check(hotp_code(seed, algorithm, 8, step) == code, f"RFC 6238 pyotp HOTP {time} {algorithm}")
            cases.append(
                {
                    "name": f"rfc6238_{algorithm.lower()}_{time}",
                    "secret_hex": seed.hex(),
                    "algorithm": algorithm,
                    "digits": 8,
                    "period": 30,
                    "t0": 0,
                    "time": time,
                    "step": step,
                    "code": code,
                }
            )
    return {
        "description": "TOTP test values of RFC 6238 Appendix B, all 18 rows, 8 digits, period 30, T0 = 0, "
        'with the proper seed for each algorithm: SHA1 "12345678901234567890" (20 bytes), SHA256 '
        '"12345678901234567890123456789012" (32 bytes), SHA512 '
        '"1234567890123456789012345678901234567890123456789012345678901234" (64 bytes).',
        "source": "RFC 6238 Appendix B (literal), checked by generate.py against pyotp.TOTP and pyotp.HOTP.",
        "cases": cases,
    }


# --------------------------------------------------------------------------
# totp_verify.json


def ref_totp_verify(c: dict) -> object:
    """The documented semantics of Totp::verify, with a Window built first."""
    if c["past"] > MAX_WINDOW or c["future"] > MAX_WINDOW:
        return {"error": "invalid_window"}
    if abs(c["drift"]) > MAX_DRIFT:
        return {"error": "invalid_drift"}
    if c["time"] < c["t0"]:
        return {"error": "time_before_t0"}
    secret = bytes.fromhex(c["secret_hex"])
    current = (c["time"] - c["t0"]) // c["period"]
    centre = current + c["drift"]
    for step in range(centre - c["past"], centre + c["future"] + 1):  # ascending: lowest match wins
        if not 0 <= step <= U64_MAX:
            continue
        if c["last_step"] is not None and step <= c["last_step"]:
            continue
        if abs(step - current) > MAX_DRIFT:
            continue
        if c["code"] == hotp_code(secret, c["algorithm"], c["digits"], step):
            return {"step": step, "offset": step - current}
    return None


# Two steps that share a code under the RFC SHA1 seed, 6 digits (found by search, checked below).
DUP_LOW, DUP_HIGH, DUP_CODE = 37353814, 37353816, "137227"
# A step whose 6-digit SHA1 code (RFC seed) has a leading zero.
LEADING_ZERO_STEP, LEADING_ZERO_CODE = 37451272, "096849"


def gen_totp_verify() -> dict:
    rng = random.Random(6238)
    other = bytes(rng.randrange(256) for _ in range(20))
    seeds = dict(RFC_SEEDS)

    check(hotp_code(RFC_SEED_SHA1, "SHA1", 6, DUP_LOW) == DUP_CODE, "dup low")
    check(hotp_code(RFC_SEED_SHA1, "SHA1", 6, DUP_HIGH) == DUP_CODE, "dup high")
    check(hotp_code(RFC_SEED_SHA1, "SHA1", 6, DUP_LOW + 1) != DUP_CODE, "dup middle")
    check(hotp_code(RFC_SEED_SHA1, "SHA1", 6, LEADING_ZERO_STEP) == LEADING_ZERO_CODE, "leading zero")

    T = 1111111111  # step 37037037 at 30 s
    C = T // 30
    cases: list[dict] = []

    def add(
        name,
        *,
        code,
        want,
        time=T,
        secret=RFC_SEED_SHA1,
        algorithm="SHA1",
        digits=6,
        period=30,
        t0=0,
        past=1,
        future=1,
        drift=0,
        last_step=None,
    ):
        """`code` is a literal string, or an int step whose code is used."""
        if isinstance(code, int):
            code = hotp_code(secret, algorithm, digits, code)
        case = {
            "name": name,
            "secret_hex": secret.hex(),
            "algorithm": algorithm,
            "digits": digits,
            "period": period,
            "t0": t0,
            "time": time,
            "code": code,
            "past": past,
            "future": future,
            "drift": drift,
            "last_step": last_step,
        }
        got = ref_totp_verify(case)
        check(got == want, f"totp_verify {name}: reference says {got}, case wants {want}")
        case["expect"] = got
        cases.append(case)

    def m(step, offset):
        return {"step": step, "offset": offset}

    # Plain windows.
    add("exact_window_current_step", code=C, past=0, future=0, want=m(C, 0))
    add("exact_window_refuses_previous_step", code=C - 1, past=0, future=0, want=None)
    add("exact_window_refuses_next_step", code=C + 1, past=0, future=0, want=None)
    add("default_window_current_step", code=C, want=m(C, 0))
    add("default_window_past_1", code=C - 1, want=m(C - 1, -1))
    add("default_window_future_1", code=C + 1, want=m(C + 1, 1))
    add("default_window_refuses_past_2", code=C - 2, want=None)
    add("default_window_refuses_future_2", code=C + 2, want=None)
    add("right_code_for_step_far_outside_window", code=C - 5, want=None)
    add("past_only_window_accepts_past_2", code=C - 2, past=2, future=0, want=m(C - 2, -2))
    add("past_only_window_refuses_future_1", code=C + 1, past=2, future=0, want=None)
    add("future_only_window_accepts_future_3", code=C + 3, past=0, future=3, want=m(C + 3, 3))
    add("future_only_window_refuses_past_1", code=C - 1, past=0, future=3, want=None)
    add("max_window_accepts_past_10", code=C - 10, past=10, future=10, want=m(C - 10, -10))
    add("max_window_accepts_future_10", code=C + 10, past=10, future=10, want=m(C + 10, 10))
    add("max_window_refuses_future_11", code=C + 11, past=10, future=10, want=None)
    add("rfc6238_time_59_8_digits", time=59, digits=8, code="94287082", want=m(1, 0))
    add("rfc6238_code_of_59_at_89_past_1", time=89, digits=8, code="94287082", want=m(1, -1))
    add("step_boundary_time_60_is_step_2", time=60, digits=8, code="94287082", past=0, future=0, want=None)

    # Drift re-centres the window.
    for off in (2, 3, 4):
        add(f"drift_3_window_1_accepts_offset_{off}", code=C + off, drift=3, want=m(C + off, off))
    add("drift_3_window_1_refuses_offset_0", code=C, drift=3, want=None)
    add("drift_3_window_1_refuses_offset_1", code=C + 1, drift=3, want=None)
    add("drift_3_window_1_refuses_offset_5", code=C + 5, drift=3, want=None)
    add("drift_minus_3_window_1_accepts_offset_minus_4", code=C - 4, drift=-3, want=m(C - 4, -4))
    add("drift_minus_3_window_1_refuses_offset_0", code=C, drift=-3, want=None)

    # MAX_DRIFT clamps the re-centred window.
    add("drift_10_future_5_accepts_offset_10", code=C + 10, drift=10, past=0, future=5, want=m(C + 10, 10))
    add("drift_10_future_5_refuses_offset_11", code=C + 11, drift=10, past=0, future=5, want=None)
    add("drift_10_future_5_refuses_offset_15", code=C + 15, drift=10, past=0, future=5, want=None)
    add("drift_10_past_3_accepts_offset_7", code=C + 7, drift=10, past=3, future=5, want=m(C + 7, 7))
    add("drift_minus_10_past_5_accepts_offset_minus_10", code=C - 10, drift=-10, past=5, future=0, want=m(C - 10, -10))
    add("drift_minus_10_past_5_refuses_offset_minus_11", code=C - 11, drift=-10, past=5, future=0, want=None)
    add("drift_minus_10_past_5_refuses_offset_minus_15", code=C - 15, drift=-10, past=5, future=0, want=None)
    add("drift_10_window_10_refuses_offset_20", code=C + 20, drift=10, past=10, future=10, want=None)
    add("drift_10_window_10_accepts_offset_0", code=C, drift=10, past=10, future=10, want=m(C, 0))

    # Replay protection: only steps strictly greater than last_step.
    add("replay_last_step_equals_step_refused", code=C, last_step=C, want=None)
    add("replay_last_step_one_before_accepted", code=C, last_step=C - 1, want=m(C, 0))
    add("replay_last_step_above_refused", code=C, last_step=C + 5, want=None)
    add("replay_last_step_current_accepts_next", code=C + 1, last_step=C, want=m(C + 1, 1))
    add("replay_last_step_current_refuses_previous", code=C - 1, last_step=C, want=None)
    add("replay_last_step_zero_accepts_current", code=C, last_step=0, want=m(C, 0))
    add("replay_last_step_u64_max_refuses_all", code=C, last_step=U64_MAX, want=None)

    # Several candidates with the same code: the lowest eligible one is returned.
    dup_time = (DUP_LOW + 1) * 30 + 7
    add("duplicate_code_lowest_step_returned", time=dup_time, code=DUP_CODE, want=m(DUP_LOW, -1))
    add(
        "duplicate_code_lower_step_replayed_higher_returned",
        time=dup_time,
        code=DUP_CODE,
        last_step=DUP_LOW,
        want=m(DUP_HIGH, 1),
    )
    add("duplicate_code_both_replayed", time=dup_time, code=DUP_CODE, last_step=DUP_HIGH, want=None)

    # No negative steps, no u64 overflow.
    add("step_0_past_3_accepts_step_0", time=15, code=0, past=3, want=m(0, 0))
    add("step_0_past_3_accepts_step_1", time=15, code=1, past=3, want=m(1, 1))
    add("step_0_past_3_refuses_code_of_wrapped_step_u64_max_minus_2", time=15, code=U64_MAX - 2, past=3, want=None)
    add(
        "step_0_drift_minus_5_past_3_refuses_wrapped_steps",
        time=15,
        code=U64_MAX - 7,
        drift=-5,
        past=3,
        future=1,
        want=None,
    )
    add(
        "time_u64_max_period_1_step_u64_max", time=U64_MAX, period=1, code=U64_MAX, past=0, future=2, want=m(U64_MAX, 0)
    )
    add(
        "time_u64_max_period_1_past_1",
        time=U64_MAX,
        period=1,
        code=U64_MAX - 1,
        past=1,
        future=2,
        want=m(U64_MAX - 1, -1),
    )
    add(
        "time_u64_max_period_1_future_refuses_wrapped_step_0",
        time=U64_MAX,
        period=1,
        code=0,
        past=0,
        future=2,
        want=None,
    )
    add(
        "time_u64_max_period_1_drift_5_no_candidates",
        time=U64_MAX,
        period=1,
        code=U64_MAX,
        past=0,
        future=2,
        drift=5,
        want=None,
    )
    add(
        "time_u64_max_replay_u64_max",
        time=U64_MAX,
        period=1,
        code=U64_MAX,
        past=1,
        future=2,
        last_step=U64_MAX,
        want=None,
    )
    add("t0_equals_time_u64_max_is_step_0", time=U64_MAX, t0=U64_MAX, code=0, want=m(0, 0))
    add("t0_near_u64_max", time=U64_MAX, t0=U64_MAX - 95, code=3, want=m(3, 0))
    add("time_u64_max_period_86400", time=U64_MAX, period=86400, code=U64_MAX // 86400, want=m(U64_MAX // 86400, 0))

    # Malformed and near-miss codes are never accepted (and never an error).
    good = hotp_code(RFC_SEED_SHA1, "SHA1", 6, C)
    add("code_empty", code="", want=None)
    add("code_5_digits_suffix", code=good[1:], want=None)
    add("code_7_digits_extra_0", code=good + "0", want=None)
    add("code_with_inner_space", code=good[:3] + " " + good[3:], want=None)
    add("code_with_trailing_space", code=good + " ", want=None)
    add("code_with_leading_space", code=" " + good, want=None)
    add("code_with_hyphen", code=good[:3] + "-" + good[3:], want=None)
    add("code_with_non_digit", code=good[:5] + "a", want=None)
    add("code_with_plus_sign", code="+" + good[1:], want=None)
    add("code_fullwidth_digits", code="".join(chr(0xFF10 + int(d)) for d in good), want=None)
    add("code_arabic_indic_digits", code="".join(chr(0x0660 + int(d)) for d in good), want=None)
    add("code_with_nul", code=good + "\u0000", want=None)
    eight = hotp_code(RFC_SEED_SHA1, "SHA1", 8, C)
    add("code_8_digits_to_6_digit_config", code=eight, want=None)
    add("code_6_digits_to_8_digit_config", digits=8, code=eight[2:], want=None)
    add("code_8_digits_to_8_digit_config", digits=8, code=eight, want=m(C, 0))
    lz_time = LEADING_ZERO_STEP * 30
    add(
        "leading_zero_code_accepted",
        time=lz_time,
        code=LEADING_ZERO_CODE,
        past=0,
        future=0,
        want=m(LEADING_ZERO_STEP, 0),
    )
    add("leading_zero_dropped_refused", time=lz_time, code=LEADING_ZERO_CODE.lstrip("0"), past=0, future=0, want=None)

    # Other algorithms, digits, periods and epochs.
    for algorithm in ("SHA256", "SHA512"):
        for digits in (8, 10):
            add(
                f"{algorithm.lower()}_{digits}_digits_future_1",
                secret=seeds[algorithm],
                algorithm=algorithm,
                digits=digits,
                code=C + 1,
                want=m(C + 1, 1),
            )
        add(
            f"{algorithm.lower()}_10_digits_code_of_other_algorithm_refused",
            secret=seeds[algorithm],
            algorithm=algorithm,
            digits=10,
            code=hotp_code(seeds[algorithm], "SHA1", 10, C),
            want=None,
        )
    add("sha1_10_digits_current", digits=10, code=C, want=m(C, 0))
    add("other_secret_past_1", secret=other, code=C - 1, want=m(C - 1, -1))
    add("code_of_other_secret_refused", code=hotp_code(other, "SHA1", 6, C), want=None)
    t0 = 1000
    add("period_60_t0_1000_future_1", period=60, t0=t0, time=t0 + 60 * 100 + 59, code=101, want=m(101, 1))
    add("period_60_t0_1000_at_t0_is_step_0", period=60, t0=t0, time=t0, code=0, want=m(0, 0))
    add(
        "period_60_t0_1000_code_of_t0_0_step_refused",
        period=60,
        t0=t0,
        time=t0 + 60 * 100,
        past=0,
        future=0,
        code=(t0 + 60 * 100) // 60,
        want=None,
    )
    add("period_1_t0_0_past_10", period=1, time=1000, past=10, future=0, code=990, want=m(990, -10))

    # Errors: the window is built first, so its errors come before time_before_t0.
    add("error_past_11", code=C, past=11, want={"error": "invalid_window"})
    add("error_future_11", code=C, future=11, want={"error": "invalid_window"})
    add("error_drift_minus_11", code=C, drift=-11, want={"error": "invalid_drift"})
    add("error_drift_11", code=C, drift=11, want={"error": "invalid_drift"})
    add("error_time_before_t0", t0=1000, time=999, code="000000", want={"error": "time_before_t0"})
    add("error_time_0_before_t0_1", t0=1, time=0, code="000000", want={"error": "time_before_t0"})
    add(
        "error_window_before_time_before_t0",
        t0=1000,
        time=999,
        past=11,
        code="000000",
        want={"error": "invalid_window"},
    )
    add(
        "error_drift_before_time_before_t0",
        t0=1000,
        time=999,
        drift=-11,
        code="000000",
        want={"error": "invalid_drift"},
    )
    add("error_window_before_drift", past=0, future=11, drift=11, code=C, want={"error": "invalid_window"})

    unique_names(cases, "totp_verify")
    return {
        "description": "TOTP verification: windows (past/future), drift centre, the MAX_DRIFT (10) clamp, replay "
        "protection (last_step), steps that would fall below 0 or above 2^64-1, malformed codes, and the errors of "
        "Window and Totp::verify. expect is null (not accepted), {step, offset} (the lowest eligible matching step "
        "and step - current), or {error}.",
        "source": "generate.py: codes from pyotp.HOTP at each step; expectations from an independent Python "
        "implementation of the documented semantics (see README.md), checked against each case's stated intent.",
        "cases": cases,
    }


# --------------------------------------------------------------------------
# hotp_verify.json


def ref_hotp_verify(c: dict) -> object:
    if c["look_ahead"] > MAX_LOOK_AHEAD:
        return {"error": "invalid_window"}
    secret = bytes.fromhex(c["secret_hex"])
    for counter in range(c["counter"], c["counter"] + c["look_ahead"] + 1):
        if counter > U64_MAX:
            continue
        if c["code"] == hotp_code(secret, c["algorithm"], c["digits"], counter):
            return {"counter": counter}
    return None


def gen_hotp_verify() -> dict:
    cases: list[dict] = []

    def add(name, *, counter, look_ahead, code, want, secret=RFC_SEED_SHA1, algorithm="SHA1", digits=6):
        if isinstance(code, int):
            code = hotp_code(secret, algorithm, digits, code)
        case = {
            "name": name,
            "secret_hex": secret.hex(),
            "algorithm": algorithm,
            "digits": digits,
            "counter": counter,
            "look_ahead": look_ahead,
            "code": code,
        }
        got = ref_hotp_verify(case)
        check(got == want, f"hotp_verify {name}: reference says {got}, case wants {want}")
        case["expect"] = got
        cases.append(case)

    add("rfc4226_counter_0_no_look_ahead", counter=0, look_ahead=0, code="755224", want={"counter": 0})
    add("rfc4226_counter_1_not_ahead_0", counter=0, look_ahead=0, code="287082", want=None)
    add("rfc4226_look_ahead_5_matches_3", counter=0, look_ahead=5, code="969429", want={"counter": 3})
    add("rfc4226_counter_past_code_refused", counter=4, look_ahead=5, code="969429", want=None)
    add("rfc4226_last_candidate_matches", counter=4, look_ahead=5, code="520489", want={"counter": 9})
    add("look_ahead_100_matches_100", counter=0, look_ahead=100, code=100, want={"counter": 100})
    add("look_ahead_100_refuses_101", counter=0, look_ahead=100, code=101, want=None)
    add("error_look_ahead_101", counter=0, look_ahead=101, code="755224", want={"error": "invalid_window"})
    add(
        "error_look_ahead_4294967295", counter=0, look_ahead=4294967295, code="755224", want={"error": "invalid_window"}
    )
    add("counter_u64_max_matches", counter=U64_MAX, look_ahead=10, code=U64_MAX, want={"counter": U64_MAX})
    add("counter_u64_max_refuses_wrapped_0", counter=U64_MAX, look_ahead=10, code="755224", want=None)
    add(
        "counter_u64_max_minus_3_matches_minus_1",
        counter=U64_MAX - 3,
        look_ahead=100,
        code=U64_MAX - 1,
        want={"counter": U64_MAX - 1},
    )
    add("counter_u64_max_minus_3_refuses_wrapped_1", counter=U64_MAX - 3, look_ahead=100, code="287082", want=None)
    add("duplicate_code_lowest_counter", counter=DUP_LOW - 2, look_ahead=10, code=DUP_CODE, want={"counter": DUP_LOW})
    add(
        "duplicate_code_after_lower_counter",
        counter=DUP_LOW + 1,
        look_ahead=10,
        code=DUP_CODE,
        want={"counter": DUP_HIGH},
    )
    add("code_empty", counter=0, look_ahead=10, code="", want=None)
    add("code_5_digits", counter=0, look_ahead=10, code="55224", want=None)
    add("code_7_digits", counter=0, look_ahead=10, code="7552240", want=None)
    add("code_with_space", counter=0, look_ahead=10, code="755 224", want=None)
    add("code_with_non_digit", counter=0, look_ahead=10, code="75522a", want=None)
    add(
        "leading_zero_code",
        counter=LEADING_ZERO_STEP - 5,
        look_ahead=10,
        code=LEADING_ZERO_CODE,
        want={"counter": LEADING_ZERO_STEP},
    )
    add(
        "leading_zero_dropped",
        counter=LEADING_ZERO_STEP - 5,
        look_ahead=10,
        code=LEADING_ZERO_CODE.lstrip("0"),
        want=None,
    )
    add(
        "sha256_8_digits",
        secret=RFC_SEED_SHA256,
        algorithm="SHA256",
        digits=8,
        counter=50,
        look_ahead=3,
        code=52,
        want={"counter": 52},
    )
    add(
        "sha512_10_digits",
        secret=RFC_SEED_SHA512,
        algorithm="SHA512",
        digits=10,
        counter=50,
        look_ahead=3,
        code=53,
        want={"counter": 53},
    )
    add(
        "sha512_code_as_sha1_refused",
        counter=50,
        look_ahead=3,
        code=hotp_code(RFC_SEED_SHA512, "SHA512", 6, 52),
        want=None,
    )

    unique_names(cases, "hotp_verify")
    return {
        "description": "HOTP verification with look-ahead (RFC 4226 §7.4): candidates counter..=counter+look_ahead, "
        "only those <= 2^64-1; the lowest matching counter is returned. look_ahead above 100 is invalid_window.",
        "source": "generate.py: codes from pyotp.HOTP; expectations from an independent Python implementation of "
        "the documented semantics, checked against each case's stated intent.",
        "cases": cases,
    }


# --------------------------------------------------------------------------
# steam.json


def gen_steam() -> dict:
    rng = random.Random(2016)
    secrets = [
        bytes(range(1, 21)),
        b"12345678901234567890",
        bytes(rng.randrange(256) for _ in range(20)),
        bytes(rng.randrange(256) for _ in range(20)),
    ]
    times = [0, 29, 30, 59, 1111111111, 1234567890, 1700000000, 2000000000, 20000000000]
    cases = []
    for i, secret in enumerate(secrets):
        for time in times:
            code = pyotp.contrib.Steam(b32(secret)).at(datetime.fromtimestamp(time, tz=timezone.utc))
            # Independent check: RFC 4226 truncation, then five base-26 characters, least significant first.
            v = hmac_truncated(secret, "SHA1", time // 30)
            mine = ""
            for _ in range(5):
                mine += "23456789BCDFGHJKMNPQRTVWXY"[v % 26]
                v //= 26
            check(mine == code, f"steam {i} {time}")
            cases.append({"name": f"secret_{i}_time_{time}", "secret_base32": b32(secret), "time": time, "code": code})
    return {
        "description": "Steam Guard codes: TOTP (HMAC-SHA-1, 30 s, T0 = 0) rendered as five characters of "
        '"23456789BCDFGHJKMNPQRTVWXY", least significant first. Secrets are 20 bytes, in unpadded base32.',
        "source": "generate.py: pyotp.contrib.Steam, checked against a direct RFC 4226 truncation.",
        "cases": cases,
    }


# --------------------------------------------------------------------------
# base32.json

B32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
PAD_FOR = {0: 0, 2: 6, 4: 4, 5: 3, 7: 1}


def ref_base32_decode(text: str, policy: str) -> dict:
    """Secret::from_base32_with, from its documentation (base32.rs, secret.rs)."""
    if len(text.encode("utf-8")) > 1024:
        return {"error": "secret_too_long"}
    body = text.replace(" ", "").replace("-", "")
    stripped = body.rstrip("=")
    pads = len(body) - len(stripped)
    if "=" in stripped:  # padding not only at the end
        return {"error": "invalid_secret"}
    if not stripped.isascii() or any(ch.upper() not in B32_ALPHABET for ch in stripped):
        return {"error": "invalid_secret"}
    n = len(stripped)
    if n == 0 or n % 8 not in PAD_FOR or (pads != 0 and pads != PAD_FOR[n % 8]):
        return {"error": "invalid_secret"}
    bits = "".join(format(B32_ALPHABET.index(ch.upper()), "05b") for ch in stripped)
    data = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits) - 7, 8))
    # Cross-check with the standard library (upper-cased, separators dropped, padded).
    std = base64.b32decode(stripped.upper() + "=" * PAD_FOR[n % 8])
    check(std == data, f"base32 cross-check {text!r}")
    if len(data) > 128:
        return {"error": "secret_too_long"}
    if len(data) < (14 if policy == "standard" else 10):
        return {"error": "secret_too_short"}
    return {"hex": data.hex()}


def gen_base32() -> dict:
    decode: list[dict] = []

    def dec(name, text, want, policy="standard"):
        got = ref_base32_decode(text, policy)
        if isinstance(want, bytes):
            want = {"hex": want.hex()}
        elif isinstance(want, str):
            want = {"error": want}
        check(got == want, f"base32 {name}: reference says {got}, case wants {want}")
        decode.append({"name": name, "input": text, "policy": policy, "expect": got})

    hello = b"Hello!\xde\xad\xbe\xef"  # JBSWY3DPEHPK3PXP, Google's example key (10 bytes)
    twenty = b"12345678901234567890"  # GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
    sixteen = bytes(range(16))  # AAAQEAYEAUDAOCAJBIFQYDIOB4 (26 chars: 2 pad)
    dec("rfc_seed_20_bytes", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", twenty)
    dec("lower_case", "gezdgnbvgy3tqojqgezdgnbvgy3tqojq", twenty)
    dec("mixed_case", "GeZdGnBvGy3TqOjQgEzDgNbVgY3tQoJq", twenty)
    dec("spaces_every_4", "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ", twenty)
    dec("hyphens_and_spaces_lower", "gezd-gnbv gy3t-qojq gezd-gnbv gy3t-qojq", twenty)
    dec("leading_and_trailing_spaces", "  GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ  ", twenty)
    dec("leading_hyphen", "-GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", twenty)
    dec("separators_only_between_every_char", " ".join("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), twenty)
    dec("sixteen_bytes_unpadded", "AAAQEAYEAUDAOCAJBIFQYDIOB4", sixteen)
    dec("sixteen_bytes_padded", "AAAQEAYEAUDAOCAJBIFQYDIOB4======", sixteen)
    dec("sixteen_bytes_padded_lower", "aaaqeayeaudaocajbifqydiob4======", sixteen)
    dec("padding_with_spaces_between", "AAAQEAYEAUDAOCAJBIFQYDIOB4 === ===", sixteen)
    dec("spaces_after_padding", "AAAQEAYEAUDAOCAJBIFQYDIOB4====== ", sixteen)
    dec("unused_trailing_bits_ignored", "AAAQEAYEAUDAOCAJBIFQYDIOB7", sixteen)
    dec("unused_trailing_bits_ignored_padded", "AAAQEAYEAUDAOCAJBIFQYDIOB7======", sixteen)
    seventeen = bytes(range(17))  # 28 chars (4 mod 8): 4 pad
    dec("seventeen_bytes_4_pad", b32(seventeen) + "====", seventeen)
    eighteen = bytes(range(18))  # 29 chars (5 mod 8): 3 pad
    dec("eighteen_bytes_3_pad", b32(eighteen) + "===", eighteen)
    nineteen = bytes(range(19))  # 31 chars (7 mod 8): 1 pad
    dec("nineteen_bytes_1_pad", b32(nineteen) + "=", nineteen)
    dec("nineteen_bytes_unpadded", b32(nineteen), nineteen)
    b128 = bytes((i * 7 + 3) % 256 for i in range(128))
    dec("max_128_bytes", b32(b128), b128)
    dec("max_128_bytes_padded_lower", b32(b128).lower() + "===", b128)
    b129 = bytes(range(129))
    dec("too_long_129_bytes", b32(b129), "secret_too_long")
    dec("input_1024_chars_with_spaces_ok", b32(twenty) + " " * (1024 - 32), twenty)
    dec("input_1025_chars_too_long", b32(twenty) + " " * (1025 - 32), "secret_too_long")
    dec("input_2000_chars_too_long", "A" * 2000, "secret_too_long")
    dec("input_1025_invalid_chars_too_long_first", "!" * 1025, "secret_too_long")

    # Length policies.
    dec("legacy_80_bit_standard_refused", "JBSWY3DPEHPK3PXP", "secret_too_short")
    dec("legacy_80_bit_allowed", "JBSWY3DPEHPK3PXP", hello, policy="allow_legacy")
    dec("legacy_80_bit_allowed_lower_spaced", "jbsw y3dp ehpk 3pxp", hello, policy="allow_legacy")
    # The floor: 112 bits (NIST SP 800-63B-4 §3.1.4.1, pyotp 2.12).
    dec("thirteen_bytes_standard_refused", b32(bytes(range(13))), "secret_too_short")
    dec("thirteen_bytes_allowed_legacy", b32(bytes(range(13))), bytes(range(13)), policy="allow_legacy")
    dec("fourteen_bytes_112_bits_standard", b32(bytes(range(14))), bytes(range(14)))
    dec("fifteen_bytes_standard", b32(bytes(range(15))), bytes(range(15)))
    dec("fifteen_bytes_allowed_legacy", b32(bytes(range(15))), bytes(range(15)), policy="allow_legacy")
    dec("nine_bytes_refused_even_legacy", b32(bytes(range(9))), "secret_too_short", policy="allow_legacy")
    dec("one_byte_refused", "MY", "secret_too_short", policy="allow_legacy")
    dec("rfc_seed_20_bytes_allow_legacy", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", twenty, policy="allow_legacy")

    # Refused as not base32.
    dec("empty", "", "invalid_secret")
    dec("empty_allow_legacy", "", "invalid_secret", policy="allow_legacy")
    dec("only_spaces", "   ", "invalid_secret")
    dec("only_hyphens", "---", "invalid_secret")
    dec("only_padding", "========", "invalid_secret")
    dec("bad_char_bang", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ!", "invalid_secret")
    dec("bad_char_digit_1", "GEZDGNBVGY3TQOJ1GEZDGNBVGY3TQOJQ", "invalid_secret")
    dec("bad_char_digit_0", "GEZDGNBVGY3TQOJ0GEZDGNBVGY3TQOJQ", "invalid_secret")
    dec("bad_char_digit_8", "GEZDGNBVGY3TQOJ8GEZDGNBVGY3TQOJQ", "invalid_secret")
    dec("bad_char_tab_separator", "GEZDGNBV\tGY3TQOJQGEZDGNBVGY3TQOJQ", "invalid_secret")
    dec("bad_char_underscore", "GEZDGNBV_GY3TQOJQGEZDGNBVGY3TQOJQ", "invalid_secret")
    dec("bad_char_dot", "GEZDGNBV.GY3TQOJQGEZDGNBVGY3TQOJQ", "invalid_secret")
    dec("bad_char_non_ascii", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQé", "invalid_secret")
    dec("bad_char_fullwidth_a", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ\uff21", "invalid_secret")
    dec("bad_char_base32hex_alphabet", "64P36D1L6ORJGE9G64P36D1L6ORJGE9G"[:-1] + "!", "invalid_secret")
    dec("padding_in_middle", "AAAQEAYE=AUDAOCAJBIFQYDIOB4", "invalid_secret")
    dec("data_after_padding", "AAAQEAYEAUDAOCAJBIFQYDIOB4======AA", "invalid_secret")
    dec("partial_padding", "AAAQEAYEAUDAOCAJBIFQYDIOB4===", "invalid_secret")
    dec("too_much_padding", "AAAQEAYEAUDAOCAJBIFQYDIOB4=======", "invalid_secret")
    dec("padding_after_full_block", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ=", "invalid_secret")
    dec("padding_full_block_after_full_block", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ========", "invalid_secret")
    dec("length_1_mod_8", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQA", "invalid_secret")
    dec("length_3_mod_8", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQAAA", "invalid_secret")
    dec("length_6_mod_8", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQAAAAAA", "invalid_secret")
    dec("length_6_mod_8_padded_2", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQAAAAAA==", "invalid_secret")
    dec("length_1_padded_7", "A=======", "invalid_secret")
    dec("length_3_mod_8_allow_legacy", "GEZDGNBVGY3TQOJQAAA", "invalid_secret", policy="allow_legacy")

    encode = []
    for plain, enc in [
        (b"f", "MY"),
        (b"fo", "MZXQ"),
        (b"foo", "MZXW6"),
        (b"foob", "MZXW6YQ"),
        (b"fooba", "MZXW6YTB"),
        (b"foobar", "MZXW6YTBOI"),
    ]:
        check(b32(plain) == enc, f"rfc4648 {plain!r}")
        encode.append({"name": f"rfc4648_section10_{plain.decode()}", "hex": plain.hex(), "base32": enc})
    for name, data in [
        ("google_example_10_bytes", hello),
        ("sixteen_bytes", sixteen),
        ("rfc_seed_sha1_20_bytes", RFC_SEED_SHA1),
        ("rfc_seed_sha256_32_bytes", RFC_SEED_SHA256),
        ("rfc_seed_sha512_64_bytes", RFC_SEED_SHA512),
        ("all_ones_20_bytes", b"\xff" * 20),
        ("all_zeros_20_bytes", b"\x00" * 20),
        ("max_128_bytes", b128),
    ]:
        encode.append({"name": name, "hex": data.hex(), "base32": b32(data)})
    check(b32(hello) == "JBSWY3DPEHPK3PXP", "google example")

    unique_names(decode, "base32 decode")
    unique_names(encode, "base32 encode")
    return {
        "description": "Base32 (RFC 4648, alphabet A-Z2-7). decode: Secret::from_base32_with(input, policy) - lenient "
        "about case, spaces, hyphens and omitted padding, strict about everything else, then the secret length "
        "policy (16..=128 bytes, or 10..=128 with allow_legacy). encode: unpadded upper-case base32 of the bytes "
        "(the codec; some inputs are shorter than any valid secret).",
        "source": "generate.py: an independent Python decoder of the documented rules, cross-checked with "
        "base64.b32decode; RFC 4648 §10 test vectors.",
        "decode": decode,
        "encode": encode,
    }


# --------------------------------------------------------------------------
# backup_codes.json

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ref_normalize(code: str) -> str | None:
    # Every input in the vectors is at most 64 bytes (otp-core looks at no more).
    check(len(code.encode("utf-8")) <= 64, f"backup-code input over 64 bytes: {code!r}")
    out = []
    for ch in code:
        up = ch.upper() if ch.isascii() else ch
        if up in " -":
            continue
        up = {"O": "0", "I": "1", "L": "1"}.get(up, up)
        if up not in CROCKFORD:
            return None
        out.append(up)
    return "".join(out) if len(out) == 10 else None


def django_setup():
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password

    return PBKDF2PasswordHasher(), check_password


def gen_backup_codes() -> dict:
    hasher, check_password = django_setup()

    normalize = []

    def norm(name, text, want):
        got = ref_normalize(text)
        check(got == want, f"normalize {name}: reference says {got}, case wants {want}")
        normalize.append(
            {
                "name": name,
                "input": text,
                "expect": {"normalized": got} if got is not None else {"error": "invalid_backup_code"},
            }
        )

    norm("formatted", "ABCDE-FGHJK", "ABCDEFGHJK")
    norm("plain", "ABCDEFGHJK", "ABCDEFGHJK")
    norm("lower_case", "abcde-fghjk", "ABCDEFGHJK")
    norm("spaces", "abcde fghjk", "ABCDEFGHJK")
    norm("spaces_and_hyphens_everywhere", " a-b c-d e - f g h j k ", "ABCDEFGHJK")
    norm("letter_o_is_zero", "OOOOO-ooooo", "0000000000")
    norm("letters_i_l_are_one", "IiLlI-1iLl1", "1111111111")
    norm("mixed_substitutions", "0ilo1-23456", "0110123456")
    norm("all_digits", "01234-56789", "0123456789")
    norm("crockford_letters", "MNPQR-STVWX", "MNPQRSTVWX")
    norm("yz", "YZYZY-zyzyz", "YZYZYZYZYZ")
    norm("letter_u_refused", "ABCDE-FGHJU", None)
    norm("letter_u_lower_refused", "abcde-fghju", None)
    norm("too_short_9", "ABCDE-FGHJ", None)
    norm("too_long_11", "ABCDE-FGHJKM", None)
    norm("empty", "", None)
    norm("only_separators", "-- --", None)
    norm("underscore_refused", "ABCDE_FGHJK", None)
    norm("tab_refused", "ABCDE\tFGHJK", None)
    norm("dot_refused", "ABCDE.FGHJK", None)
    norm("non_ascii_refused", "ÁBCDE-FGHJK", None)
    norm("fullwidth_digit_refused", "\uff10BCDE-FGHJK", None)
    norm("dotless_i_refused", "\u0131BCDE-FGHJK", None)

    rng = random.Random(20240501)

    def make_codes(count):
        codes = []
        while len(codes) < count:
            raw = "".join(rng.choice(CROCKFORD) for _ in range(10))
            formatted = raw[:5] + "-" + raw[5:]
            if formatted not in codes:
                codes.append(formatted)
        return codes

    set_specs = [
        ("set_a", 1000, "Xq7Lr2Vb9KpT4mWz8Nc3Hd", make_codes(10)),
        ("set_b", 1200, "aB3dE5fG7hJ9kL1mN2pQ4r", make_codes(3)),
    ]
    sets = []
    for name, iterations, salt, codes in set_specs:
        check(len(salt) == 22 and salt.isalnum() and salt.isascii(), f"salt {name}")
        hashes = []
        for code in codes:
            normalized = ref_normalize(code)
            check(normalized is not None and normalized == code.replace("-", ""), f"code {code}")
            encoded = hasher.encode(normalized, salt, iterations)
            check(check_password(normalized, encoded), f"django check_password {name} {code}")
            # hasher.verify is what check_password calls; used directly for refusals, because
            # check_password pads every refusal to Django's default 1,000,000 iterations.
            check(not hasher.verify(code, encoded), f"django refuses the formatted form {code}")
            hashes.append(encoded)
        sets.append({"name": name, "iterations": iterations, "salt": salt, "codes": codes, "hashes": hashes})
    by_name = {s["name"]: s for s in sets}

    verify = []

    def ver(name, set_name, candidate, want):
        normalized = ref_normalize(candidate)
        got = None
        if normalized is not None:
            for i, encoded in enumerate(by_name[set_name]["hashes"]):
                if hasher.verify(normalized, encoded):
                    check(check_password(normalized, encoded), f"check_password {name}")
                    got = {"index": i}
                    break
        check(got == want, f"verify {name}: Django says {got}, case wants {want}")
        verify.append({"name": name, "set": set_name, "candidate": candidate, "expect": got})

    def substituted(code):
        return code.replace("0", "O").replace("1", rng.choice("ILil"))

    for s in sets:
        for i, code in enumerate(s["codes"]):
            want = {"index": i}
            ver(f"{s['name']}_{i}_formatted", s["name"], code, want)
            ver(f"{s['name']}_{i}_lower", s["name"], code.lower(), want)
            ver(f"{s['name']}_{i}_spaced", s["name"], code.replace("-", " "), want)
            if i % 3 == 0:
                ver(f"{s['name']}_{i}_unformatted", s["name"], code.replace("-", ""), want)
                ver(f"{s['name']}_{i}_spaces_in_groups", s["name"], " ".join(code.replace("-", "")), want)
            if "0" in code or "1" in code:
                ver(f"{s['name']}_{i}_o_i_l_substituted", s["name"], substituted(code).lower(), want)
    a0, a1 = by_name["set_a"]["codes"][0], by_name["set_a"]["codes"][1]
    b0 = by_name["set_b"]["codes"][0]
    wrong = a0[:-1] + CROCKFORD[(CROCKFORD.index(a0[-1]) + 1) % 32]
    ver("wrong_last_char", "set_a", wrong, None)
    ver("two_codes_swapped_halves", "set_a", a0[:5] + "-" + a1[6:], None)
    ver("set_a_code_against_set_b", "set_b", a0, None)
    ver("set_b_code_against_set_a", "set_a", b0, None)
    ver("too_short_candidate", "set_a", a0[:-1], None)
    ver("too_long_candidate", "set_a", a0 + "0", None)
    ver("empty_candidate", "set_a", "", None)
    ver("letter_u_candidate", "set_a", a0[:-1] + "U", None)
    ver("garbage_candidate", "set_a", "not a code!", None)

    good = by_name["set_a"]["hashes"][0]
    prefix, iters, salt, b64 = good.split("$")
    invalid = []

    def bad(name, text):
        invalid.append({"name": name, "hash": text, "error": "invalid_backup_hash"})

    b64_31 = base64.b64encode(bytes(range(31))).decode()
    b64_33 = base64.b64encode(bytes(range(33))).decode()
    check(len(b64_31) == 44 and len(b64_33) == 44, "44-char base64 of 31 and 33 bytes")
    bad("empty", "")
    bad("prefix_pbkdf2_sha1", f"pbkdf2_sha1${iters}${salt}${b64}")
    bad("prefix_upper_case", f"PBKDF2_SHA256${iters}${salt}${b64}")
    bad("prefix_argon2", f"argon2$argon2id$v=19$m=102400,t=2,p=8${salt}${b64}")
    bad("prefix_bcrypt_sha256", "bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234")
    bad("missing_hash_part", f"{prefix}${iters}${salt}")
    bad("missing_salt_and_hash", f"{prefix}${iters}")
    bad("prefix_only", prefix)
    bad("extra_dollar_at_end", f"{good}$")
    bad("extra_part", f"{prefix}${iters}${salt}$extra${b64}")
    bad("iterations_zero", f"{prefix}$0${salt}${b64}")
    bad("iterations_leading_zero", f"{prefix}$0{iters}${salt}${b64}")
    bad("iterations_empty", f"{prefix}$${salt}${b64}")
    bad("iterations_non_numeric", f"{prefix}$1k${salt}${b64}")
    bad("iterations_negative", f"{prefix}$-1000${salt}${b64}")
    bad("iterations_plus_sign", f"{prefix}$+1000${salt}${b64}")
    bad("iterations_with_space", f"{prefix}$ 1000${salt}${b64}")
    bad("iterations_10000001", f"{prefix}$10000001${salt}${b64}")
    bad("iterations_u32_overflow", f"{prefix}$4294967296${salt}${b64}")
    bad("salt_empty", f"{prefix}${iters}$${b64}")
    bad("salt_129_chars", f"{prefix}${iters}${'s' * 129}${b64}")
    bad("hash_empty", f"{prefix}${iters}${salt}$")
    bad("hash_bad_base64_chars", f"{prefix}${iters}${salt}${'!' * 43}=")
    bad("hash_base64url_alphabet", f"{prefix}${iters}${salt}${'-_' * 21}A=")
    bad("hash_missing_padding", f"{prefix}${iters}${salt}${b64.rstrip('=')}")
    bad("hash_extra_padding", f"{prefix}${iters}${salt}${b64}=")
    bad("hash_base64_of_31_bytes", f"{prefix}${iters}${salt}${b64_31}")
    bad("hash_base64_of_33_bytes", f"{prefix}${iters}${salt}${b64_33}")
    bad("hash_base64_of_64_bytes", f"{prefix}${iters}${salt}${base64.b64encode(bytes(64)).decode()}")
    bad("hash_with_trailing_newline", f"{good}\n")
    # 32 bytes take 43 base64 characters and one '='; the 43rd carries 2 unused bits, which must be zero.
    b64_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    flipped = b64_alphabet[b64_alphabet.index(b64[42]) ^ 1]
    check(base64.b64decode(b64[:42] + flipped + "=") == base64.b64decode(b64), "trailing bits are unused")
    bad("hash_non_canonical_trailing_bits", f"{prefix}${iters}${salt}${b64[:42]}{flipped}=")
    for item in invalid:
        check(item["hash"] != good, "invalid hash equals a good one")
        check(not ref_valid_hash(item["hash"]), f"invalid hash {item['name']} passes the reference parser")
    for s in sets:
        for h in s["hashes"]:
            check(ref_valid_hash(h), "good hash refused by the reference parser")

    for what, items in (("normalize", normalize), ("sets", sets), ("verify", verify), ("invalid_hashes", invalid)):
        unique_names(items, f"backup {what}")
    return {
        "description": "Backup codes: normalisation (ASCII upper-case, drop spaces and hyphens, O->0, I/L->1, then "
        "exactly 10 Crockford base32 characters), two hashed sets in Django's pbkdf2_sha256 format, verification "
        "of candidates against a set (index of the matching hash, or null), and stored hashes that must be refused.",
        "source": "generate.py: hashes from Django's PBKDF2PasswordHasher().encode(normalized, salt, iterations), "
        "each checked with django.contrib.auth.hashers.check_password; verify expectations from Django's "
        "PBKDF2PasswordHasher.verify (and check_password for every match); "
        "codes from random.Random(20240501); normalisation from an independent Python implementation.",
        "normalize": normalize,
        "sets": sets,
        "verify": verify,
        "invalid_hashes": invalid,
    }


def ref_valid_hash(encoded: str) -> bool:
    """The documented stored-hash format: pbkdf2_sha256$<1..=10000000>$<salt 1..=128 bytes>$<base64 of 32 bytes>."""
    parts = encoded.split("$")
    if len(parts) != 4 or parts[0] != "pbkdf2_sha256":
        return False
    _, iters, salt, b64 = parts
    if not (
        iters.isascii()
        and iters.isdigit()
        and not iters.startswith("0")
        and len(iters) <= 10
        and 1 <= int(iters) <= 10_000_000
    ):
        return False
    if not 1 <= len(salt.encode()) <= 128:
        return False
    if len(b64) != 44:
        return False
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(raw) == 32 and base64.b64encode(raw).decode() == b64


# --------------------------------------------------------------------------
# throttle.json


def ref_throttle(base: int, cap: int, failures: int, last: int, now: int) -> dict:
    if base == 0 or cap < base or cap > 86400:
        return {"error": "invalid_throttle"}
    if failures == 0:
        delay = 0
    elif failures - 1 >= 63:  # base >= 1 and cap <= 86400 < 2^63: the cap wins (and no 4-GiB integer)
        delay = cap
    else:
        delay = min(base * 2 ** (failures - 1), cap)
    return {"retry_after": max(0, delay - max(0, now - last))}


def gen_throttle() -> dict:
    cases = []

    def add(name, base, cap, failures, last, now, want):
        got = ref_throttle(base, cap, failures, last, now)
        want = {"retry_after": want} if isinstance(want, int) else {"error": want}
        check(got == want, f"throttle {name}: reference says {got}, case wants {want}")
        cases.append(
            {
                "name": name,
                "base": base,
                "cap": cap,
                "failures": failures,
                "last_failure_at": last,
                "now": now,
                "expect": got,
            }
        )

    t = 1_700_000_000
    add("default_no_failures", 1, 900, 0, t, t, 0)
    add("default_no_failures_clock_back", 1, 900, 0, t, t - 100, 0)
    add("default_1_failure_same_second", 1, 900, 1, t, t, 1)
    add("default_1_failure_1_s_later", 1, 900, 1, t, t + 1, 0)
    add("default_2_failures", 1, 900, 2, t, t, 2)
    add("default_3_failures_1_s_elapsed", 1, 900, 3, 1000, 1001, 3)
    add("default_10_failures", 1, 900, 10, t, t, 512)
    add("default_10_failures_500_s_elapsed", 1, 900, 10, t, t + 500, 12)
    add("default_10_failures_exactly_elapsed", 1, 900, 10, t, t + 512, 0)
    add("default_10_failures_long_after", 1, 900, 10, t, t + 10_000, 0)
    add("default_11_failures_capped", 1, 900, 11, t, t, 900)
    add("default_40_failures", 1, 900, 40, 1000, 1000, 900)
    add("default_64_failures", 1, 900, 64, t, t, 900)
    add("default_65_failures", 1, 900, 65, t, t, 900)
    add("default_max_failures", 1, 900, 4294967295, t, t + 899, 1)
    add("clock_went_back", 1, 900, 5, t, t - 3600, 16)
    add("clock_went_back_to_0", 1, 900, 11, U64_MAX, 0, 900)
    add("times_near_u64_max", 1, 900, 4, U64_MAX - 3, U64_MAX, 5)
    add("now_u64_max_last_0", 1, 900, 4294967295, 0, U64_MAX, 0)
    add("base_5_cap_60_first", 5, 60, 1, t, t, 5)
    add("base_5_cap_60_fourth", 5, 60, 4, t, t + 10, 30)
    add("base_5_cap_60_fifth_capped", 5, 60, 5, t, t, 60)
    add("base_equals_cap", 30, 30, 1, t, t + 1, 29)
    add("base_equals_cap_many", 30, 30, 1000, t, t, 30)
    add("max_cap_saturating_multiplication", 86400, 86400, 4294967295, t, t + 400, 86000)
    add("base_3_cap_max_64_failures", 3, 86400, 64, t, t, 86400)
    add("base_3_cap_max_17_failures", 3, 86400, 17, t, t, 86400)
    add("base_3_cap_max_16_failures", 3, 86400, 16, t, t, 86400)
    add("base_3_cap_max_15_failures", 3, 86400, 15, t, t, 49152)
    add("base_1_cap_max_17_failures", 1, 86400, 17, t, t, 65536)
    add("error_base_0", 0, 900, 1, t, t, "invalid_throttle")
    add("error_base_0_cap_0", 0, 0, 0, t, t, "invalid_throttle")
    add("error_cap_below_base", 10, 5, 1, t, t, "invalid_throttle")
    add("error_cap_above_one_day", 1, 86401, 1, t, t, "invalid_throttle")
    add("error_huge_base", U64_MAX, U64_MAX, 1, t, t, "invalid_throttle")
    add("cap_one_day_ok", 1, 86400, 0, t, t, 0)

    unique_names(cases, "throttle")
    return {
        "description": "Throttle::new(base, cap) then retry_after(failures, last_failure_at, now): "
        "delay(0) = 0, delay(n) = min(base * 2^(n-1), cap); retry_after = max(0, delay - max(0, now - "
        "last_failure_at)). new fails with invalid_throttle when base == 0, cap < base or cap > 86400.",
        "source": "generate.py: an independent Python implementation of the documented policy, checked against "
        "each case's stated intent.",
        "cases": cases,
    }


# -------------------------------------------------------------- sealed secrets

SEAL_PREFIX = "otpseal:1:"
SEAL_KEYS = {
    "2026-11": bytes(range(32)),
    "2026-12": bytes(range(32, 64)),
    "old.key_1": bytes(255 - i for i in range(32)),
}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def libsodium_seal(key_id: str, secret: bytes, context: bytes, nonce: bytes) -> str:
    """The documented envelope, computed with libsodium's XChaCha20-Poly1305
    (an implementation independent of RustCrypto's): the associated data is
    the header followed by the context."""
    header = f"{SEAL_PREFIX}{key_id}:"
    sealed = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        secret, header.encode() + context, nonce, SEAL_KEYS[key_id]
    )
    return header + b64url(nonce + sealed)


def ref_open(keys: dict[str, bytes], envelope: str, context: bytes) -> dict:
    """Keyring::open, from its documentation (seal.rs)."""
    if len(envelope) > 10 + 32 + 1 + (24 + 128 + 16 + 2) // 3 * 4 or not envelope.startswith(SEAL_PREFIX):
        return {"error": "invalid_envelope"}
    key_id, sep, body = envelope[len(SEAL_PREFIX) :].partition(":")
    valid_id = 1 <= len(key_id) <= 32 and all(c.isascii() and (c.isalnum() or c in "-_.") for c in key_id)
    if not sep or not valid_id or not body:
        return {"error": "invalid_envelope"}
    if key_id not in keys:
        return {"error": "unknown_key"}
    try:
        if any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in body):
            raise ValueError("alphabet")
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if b64url(raw) != body:  # canonical: no stray bits
            raise ValueError("not canonical")
    except (ValueError, binascii.Error):
        return {"error": "invalid_envelope"}
    if len(raw) > 24 + 128 + 16 or len(raw) - 24 - 16 < 10:
        return {"error": "invalid_envelope"}
    header = f"{SEAL_PREFIX}{key_id}:".encode()
    try:
        plain = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            raw[24:], header + context, raw[:24], keys[key_id]
        )
    except nacl.exceptions.CryptoError:
        return {"error": "seal_failed"}
    return {"secret_hex": plain.hex()}


def gen_seal() -> dict:
    keys_b64 = {k: b64url(v) for k, v in SEAL_KEYS.items()}
    seal_cases: list[dict] = []
    open_cases: list[dict] = []

    def seal(name, key_id, secret, context, nonce):
        envelope = libsodium_seal(key_id, secret, context, nonce)
        check(ref_open(SEAL_KEYS, envelope, context) == {"secret_hex": secret.hex()}, f"seal {name} round trip")
        seal_cases.append(
            {
                "name": name,
                "primary": key_id,
                "secret_hex": secret.hex(),
                "context_hex": context.hex(),
                "nonce_hex": nonce.hex(),
                "envelope": envelope,
            }
        )
        return envelope

    def opens(name, envelope, context, want, keys=None):
        ring = SEAL_KEYS if keys is None else {k: SEAL_KEYS[k] for k in keys}
        got = ref_open(ring, envelope, context)
        want = {"secret_hex": want.hex()} if isinstance(want, bytes) else {"error": want}
        check(got == want, f"open {name}: reference says {got}, case wants {want}")
        case = {"name": name, "envelope": envelope, "context_hex": context.hex(), "expect": got}
        if keys is not None:
            case["keys"] = keys
        open_cases.append(case)

    twenty = RFC_SEED_SHA1
    ctx = b"otp-core/totp-secret/device:42"
    nonce = bytes(range(100, 124))
    e1 = seal("sha1_seed_primary_2026_12", "2026-12", twenty, ctx, nonce)
    e2 = seal("sha512_seed_old_key", "2026-11", RFC_SEED_SHA512, b"app/user:7", bytes(24))
    e3 = seal("legacy_80_bit_empty_context", "old.key_1", b"Hello!\xde\xad\xbe\xef", b"", bytes([255] * 24))
    e4 = seal("max_128_bytes_long_context", "2026-12", bytes(range(128)), bytes(range(256)) * 4, bytes(range(24)))
    e5 = seal("fourteen_bytes_binary_context", "2026-11", bytes(range(14)), b"\x00\xff:otpseal:1:", nonce)

    opens("opens", e1, ctx, twenty)
    opens("opens_with_old_key", e2, b"app/user:7", RFC_SEED_SHA512)
    opens("opens_legacy_secret", e3, b"", b"Hello!\xde\xad\xbe\xef")
    opens("opens_128_bytes", e4, bytes(range(256)) * 4, bytes(range(128)))
    opens("opens_binary_context", e5, b"\x00\xff:otpseal:1:", bytes(range(14)))
    opens("wrong_context", e1, b"otp-core/totp-secret/device:43", "seal_failed")
    opens("empty_context_instead", e1, b"", "seal_failed")
    opens("context_one_byte_longer", e1, ctx + b"\x00", "seal_failed")
    # Tampering: the nonce, the ciphertext's first and last byte, the tag's last byte.
    raw = base64.urlsafe_b64decode(e1.split(":", 3)[3] + "=")
    for where, index in (
        ("nonce", 0),
        ("ciphertext_first", 24),
        ("ciphertext_last", 24 + 19),
        ("tag_last", len(raw) - 1),
    ):
        t = bytearray(raw)
        t[index] ^= 0x01
        opens(f"tampered_{where}", "otpseal:1:2026-12:" + b64url(bytes(t)), ctx, "seal_failed")
    opens("truncated_tag", "otpseal:1:2026-12:" + b64url(raw[:-1]), ctx, "seal_failed")
    opens("secret_byte_dropped_from_body", "otpseal:1:2026-12:" + b64url(raw[:30] + raw[31:]), ctx, "seal_failed")
    opens("sealed_by_one_key_named_as_another", e1.replace(":2026-12:", ":2026-11:"), ctx, "seal_failed")
    opens("unknown_key_id", e1.replace(":2026-12:", ":2027-01:"), ctx, "unknown_key")
    opens("key_dropped_from_keyring", e2, b"app/user:7", "unknown_key", keys=["2026-12"])
    opens("empty", "", ctx, "invalid_envelope")
    opens("wrong_prefix", e1.replace("otpseal:1:", "otpseal:2:"), ctx, "invalid_envelope")
    opens("upper_case_prefix", e1.replace("otpseal:", "OTPSEAL:"), ctx, "invalid_envelope")
    opens("no_body", "otpseal:1:2026-12:", ctx, "invalid_envelope")
    opens("no_key_id", "otpseal:1::" + e1.split(":", 3)[3], ctx, "invalid_envelope")
    opens("key_id_with_space", "otpseal:1:2026 12:" + e1.split(":", 3)[3], ctx, "invalid_envelope")
    opens("key_id_33_chars", "otpseal:1:" + "k" * 33 + ":" + e1.split(":", 3)[3], ctx, "invalid_envelope")
    opens(
        "standard_base64_alphabet",
        "otpseal:1:2026-12:" + base64.b64encode(raw).decode().rstrip("=").replace("-", "+").replace("_", "/") + "+/",
        ctx,
        "invalid_envelope",
    )
    opens("padded_body", e1 + "=", ctx, "invalid_envelope")
    opens("whitespace_in_body", e1[:30] + " " + e1[30:], ctx, "invalid_envelope")
    opens("body_too_short_for_a_secret", "otpseal:1:2026-12:" + b64url(raw[: 24 + 9 + 16]), ctx, "invalid_envelope")
    opens("body_only_nonce", "otpseal:1:2026-12:" + b64url(raw[:24]), ctx, "invalid_envelope")
    opens("body_too_long", "otpseal:1:2026-12:" + b64url(bytes(24 + 129 + 16)), ctx, "invalid_envelope")
    nine = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        b"123456789", b"otpseal:1:2026-12:" + ctx, nonce, SEAL_KEYS["2026-12"]
    )
    opens("authentic_but_nine_byte_secret", "otpseal:1:2026-12:" + b64url(nonce + nine), ctx, "invalid_envelope")
    # 50 bytes are 67 characters: the last one carries 4 unused bits, which must be 0.
    last = e3[-1]
    sibling = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    opens("non_canonical_trailing_bits", e3[:-1] + sibling[sibling.index(last) ^ 1], b"", "invalid_envelope")

    rewrap = [
        {"name": "primary_key", "envelope": e1, "expect": False},
        {"name": "older_key", "envelope": e2, "expect": True},
        {"name": "third_key", "envelope": e3, "expect": True},
        {"name": "unknown_key", "envelope": e1.replace(":2026-12:", ":2027-01:"), "expect": {"error": "unknown_key"}},
        {"name": "not_an_envelope", "envelope": "JBSWY3DPEHPK3PXP", "expect": {"error": "invalid_envelope"}},
    ]

    keyrings = [
        {"name": "three_keys", "keys": keys_b64, "primary": "2026-12", "expect": "ok"},
        {"name": "one_key", "keys": {"k": keys_b64["2026-11"]}, "primary": "k", "expect": "ok"},
        {"name": "padded_key", "keys": {"k": keys_b64["2026-11"] + "="}, "primary": "k", "expect": "ok"},
        {
            "name": "primary_missing",
            "keys": {"k": keys_b64["2026-11"]},
            "primary": "other",
            "expect": {"error": "invalid_key"},
        },
        {"name": "no_keys", "keys": {}, "primary": "k", "expect": {"error": "invalid_key"}},
        {"name": "key_31_bytes", "keys": {"k": b64url(bytes(31))}, "primary": "k", "expect": {"error": "invalid_key"}},
        {"name": "key_33_bytes", "keys": {"k": b64url(bytes(33))}, "primary": "k", "expect": {"error": "invalid_key"}},
        {
            "name": "key_standard_base64",
            "keys": {"k": base64.b64encode(bytes([251] * 32)).decode()},
            "primary": "k",
            "expect": {"error": "invalid_key"},
        },
        {"name": "key_not_base64", "keys": {"k": "!" * 43}, "primary": "k", "expect": {"error": "invalid_key"}},
        {
            "name": "key_id_with_colon",
            "keys": {"a:b": keys_b64["2026-11"]},
            "primary": "a:b",
            "expect": {"error": "invalid_key"},
        },
        {"name": "key_id_empty", "keys": {"": keys_b64["2026-11"]}, "primary": "", "expect": {"error": "invalid_key"}},
        {
            "name": "key_id_33_chars",
            "keys": {"k" * 33: keys_b64["2026-11"]},
            "primary": "k" * 33,
            "expect": {"error": "invalid_key"},
        },
        {
            "name": "key_id_non_ascii",
            "keys": {"clé": keys_b64["2026-11"]},
            "primary": "clé",
            "expect": {"error": "invalid_key"},
        },
    ]

    unique_names(seal_cases, "seal")
    unique_names(open_cases, "open")
    unique_names(rewrap, "needs_rewrap")
    unique_names(keyrings, "keyring")
    return {
        "description": "Sealed secrets. `keys` is the keyring (id -> unpadded base64url of 32 bytes) every case uses "
        "unless it names a subset; `seal`: Keyring::new(keys, primary).seal_with_nonce(secret, context, nonce) gives "
        "`envelope` (other languages check that it opens); `open`: Keyring::open(envelope, context) gives the secret "
        "or the error code; `needs_rewrap` with primary 2026-12; `keyrings`: Keyring::new(keys, primary) succeeds "
        "(`ok`) or fails with the error code.",
        "source": "generate.py: envelopes computed with libsodium's XChaCha20-Poly1305 (PyNaCl) over the documented "
        "format; expectations from an independent Python reading of the documented rules (seal.rs).",
        "keys": keys_b64,
        "seal": seal_cases,
        "open": open_cases,
        "needs_rewrap": rewrap,
        "keyrings": keyrings,
    }


# ------------------------------------------------------------- the decision

DEFAULT_POLICY = {
    "past": 1,
    "future": 1,
    "sync_drift": True,
    "look_ahead": 10,
    "throttle": {"base": 1, "cap": 900},
    "account_max_failures": 10,
    "clock_diagnosis": 0,
}


def ref_decision(c: dict) -> dict:
    """Verifier::check_* from its documentation (decision.rs)."""
    p = {**DEFAULT_POLICY, **c.get("policy", {})}
    dev, acc, now_ms = c["device"], c["account"], c["now_ms"]
    if acc["failures"] >= p["account_max_failures"]:
        return {"outcome": {"kind": "locked"}, "write": {"kind": "nothing"}}
    if p["throttle"] is not None and dev["last_failure_at_ms"] is not None and dev["failures"] > 0:
        t = p["throttle"]
        delay = min(t["base"] * 2 ** min(dev["failures"] - 1, 63), t["cap"])
        wait = max(0, delay * 1000 - max(0, now_ms - dev["last_failure_at_ms"]))
        if wait > 0:
            return {"outcome": {"kind": "throttled", "retry_after_ms": wait}, "write": {"kind": "nothing"}}
    failure = {"kind": "failure", "at_ms": now_ms}
    token = c["token"]
    if c["kind"] == "backup":
        found = [i for i, h in enumerate(c["hashes"]) if django_check(token, h)]
        if found:
            return {
                "outcome": {"kind": "accepted", "step": found[0], "offset": 0},
                "write": {"kind": "consume", "index": found[0]},
            }
        return {"outcome": {"kind": "rejected", "clock_offset": None}, "write": failure}
    secret, algorithm, digits = bytes.fromhex(c["secret_hex"]), c["algorithm"], c["digits"]

    def code(counter: int) -> str:
        return str(hmac_truncated(secret, algorithm, counter) % 10**digits).zfill(digits)

    last = dev["last_step"]
    if c["kind"] == "hotp":
        la = p["look_ahead"]
        expected = 0 if last is None else last + 1
        accepted = [k for k in range(expected, expected + la + 1) if code(k) == token]
        if accepted:
            return {
                "outcome": {"kind": "accepted", "step": accepted[0], "offset": accepted[0] - expected},
                "write": {"kind": "accept", "step": accepted[0], "drift": 0, "failures_read": dev["failures"]},
            }
        replays = [] if last is None else [k for k in range(max(0, last - la), last + 1) if code(k) == token]
        if replays:
            return {"outcome": {"kind": "replayed", "step": replays[-1]}, "write": failure}
        return {"outcome": {"kind": "rejected", "clock_offset": None}, "write": failure}
    period, t0 = c["period"], c.get("t0", 0)
    now = now_ms // 1000
    if now < t0:
        return {"error": "time_before_t0"}
    current = (now - t0) // period
    drift = max(-MAX_DRIFT, min(MAX_DRIFT, dev["drift"])) if p["sync_drift"] else 0
    steps = [s for s in range(current + drift - p["past"], current + drift + p["future"] + 1) if 0 <= s <= U64_MAX]
    steps = [s for s in steps if abs(s - current) <= MAX_DRIFT]
    matches = [s for s in steps if code(s) == token]
    floor = -1 if last is None else last
    accepted = [s for s in matches if s > floor]
    if accepted:
        s = accepted[0]
        return {
            "outcome": {"kind": "accepted", "step": s, "offset": s - current},
            "write": {
                "kind": "accept",
                "step": s,
                "drift": s - current if p["sync_drift"] else 0,
                "failures_read": dev["failures"],
            },
        }
    replays = [s for s in matches if s <= floor]
    if replays:
        return {"outcome": {"kind": "replayed", "step": replays[-1]}, "write": failure}
    offset = None
    r = p["clock_diagnosis"]
    for d in range(0, r + 1):
        hits = [k for k in (current - d, current + d) if k >= 0 and code(k) == token]
        if hits:
            offset = hits[0] - current
            break
    return {"outcome": {"kind": "rejected", "clock_offset": offset}, "write": failure}


def django_check(token: str, encoded: str) -> bool:
    from django.contrib.auth.hashers import check_password

    normalized = ref_normalize(token)
    return normalized is not None and check_password(normalized, encoded)


def gen_decision() -> dict:
    django_setup()
    cases: list[dict] = []
    secret = RFC_SEED_SHA1
    t_ms = 1_111_111_109_000  # step 37037036, RFC 6238's time
    step = 1_111_111_109 // 30

    def code(s: int, algorithm="SHA1", digits=6, key=secret) -> str:
        return str(hmac_truncated(key, algorithm, s) % 10**digits).zfill(digits)

    def dev(last_step=None, drift=0, failures=0, last_failure_at_ms=None):
        return {"last_step": last_step, "drift": drift, "failures": failures, "last_failure_at_ms": last_failure_at_ms}

    def add(name, kind, token, want_kind, *, now_ms=t_ms, device=None, account=0, policy=None, **extra):
        c = {
            "name": name,
            "kind": kind,
            "policy": {**DEFAULT_POLICY, **(policy or {})},
            "token": token,
            "now_ms": now_ms,
            "device": device or dev(),
            "account": {"failures": account},
        }
        if kind != "backup":
            c.update({"secret_hex": secret.hex(), "algorithm": "SHA1", "digits": 6})
            if kind == "totp":
                c.update({"period": 30, "t0": 0})
        c.update(extra)
        got = ref_decision(c)
        got_kind = got.get("error") or got["outcome"]["kind"]
        check(got_kind == want_kind, f"decision {name}: reference says {got}, case wants {want_kind}")
        c["expect"] = got
        cases.append(c)

    # TOTP: accepted.
    add("totp_current_step", "totp", code(step), "accepted")
    add("totp_previous_step_offset_minus_1", "totp", code(step - 1), "accepted")
    add("totp_next_step_offset_plus_1", "totp", code(step + 1), "accepted")
    add("totp_after_last_step", "totp", code(step), "accepted", device=dev(last_step=step - 1))
    add("totp_drift_centre_3", "totp", code(step + 4), "accepted", device=dev(drift=3))
    add("totp_drift_clamped_from_50", "totp", code(step + 10), "accepted", device=dev(drift=50))
    add(
        "totp_drift_not_followed", "totp", code(step + 1), "accepted", device=dev(drift=5), policy={"sync_drift": False}
    )
    add(
        "totp_stored_drift_ignored_without_sync",
        "totp",
        code(step + 5),
        "rejected",
        device=dev(drift=5),
        policy={"sync_drift": False},
    )
    add(
        "totp_failures_read_into_condition",
        "totp",
        code(step),
        "accepted",
        device=dev(failures=2, last_failure_at_ms=t_ms - 10_000),
    )
    add("totp_wide_window_earliest_step", "totp", code(step - 3), "accepted", policy={"past": 3, "future": 3})
    # Replayed: the code of the last accepted step, or of one before it.
    add("totp_replay_same_step", "totp", code(step), "replayed", device=dev(last_step=step))
    add("totp_replay_older_step", "totp", code(step - 1), "replayed", device=dev(last_step=step))
    add("totp_replay_last_step_ahead", "totp", code(step + 1), "replayed", device=dev(last_step=step + 1))
    # Rejected, with and without a clock diagnosis.
    add("totp_wrong_code", "totp", "000000", "rejected")
    add("totp_two_steps_late", "totp", code(step - 2), "rejected")
    add("totp_diagnosis_5_steps_ahead", "totp", code(step + 5), "rejected", policy={"clock_diagnosis": 10})
    add("totp_diagnosis_7_steps_behind", "totp", code(step - 7), "rejected", policy={"clock_diagnosis": 20})
    add("totp_diagnosis_out_of_radius", "totp", code(step + 30), "rejected", policy={"clock_diagnosis": 20})
    add("totp_diagnosis_off_by_default", "totp", code(step + 5), "rejected")
    add(
        "totp_diagnosis_of_a_replay_is_a_replay",
        "totp",
        code(step),
        "replayed",
        device=dev(last_step=step),
        policy={"clock_diagnosis": 20},
    )
    for name, token in (
        ("empty", ""),
        ("five_digits", code(step)[1:]),
        ("seven_digits", code(step) + "0"),
        ("letters", "abcdef"),
        ("spaces", " " + code(step)[1:]),
        ("fullwidth", "１２３４５６"),
        ("long", "1" * 100),
    ):
        add(f"totp_malformed_{name}", "totp", token, "rejected")
    # Throttled and locked come first.
    add(
        "totp_throttled_3_failures",
        "totp",
        code(step),
        "throttled",
        device=dev(failures=3, last_failure_at_ms=t_ms - 1000),
    )
    add("totp_throttle_elapsed", "totp", code(step), "accepted", device=dev(failures=3, last_failure_at_ms=t_ms - 4000))
    add(
        "totp_throttle_one_ms_short",
        "totp",
        code(step),
        "throttled",
        device=dev(failures=3, last_failure_at_ms=t_ms - 3999),
    )
    add(
        "totp_no_throttle_policy",
        "totp",
        code(step),
        "accepted",
        device=dev(failures=30, last_failure_at_ms=t_ms),
        policy={"throttle": None},
    )
    add("totp_failures_without_time_not_throttled", "totp", code(step), "accepted", device=dev(failures=5))
    add("totp_locked_at_budget", "totp", code(step), "locked", account=10)
    add("totp_locked_beyond_budget", "totp", "000000", "locked", account=11)
    add("totp_one_below_budget", "totp", "000000", "rejected", account=9)
    add("totp_budget_of_one", "totp", code(step), "locked", account=1, policy={"account_max_failures": 1})
    add(
        "totp_lock_before_throttle",
        "totp",
        code(step),
        "locked",
        account=10,
        device=dev(failures=3, last_failure_at_ms=t_ms),
    )
    add("totp_time_before_t0", "totp", code(0), "time_before_t0", t0=2_000_000_000)
    # HOTP.
    add("hotp_first_use_counter_0", "hotp", code(0), "accepted")
    add("hotp_first_use_look_ahead_7", "hotp", code(7), "accepted")
    add("hotp_next_counter", "hotp", code(6), "accepted", device=dev(last_step=5))
    add("hotp_look_ahead_edge", "hotp", code(16), "accepted", device=dev(last_step=5))
    add("hotp_beyond_look_ahead", "hotp", code(17), "rejected", device=dev(last_step=5))
    add("hotp_look_ahead_2", "hotp", code(9), "rejected", device=dev(last_step=5), policy={"look_ahead": 2})
    add("hotp_replay_last_counter", "hotp", code(5), "replayed", device=dev(last_step=5))
    add("hotp_replay_older_counter", "hotp", code(1), "replayed", device=dev(last_step=5))
    add("hotp_wrong", "hotp", "000000", "rejected", device=dev(last_step=5))
    add(
        "hotp_throttled", "hotp", code(6), "throttled", device=dev(last_step=5, failures=1, last_failure_at_ms=t_ms - 1)
    )
    add("hotp_locked", "hotp", code(6), "locked", device=dev(last_step=5), account=10)
    # Backup codes.
    backup_codes = ["ABCDE-FGHJK", "00000-11111", "7KQ2M-Z0H4P"]
    hashes = [make_password_iter(ref_normalize(c), "decisionsalt0123456789", 1000) for c in backup_codes]
    add("backup_accepted_index_2", "backup", "7kq2m z0h4p", "accepted", hashes=hashes)
    add("backup_accepted_index_0_read_leniently", "backup", "abcde fghjk", "accepted", hashes=hashes)
    add("backup_rejected", "backup", "22222-33333", "rejected", hashes=hashes)
    add("backup_malformed", "backup", "not a code", "rejected", hashes=hashes)
    add(
        "backup_throttled",
        "backup",
        "7KQ2M-Z0H4P",
        "throttled",
        hashes=hashes,
        device=dev(failures=2, last_failure_at_ms=t_ms - 500),
    )
    add("backup_locked", "backup", "7KQ2M-Z0H4P", "locked", hashes=hashes, account=10)

    unique_names(cases, "decision")
    return {
        "description": "Verifier checks. policy: the Verifier (past/future window, sync_drift, HOTP look_ahead, "
        "throttle {base, cap} or null, account_max_failures, clock_diagnosis in steps); kind: totp (check_totp), hotp "
        "(check_hotp) or backup (check_backup against hashes); device: the stored DeviceState; account: the stored "
        "AccountState; now_ms: the time. expect: the outcome ({kind, ...}) and the write ({kind, ...}), or {error}.",
        "source": "generate.py: an independent Python implementation of the documented decision (decision.rs), with "
        "codes from RFC 4226's truncation and hashes from Django's PBKDF2PasswordHasher.",
        "cases": cases,
    }


# -- Google Authenticator exports (otpauth-migration://) -------------------------


# The schema as Google Authenticator writes it, as Aegis documents it
# (app/src/main/proto/google_auth.proto of github.com/beemdevelopment/Aegis),
# built here with Google's own protobuf runtime (no protoc): an encoder and
# decoder independent of the Rust code's prost derives. The enums are read
# as int32 (the same varint on the wire) so that unknown values can be
# written, and name/issuer as bytes (the same length-delimited field) so that
# invalid UTF-8 can be.
def migration_classes():
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    fdp = descriptor_pb2.FileDescriptorProto(name="otp_core_migration_vectors.proto", package="v", syntax="proto3")
    params = fdp.message_type.add(name="OtpParameters")
    f = descriptor_pb2.FieldDescriptorProto
    for name, number, kind in [
        ("secret", 1, f.TYPE_BYTES),
        ("name", 2, f.TYPE_BYTES),
        ("issuer", 3, f.TYPE_BYTES),
        ("algorithm", 4, f.TYPE_INT32),
        ("digits", 5, f.TYPE_INT32),
        ("type", 6, f.TYPE_INT32),
        ("counter", 7, f.TYPE_INT64),
        # Not in Google's schema: an unknown field a reader must skip.
        ("unknown_extra", 15, f.TYPE_STRING),
    ]:
        params.field.add(name=name, number=number, type=kind, label=f.LABEL_OPTIONAL)
    payload = fdp.message_type.add(name="MigrationPayload")
    payload.field.add(
        name="otp_parameters", number=1, type=f.TYPE_MESSAGE, type_name=".v.OtpParameters", label=f.LABEL_REPEATED
    )
    for name, number in [("version", 2), ("batch_size", 3), ("batch_index", 4), ("batch_id", 5)]:
        payload.field.add(name=name, number=number, type=f.TYPE_INT32, label=f.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return (
        message_factory.GetMessageClass(pool.FindMessageTypeByName("v.MigrationPayload")),
        message_factory.GetMessageClass(pool.FindMessageTypeByName("v.OtpParameters")),
    )


def migration_uri(
    payload_bytes: bytes, *, form_damaged: bool = False, url_safe: bool = False, unpadded: bool = False
) -> str:
    from urllib.parse import quote

    data = (base64.urlsafe_b64encode if url_safe else base64.b64encode)(payload_bytes).decode()
    if unpadded:
        data = data.rstrip("=")
    if form_damaged:
        # A pipeline that form-decoded the value: %2B became '+', then ' '.
        return "otpauth-migration://offline?data=" + quote(data, safe="+/=").replace("+", " ")
    return "otpauth-migration://offline?data=" + quote(data, safe="")


ALGOS = {1: "SHA1", 2: "SHA256", 3: "SHA512"}


def ref_import(p, position: int) -> dict:
    """The documented import rules for one account (module docs of migration.rs)."""
    secret, name, issuer = bytes(p.secret), bytes(p.name), bytes(p.issuer)
    findings: list[str] = []
    if not secret:
        return {"skip": "invalid_secret"}
    if len(secret) > 128:
        return {"skip": "secret_too_long"}
    if p.algorithm == 0:
        findings.append("defaulted_field")
    elif p.algorithm not in ALGOS:
        return {"skip": "unsupported_algorithm"}
    algorithm = ALGOS.get(p.algorithm, "SHA1")
    if p.digits not in (0, 1, 2):
        return {"skip": "invalid_digits"}
    if p.digits == 0 and "defaulted_field" not in findings:
        findings.append("defaulted_field")
    digits = 8 if p.digits == 2 else 6
    if p.type not in (0, 1, 2):
        return {"skip": "unsupported_type"}
    if p.type == 0 and "defaulted_field" not in findings:
        findings.append("defaulted_field")
    if p.type == 1 and p.counter < 0:
        return {"skip": "invalid_counter"}

    def label(raw: bytes, most: int):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        trimmed = text.strip()
        if trimmed != text and "label_trimmed" not in findings:
            findings.append("label_trimmed")
        if len(trimmed.encode()) > most or any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in trimmed):
            return None
        return trimmed

    iss = label(issuer, 256)
    acc = label(name, 2 * 256 + 1)  # the name holds "issuer:account"
    if iss is None or acc is None:
        return {"skip": "invalid_label"}
    if iss:
        if acc.startswith(iss + ":"):
            acc = acc[len(iss) + 1 :].lstrip()
            findings.append("issuer_prefix_removed")
    elif ":" in acc:
        prefix, rest = acc.split(":", 1)
        if prefix.strip() and rest.lstrip():
            iss, acc = prefix.strip(), rest.lstrip()
            findings.append("issuer_from_name")
    if not acc:
        acc = iss if iss else f"Account {position + 1}"
        findings.append("unnamed_account")
    if len(secret) < 10:
        findings.append("secret_below_80_bits")
    elif len(secret) < 14:
        findings.append("secret_below_112_bits")
    if (":" in iss) or (not iss and ":" in acc) or len(acc.encode()) > 256:
        return {"skip": "invalid_label"}
    # The account must write back as an otpauth URI of at most 2048 bytes
    # (otp-core's MAX_URI_LEN): labels percent-encoded outside RFC 3986's
    # unreserved set, the secret in unpadded base32.
    quote = lambda t: urllib.parse.quote(t, safe="-._~")  # noqa: E731
    length = len("otpauth://totp/") + len(quote(acc)) + len("?secret=") + len(b32(secret))
    if iss:
        length += 2 * len(quote(iss)) + 1 + len("&issuer=")
    if p.type == 1:
        length += len(f"&counter={p.counter}")
    if algorithm != "SHA1":
        length += len(f"&algorithm={algorithm}")
    if digits != 6:
        length += len("&digits=8")
    if length > 2048:
        return {"skip": "input_too_long"}
    entry = {
        "position": position,
        "type": "hotp" if p.type == 1 else "totp",
        "secret_hex": secret.hex(),
        "algorithm": algorithm,
        "digits": digits,
    }
    if p.type == 1:
        entry["counter"] = p.counter
    else:
        entry["period"] = 30
    entry.update({"account": acc, "issuer": iss or None, "findings": findings})
    return entry


def ref_parse_migration(payload_cls, raw: bytes) -> dict:
    p = payload_cls()
    p.ParseFromString(raw)
    size = max(p.batch_size, 1)
    if size > 1000 or not (0 <= p.batch_index < size):
        return {"error": "invalid_migration"}
    entries, skipped = [], []
    for i, params in enumerate(p.otp_parameters):
        r = ref_import(params, i)
        if "skip" in r:
            skipped.append(
                {"position": i, "name": bytes(params.name).decode("utf-8", "replace")[:256], "reason": r["skip"]}
            )
        else:
            entries.append(r)
    return {
        "version": p.version,
        "batch_size": size,
        "batch_index": p.batch_index,
        "batch_id": p.batch_id,
        "entries": entries,
        "skipped": skipped,
    }


def gen_migration() -> dict:
    payload_cls, params_cls = migration_classes()

    def account(secret: bytes, name, issuer=b"", algorithm=1, digits=1, otp_type=2, counter=0, extra=None):
        p = params_cls(
            secret=secret,
            name=name if isinstance(name, bytes) else name.encode(),
            issuer=issuer if isinstance(issuer, bytes) else issuer.encode(),
            algorithm=algorithm,
            digits=digits,
            type=otp_type,
            counter=counter,
        )
        if extra is not None:
            p.unknown_extra = extra
        return p

    def payload(accounts, version=1, batch_size=1, batch_index=0, batch_id=0) -> bytes:
        m = payload_cls(version=version, batch_size=batch_size, batch_index=batch_index, batch_id=batch_id)
        m.otp_parameters.extend(accounts)
        return m.SerializeToString()

    rfc = b"12345678901234567890"
    parse_cases = []

    def case(name, uri, raw=None):
        expect = ref_parse_migration(payload_cls, raw) if raw is not None else None
        parse_cases.append({"name": name, "uri": uri, "expect": expect})

    # A published sample (github.com/dim13/otpauth README, also in
    # github.com/digitalduke/otpauth-migration-decoder's README): one TOTP
    # account "Example:alice@google.com", secret JBSWY3DPEHPK3PXP (10 bytes).
    published = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC"
    raw = base64.b64decode("CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC")
    check(bytes(payload_cls.FromString(raw).otp_parameters[0].secret) == base64.b32decode("JBSWY3DPEHPK3PXP"), "sample")
    case("published_sample_dim13", published, raw)
    # Published exports in github.com/scito/extract_otp_secrets
    # (example_export.txt; the secret 7KSQL2JTUDIS5EF65KLMRQIIGY is the one
    # the Raspberry Pi blog's two-factor tutorial shows): negative batch ids,
    # an HOTP at counter 4, a name in UTF-8, and two accounts in one export;
    # tests/data/test_plus_problem_export.txt holds raw '+' and '/' in data.
    scito = [
        (
            "published_scito_totp_with_issuer",
            "CjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEwAhABGAEgACjr4JKK%2B%2F%2F%2F%2F%2F8B",
        ),
        (
            "published_scito_totp_without_issuer",
            "CigKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpIAEoATACEAEYASAAKLzjp5n4%2F%2F%2F%2F%2FwE%3D",
        ),
        (
            "published_scito_two_accounts",
            "CigKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpIAEoATACCjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEwAhABGAEgACiQ7OOa%2Bf%2F%2F%2F%2F8B",
        ),
        (
            "published_scito_hotp_counter_4",
            "CiUKEPqlBekzoNEukL7qlsjBCDYSCWhvdHAgZGVtbyABKAEwATgEEAEYASAAKNuv15j6%2F%2F%2F%2F%2FwE%3D",
        ),
        (
            "published_scito_utf8_name",
            "CjYKEPqlBekzoNEukL7qlsjBCDYSHGVuY29kaW5nOiDCv8Okw4TDqcOJPyAoZGVtbykgASgBMAIQARgBIAAorfCurv%2F%2F%2F%2F%2F%2FAQ%3D%3D",
        ),
        (
            "published_scito_raw_plus_and_slash",
            "ClEKFAciUeGF4aS6IDCvMv99ySZ1ekKsEiVTZXJlbml0eUxhYnM6dGVzdDFAc2VyZW5pdHlsYWJzLmNvLnVrGgxTZXJlbml0eUxhYnMgASgBMAIKUQoUkIY8/fbrHZWTb4CBln18lvqt0HcSJVNlcmVuaXR5TGFiczp0ZXN0MkBzZXJlbml0eWxhYnMuY28udWsaDFNlcmVuaXR5TGFicyABKAEwAgpRChScf+1/Ua4d4gCY0W/7fj9VBkM9PBIlU2VyZW5pdHlMYWJzOnRlc3QzQHNlcmVuaXR5bGFicy5jby51axoMU2VyZW5pdHlMYWJzIAEoATACClEKFG6Qu0ryTSFA/l5rmvTIXtNeb5LtEiVTZXJlbml0eUxhYnM6dGVzdDRAc2VyZW5pdHlsYWJzLmNvLnVrGgxTZXJlbml0eUxhYnMgASgBMAIQARgBIAAogtTa1vz/////AQ==",
        ),
    ]
    for name, data in scito:
        raw = base64.b64decode(urllib.parse.unquote(data))
        case(name, f"otpauth-migration://offline?data={data}", raw)
    check(
        bytes(payload_cls.FromString(base64.b64decode(urllib.parse.unquote(scito[0][1]))).otp_parameters[0].secret)
        == base64.b32decode("7KSQL2JTUDIS5EF65KLMRQIIGY======"),
        "the Raspberry Pi sample's secret",
    )
    three = [
        account(rfc, "ACME:alice@example.com", "ACME"),
        account(b"12345678901234567890123456789012", "bob", "Corp", algorithm=2, digits=2),
        account(rfc, "hw token", "", otp_type=1, counter=42),
    ]
    raw = payload(three, batch_id=123456789)
    case("three_accounts", migration_uri(raw), raw)
    case("form_decoded_plus_as_space", migration_uri(raw, form_damaged=True), raw)
    case("url_safe_unpadded", migration_uri(raw, url_safe=True, unpadded=True), raw)
    case(
        "scheme_upper_case",
        migration_uri(raw).replace("otpauth-migration://offline", "OTPAUTH-MIGRATION://OFFLINE"),
        raw,
    )
    raw = payload([account(b"\x01\x02\x03\x04\x05", "Short:five", "Short")], batch_id=-17)
    case("five_byte_secret_negative_batch_id", migration_uri(raw), raw)
    raw = payload([account(b"0123456789ab", "twelve", "Legacy")])
    case("twelve_byte_secret", migration_uri(raw), raw)
    raw = payload(
        [
            account(rfc, "md5", "X", algorithm=4),
            account(rfc, "seven digits", "X", digits=3),
            account(rfc, "unknown type", "X", otp_type=7),
            account(b"", "no secret", "X"),
            account(rfc, b"bad \xff utf-8", "X"),
            account(rfc, "negative counter", "X", otp_type=1, counter=-1),
            account(bytes(129), "too long", "X"),
            account(rfc, "kept", "X", extra="an unknown field"),
        ]
    )
    case("entries_skipped_with_reasons", migration_uri(raw), raw)
    # Long labels: a name of "issuer:account" over 256 bytes whose parts are
    # within it imports; labels whose otpauth URI would exceed 2048 bytes
    # are skipped (they could never be written back or shown).
    raw = payload(
        [
            account(rfc, "I" * 200 + ":" + "a" * 200, "I" * 200),
            account(rfc, "漢" * 85, "字" * 85),
            account(rfc, "b" * 257, "X"),
        ]
    )
    case("long_labels", migration_uri(raw), raw)
    raw = payload([account(rfc, "", "", algorithm=0, digits=0, otp_type=0)])
    case("unspecified_everything_unnamed", migration_uri(raw), raw)
    raw = payload([account(rfc, "  Site: carol  ", "")])
    case("issuer_from_name_trimmed", migration_uri(raw), raw)
    raw = payload([account(rfc, "dave", "")], version=0, batch_size=0)
    case("old_export_no_batch_size", migration_uri(raw), raw)
    for name, uri in [
        ("wrong_scheme", "otpauth://offline?data=CjEK"),
        ("wrong_host", "otpauth-migration://online?data=CjEK"),
        ("no_data", "otpauth-migration://offline?foo=bar"),
        ("empty_data", "otpauth-migration://offline?data="),
        ("not_base64", "otpauth-migration://offline?data=%%%"),
        ("not_protobuf", "otpauth-migration://offline?data=" + base64.b64encode(b"\xff\xff\xff\xff").decode()),
        ("index_past_size", migration_uri(payload([account(rfc, "x", "X")], batch_size=2, batch_index=2))),
        ("batch_size_past_1000", migration_uri(payload([account(rfc, "x", "X")], batch_size=1001))),
        ("batch_size_i32_max", migration_uri(payload([account(rfc, "x", "X")], batch_size=2**31 - 1))),
    ]:
        parse_cases.append({"name": name, "uri": uri, "expect": {"error": "invalid_migration"}})
    parse_cases.append(
        {
            "name": "too_long",
            "uri": "otpauth-migration://offline?data=" + "A" * 4100,
            "expect": {"error": "input_too_long"},
        }
    )

    # Multi-QR exports: 25 accounts in 3 parts of at most 10.
    many = [account(bytes([i]) * 20, f"user{i}", "Team") for i in range(25)]
    parts = [
        migration_uri(payload(many[i : i + 10], batch_size=3, batch_index=k, batch_id=99))
        for k, i in enumerate(range(0, 25, 10))
    ]
    other = migration_uri(payload(many[:10], batch_size=3, batch_index=0, batch_id=100))
    assemble = [
        {
            "name": "three_parts_in_order",
            "uris": parts,
            "expect": {"accounts": [f"user{i}" for i in range(25)], "positions": list(range(25))},
        },
        {
            "name": "three_parts_shuffled_and_repeated",
            "uris": [parts[2], parts[0], parts[2], parts[1]],
            "expect": {"accounts": [f"user{i}" for i in range(25)], "positions": list(range(25))},
        },
        {
            "name": "missing_a_part",
            "uris": [parts[0], parts[2]],
            "expect": {"missing": [1], "error": "migration_incomplete"},
        },
        {"name": "another_export", "uris": [parts[0], other], "expect": {"error": "migration_mismatch", "at": 1}},
        {"name": "nothing_given", "uris": [], "expect": {"missing": [], "error": "migration_incomplete"}},
    ]

    # Export: what this project writes, read back by the independent decoder.
    def exported(accounts_json, batch_id):
        # The reference encoding: Google's runtime, 10 per URI.
        chunks = [accounts_json[i : i + 10] for i in range(0, len(accounts_json), 10)] or [[]]
        uris = []
        for k, chunk in enumerate(chunks):
            ps = []
            for a in chunk:
                name = f"{a['issuer']}:{a['account']}" if a["issuer"] else a["account"]
                ps.append(
                    params_cls(
                        secret=bytes.fromhex(a["secret_hex"]),
                        name=name.encode(),
                        issuer=(a["issuer"] or "").encode(),
                        algorithm={"SHA1": 1, "SHA256": 2, "SHA512": 3}[a["algorithm"]],
                        digits={6: 1, 8: 2}[a["digits"]],
                        type=1 if a["type"] == "hotp" else 2,
                        counter=a.get("counter", 0),
                    )
                )
            uris.append(migration_uri(payload(ps, batch_size=len(chunks), batch_index=k, batch_id=batch_id)))
        return uris

    def acct(i, **kw):
        a = {
            "type": "totp",
            "secret_hex": (bytes([i + 1]) * 20).hex(),
            "algorithm": "SHA1",
            "digits": 6,
            "period": 30,
            "account": f"user{i}@example.com",
            "issuer": "ACME",
        }
        a.update(kw)
        return a

    twelve = [acct(i) for i in range(12)]
    mixed = [
        acct(0),
        acct(1, algorithm="SHA512", digits=8, issuer=None),
        {**acct(2, type="hotp", counter=7), "period": None},
    ]
    export = [
        {"name": "one_account", "accounts": [acct(0)], "batch_id": 1, "expect": {"uris": exported([acct(0)], 1)}},
        {
            "name": "twelve_accounts_two_uris",
            "accounts": twelve,
            "batch_id": -5,
            "expect": {"uris": exported(twelve, -5)},
        },
        {
            "name": "hotp_sha512_eight_digits_no_issuer",
            "accounts": mixed,
            "batch_id": 7,
            "expect": {"uris": exported(mixed, 7)},
        },
    ]
    for a in export[2]["accounts"]:
        if a.get("period") is None:
            a.pop("period", None)
    bad = [acct(0), acct(1, period=60), acct(2, digits=7)]
    export.append(
        {
            "name": "period_and_digits_refused",
            "accounts": bad,
            "batch_id": 3,
            "expect": {"error": {"index": 1, "code": "unexportable"}},
            "lossy": {
                "uris": exported([acct(0)], 3),
                "dropped": [{"index": 1, "code": "unexportable"}, {"index": 2, "code": "unexportable"}],
            },
        }
    )
    # Every export decodes back, by the reference, to its accounts.
    for c in export:
        if "uris" in c["expect"]:
            got = []
            for uri in c["expect"]["uris"]:
                from urllib.parse import unquote

                raw = base64.b64decode(unquote(uri.split("data=", 1)[1]))
                got += [e["account"] for e in ref_parse_migration(payload_cls, raw)["entries"]]
            check(got == [a["account"] for a in c["accounts"]], f"export {c['name']} round trip")
    return {
        "description": (
            "Google Authenticator exports (otpauth-migration://offline?data=...): decoding, lenient per-entry "
            "import with findings and skip reasons, multi-part assembly, and export."
        ),
        "source": (
            "Schema: Aegis app/src/main/proto/google_auth.proto (github.com/beemdevelopment/Aegis). "
            "Published samples: github.com/dim13/otpauth README; github.com/scito/extract_otp_secrets "
            "example_export.txt and tests/data/test_plus_problem_export.txt. Everything else built and read back with "
            "Google's protobuf runtime (generate.py); the import rules are otp-core's documented ones "
            "(otp-core/src/migration.rs), written out in Python."
        ),
        "parse": parse_cases,
        "assemble": assemble,
        "export": export,
    }


def make_password_iter(password: str, salt: str, iterations: int) -> str:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    return PBKDF2PasswordHasher().encode(password, salt, iterations)


# --------------------------------------------------------------------------

GENERATED = {
    "hotp_rfc4226.json": gen_hotp_rfc4226,
    "totp_rfc6238.json": gen_totp_rfc6238,
    "totp_verify.json": gen_totp_verify,
    "hotp_verify.json": gen_hotp_verify,
    "steam.json": gen_steam,
    "base32.json": gen_base32,
    "backup_codes.json": gen_backup_codes,
    "throttle.json": gen_throttle,
    "seal.json": gen_seal,
    "decision.json": gen_decision,
    "migration.json": gen_migration,
}


HAND_WRITTEN = ("uri_parse.json", "uri_build.json", "uri_import.json")


def check_hand_written() -> list[str]:
    """Read-only sanity checks of the hand-written files: they parse, and case names are unique."""
    problems = []
    for name in HAND_WRITTEN:
        path = HERE / name
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            names = [c["name"] for c in doc["cases"]]
            if len(names) != len(set(names)):
                problems.append(f"{name}: duplicate case names")
        except (OSError, ValueError, KeyError, TypeError) as e:
            problems.append(f"{name}: {e}")
    return problems


def render(obj: dict) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    args = parser.parse_args()

    try:
        rendered = {name: render(fn()) for name, fn in GENERATED.items()}
    except CheckError as e:
        print(f"generate.py: {e}", file=sys.stderr)
        return 2

    problems = check_hand_written()
    for problem in problems:
        print(f"generate.py: hand-written {problem}", file=sys.stderr)

    if args.check:
        stale = []
        for name, text in rendered.items():
            path = HERE / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        if stale:
            print("generate.py --check: out of date: " + ", ".join(stale), file=sys.stderr)
            print("run `make vectors` (generate.py in the venv) and commit the result", file=sys.stderr)
            return 1
        if problems:
            return 1
        print(f"generate.py --check: {len(rendered)} files up to date")
        return 0

    for name, text in rendered.items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {name}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
