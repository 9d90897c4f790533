#!/usr/bin/env bash
# Mutation testing of otp-core with cargo-mutants (all features).
#
#   scripts/mutants.sh full    every mutant of otp-core (`make mutants`, about
#                              an hour on 2 cores); results in target/mutants/full
#   scripts/mutants.sh quick   the fixed sample below (`make mutants-quick`, in
#                              `make test`, a few minutes); target/mutants/quick
#
# cargo-mutants is installed into target/tools at the pinned version when
# missing. Its configuration, with the list of equivalent mutants excluded
# and why, is .cargo/mutants.toml. Exits non-zero when a mutant is missed
# (survives every test) or times out, so a weakened test fails `make test`.
# MUTANTS_JOBS (default 2) sets how many mutants build and test at once;
# MUTANTS_ARGS adds arguments (for example `--shard 1/4`, `-f otp-core/src/uri.rs`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VERSION=27.1.0
# The quick sample: HMAC and dynamic truncation, HOTP verification and
# look-ahead, the guessing throttle (74 mutants).
SAMPLE=(otp-core/src/algorithm.rs otp-core/src/hotp.rs otp-core/src/throttle.rs)
mode="${1:-quick}"
TOOLS="$ROOT/target/tools"
export PATH="$TOOLS/bin:$PATH"
if [[ "$(cargo-mutants mutants --version 2>/dev/null || true)" != "cargo-mutants $VERSION" ]]; then
    echo "mutants: installing cargo-mutants $VERSION into target/tools" >&2
    cargo install --quiet --locked cargo-mutants --version "$VERSION" --root "$TOOLS"
fi
args=(-p otp-core --all-features -j "${MUTANTS_JOBS:-2}")
case "$mode" in
full) out=target/mutants/full ;;
quick)
    out=target/mutants/quick
    for f in "${SAMPLE[@]}"; do args+=(-f "$f"); done
    ;;
*)
    echo "usage: scripts/mutants.sh [full|quick]" >&2
    exit 2
    ;;
esac
read -r -a extra <<<"${MUTANTS_ARGS:-}"
mkdir -p "$out"
set +e
cargo mutants "${args[@]}" "${extra[@]}" -o "$out"
rc=$?
set -e
# A summary a person can read, and the line other runners print.
r="$out/mutants.out"
count() { if [[ -s "$r/$1.txt" ]]; then wc -l <"$r/$1.txt"; else echo 0; fi; }
caught=$(count caught) missed=$(count missed) timeout=$(count timeout) unviable=$(count unviable)
viable=$((caught + missed + timeout))
if [[ $viable -gt 0 ]]; then
    echo "mutants ($mode): $caught of $viable viable mutants caught ($((caught * 1000 / viable / 10)).$((caught * 1000 / viable % 10)) %), $missed missed, $timeout timed out, $unviable unviable; lists in $r/"
fi
if [[ $missed -gt 0 ]]; then
    echo "missed (add a test that fails on each, or, if it cannot change behaviour, list it in .cargo/mutants.toml with the reason):"
    sed 's/^/  /' "$r/missed.txt"
fi
echo "$caught passed, $((missed + timeout)) failed"
exit "$rc"
