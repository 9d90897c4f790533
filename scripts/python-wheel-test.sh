#!/usr/bin/env bash
# The x86_64 wheel, installed into a fresh venv, with no Rust toolchain on
# PATH, passes the Python and the Django test suites (`make python-wheel-test`,
# part of `make test`): what a user who runs `pip install "otp-core[django]"`
# gets, tested from outside the source tree.
#
# The wheel is target/dist/python's manylinux x86_64 wheel when `make dist`
# has built it from the current sources, else one built here by maturin.
# The Django suite runs on SQLite, the browser flows included (so the
# wheel's templates, static files and catalogues are exercised).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/target/python-wheel-venv"
DEV_VENV="$ROOT/.venv"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

log() { printf 'python-wheel-test: %s\n' "$*" >&2; }

newest_source=$(find otp-core/src bindings-python/src bindings-python/python Cargo.toml Cargo.lock \
    otp-core/Cargo.toml bindings-python/Cargo.toml bindings-python/pyproject.toml -type f -printf '%T@\n' | sort -n | tail -n 1)
wheel=$(find target/dist/python -maxdepth 1 -name 'otp_core-*-manylinux*_x86_64.whl' -newermt "@${newest_source%.*}" 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
    log "building the x86_64 wheel (maturin)"
    rm -rf target/wheels-host
    (cd bindings-python && "$DEV_VENV/bin/maturin" build --release --quiet --out "$ROOT/target/wheels-host")
    wheel=$(find target/wheels-host -name 'otp_core-*.whl' | head -n 1)
fi
log "wheel: $(basename "$wheel")"

rm -rf "$VENV"
python3 -m venv "$VENV"
# The test tools (pip's cache makes this quick), then the wheel with its extra.
grep -v -E '^(maturin|ruff)==' bindings-python/requirements-dev.txt >"$VENV/requirements-test.txt"
"$VENV/bin/pip" install -q --disable-pip-version-check -r "$VENV/requirements-test.txt"
"$VENV/bin/pip" install -q --disable-pip-version-check "${wheel}[django]"

# No Rust on PATH from here: only the venv and the system's directories.
export PATH="$VENV/bin:/usr/local/bin:/usr/bin:/bin"
unset RUSTUP_HOME CARGO_HOME
for tool in cargo rustc rustup maturin; do
    if command -v "$tool" >/dev/null; then
        log "FAILED: $tool is on PATH ($(command -v "$tool"))"
        exit 1
    fi
done
python - <<'PY'
import otp_core, sysconfig
site = sysconfig.get_paths()["purelib"]
assert otp_core.__file__.startswith(site), otp_core.__file__
assert otp_core.TOTP("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").at(59) == "287082"
print("python-wheel-test: otp_core", otp_core.__version__, "from", otp_core.__file__)
PY

log "the Python suite against the wheel"
python -m pytest -q -p no:cacheprovider bindings-python/tests
log "the Django suite against the wheel (SQLite)"
(cd bindings-python/tests_django && env -u DATABASE_URL python -m pytest -q -p no:cacheprovider)
