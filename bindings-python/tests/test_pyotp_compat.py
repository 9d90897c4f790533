"""What code written for pyotp 2.12 calls, on otp_core: the ``OTP`` base
class, ``generate_otp``, ``byte_secret``, ``int_to_bytestring``,
``verify_and_get_timecode``, ``min_secret_length_bits`` on subclasses,
pickling, ``parse_uri`` of a Steam URI, the submodule paths, ``utils`` and
``exceptions``, ``random_base32(length, chars)``, a clock that follows
``time.time()``. Values are pyotp's own where it has them (the RFC 4226 and
6238 vectors its test suite uses); the differences otp_core keeps are
asserted too."""

from __future__ import annotations

import base64
import copy
import hashlib
import pickle
from typing import Any, ClassVar
from unittest.mock import patch

import pyotp
import pytest

import otp_core
from otp_core import contrib, exceptions, hotp, otp, totp, utils

RFC = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # b"12345678901234567890"


def test_submodule_paths_are_the_same_classes() -> None:
    assert otp.OTP is otp_core.OTP
    assert totp.TOTP is otp_core.TOTP
    assert hotp.HOTP is otp_core.HOTP
    assert contrib.Steam is otp_core.Steam
    assert exceptions.OTPVerificationError is otp_core.OTPVerificationError
    for cls in (otp_core.TOTP, otp_core.HOTP, otp_core.Steam):
        assert issubclass(cls, otp_core.OTP)
        assert isinstance(cls(RFC), otp_core.OTP)


@pytest.mark.parametrize("counter", [0, 1, 9, 2**32, 2**63])
def test_generate_otp_is_the_code_of_a_raw_counter(counter: int) -> None:
    ours = [otp_core.OTP(RFC), otp_core.HOTP(RFC, initial_count=5), otp_core.TOTP(RFC)]
    want = pyotp.HOTP(RFC).generate_otp(counter)
    assert [o.generate_otp(counter) for o in ours] == [want] * 3
    assert otp_core.Steam(RFC).generate_otp(counter) == pyotp.contrib.Steam(RFC).generate_otp(counter)
    with pytest.raises(otp_core.InvalidCounterError):
        otp_core.OTP(RFC).generate_otp(-1)


def test_the_base_class_alone_is_a_counter_generator() -> None:
    o = otp_core.OTP(RFC, digits=8, digest=hashlib.sha256, name="n", issuer="i")
    theirs = pyotp.OTP(RFC, digits=8, digest=hashlib.sha256, name="n", issuer="i")
    assert [o.generate_otp(c) for c in range(10)] == [theirs.generate_otp(c) for c in range(10)]
    assert (o.secret, o.digits, o.name, o.issuer, o.digest) == (RFC, 8, "n", "i", hashlib.sha256)
    assert "GEZDG" not in repr(o)


def test_byte_secret_and_int_to_bytestring() -> None:
    for o in (otp_core.OTP(RFC), otp_core.TOTP(RFC), otp_core.HOTP(RFC), otp_core.Steam(RFC)):
        assert o.byte_secret() == b"12345678901234567890"
    for i in (0, 1, 255, 256, 2**40, 2**64 - 1):
        for padding in (0, 8, 10):
            assert otp_core.OTP.int_to_bytestring(i, padding=padding) == pyotp.OTP.int_to_bytestring(i, padding=padding)
    assert otp_core.TOTP.int_to_bytestring(1) == b"\0" * 7 + b"\1"
    with pytest.raises(otp_core.InvalidCounterError):
        otp_core.OTP.int_to_bytestring(-1)


