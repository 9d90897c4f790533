"""Differential tests against pyotp: thousands of seeded random cases.

Wherever pyotp accepts an input, otp_core must give exactly the same
result. The inputs are drawn from the domain both libraries accept (secrets
of at least 112 bits, labels without ':' or '/' or edge whitespace,
canonical secrets in URIs); the few places where otp_core is deliberately
stricter or canonical are each tested on their own in test_migration_*
below, and listed in the README's migration section.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import random
import time
from typing import Any, Callable
from urllib.parse import quote

import pyotp
import pytest
from conftest import b32

import otp_core

SEED = 20_240_501
N = 3000

HASHES: list[Callable[..., Any]] = [hashlib.sha1, hashlib.sha256, hashlib.sha512]
# Characters for account names and issuers: letters, digits, punctuation
# that both libraries percent-encode the same way, and non-ASCII.
LABEL_CHARS = "abcXYZ019 @.-_~+!$&'()*,;=%?#[]éüß漢字"
UTC = datetime.timezone.utc


def rng(name: str) -> random.Random:
    return random.Random(f"{SEED}-{name}")


def random_secret(r: random.Random) -> bytes:
    return r.randbytes(r.choice([16, 20, 20, 20, 32, 64, r.randint(16, 100)]))


def spellings(r: random.Random, key: bytes) -> str:
    """A base32 spelling that both pyotp and otp-core read."""
    text = base64.b32encode(key).decode()
    return r.choice([text.rstrip("="), text, text.lower().rstrip("="), text.lower()])


def our_digest(r: random.Random, digest: Callable[..., Any]) -> Any:
    name = digest().name
    return r.choice([digest, name, name.upper(), None if name == "sha1" else digest])


def random_time(r: random.Random) -> int | float | datetime.datetime:
    seconds = r.choice([r.randint(0, 2**31), r.randint(0, 2**34), r.randint(0, 10**6), r.randint(2**31, 2**33)])
    kind = r.randrange(5)
    if kind == 0:
        return seconds + r.random()
    if kind == 1:
        return datetime.datetime.fromtimestamp(min(seconds, 253402300799), UTC)
    if kind == 2:
        tz = datetime.timezone(datetime.timedelta(minutes=r.randint(-720, 840)))
        moment = datetime.datetime.fromtimestamp(min(seconds, 253402300799) + r.random(), tz)
        return moment
    if kind == 3:
        # Naive: local time, as pyotp reads it.
        return datetime.datetime.fromtimestamp(min(seconds, 2**33) + r.random())
    return seconds


def pair(r: random.Random) -> tuple[pyotp.TOTP, otp_core.TOTP, dict[str, Any]]:
    key = random_secret(r)
    secret = spellings(r, key)
    digest = r.choice(HASHES)
    digits = r.randint(6, 10)
    interval = r.choice([30, 30, 60, r.randint(1, 120)])
    theirs = pyotp.TOTP(secret, digits=digits, digest=digest, interval=interval)
    ours = otp_core.TOTP(secret, digits, our_digest(r, digest), interval=interval)
    return theirs, ours, {"digits": digits, "interval": interval}


def unb32(text: str) -> bytes:
    return base64.b32decode(text.upper() + "=" * (-len(text) % 8))


def pyotp_result(call: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, call()
    except ValueError:
        return False, None


def test_at_and_timecode() -> None:
    r = rng("at")
    agreed = 0
    for _ in range(N):
        theirs, ours, _ = pair(r)
        for_time = random_time(r)
        offset = r.randint(-3, 3)
        ok, expected = pyotp_result(lambda: theirs.at(for_time, counter_offset=offset))
        if not ok:
            # pyotp refuses a negative step; so does otp_core, with its code.
            with pytest.raises(otp_core.InvalidCounterError):
                ours.at(for_time, offset)
            continue
        assert ours.at(for_time, offset) == expected
        assert ours.at(for_time, counter_offset=offset) == expected
        assert ours.timecode(for_time) == theirs.timecode(for_time)
        agreed += 1
    assert agreed > N * 0.95


def test_hotp_at_and_verify() -> None:
    r = rng("hotp")
    for _ in range(N):
        key = random_secret(r)
        secret = spellings(r, key)
        digest = r.choice(HASHES)
        digits = r.randint(6, 10)
        initial = r.choice([0, 0, r.randint(0, 1000), r.randint(0, 2**40)])
        theirs = pyotp.HOTP(secret, digits=digits, digest=digest, initial_count=initial)
        ours = otp_core.HOTP(secret, digits, our_digest(r, digest), initial_count=initial)
        count = r.choice([r.randint(0, 100), r.randint(0, 2**48), r.randint(-initial, 10) if initial else 0])
        code = theirs.at(count)
        assert ours.at(count) == code
        candidate = r.choice([code, theirs.at(count + 1), str(r.randint(0, 10**digits - 1)).zfill(digits), int(code)])
        assert ours.verify(candidate, count) is theirs.verify(candidate, count)
        # match with look-ahead 0 is verify, and gives the counter back.
        assert ours.match(candidate, count) == (count if theirs.verify(candidate, count) else None)


def test_verify_at_a_time() -> None:
    r = rng("verify")
    accepted = refused = 0
    for _ in range(N):
        theirs, ours, params = pair(r)
        for_time = random_time(r)
        window = r.randint(0, 10)
        kind = r.randrange(4)
        if kind == 0:
            ok, candidate = pyotp_result(lambda: theirs.at(for_time, counter_offset=r.randint(-12, 12)))
            if not ok:
                continue
        elif kind == 1:
            candidate = str(r.randint(0, 10 ** params["digits"] - 1)).zfill(params["digits"])
        elif kind == 2:
            ok, code = pyotp_result(lambda: theirs.at(for_time, counter_offset=r.randint(-2, 2)))
            if not ok:
                continue
            candidate = int(code)  # pyotp compares str(otp)
        else:
            candidate = r.choice(["", "12345", "1234567", "abcdef", "12 345"])
        ok, expected = pyotp_result(lambda: theirs.verify(candidate, for_time=for_time, valid_window=window))
        if not ok:
            continue  # pyotp raises when the window reaches below step 0
        assert ours.verify(candidate, for_time, window) is expected
        assert ours.verify(candidate, for_time=for_time, valid_window=window) is expected
        m = ours.match(candidate, for_time, past=window, future=window)
        assert (m is not None) is expected
        if expected:
            accepted += 1
            assert m is not None and abs(m.offset) <= window
            assert theirs.at(for_time, counter_offset=m.offset) == str(candidate)
        else:
            refused += 1
    assert accepted > N / 4 and refused > N / 4


def test_verify_now() -> None:
    r = rng("now")
    checked = 0
    while checked < 500:
        theirs, ours, params = pair(r)
        interval = params["interval"]
        window = r.randint(0, 3)
        before = int(time.time())
        offset = r.randint(-5, 5)
        candidate = r.choice(
            [
                theirs.now(),
                theirs.at(time.time(), counter_offset=offset),
                ours.now(),
                str(r.randint(0, 999999)).zfill(6),
            ]
        )
        expected = theirs.verify(candidate, valid_window=window)
        got = ours.verify(candidate, valid_window=window)
        after = int(time.time())
        if before // interval != after // interval:
            continue  # a step boundary passed between the two verifications
        assert got is expected
        assert ours.now() == theirs.now() or int(time.time()) // interval != after // interval
        checked += 1


def random_label(r: random.Random) -> str:
    text = "".join(r.choice(LABEL_CHARS) for _ in range(r.randint(1, 24))).strip()
    return text or "x"


def test_provisioning_uri() -> None:
    r = rng("uri")
    for _ in range(N):
        key = random_secret(r)
        secret = b32(key)  # canonical: pyotp writes the secret as given
        digest = r.choice(HASHES)
        digits = r.randint(6, 10)
        name = random_label(r)
        issuer = random_label(r) if r.random() < 0.7 else None
        image = f"https://example.com/{quote(random_label(r))}.png" if r.random() < 0.3 else None
        extra = {"image": image} if image else {}
        if r.random() < 0.5:
            interval = r.choice([30, r.randint(1, 120)])
            theirs: pyotp.OTP = pyotp.TOTP(secret, digits=digits, digest=digest, interval=interval)
            expected = theirs.provisioning_uri(name=name, issuer_name=issuer, **extra)
            ours_t = otp_core.TOTP(secret, digits, our_digest(r, digest), interval=interval)
            assert ours_t.provisioning_uri(name, issuer, image) == expected
            # The label from the constructor gives the same URI.
            ours_t = otp_core.TOTP(secret, digits, our_digest(r, digest), name, issuer, interval)
            assert ours_t.provisioning_uri(image=image) == expected
            parsed: pyotp.OTP = pyotp.parse_uri(expected) if digits <= 8 else theirs
        else:
            initial = r.choice([0, r.randint(0, 10**6), r.randint(0, 2**63)])
            theirs = pyotp.HOTP(secret, digits=digits, digest=digest, initial_count=initial)
            expected = theirs.provisioning_uri(name=name, issuer_name=issuer, **extra)
            ours_h = otp_core.HOTP(secret, digits, our_digest(r, digest), initial_count=initial)
            assert ours_h.provisioning_uri(name, None, issuer, image) == expected
            other = r.randint(0, 2**40)
            assert ours_h.provisioning_uri(name, other, issuer, image) == theirs.provisioning_uri(
                name=name, initial_count=other, issuer_name=issuer, **extra
            )
            parsed = pyotp.parse_uri(expected) if digits <= 8 else theirs
        # And pyotp reads ours back to the same generator.
        assert parsed.secret == secret


def pyotp_uri(r: random.Random) -> tuple[str, dict[str, Any]]:
    """A URI from pyotp's own builder, sometimes rewritten as real sites do."""
    key = random_secret(r)
    digest = r.choice(HASHES)
    digits = r.choice([6, 7, 8])  # pyotp.parse_uri reads no other digits
    name = random_label(r)
    issuer = random_label(r) if r.random() < 0.7 else None
    is_totp = r.random() < 0.6
    params: dict[str, Any] = {"key": key, "digest": digest, "digits": digits, "name": name, "issuer": issuer}
    if is_totp:
        params["interval"] = r.choice([30, r.randint(1, 120)])
        otp: pyotp.OTP = pyotp.TOTP(b32(key), digits=digits, digest=digest, interval=params["interval"])
        uri = otp.provisioning_uri(name=name, issuer_name=issuer)
    else:
        params["initial_count"] = r.choice([0, r.randint(0, 2**63)])
        otp = pyotp.HOTP(b32(key), digits=digits, digest=digest)
        uri = otp.provisioning_uri(name=name, issuer_name=issuer, initial_count=params["initial_count"])
    rewrite = r.randrange(4)
    if rewrite == 1:
        uri = uri.replace(f"secret={b32(key)}", f"secret={b32(key).lower()}")
    elif rewrite == 2:
        uri += "&foo=bar&icon=x%20y"  # unknown parameters are ignored
    elif rewrite == 3 and issuer is not None:
        uri = uri.replace("&issuer=" + quote(issuer, safe=""), "")  # issuer only in the label
    return uri, params


