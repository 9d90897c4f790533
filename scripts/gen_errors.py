#!/usr/bin/env python3
"""Writes each binding's error declarations from otp-core's one error table.

The table is `for_each_error!` in otp-core/src/error.rs; this script reads
it through `cargo run -p otp-core --example error_table` (JSON) and writes:

* bindings-python/python/otp_core/errors.py: `OtpError(ValueError)` and one
  subclass per code, named after the variant (`InvalidSecretError`);
* the `OtpErrorCode` union in bindings-node/dts-header.d.ts (between the
  `BEGIN/END generated error codes` markers), which `napi build` copies into
  index.d.ts, and the same union in bindings-wasm/index.d.ts;
* Swift's `OtpErrorCode` (the causes in lower camel case) and
  `OtpError.code`, in bindings-uniffi/swift/Sources/OtpCore/OtpCoreSwift.swift.

UniFFI expands the same table with a macro (bindings-uniffi/src/errors.rs),
and Node's `ERROR_CODES` and Python's `ERROR_CODES` are read from
`Error::ALL` at run time, so nothing else lists the codes.

    scripts/gen_errors.py            rewrite the generated files
    scripts/gen_errors.py --check    fail (exit 1) if any is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY_ERRORS = ROOT / "bindings-python/python/otp_core/errors.py"
DTS_HEADER = ROOT / "bindings-node/dts-header.d.ts"
WASM_DTS = ROOT / "bindings-wasm/index.d.ts"
SWIFT_EXT = ROOT / "bindings-uniffi/swift/Sources/OtpCore/OtpCoreSwift.swift"
BEGIN, END = "// BEGIN generated error codes (scripts/gen_errors.py)", "// END generated error codes"


def table() -> list[dict[str, str]]:
    out = subprocess.run(
        ["cargo", "run", "-q", "-p", "otp-core", "--example", "error_table"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def plain(doc: str) -> str:
    """Rustdoc text as plain prose: one paragraph, links reduced to their text."""
    text = " ".join(line.strip() for line in doc.splitlines() if line.strip())
    return re.sub(r"\[(`[^`]*`)\]\([^)]*\)", r"\1", text)


def python_module(errors: list[dict[str, str]]) -> str:
    lines = [
        '"""otp_core\'s exceptions: `OtpError` and one subclass per stable error code.',
        "",
        "Generated from otp-core's error table by scripts/gen_errors.py: do not",
        "edit. `except otp_core.OtpError` catches them all (it is a `ValueError`);",
        "`.code` is the code (`invalid_secret`, ...), the same in every language of",
        'the project. Messages never contain the input."""',
        "",
        "from __future__ import annotations",
        "",
        "",
        "class OtpError(ValueError):",
        '    """Base class of every otp_core error; ``code`` is otp-core\'s stable error code."""',
        "",
        '    code: str = "otp_error"',
        "",
    ]
    for e in errors:
        doc = plain(e["doc"]).replace("\\", "\\\\").replace('"""', "'''")
        body = textwrap.wrap(f"``{e['code']}``: {doc}", width=92)
        lines += ["", f"class {e['name']}Error(OtpError):", f'    """{body[0]}', *(f"    {line}" for line in body[1:])]
        lines[-1] += '"""'
        lines += ["", f'    code = "{e["code"]}"', ""]
    lines += [
        "",
        "#: Every class, by code, in otp-core's order.",
        "ERRORS_BY_CODE: dict[str, type[OtpError]] = {",
        *(f'    "{e["code"]}": {e["name"]}Error,' for e in errors),
        "}",
        "",
        "__all__ = [",
        '    "ERRORS_BY_CODE",',
        *(f'    "{n}",' for n in sorted(["OtpError", *(e["name"] + "Error" for e in errors)])),
        "]",
        "",
    ]
    return "\n".join(lines)


def dts_block(errors: list[dict[str, str]]) -> str:
    return "\n".join(
        [
            BEGIN,
            "/** `ERR_OTP_` + otp-core's `Error::code()` in upper case: one per cause. */",
            "export type OtpErrorCode =",
            *(f"  | 'ERR_OTP_{e['code'].upper()}'" for e in errors),
            END,
        ]
    )


def lower_camel(name: str) -> str:
    return name[0].lower() + name[1:]


def swift_block(errors: list[dict[str, str]]) -> str:
    return "\n".join(
        [
            BEGIN,
            "/// The cause of an `OtpError`, in lower camel case (`.invalidSecret`); its raw",
            "/// value is otp-core's stable code (`invalid_secret`), the same in every language.",
            "public enum OtpErrorCode: String, CaseIterable, Sendable {",
            *(f'    case {lower_camel(e["name"])} = "{e["code"]}"' for e in errors),
            "}",
            "",
            "extension OtpError {",
            "    /// The cause, for `switch` and `==`: `catch let e as OtpError where e.code == .invalidSecret`.",
            "    public var code: OtpErrorCode {",
            "        switch self {",
            *(f"        case .{e['name']}: return .{lower_camel(e['name'])}" for e in errors),
            "        }",
            "    }",
            "}",
            END,
        ]
    )


def with_block(text: str, block: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + block + text[end:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a generated file is out of date")
    args = parser.parse_args()
    errors = table()
    wanted = {
        PY_ERRORS: python_module(errors),
        DTS_HEADER: with_block(DTS_HEADER.read_text(), dts_block(errors)),
        WASM_DTS: with_block(WASM_DTS.read_text(), dts_block(errors)),
        SWIFT_EXT: with_block(SWIFT_EXT.read_text(), swift_block(errors)),
    }
    stale = [p for p, text in wanted.items() if not p.exists() or p.read_text() != text]
    if args.check:
        for p in stale:
            print(f"{p.relative_to(ROOT)} is out of date: run scripts/gen_errors.py", file=sys.stderr)
        return 1 if stale else 0
    for p in stale:
        p.write_text(wanted[p])
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
