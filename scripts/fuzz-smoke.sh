#!/usr/bin/env bash
# Fuzz smoke test: build every cargo-fuzz target of fuzz/ once, then run each
# for FUZZ_SECONDS (default 10) on its corpus under fuzz/corpus/<target>.
# Fails (exit 1) if any target crashes, panics, times out or runs out of memory;
# prints one summary line per target. See fuzz/README.md.
#
# Environment:
#   FUZZ_SECONDS    seconds per target (default 10)
#   FUZZ_TARGETS    space-separated subset of targets (default: all)
#   FUZZ_TIMEOUT    seconds one input may take before it counts as a hang (default 30)
#   FUZZ_SANITIZER  address | none | ... (default: address on nightly, none on stable)
#   FUZZ_ARGS       extra libFuzzer arguments (e.g. "-max_len=512")
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FUZZ_DIR="$ROOT/fuzz"
FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
FUZZ_TIMEOUT="${FUZZ_TIMEOUT:-30}"
FUZZ_ARGS="${FUZZ_ARGS:-}"
LOG_DIR="$FUZZ_DIR/target/fuzz-smoke-logs"

log() { printf 'fuzz-smoke: %s\n' "$*" >&2; }

# 1. cargo-fuzz.
if ! cargo fuzz --version >/dev/null 2>&1; then
    log "installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

# 2. Toolchain: nightly if rustup has one, else stable with RUSTC_BOOTSTRAP=1
#    and no sanitizer (sanitizers need nightly's -Z flags on std as well).
CARGO=(cargo)
if command -v rustup >/dev/null 2>&1 && rustup toolchain list | grep -q nightly; then
    CARGO=(cargo +nightly)
    SANITIZER="${FUZZ_SANITIZER:-address}"
    TOOLCHAIN="nightly"
else
    export RUSTC_BOOTSTRAP=1
    SANITIZER="${FUZZ_SANITIZER:-none}"
    TOOLCHAIN="stable (RUSTC_BOOTSTRAP=1)"
fi
# -a: debug assertions (and so overflow checks) in otp-core while fuzzing.
# The build lands in fuzz/target (fuzz/ is its own workspace), reused by later runs.
FLAGS=(--fuzz-dir "$FUZZ_DIR" -a -s "$SANITIZER")
log "toolchain: $TOOLCHAIN, $("${CARGO[@]}" --version 2>/dev/null | head -n1 || true); sanitizer: $SANITIZER"

if [[ -n "${FUZZ_TARGETS:-}" ]]; then
    read -r -a TARGETS <<<"$FUZZ_TARGETS"
else
    mapfile -t TARGETS < <("${CARGO[@]}" fuzz list --fuzz-dir "$FUZZ_DIR")