def test_parse_uri() -> None:
    r = rng("parse")
    for _ in range(N):
        uri, params = pyotp_uri(r)
        theirs = pyotp.parse_uri(uri)
        ours = otp_core.parse_uri(uri)
        assert type(ours).__name__ == type(theirs).__name__
        assert ours.name == theirs.name == params["name"]
        assert ours.issuer == theirs.issuer
        assert ours.digits == theirs.digits
        assert ours.digest is theirs.digest
        assert ours.secret == b32(params["key"])  # canonical, whatever the URI's spelling
        assert unb32(theirs.secret) == params["key"]
        if isinstance(theirs, pyotp.TOTP):
            assert isinstance(ours, otp_core.TOTP)
            assert ours.interval == theirs.interval
            when = r.randint(0, 2**33)
            assert ours.at(when) == theirs.at(when)
        else:
            assert isinstance(ours, otp_core.HOTP) and isinstance(theirs, pyotp.HOTP)
            assert ours.initial_count == theirs.initial_count
            count = r.randint(0, 1000)
            assert ours.at(count) == theirs.at(count)


def test_random_generators_read_by_pyotp() -> None:
    for length in (32, 40, 64, 200):
        secret = otp_core.random_base32(length)
        assert len(secret) == length
        assert pyotp.TOTP(secret).at(10**9) == otp_core.TOTP(secret).at(10**9)
    assert len(otp_core.random_base32(26)) == 26  # 16 bytes: the core's minimum
    assert len(otp_core.random_base32()) == 32
    hex_secret = otp_core.random_hex()
    assert len(hex_secret) == 40 and int(hex_secret, 16) >= 0 and hex_secret == hex_secret.upper()