def test_verify_and_get_timecode() -> None:
    t, theirs = otp_core.TOTP(RFC), pyotp.TOTP(RFC)
    code = t.at(1111111111)
    for window in (0, 1, 2):
        assert t.verify_and_get_timecode(code, for_time=1111111111, valid_window=window) == (
            theirs.verify_and_get_timecode(code, for_time=1111111111, valid_window=window)
        )
    # A code one step old: found within a window of 1, at its own step.
    assert t.verify_and_get_timecode(code, for_time=1111111111 + 30, valid_window=1) == 1111111111 // 30
    with pytest.raises(otp_core.OTPVerificationError) as refused:
        t.verify_and_get_timecode(code, for_time=1111111111 + 60, valid_window=1)
    assert isinstance(refused.value, otp_core.PyOTPError) and not isinstance(refused.value, otp_core.OtpError)
    with pytest.raises(otp_core.InvalidWindowError):
        t.verify_and_get_timecode(code, for_time=0, valid_window=-1)
    s = otp_core.Steam(RFC)
    assert s.verify_and_get_timecode(s.at(200), for_time=200) == 6


def test_now_and_verify_follow_time_time() -> None:
    t, s = otp_core.TOTP(RFC), otp_core.Steam(RFC)
    with patch("time.time", return_value=1111111111.5):
        assert t.now() == t.at(1111111111)
        assert t.verify(t.at(1111111111))
        assert t.verify_and_get_timecode(t.at(1111111111)) == 1111111111 // 30
        assert t.match(t.at(1111111111)) is not None
        assert s.now() == s.at(1111111111)
    with patch("otp_core.totp.time.time", return_value=59):  # pyotp's tests patch this path
        assert t.now() == pyotp.TOTP(RFC).at(59)


class Strict(otp_core.TOTP):
    min_secret_length_bits: ClassVar[int] = 160


@pytest.mark.parametrize("cls", [otp_core.OTP, otp_core.HOTP, otp_core.TOTP, otp_core.Steam])
def test_a_subclass_sets_its_own_minimum(cls: Any) -> None:
    assert cls.min_secret_length_bits == 112

    class Custom(cls):  # type: ignore[misc,valid-type]
        min_secret_length_bits: ClassVar[int] = 128

    sixteen = base64.b32encode(bytes(range(16))).decode()
    fifteen = base64.b32encode(bytes(range(15))).decode()
    assert Custom(sixteen).byte_secret() == bytes(range(16))
    with pytest.raises(otp_core.SecretTooShortError, match="at least 128 bits after decoding"):
        Custom(fifteen)
    assert cls(fifteen).byte_secret() == bytes(range(15))  # the class's own 112 bits
    with pytest.raises(otp_core.SecretTooShortError, match="at least 112 bits after decoding"):
        cls(base64.b32encode(bytes(13)).decode())

    class Lax(cls):  # type: ignore[misc,valid-type]
        min_secret_length_bits: ClassVar[int] = 8

    # Below 80 bits the core's legacy floor holds.
    with pytest.raises(otp_core.SecretTooShortError, match="at least 80 bits"):
        Lax(base64.b32encode(bytes(9)).decode())
    assert Lax(base64.b32encode(bytes(10)).decode()).byte_secret() == bytes(10)


@pytest.mark.parametrize(
    "made",
    [
        lambda: otp_core.TOTP(RFC, digits=8, digest="sha256", name="a@b", issuer="ACME", interval=60, t0=7),
        lambda: otp_core.HOTP(RFC, digits=7, name="a", initial_count=12, image="https://x.example/a.png"),
        lambda: otp_core.Steam(RFC, name="gaben", issuer="Steam"),
        lambda: otp_core.OTP(RFC, digits=8, issuer="i"),
        lambda: otp_core.TOTP("GEZDGNBVGY3TQOJQ", allow_legacy_secret=True),
        lambda: otp_core.parse_uri(f"otpauth://totp/i:n?secret={RFC}&issuer=i&image=https%3A%2F%2Fx.example%2Fi.png"),
        lambda: Strict(RFC),
    ],
)
def test_pickling_and_copying_keep_everything(made: Any) -> None:
    original = made()
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(original, protocol=protocol))
        assert type(back) is type(original)
        assert repr(back) == repr(original)
        assert back.byte_secret() == original.byte_secret()
        assert [back.generate_otp(c) for c in (0, 1, 99)] == [original.generate_otp(c) for c in (0, 1, 99)]
        if isinstance(original, otp_core.TOTP):
            assert (back.t0, back.interval) == (original.t0, original.interval)
        if hasattr(original, "provisioning_uri") and getattr(original, "t0", 0) == 0:  # with its image
            assert back.provisioning_uri() == original.provisioning_uri()
    assert repr(copy.deepcopy(original)) == repr(original)


