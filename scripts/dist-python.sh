#!/usr/bin/env bash
# The Python artefacts (`make dist-python`) into target/dist/python: abi3
# wheels for manylinux2014 x86_64 and aarch64 and musllinux_1_2 x86_64,
# cross-linked by zig (PyPI's ziglang), and the sdist. Each wheel must pass
# `auditwheel show` for its tag; the sdist must build a wheel on its own.
#
# The musl wheel's libc is renamed (see musl_libc_name in dist-tools.sh) and
# the wheel repacked (its RECORD rewritten).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/target/dist/python"
# shellcheck source=scripts/dist-tools.sh
. "$ROOT/scripts/dist-tools.sh"

log() { printf 'dist-python: %s\n' "$*" >&2; }

TARGETS=(
    "x86_64-unknown-linux-gnu manylinux2014 manylinux_2_17_x86_64"
    "aarch64-unknown-linux-gnu manylinux2014 manylinux_2_17_aarch64"
    "x86_64-unknown-linux-musl musllinux_1_2 musllinux_1_2_x86_64"
)
rustup_targets x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl

rm -rf "$OUT"
mkdir -p "$OUT"
cd "$ROOT/bindings-python"
for t in "${TARGETS[@]}"; do
    read -r triple compat tag <<<"$t"
    log "wheel for $triple ($compat)"
    maturin build --release --zig --target "$triple" --compatibility "$compat" --out "$OUT/$triple" 2>&1 | tail -n 1
    wheel=$(ls "$OUT/$triple"/*.whl)
    if [[ $triple == *musl ]]; then
        work=$(mktemp -d)
        python -m wheel unpack "$wheel" -d "$work" >/dev/null
        musl_libc_name "$(find "$work" -name '_native*.so')" "${triple%%-*}"
        rm "$wheel"
        python -m wheel pack "$work"/otp_core-* -d "$OUT/$triple" >/dev/null
        rm -rf "$work"
        wheel=$(ls "$OUT/$triple"/*.whl)
    fi
    # An empty library path: what the wheel needs from the system, not what this machine has.
    shown=$(auditwheel show --ldpaths "$(mktemp -d)" "$wheel")
    if ! grep -q "\"$tag\"" <<<"$shown" || grep -q "will need to be eliminated" <<<"$shown"; then
        printf '%s\n' "$shown" >&2
        log "FAILED: $(basename "$wheel") is not a self-contained $tag wheel"
        exit 1
    fi
    log "auditwheel: $(basename "$wheel") is $tag"
    mv "$wheel" "$OUT/"
    rmdir "$OUT/$triple"
done

log "sdist"
maturin sdist --out "$OUT" 2>&1 | tail -n 1
sdist=$(ls "$OUT"/*.tar.gz)
log "the sdist builds a wheel on its own"
check=$(mktemp -d)
"$DIST_VENV/bin/pip" wheel -q --disable-pip-version-check --no-deps --no-build-isolation "$sdist" -w "$check"
ls "$check"/*.whl >/dev/null
rm -rf "$check"
ls -l "$OUT"
log "done: $(find "$OUT" -maxdepth 1 -type f | wc -l) artefacts in target/dist/python"
