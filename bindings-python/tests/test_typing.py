"""The stubs match the extension module (stubtest), and a typed usage file passes `mypy --strict`."""

from __future__ import annotations

import subprocess
import sys

from conftest import BINDINGS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=BINDINGS, capture_output=True, text=True, timeout=600)


def test_stubtest() -> None:
    out = run("-m", "mypy.stubtest", "otp_core._native")
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_strict_on_typed_usage() -> None:
    files = ["tests/typed_usage.py", "python/otp_core/__init__.py", "python/otp_core/contrib.py"]
    out = run("-m", "mypy", "--strict", "--cache-dir", str(BINDINGS / ".mypy_cache"), *files)
    assert out.returncode == 0, out.stdout + out.stderr


def test_typed_usage_runs() -> None:
    out = run("tests/typed_usage.py")
    assert out.returncode == 0 and "typed_usage: ok" in out.stdout, out.stdout + out.stderr