def test_bytes_secrets_as_pyotp_takes_them() -> None:
    assert otp_core.TOTP(base64.b32encode(b"12345678901234567890"), digits=8).at(59) == "94287082"
    assert otp_core.TOTP(RFC.encode()).secret == RFC
    with pytest.raises(otp_core.InvalidSecretError):
        otp_core.TOTP("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ\u00e9".encode())


def test_parse_uri_of_a_steam_uri_is_a_steam() -> None:
    uri = "otpauth://totp/Steam:gaben?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&period=15&digits=7&encoder=steam"
    steam = otp_core.parse_uri(uri)
    assert type(steam) is otp_core.Steam
    # pyotp's published Steam codes of this secret (period and digits ignored).
    assert [steam.at(t) for t in (0, 30, 60, 90)] == ["C5V56", "QJY8Y", "R3WQY", "JG3T3"]
    assert (steam.name, steam.issuer) == ("gaben", "Steam")
    assert type(otp_core.parse_uri(uri.replace("&encoder=steam", ""))) is otp_core.TOTP


def test_utils() -> None:
    assert utils.strings_equal("123456", "123456") and not utils.strings_equal("123456", "123457")
    assert utils.strings_equal("１２３４５６", "123456")  # NFKC, as pyotp's
    assert not utils.strings_equal("1" * 1025, "1" * 1025)
    # otp_core's own verification compares exactly: a fullwidth code is not the code.
    assert not otp_core.TOTP(RFC).verify("２８７０８２", for_time=59)
    for args, kwargs in [
        ((RFC, "alice"), {}),
        ((RFC, "alice"), {"issuer": "ACME Co", "digits": 8, "algorithm": "sha256", "period": 60}),
        ((RFC, "alice"), {"initial_count": 0, "issuer": "i"}),
        ((RFC, "a@b"), {"initial_count": 12, "image": "https://x.example/a.png"}),
    ]:
        assert utils.build_uri(*args, **kwargs) == pyotp.utils.build_uri(*args, **kwargs)
    with pytest.raises(TypeError, match="only image"):
        utils.build_uri(RFC, "a", color="red")


def test_random_base32_and_hex_take_pyotp_s_chars() -> None:
    assert len(otp_core.random_base32(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")) == 32
    assert len(otp_core.random_base32(chars=list(reversed("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")))) == 32
    assert len(otp_core.random_hex(40, chars="ABCDEF0123456789")) == 40
    for call in (lambda: otp_core.random_base32(32, "ABC"), lambda: otp_core.random_hex(40, chars="0123456789")):
        with pytest.raises(ValueError, match="chars must be"):
            call()


def test_what_otp_core_keeps_different() -> None:
    t = otp_core.TOTP(RFC)
    with pytest.raises(AttributeError):
        t.secret = "AAAAAAAAAAAAAAAAAAAAAAAA"  # type: ignore[misc]  (immutable: no secret swapped behind a check)
    # A secret is written canonically (upper case), as apps expect.
    assert "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in otp_core.TOTP(RFC.lower()).provisioning_uri()


def test_the_readme_states_the_figure_make_checks() -> None:
    """`make pyotp-suite` fails below PYOTP_SUITE_PASSED; the README says the same number."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    passed = re.search(r"^PYOTP_SUITE_PASSED := (\d+)$", (root / "Makefile").read_text(), re.M)
    assert passed
    readme = (root / "bindings-python" / "README.md").read_text()
    assert f"**{passed.group(1)} of its 64 tests pass**" in readme
    assert f"fails below {passed.group(1)}" in readme
