"""Shared helpers: the vector folder, and secrets built from hex."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "otp-core" / "tests" / "vectors"
BINDINGS = ROOT / "bindings-python"


def load_vectors(name: str) -> dict[str, Any]:
    with open(VECTORS / name, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def b32(data: bytes) -> str:
    """Unpadded upper-case base32, as otpauth URIs carry secrets."""
    return base64.b32encode(data).decode("ascii").rstrip("=")


def b32_hex(hex_text: str) -> str:
    return b32(bytes.fromhex(hex_text))


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    return VECTORS
