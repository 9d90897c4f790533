#!/usr/bin/env bash
# The npm artefacts (`make dist-node`) into target/dist/npm, in napi-rs's
# layout: one package per platform (bindings-node/npm/<platform>/: its
# package.json and README, plus the addon built here), and the main package
# `otp-core`, which carries no addon and lists the platform packages as
# optionalDependencies (npm installs the one matching the machine; the
# loader, binding.js, requires it). Every package has the crate's version.
#
# The addons are cross-built with zig (`napi build -x`, cargo-zigbuild):
# linux-x64-gnu and linux-arm64-gnu against glibc 2.28 (the floor of Node
# 18's own Linux builds; checked below), linux-x64-musl with musl's libc name
# (see musl_libc_name in dist-tools.sh).
#
# --host: the linux-x64-gnu package only, from the addon `make node-build`
# built (no cross build, no zig): what `make test` installs
# (scripts/node-package-test.sh), into target/dist/npm-host.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NODE_DIR="$ROOT/bindings-node"
HOST=0
if [ "${1:-}" = --host ]; then
    HOST=1
    OUT="$ROOT/target/dist/npm-host"
    STAGE="$ROOT/target/dist/npm-host-stage"
else
    OUT="$ROOT/target/dist/npm"
    STAGE="$ROOT/target/dist/npm-stage"
    # shellcheck source=scripts/dist-tools.sh
    . "$ROOT/scripts/dist-tools.sh"
fi
BUILD="$STAGE/build"

log() { printf 'dist-node: %s\n' "$*" >&2; }

# triple, napi's platform name, the newest glibc symbol version allowed (- for musl)
TARGETS=(
    "x86_64-unknown-linux-gnu linux-x64-gnu 2.28"
    "aarch64-unknown-linux-gnu linux-arm64-gnu 2.28"
    "x86_64-unknown-linux-musl linux-x64-musl -"
)
if [ $HOST = 1 ]; then
    TARGETS=("x86_64-unknown-linux-gnu linux-x64-gnu host")
else
    rustup_targets x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl
fi
[ -d "$NODE_DIR/node_modules/@napi-rs/cli" ] || (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
version=$(node -p "require('$NODE_DIR/package.json').version")

rm -rf "$OUT" "$STAGE"
mkdir -p "$OUT" "$BUILD"
for t in "${TARGETS[@]}"; do
    read -r triple platform glibc <<<"$t"
    addon="$BUILD/otp-core.$platform.node"
    if [ "$glibc" = host ]; then
        cp "$NODE_DIR/otp-core.$platform.node" "$addon"
    else
        log "addon for $triple ($platform)"
        (cd "$NODE_DIR" && npx napi build --platform --release --target "$triple" -x --no-js -o "$BUILD" 2>&1 | tail -n 1)
    fi
    if [ "$glibc" = host ]; then
        :
    elif [ "$glibc" = - ]; then
        musl_libc_name "$addon" "${triple%%-*}"
        if readelf -d "$addon" | grep -q 'NEEDED.*libc\.so\.6'; then
            log "FAILED: $addon links glibc"
            exit 1
        fi
    else
        newest=$(readelf --dyn-syms -W "$addon" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
        if [ "$(printf '%s\n%s\n' "$newest" "$glibc" | sort -V | tail -n 1)" != "$glibc" ]; then
            log "FAILED: $addon needs glibc $newest (more than $glibc)"
            exit 1
        fi
        log "$platform: glibc $newest at most"
    fi
    mkdir -p "$STAGE/$platform"
    cp "$NODE_DIR/npm/$platform/package.json" "$NODE_DIR/npm/$platform/README.md" "$addon" "$STAGE/$platform/"
    (cd "$STAGE/$platform" && npm pack --silent --pack-destination "$OUT" >/dev/null)
done

log "main package"
mkdir -p "$STAGE/otp-core"
(cd "$NODE_DIR" && cp -r README.md index.js binding.js index.d.ts index.mjs guard "$STAGE/otp-core/")
# package.json as published: no addon of its own (the platform packages
# carry them), the platform packages as optional dependencies, no scripts or
# development dependencies.
node - "$NODE_DIR/package.json" "$STAGE/otp-core/package.json" "$version" <<'JS'
const fs = require('node:fs')
const [src, dst, version] = process.argv.slice(2)
const pkg = JSON.parse(fs.readFileSync(src, 'utf8'))
pkg.files = pkg.files.filter((f) => f !== '*.node')
const platforms = fs.readdirSync(require('node:path').join(src, '..', 'npm')).sort()
pkg.optionalDependencies = Object.fromEntries(platforms.map((p) => [`otp-core-${p}`, version]))
delete pkg.devDependencies
delete pkg.scripts
fs.writeFileSync(dst, `${JSON.stringify(pkg, null, 2)}\n`)
JS
(cd "$STAGE/otp-core" && npm pack --silent --pack-destination "$OUT" >/dev/null)
[ $HOST = 1 ] || ls -l "$OUT"
log "done: $(find "$OUT" -maxdepth 1 -name '*.tgz' | wc -l) packages in ${OUT#"$ROOT"/}"
