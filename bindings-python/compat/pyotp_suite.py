"""Runs pyotp's own test suite against otp_core under pyotp's names.

The pyotp sdist (``--version``, 2.12.1 by default) is fetched from the
package index at run time with ``pip download`` into a temporary directory;
only its ``test.py`` is run, with ``import pyotp`` resolving to a shim over
otp_core (``pyotp`` → ``otp_core``, ``pyotp.totp`` → ``otp_core.totp``, …).
Nothing of pyotp's is kept. Prints each failing test with the first line
of its error, then ``N passed, M failed``; ``--expect-passed N`` exits
non-zero when fewer than N pass (the figure bindings-python/README.md
states).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
import unittest
from pathlib import Path

SHIM = '''\
"""pyotp's names over otp_core (written by otp_core's pyotp_suite.py)."""
import sys

import otp_core
from otp_core import *  # noqa: F403
from otp_core import contrib, hotp, otp, totp, utils
from otp_core.exceptions import OTPVerificationError, PyOTPError

for _name in ("contrib", "hotp", "otp", "totp", "utils", "exceptions"):
    sys.modules[f"pyotp.{_name}"] = getattr(otp_core, _name)
'''


def fetch_test_py(version: str, into: Path) -> Path:
    """pyotp's ``test.py`` from its sdist, downloaded into ``into``."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--dest",
            str(into),
            f"pyotp=={version}",
        ],
        check=True,
    )
    (sdist,) = into.glob("pyotp-*.tar.gz")
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/test.py") and m.name.count("/") == 1)
        data = tar.extractfile(member)
        assert data is not None
        target = into / "test_pyotp.py"
        target.write_bytes(data.read())
    sdist.unlink()
    return target


def _type_only(self: unittest.TestCase, expected: type[BaseException], _regex: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
    return self.assertRaises(expected, *args, **kwargs)


def run(version: str, ignore_messages: bool = False) -> tuple[int, list[tuple[str, str]]]:
    with tempfile.TemporaryDirectory(prefix="pyotp-suite-") as tmp:
        root = Path(tmp)
        test_py = fetch_test_py(version, root)
        (root / "pyotp").mkdir()
        (root / "pyotp" / "__init__.py").write_text(SHIM)
        # test.py puts its own src/ first on sys.path: there is none here.
        sys.path.insert(0, str(root))
        if ignore_messages:  # what fails for more than a message's wording
            unittest.TestCase.assertRaisesRegex = _type_only  # type: ignore[method-assign,assignment]
        suite = unittest.defaultTestLoader.loadTestsFromName(test_py.stem)
        result = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)
    # A test with failing subtests counts once, with its first failure.
    failed: dict[str, str] = {}
    for test, trace in [*result.failures, *result.errors]:
        method = getattr(test, "test_case", test)  # a subtest's test
        name = method.id().removeprefix("test_pyotp.")
        subtest = f" {test._subDescription()}" if method is not test else ""
        failed.setdefault(name, f"{(trace.strip().splitlines() or [''])[-1]}{subtest}")
    return result.testsRun, sorted(failed.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="2.12.1")
    parser.add_argument("--expect-passed", type=int, default=None)
    parser.add_argument(
        "--ignore-messages", action="store_true", help="check raised exceptions' types only, not their messages"
    )
    args = parser.parse_args()
    total, failed = run(args.version, args.ignore_messages)
    for name, why in failed:
        print(f"FAILED {name}: {why}")
    passed = total - len(failed)
    print(f"pyotp {args.version} test.py against otp_core: {passed} of {total} pass")
    print(f"{passed} passed, {len(failed)} failed")
    if args.expect_passed is not None and passed < args.expect_passed:
        sys.exit(f"expected at least {args.expect_passed} to pass")


if __name__ == "__main__":
    main()
