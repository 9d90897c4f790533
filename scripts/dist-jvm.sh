#!/usr/bin/env bash
# `make dist-jvm`: target/dist/jvm/otp-core-<version>.jar, the JVM jar with
# the native library for Linux x86-64 and aarch64 (glibc 2.28), both
# cross-linked with zig (cargo-zigbuild, from the dist tools venv), under
# JNA's resource paths. Arguments: the compiled Kotlin classes, the Kotlin
# stdlib jar, the version (mk/uniffi.mk passes them).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CLASSES=$1
STDLIB=$2
VERSION=$3
# shellcheck source=scripts/dist-tools.sh
. "$ROOT/scripts/dist-tools.sh"
rustup_targets x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu

natives=()
for spec in "x86_64-unknown-linux-gnu linux-x86-64" "aarch64-unknown-linux-gnu linux-aarch64"; do
    read -r triple prefix <<<"$spec"
    printf 'dist-jvm: cargo zigbuild --target %s.2.28\n' "$triple" >&2
    cargo zigbuild -q --release -p otp-core-uniffi --lib --target "$triple.2.28"
    natives+=(--native "$prefix=$CARGO_TARGET_DIR/$triple/release/libotp_core_uniffi.so")
done
mkdir -p target/dist/jvm
out="target/dist/jvm/otp-core-$VERSION.jar"
python3 bindings-uniffi/scripts/jar.py --classes "$CLASSES" --stdlib "$STDLIB" --version "$VERSION" "${natives[@]}" --out "$out"
python3 bindings-uniffi/scripts/jar.py --check "$out" linux-x86-64 linux-aarch64
