#!/usr/bin/env bash
# Proves otp-core builds without std (with alloc): on a bare-metal target when
# rustup can install it, else with a host-side check that no dependency has
# its `std` feature enabled.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=thumbv7em-none-eabihf

if rustup target list --installed 2>/dev/null | grep -qx "$TARGET" \
   || timeout 120 rustup target add "$TARGET" >/dev/null 2>&1; then
  for features in "" "alloc" "migration"; do
    echo "no_std: cargo build -p otp-core --no-default-features --features '$features' --target $TARGET"
    cargo build -q -p otp-core --no-default-features --features "$features" --target "$TARGET"
  done
  echo "no_std: ok on $TARGET"
  exit 0
fi

echo "no_std: $TARGET unavailable; host-side fallback"
cargo build -q -p otp-core --no-default-features --features alloc,migration
# Any dependency compiled with its `std` feature would link std into the crate.
tree=$(cargo tree -p otp-core --no-default-features --features alloc,migration -e normal,features --prefix none)
if grep -E '"std"' <<<"$tree"; then
  echo "no_std: a dependency enables std" >&2
  exit 1
fi
echo "no_std: ok (host-side: #![no_std] crate, no dependency with std)"
