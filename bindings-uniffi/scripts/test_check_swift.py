#!/usr/bin/env python3
"""Self-test of check_swift.py (run by `make uniffi-test`): it must pass on
the generated Swift as it is, and fail on copies of it with one thing
changed, each time naming what changed.

Each mutation edits the text inside one owner (Steam's body, the Match
struct, …) and asserts that its target was found exactly once, so a change
in the generated code makes this test fail rather than pass vacuously.
The last test runs the command line on a mutated copy of the folder.

Usage: test_check_swift.py --kotlin <otp_core_uniffi.kt> --swift-dir <dir> --library <lib.so>
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_swift


def within(swift: str, owner: str, old: str, new: str) -> str:
    """`swift` with `old` replaced by `new` once, inside the body of the
    top-level declaration `owner` (e.g. "open class Steam")."""
    b = check_swift.blank(swift)
    m = re.search(rf"(?m)^{re.escape(owner)}\b", b)
    assert m, f"mutation target {owner!r} not found in the generated Swift"
    first, last = check_swift.body_after(b, m.start())
    body = swift[first:last]
    assert body.count(old) == 1, f"{old!r} occurs {body.count(old)} times in {owner}, not once"
    return swift[:first] + body.replace(old, new) + swift[last:]


def top_level(swift: str, old: str, new: str) -> str:
    assert swift.count(old) == 1, f"{old!r} occurs {swift.count(old)} times, not once"
    return swift.replace(old, new)


# (what, mutation, a text that the report must contain)
MUTATIONS = [
    (
        "rename Steam's at (Totp and Hotp keep theirs)",
        lambda s: within(s, "open class Steam", "open func at(time:", "open func atTime(time:"),
        "Steam: method at(time:)",
    ),
    (
        "drop Steam's verify (Totp's has the same labels)",
        lambda s: within(s, "open class Steam", "open func verify(", "open func check("),
        "Steam: method verify(code:, time:, past:=",
    ),
    (
        "rename the label of Steam's init",
        lambda s: within(
            s, "open class Steam", "public convenience init(secret: String,", "public convenience init(key: String,"
        ),
        "Steam: init init(secret:, allowLegacySecret:=)",
    ),
    (
        "Totp.fromBytes an instance method instead of a static one",
        lambda s: within(s, "open class Totp", "public static func fromBytes(", "open func fromBytes("),
        "Totp: static func fromBytes(secret:",
    ),
    (
        "drop a default of Totp.verifyNow",
        lambda s: within(
            s,
            "open class Totp",
            "verifyNow(code: String, past: Int32? = nil,",
            "verifyNow(code: String, past: Int32?,",
        ),
        "Totp: method verifyNow(code:, past:=",
    ),
    (
        "drop the record field Match.offset",
        lambda s: within(s, "public struct Match", "public var offset: Int64", ""),
        "struct Match: fields ['step']",
    ),
    (
        "rename the record field Match.step",
        lambda s: within(s, "public struct Match", "public var step: Int64", "public var timeStep: Int64"),
        "struct Match: fields ['timeStep', 'offset']",
    ),
    (
        "rename a label of Match's memberwise init",
        lambda s: within(s, "public struct Match", "*/offset: Int64)", "*/off: Int64)"),
        "struct Match: memberwise init(step:, offset:)",
    ),
    (
        "rename the enum case Algorithm.sha256",
        lambda s: within(s, "public enum Algorithm", "case sha256", "case sha2"),
        "enum Algorithm: cases",
    ),
    (
        "rename the case ParsedUri.counterBased",
        lambda s: within(s, "public enum ParsedUri", "case counterBased(", "case hotpBased("),
        "enum ParsedUri: case counterBased",
    ),
    (
        "rename the associated value of ParsedUri.timeBased",
        lambda s: within(s, "public enum ParsedUri", "*/totp: Totp", "*/generator: Totp"),
        "enum ParsedUri: case timeBased(generator), Kotlin has (totp)",
    ),
    (
        "rename the error case OtpError.InvalidDrift",
        lambda s: within(
            s, "public \nenum OtpError", "case InvalidDrift(message: String)", "case BadDrift(message: String)"
        ),
        "enum OtpError: case InvalidDrift",
    ),
    (
        "rename the top-level function qrSvg",
        lambda s: top_level(s, "public func qrSvg(data: String)", "public func qrSVG(data: String)"),
        "function qrSvg(data:)",
    ),
    (
        "rename Keyring's open (a Swift keyword, declared in backticks)",
        lambda s: within(s, "open class Keyring", "open func `open`(", "open func `unseal`("),
        "Keyring: method open(envelope:, context:)",
    ),
    (
        "drop the default of DeviceState.lastStep in its memberwise init",
        lambda s: within(s, "public struct DeviceState", "*/lastStep: Int64? = nil,", "*/lastStep: Int64?,"),
        "struct DeviceState: memberwise init(lastStep:=, drift:=",
    ),
    (
        "rename the associated value of Outcome.accepted",
        lambda s: within(s, "public enum Outcome", "*/offset: Int64", "*/drift: Int64"),
        "enum Outcome: case accepted(step, drift), Kotlin has (step, offset)",
    ),
    (
        "rename the top-level function outcomeKind",
        lambda s: top_level(s, "public func outcomeKind(outcome: Outcome)", "public func kind(outcome: Outcome)"),
        "function outcomeKind(outcome:)",
    ),
    (
        "remove the class Throttle",
        lambda s: top_level(s, "open class Throttle:", "open class Throttle2:"),
        "class Throttle",
    ),
]

# (what, Swift source, problem expected or None)
CALLS = [
    ("Steam's at with Steam's label", "let steam = try Steam(secret: s)\n_ = steam.at(time: 1)\n", None),
    (
        "Steam's at with Hotp's label",
        "let steam = try Steam(secret: s)\n_ = steam.at(counter: 1)\n",
        "Steam.at(counter:) matches no declaration",
    ),
    (
        "a method Totp lacks",
        "let totp = try Totp.fromBytes(secret: d)\n_ = totp.atStepp(step: 1)\n",
        "Totp has no method atStepp",
    ),
    ("a static Totp lacks", "_ = try Totp.fromByte(secret: d)\n", "Totp has no static func fromByte"),
    (
        "a label Steam.fromBytes lacks",
        "_ = try Steam.fromBytes(secret: d, digits: 6)\n",
        "Steam.fromBytes(secret:, digits:) matches no declaration",
    ),
    ("an init with labels out of order", "_ = try Totp(digits: 6, secret: s)\n", "Totp.init(digits:, secret:)"),
    (
        "a case's associated value",
        "switch p {\ncase .timeBased(let totp):\n    _ = totp.at(counter: 1)\n}\n",
        "Totp.at(counter:) matches no declaration",
    ),
    ("a record's memberwise init", "_ = Match(step: 1, offset: 0)\n", None),
    ("a record's init with a wrong label", "_ = Match(step: 1, drift: 0)\n", "Match.init(step:, drift:)"),
    ("a record's init leaving out fields with a default", "_ = DeviceState(failures: 2)\n", None),
    ("a record's init leaving out a field without one", "_ = Decision(outcome: .locked)\n", "Decision.init(outcome:)"),
    (
        "Keyring's open, a keyword as a method name",
        "let ring = try Keyring(keys: k, primary: p)\n_ = try ring.open(envelope: e, context: c)\n",
        None,
    ),
    (
        "Keyring's open with a wrong label",
        "let ring = try Keyring(keys: k, primary: p)\n_ = try ring.open(sealed: e, context: c)\n",
        "Keyring.open(sealed:, context:) matches no declaration",
    ),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kotlin", required=True, type=Path)
    ap.add_argument("--swift-dir", required=True, type=Path)
    ap.add_argument("--library", required=True, type=Path)
    args = ap.parse_args()
    kt = check_swift.kotlin_api(args.kotlin.read_text(encoding="utf-8"))
    swift_path = args.swift_dir / "OtpCore.swift"
    swift = swift_path.read_text(encoding="utf-8")
    failures = []

    api = check_swift.swift_api(swift)
    problems = check_swift.check(kt, api)
    if problems:
        failures.append(f"the unmodified Swift fails the check: {problems}")
    for what, mutate, expected in MUTATIONS:
        try:
            mutated = mutate(swift)
        except AssertionError as e:
            failures.append(f"{what}: {e}")
            continue
        problems = check_swift.check(kt, check_swift.swift_api(mutated))
        if not any(expected in p for p in problems):
            failures.append(f"{what}: not caught (expected {expected!r}, got {problems})")

    with tempfile.TemporaryDirectory() as tmp:
        for i, (what, source, expected) in enumerate(CALLS):
            path = Path(tmp) / f"Call{i}.swift"
            path.write_text(source, encoding="utf-8")
            problems, _, _ = check_swift.check_calls(path, api)
            if expected is None and problems:
                failures.append(f"calls, {what}: wrongly refused: {problems}")
            if expected is not None and not any(expected in p for p in problems):
                failures.append(f"calls, {what}: not caught (expected {expected!r}, got {problems})")

        # The command line, on a copy of the folder: 0 as it is, 1 mutated.
        copy = Path(tmp) / "swift"
        shutil.copytree(args.swift_dir, copy)
        argv = ["--kotlin", str(args.kotlin), "--swift-dir", str(copy), "--library", str(args.library)]
        report = io.StringIO()
        with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
            status = check_swift.main(argv)
        if status != 0:
            failures.append(f"the command line refuses an unmodified copy: {report.getvalue()}")
        (copy / swift_path.name).write_text(MUTATIONS[0][1](swift), encoding="utf-8")
        report = io.StringIO()
        with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
            status = check_swift.main(argv)
        if status != 1 or "Steam: method at(time:)" not in report.getvalue():
            failures.append(f"the command line accepts a copy with Steam's at renamed: {report.getvalue()}")

    for f in failures:
        print(f"FAIL {f}", file=sys.stderr)
    print(
        f"check_swift self-test: {len(MUTATIONS)} mutations of the Swift binding and {len(CALLS)} Swift calls, "
        f"{len(failures)} failed"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
