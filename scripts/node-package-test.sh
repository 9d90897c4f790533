#!/usr/bin/env bash
# The npm packages as a user installs them (`make node-package-test`, part
# of `make test`): the main package `otp-core` and its platform package
# `otp-core-linux-x64-gnu`, packed (scripts/dist-node.sh --host, or `make
# dist`'s when it is newer than the sources), installed into a fresh project
# with no Rust toolchain on PATH, then the package's tests run against that
# installed copy (OTP_CORE_PACKAGE_DIR; the guard on its memory store). The
# addon must load from the platform package, not from a build beside the
# sources.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PROJECT="$ROOT/target/npm-fresh"
NODE_DIR="$ROOT/bindings-node"

log() { printf 'node-package-test: %s\n' "$*" >&2; }

version=$(node -p "require('$NODE_DIR/package.json').version")
newest_source=$(find otp-core/src bindings-node/src bindings-node/guard bindings-node/npm bindings-node/index.js \
    bindings-node/binding.js bindings-node/index.mjs bindings-node/index.d.ts bindings-node/package.json -type f \
    -printf '%T@\n' | sort -n | tail -n 1)
dist="$ROOT/target/dist/npm"
if [ -n "$(find "$dist" -maxdepth 1 -name "otp-core-linux-x64-gnu-$version.tgz" -newermt "@${newest_source%.*}" 2>/dev/null)" ]; then
    packages="$dist"
else
    scripts/dist-node.sh --host
    packages="$ROOT/target/dist/npm-host"
fi
log "packages: ${packages#"$ROOT"/}"

rm -rf "$PROJECT"
mkdir -p "$PROJECT"
printf '{ "name": "fresh-consumer", "private": true, "version": "0.0.0" }\n' >"$PROJECT/package.json"
# No Rust on PATH from here.
export PATH
PATH="$(dirname "$(command -v node)"):/usr/local/bin:/usr/bin:/bin"
unset RUSTUP_HOME CARGO_HOME
for tool in cargo rustc rustup; do
    if command -v "$tool" >/dev/null; then
        log "FAILED: $tool is on PATH ($(command -v "$tool"))"
        exit 1
    fi
done
# Local tarballs only (--offline): the other platforms' packages are optional
# and skipped, as npm skips those of other platforms.
(cd "$PROJECT" && npm install --offline --no-audit --no-fund --no-package-lock --loglevel=error \
    "$packages/otp-core-$version.tgz" "$packages/otp-core-linux-x64-gnu-$version.tgz")
installed="$PROJECT/node_modules/otp-core"
[ ! -e "$installed/otp-core.linux-x64-gnu.node" ] || { log "FAILED: the main package carries an addon"; exit 1; }
node -e "
  const pkg = require('$installed/package.json')
  const want = { 'otp-core-linux-arm64-gnu': '$version', 'otp-core-linux-x64-gnu': '$version', 'otp-core-linux-x64-musl': '$version' }
  if (JSON.stringify(pkg.optionalDependencies) !== JSON.stringify(want)) {
    console.error('optionalDependencies:', pkg.optionalDependencies); process.exit(1)
  }
  if (pkg.devDependencies || pkg.scripts) { console.error('development fields published'); process.exit(1) }"
loaded=$(cd "$PROJECT" && node -e "
  const otp = require('otp-core')
  if (new otp.TOTP({ secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', digits: 8 }).generate({ timestamp: 59000 }) !== '94287082') process.exit(2)
  console.log(Object.keys(require.cache).find((p) => p.endsWith('.node')))")
case "$loaded" in
    "$PROJECT/node_modules/otp-core-linux-x64-gnu/otp-core.linux-x64-gnu.node") log "addon from the platform package" ;;
    *) log "FAILED: the addon loaded from $loaded"; exit 1 ;;
esac

log "the package's tests against the installed copy"
cd "$NODE_DIR"
OTP_CORE_PACKAGE_DIR="$installed" node --test --test-reporter=spec \
    __test__/api.test.mjs __test__/vectors.test.mjs __test__/bad-input.test.mjs __test__/migration.test.mjs \
    __test__/verifier.test.mjs __test__/differential.test.mjs __test__/readme.test.mjs __test__/glue.test.mjs \
    __test__/guard.test.mjs __test__/platform.test.mjs