fi
[[ ${#TARGETS[@]} -gt 0 ]] || { log "no fuzz targets found"; exit 1; }

# 3. Build every target once.
log "building ${#TARGETS[@]} targets"
"${CARGO[@]}" fuzz build "${FLAGS[@]}"

# 4. Seed corpora (fuzz/corpus is git-ignored). Seeds are named by their hash,
#    so re-seeding is idempotent. Test vectors are used when they exist.
seed() { # seed TARGET STRING
    local dir="$FUZZ_DIR/corpus/$1" name
    mkdir -p "$dir"
    name="seed-$(printf '%s' "$2" | sha1sum | cut -c1-16)"
    [[ -e "$dir/$name" ]] || printf '%s' "$2" >"$dir/$name"
}
for t in "${TARGETS[@]}"; do mkdir -p "$FUZZ_DIR/corpus/$t"; done
URIS=(
    "otpauth://totp/ACME%20Co:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME%20Co"
    "otpauth://TOTP/ACME+Co%3A%20alice+tag@example.com?secret=jbswy3dpehpk3pxpjbswy3dpehpk3pxp&issuer=ACME+Co"
    "otpauth://hotp/Example:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&counter=18446744073709551615&algorithm=SHA512&digits=10"
    "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&period=86400&algorithm=sha256&digits=8&image=https%3A%2F%2Fexample.com%2Flogo.png"
    "otpauth://totp/Evil:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME"
)
SECRETS=("JBSWY3DPEHPK3PXP" "jbsw y3dp-ehpk 3pxp JBSW Y3DP EHPK 3PXP" "MZXW6YTBOI======" "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
has_target() { local t; for t in "${TARGETS[@]}"; do [[ $t == "$1" ]] && return 0; done; return 1; }
for u in "${URIS[@]}"; do
    has_target uri_parse && seed uri_parse "$u"
    has_target qr && seed qr "$u"
done
for s in "${SECRETS[@]}"; do has_target base32 && seed base32 "$s"; done
shopt -s nullglob
VECTORS=("$ROOT"/otp-core/tests/vectors/*.json)
shopt -u nullglob
if [[ ${#VECTORS[@]} -gt 0 ]] && command -v python3 >/dev/null 2>&1; then
    # Every string in the vectors: URIs seed uri_parse and qr, base32-looking
    # strings seed base32. A file being written (invalid JSON) is skipped.
    python3 - "$FUZZ_DIR/corpus" "${TARGETS[*]}" "${VECTORS[@]}" <<'PY' || log "could not read the test vectors; seeding without them"
import hashlib, json, os, re, sys
corpus, targets, files = sys.argv[1], set(sys.argv[2].split()), sys.argv[3:]
b32 = re.compile(r"^[A-Za-z2-7 =-]{8,}$")
def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
def seed(target, s):
    if target not in targets:
        return
    data = s.encode()
    path = os.path.join(corpus, target, "vec-" + hashlib.sha1(data).hexdigest()[:16])
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
n = 0
for name in files:
    try:
        with open(name, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        continue
    for s in strings(doc):
        if s.lower().startswith("otpauth://"):
            seed("uri_parse", s); seed("qr", s[:300]); n += 1
        elif s.startswith("otpseal:"):
            seed("seal_open", s); n += 1
        elif s.lower().startswith("otpauth-migration:"):
            seed("migration", s); n += 1
        elif b32.match(s):
            seed("base32", s); n += 1
print(f"fuzz-smoke: {n} seeds from {len(files)} vector files", file=sys.stderr)
PY
fi

# 5. Run each target.
mkdir -p "$LOG_DIR"
failed=()
summary=()
for t in "${TARGETS[@]}"; do
    logf="$LOG_DIR/$t.log"
    log "running $t for ${FUZZ_SECONDS}s"
    set +e
    # Saved crash reproducers (fuzz/regressions/<target>, committed) are a
    # second, read-only corpus: libFuzzer runs each of them first.
    # The minimised corpora of the long run (fuzz/corpora/<target>,
    # committed) are replayed too.
    dirs=("$FUZZ_DIR/corpus/$t")
    [[ -d "$FUZZ_DIR/corpora/$t" ]] && dirs+=("$FUZZ_DIR/corpora/$t")
    [[ -d "$FUZZ_DIR/regressions/$t" ]] && dirs+=("$FUZZ_DIR/regressions/$t")
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of libFuzzer flags
    "${CARGO[@]}" fuzz run "${FLAGS[@]}" "$t" "${dirs[@]}" -- \
        -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_TIMEOUT" -print_final_stats=1 $FUZZ_ARGS >"$logf" 2>&1
    rc=$?
    set -e
    execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logf" | grep -o '[0-9]*$' | tail -n1 || true)"
    [[ -n $execs ]] || execs="$(grep -o '^#[0-9]*' "$logf" | tail -n1 | tr -d '#' || true)"
    if [[ $rc -eq 0 ]]; then
        result="ok"
    else
        failed+=("$t")
        artifact="$(grep -o 'Test unit written to [^ ]*' "$logf" | tail -n1 | sed 's/Test unit written to //' || true)"
        result="FAILED (exit $rc${artifact:+, input $artifact}; log $logf)"
        { grep -m1 -A3 -E "panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer" "$logf" || tail -n 20 "$logf"; } | cut -c1-300 >&2
    fi
    summary+=("$(printf '%-12s executions=%-10s result=%s' "$t" "${execs:-?}" "$result")")
done

printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
    log "FAILED: ${failed[*]}"
    exit 1
fi
log "all ${#TARGETS[@]} targets ran ${FUZZ_SECONDS}s each without a crash"
