#!/usr/bin/env bash
# `otp code --totp` against `oathtool --totp` as whole processes, interleaved
# in the same run (`make bench-cli`): ROUNDS rounds (default 5) of RUNS calls
# (default 2000) each, the best round per program, microseconds per call. Two
# builds of otp: the one `cargo install` makes (dynamic, PIE) and a static
# non-PIE one (`-C target-feature=+crt-static -C relocation-model=static`,
# which skips the dynamic loader and start-up relocations).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-2000}"
ROUNDS="${ROUNDS:-5}"
KEY=3132333435363738393031323334353637383930
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

cargo build -q -p otp-cli --release
cargo rustc -q -p otp-cli --release --bin otp --target x86_64-unknown-linux-gnu -- \
    -C target-feature=+crt-static -C relocation-model=static
dynamic="$CARGO_TARGET_DIR/release/otp"
static="$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release/otp"
command -v oathtool >/dev/null || { echo "oathtool is missing: make cli-tools" >&2; exit 1; }

# Microseconds per call of "$@" over RUNS calls.
per_call() {
    local start end
    start=$(date +%s%N)
    for ((i = 0; i < RUNS; i++)); do "$@" >/dev/null; done
    end=$(date +%s%N)
    echo $(((end - start) / RUNS / 1000))
}

best_oath=999999 best_dyn=999999 best_static=999999
for ((r = 0; r < ROUNDS; r++)); do
    o=$(per_call oathtool --totp -N @1234567890 "$KEY")
    d=$(per_call "$dynamic" code --totp -N @1234567890 "$KEY")
    s=$(per_call "$static" code --totp -N @1234567890 "$KEY")
    ((o < best_oath)) && best_oath=$o
    ((d < best_dyn)) && best_dyn=$d
    ((s < best_static)) && best_static=$s
done
echo "| program | µs per call (best of $ROUNDS × $RUNS) | vs oathtool |"
echo "|---|---:|---:|"
echo "| oathtool --totp ($(oathtool --version | head -n 1)) | $best_oath | 1.00× |"
awk -v d="$best_dyn" -v s="$best_static" -v o="$best_oath" 'BEGIN {
    printf "| otp code --totp (cargo install: dynamic, PIE) | %d | %.2f× |\n", d, d / o
    printf "| otp code --totp (static, non-PIE) | %d | %.2f× |\n", s, s / o
}'
