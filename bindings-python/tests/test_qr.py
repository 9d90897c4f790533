"""QR codes decode, with a real reader (zbarimg, Debian zbar-tools), to exactly the URI."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import b32

import otp_core

ZBARIMG = shutil.which("zbarimg")


def decode(png: bytes, tmp_path: Path) -> str:
    assert ZBARIMG, "zbarimg is missing: `make python-tools` installs Debian's zbar-tools"
    path = tmp_path / "qr.png"
    path.write_bytes(png)
    out = subprocess.run([ZBARIMG, "-q", "--raw", "--nodbus", str(path)], capture_output=True, timeout=60)
    assert out.returncode == 0, f"zbarimg exit {out.returncode}"
    return out.stdout.decode("utf-8").removesuffix("\n")


URIS = [
    otp_core.TOTP(b32(bytes(range(20)))).provisioning_uri("alice@example.com", "ACME Co"),
    otp_core.TOTP(b32(bytes(range(64))), 8, "sha512", interval=60).provisioning_uri(
        "bob+tag@example.com", "Big Corporation", "https://example.com/logo.png"
    ),
    otp_core.HOTP(b32(bytes(range(32))), initial_count=2**64 - 1).provisioning_uri(
        "Zoë Ünïcødé", issuer_name="Société"
    ),
]


@pytest.mark.parametrize("uri", URIS, ids=["totp", "totp_sha512_image", "hotp_unicode"])
def test_qr_png_decodes_to_the_uri(uri: str, tmp_path: Path) -> None:
    assert decode(otp_core.qr_png(uri), tmp_path) == uri


def test_methods_and_data_uri(tmp_path: Path) -> None:
    totp = otp_core.TOTP(b32(bytes(range(20))), name="alice", issuer="ACME")
    uri = totp.provisioning_uri()
    assert decode(totp.qr_png(), tmp_path) == uri
    data_uri = totp.qr_data_uri()
    assert data_uri.startswith("data:image/png;base64,")
    assert decode(base64.b64decode(data_uri.removeprefix("data:image/png;base64,")), tmp_path) == uri
    assert totp.qr_svg() == otp_core.qr_svg(uri)
    assert totp.qr_svg().startswith("<svg") and totp.qr_svg().endswith("</svg>")
    assert totp.qr_terminal() == otp_core.qr_terminal(uri)
    assert set(totp.qr_terminal()) <= set("█▀▄ \n")
    hotp = otp_core.HOTP(b32(bytes(range(20))))
    assert decode(hotp.qr_png("carol", 5, "ACME"), tmp_path) == hotp.provisioning_uri("carol", 5, "ACME")


def test_too_long_for_a_qr_code() -> None:
    with pytest.raises(otp_core.InputTooLongError):
        otp_core.qr_png("x" * 2049)
    with pytest.raises(otp_core.QrEncodingError):
        otp_core.qr_svg("\ud800")
