#!/usr/bin/env bash
# Builds the npm package otp-core-wasm in bindings-wasm/: the crate for
# wasm32-unknown-unknown with the size profile (Cargo.toml `[profile.wasm]`:
# opt-level "z", LTO, one codegen unit, panic=abort), wasm-bindgen's ES
# module glue (`--target web`), then wasm-opt -Oz. Installs what it needs:
# the rustup target, wasm-bindgen-cli of the version in Cargo.lock (into
# target/tools; the CLI must equal the crate), binaryen's wasm-opt (npm).
# Prints the sizes, raw and gzip.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=wasm32-unknown-unknown
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
TOOLS=$ROOT/target/tools
OUT=$ROOT/bindings-wasm

rustup target list --installed | grep -qx "$TARGET" || rustup target add "$TARGET"

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$("$TOOLS/bin/wasm-bindgen" --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  echo "wasm-build: installing wasm-bindgen-cli $want into target/tools (have: ${have:-none})"
  # Not --locked: its lock file names a webpki-roots release the registry
  # mirror here does not have.
  cargo install -q wasm-bindgen-cli --version "$want" --root "$TOOLS"
fi

if [ ! -x "$OUT/node_modules/.bin/wasm-opt" ]; then
  (cd "$OUT" && npm ci --no-audit --no-fund --loglevel=error)
fi

cargo build -q -p otp-core-wasm --target "$TARGET" --profile wasm
"$TOOLS/bin/wasm-bindgen" --target web --out-dir "$OUT" --out-name otp_core_wasm \
  "$TARGET_DIR/$TARGET/wasm/otp_core_wasm.wasm"
# -Oz: size; the features wasm-bindgen's output uses (all in every browser
# since 2021).
"$OUT/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$OUT/otp_core_wasm_bg.wasm" -o "$OUT/otp_core_wasm_bg.wasm"

size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9c "$1" | wc -c | tr -d ' '; }
for f in otp_core_wasm_bg.wasm otp_core_wasm.js index.js; do
  printf 'wasm-build: %-24s %8s bytes, gzip -9 %7s bytes\n' "$f" "$(size "$OUT/$f")" "$(gz "$OUT/$f")"
done
