#!/usr/bin/env python3
"""Assembles otp-core.jar: the compiled Kotlin classes (the generated binding
and the JVM layer), the Kotlin standard library's classes, and the native
library of each platform under JNA's resource path (`linux-x86-64/`,
`linux-aarch64/`: JNA extracts `<prefix>/libotp_core_uniffi.so` from the
class path when no `jna.library.path` names it). So
`java -cp otp-core.jar:jna.jar Main` runs with nothing else.

    jar.py --classes DIR --stdlib kotlin-stdlib.jar --version X.Y.Z \\
        --native linux-x86-64=target/release/libotp_core_uniffi.so \\
        [--native linux-aarch64=…] --out otp-core.jar
    jar.py --check otp-core.jar linux-x86-64 linux-aarch64

`--check` fails unless the jar holds exactly those platforms' libraries,
each an ELF library of its machine, and the Kotlin stdlib.

Entries are written in a fixed order with a fixed time, so the same inputs
give the same jar. Python's standard library only.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

FIXED_TIME = (2026, 1, 1, 0, 0, 0)
LIBRARY = "libotp_core_uniffi.so"
# ELF e_machine of each JNA prefix (x86-64: 62, AArch64: 183).
MACHINES = {"linux-x86-64": 62, "linux-aarch64": 183}


def entry(out: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    out.writestr(info, data)


def elf_machine(data: bytes) -> int:
    if data[:4] != b"\x7fELF":
        sys.exit("not an ELF library")
    return int.from_bytes(data[18:20], "little")


def check(jar: Path, prefixes: list[str]) -> int:
    with zipfile.ZipFile(jar) as z:
        names = set(z.namelist())
        found = sorted(n.split("/")[0] for n in names if n.endswith("/" + LIBRARY))
        if found != sorted(prefixes):
            sys.exit(f"{jar}: native libraries for {found}, expected {sorted(prefixes)}")
        for prefix in prefixes:
            if elf_machine(z.read(f"{prefix}/{LIBRARY}")) != MACHINES[prefix]:
                sys.exit(f"{jar}: {prefix}/{LIBRARY} is not a {prefix} library")
        for needed in ("kotlin/Unit.class", "dev/otpcore/Totp.class", "dev/otpcore/OtpCoreJvm.class"):
            if needed not in names:
                sys.exit(f"{jar}: {needed} is missing")
    print(f"jar: {jar}: {', '.join(prefixes)}, the binding, the JVM layer and the Kotlin stdlib")
    return 0


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--check":
        return check(Path(sys.argv[2]), sys.argv[3:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=Path, required=True)
    parser.add_argument("--stdlib", type=Path, required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--native", action="append", default=[], metavar="PREFIX=PATH")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    tmp = args.out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as out:
        manifest = (
            "Manifest-Version: 1.0\r\n"
            "Implementation-Title: otp-core\r\n"
            f"Implementation-Version: {args.version}\r\n"
            "Automatic-Module-Name: dev.otpcore\r\n\r\n"
        )
        entry(out, "META-INF/MANIFEST.MF", manifest.encode())
        for path in sorted(p for p in args.classes.rglob("*") if p.is_file()):
            entry(out, path.relative_to(args.classes).as_posix(), path.read_bytes())
        with zipfile.ZipFile(args.stdlib) as stdlib:
            for name in sorted(stdlib.namelist()):
                upper = name.upper()
                signature = upper.endswith((".SF", ".RSA", ".DSA"))
                skipped = upper == "META-INF/MANIFEST.MF" or name.startswith("META-INF/versions/")
                if name.endswith("/") or signature or skipped or name == "module-info.class":
                    continue
                entry(out, name, stdlib.read(name))
        for spec in sorted(args.native):
            prefix, _, path = spec.partition("=")
            data = Path(path).read_bytes()
            if MACHINES.get(prefix) != elf_machine(data):
                sys.exit(f"{path} is not a {prefix} library")
            entry(out, f"{prefix}/{LIBRARY}", data)
    tmp.replace(args.out)
    platforms = ", ".join(sorted(s.partition("=")[0] for s in args.native))
    print(f"jar: {args.out} ({args.out.stat().st_size} bytes; native: {platforms})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