# -- Where otp_core is deliberately stricter than pyotp (README: migration) --


def test_migration_short_secrets_need_the_legacy_opt_in() -> None:
    # 112 bits and more: both accept (NIST SP 800-63B-4 §3.1.4.1).
    secret = "JBSWY3DPEHPK3PXPJBSWY3DP"  # 120 bits
    assert otp_core.TOTP(secret).at(59) == pyotp.TOTP(secret).at(59)
    # 80 bits, as many deployed authenticators hold: an explicit opt-in.
    legacy = "JBSWY3DPEHPK3PXP"
    with pytest.raises(otp_core.SecretTooShortError):
        otp_core.TOTP(legacy)
    with pytest.raises(ValueError):
        pyotp.TOTP(legacy)

    class LegacyTOTP(pyotp.TOTP):  # pyotp 2.12's opt-in: a subclass with a lower floor
        min_secret_length_bits = 80

    assert otp_core.TOTP(legacy, allow_legacy_secret=True).at(59) == LegacyTOTP(legacy).at(59)


def test_migration_windows_are_bounded() -> None:
    secret = b32(bytes(range(20)))
    assert pyotp.TOTP(secret).verify("000000", for_time=10**9, valid_window=11) in (True, False)
    with pytest.raises(otp_core.InvalidWindowError):
        otp_core.TOTP(secret).verify("000000", 10**9, 11)


def test_migration_codes_compared_exactly() -> None:
    secret = b32(bytes(range(20)))
    code = pyotp.TOTP(secret).at(10**9)
    full_width = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert pyotp.TOTP(secret).verify(full_width, for_time=10**9)  # NFKC-normalised there
    assert not otp_core.TOTP(secret).verify(full_width, 10**9)


def test_migration_uri_secret_is_canonical_and_slash_encoded() -> None:
    secret = b32(bytes(range(20))).lower()
    assert "secret=" + secret in pyotp.TOTP(secret).provisioning_uri(name="a/b")
    uri = otp_core.TOTP(secret).provisioning_uri("a/b")
    assert uri == f"otpauth://totp/a%2Fb?secret={secret.upper()}"
