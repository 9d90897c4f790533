#!/usr/bin/env python3
"""One version for every artefact, set in one place: `[workspace.package]
version` in the root Cargo.toml. The crate, the Python wheel (maturin reads
Cargo's version) and the Kotlin jar take it from there; what cannot read it
is checked against it here (`--check`, run by `make lint`) and rewritten by
`--set X.Y.Z` (`make version VERSION=X.Y.Z`):

* the workspace's `otp-core` dependency version (Cargo.toml);
* the npm packages: bindings-node/package.json, every
  bindings-node/npm/<platform>/package.json, and bindings-wasm/package.json;
* napi's loader bindings-node/binding.js, which checks the platform
  package's version (regenerated identically by `napi build`);
* the wheel's, the npm tarballs' and the jar's file names in the READMEs'
  install sections.

Python's standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEMVER = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?")
WORKSPACE_VERSION = re.compile(r'(\[workspace\.package\]\nversion = ")([^"]+)(")')
DEPENDENCY_VERSION = re.compile(r'(otp-core = \{ path = "otp-core", version = ")([^"]+)(")')
LOADER_VERSION = re.compile(r"((?:Native|WASI) binding package version mismatch, expected )([^ ]+)( but got)")
WHEEL_NAME = re.compile(r"(otp_core-)([^-]+)(-cp39-abi3-)")
JAR_NAME = re.compile(r"(otp-core-)(\d[^ /]*?)(\.jar)")
NPM_TARBALL = re.compile(r"(otp-core-(?:linux-[a-z0-9]+-[a-z]+-|wasm-)?)(\d[^ /]*?)(\.tgz)")


def source() -> str:
    """The version: Cargo.toml's `[workspace.package] version`."""
    found = WORKSPACE_VERSION.search((ROOT / "Cargo.toml").read_text())
    if not found:
        sys.exit("Cargo.toml has no [workspace.package] version")
    return found.group(2)


def npm_manifests() -> list[Path]:
    node = ROOT / "bindings-node"
    platforms = sorted((node / "npm").glob("*/package.json"))
    return [node / "package.json", *platforms, ROOT / "bindings-wasm" / "package.json"]


def regex_files() -> list[tuple[Path, re.Pattern[str]]]:
    return [
        (ROOT / "Cargo.toml", WORKSPACE_VERSION),
        (ROOT / "Cargo.toml", DEPENDENCY_VERSION),
        (ROOT / "bindings-node" / "binding.js", LOADER_VERSION),
        (ROOT / "bindings-python" / "README.md", WHEEL_NAME),
        (ROOT / "README.md", WHEEL_NAME),
        (ROOT / "README.md", NPM_TARBALL),
        (ROOT / "bindings-node" / "README.md", NPM_TARBALL),
        (ROOT / "bindings-wasm" / "README.md", NPM_TARBALL),
        (ROOT / "bindings-uniffi" / "README.md", JAR_NAME),
        (ROOT / "README.md", JAR_NAME),
    ]


def found_versions() -> list[tuple[str, str]]:
    """Every place a version is written: (where, version)."""
    found = []
    for path, pattern in regex_files():
        matches = pattern.findall(path.read_text())
        if not matches:
            found.append((f"{path.relative_to(ROOT)} ({pattern.pattern[:40]}…)", "<none>"))
        found.extend((str(path.relative_to(ROOT)), m[1]) for m in matches)
    for path in npm_manifests():
        found.append((str(path.relative_to(ROOT)), json.loads(path.read_text())["version"]))
    return found


def check() -> int:
    want = source()
    wrong = [(where, v) for where, v in found_versions() if v != want]
    for where, v in wrong:
        print(f"version: {where} says {v}, Cargo.toml says {want} (make version VERSION={want})", file=sys.stderr)
    if not wrong:
        print(f"version {want}: Cargo.toml, the npm packages, napi's loader and the README agree")
    return 1 if wrong else 0


def set_version(new: str) -> None:
    if not SEMVER.fullmatch(new):
        sys.exit(f"not a semantic version: {new!r}")
    for path, pattern in regex_files():
        text = path.read_text()
        path.write_text(pattern.sub(lambda m: f"{m.group(1)}{new}{m.group(3)}", text))
    for path in npm_manifests():
        manifest = json.loads(path.read_text())
        manifest["version"] = new
        path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    print(f"version {new} set; run `cargo update -w` (Cargo.lock) and add a CHANGELOG entry")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--check", action="store_true", help="every place agrees with Cargo.toml")
    group.add_argument("--set", metavar="X.Y.Z", help="write X.Y.Z everywhere")
    args = parser.parse_args()
    if args.set:
        set_version(args.set)
        return 0
    return check()


if __name__ == "__main__":
    sys.exit(main())
