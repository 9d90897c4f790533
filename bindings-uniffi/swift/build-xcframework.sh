#!/usr/bin/env bash
# Builds what an iOS app needs from otp-core, on macOS with Xcode and rustup:
#
#   bindings-uniffi/swift/OtpCoreFFI.xcframework      static libraries; C header and modulemap
#                                                     in each slice's Headers/OtpCoreFFI/
#   bindings-uniffi/swift/Sources/OtpCore/OtpCore.swift   the generated Swift binding
#
# after which bindings-uniffi/swift is a complete Swift package (`import OtpCore`):
# add it to an Xcode project as a local package, or run its tests with
# `cd bindings-uniffi/swift && swift test`.
#
# Usage: bindings-uniffi/swift/build-xcframework.sh [--debug]
# It cannot run on Linux (no Xcode); `make uniffi-test` generates and checks
# the Swift sources there.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
profile=release
[[ "${1:-}" == "--debug" ]] && profile=debug
# One word, not an array: macOS's /bin/bash 3.2 rejects "${empty[@]}" under set -u.
release_flag=--release
if [[ $profile == debug ]]; then release_flag=; fi

if [[ "$(uname -s)" != Darwin ]] || ! command -v xcodebuild >/dev/null; then
    echo "build-xcframework.sh needs macOS with Xcode (xcodebuild, lipo)." >&2
    exit 1
fi

ios=aarch64-apple-ios
ios_sim=(aarch64-apple-ios-sim x86_64-apple-ios)
macos=(aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "$ios" "${ios_sim[@]}" "${macos[@]}"

cd "$root"
for target in "$ios" "${ios_sim[@]}" "${macos[@]}"; do
    cargo build -p otp-core-uniffi --lib ${release_flag:+"$release_flag"} --target "$target"
done

# Library mode: the Swift binding comes from the metadata in the host's library.
build="$here/build"
rm -rf "$build" "$here/OtpCoreFFI.xcframework"
# The header and the modulemap go in a folder named after the C module
# (Headers/OtpCoreFFI/ in each slice of the XCFramework), as cargo-swift
# does. Xcode copies the Headers folder of every static XCFramework an app
# links into one shared include/ folder: a module.modulemap at the root of
# Headers collides with any other XCFramework laid out the same way
# ("Multiple commands produce .../include/module.modulemap"). Clang finds
# include/OtpCoreFFI/module.modulemap when Swift imports OtpCoreFFI.
ffi_module=OtpCoreFFI
mkdir -p "$build/headers/$ffi_module" "$build/ios-simulator" "$build/macos"
cargo build -p otp-core-uniffi --features cli --bin uniffi-bindgen ${release_flag:+"$release_flag"}
"target/$profile/uniffi-bindgen" generate --library "target/${macos[0]}/$profile/libotp_core_uniffi.dylib" \
    --language swift --out-dir "$build/swift"
cp "$build/swift/$ffi_module.h" "$build/headers/$ffi_module/"
cp "$build/swift/$ffi_module.modulemap" "$build/headers/$ffi_module/module.modulemap"
cp "$build/swift/OtpCore.swift" "$here/Sources/OtpCore/OtpCore.swift"

lib=libotp_core_uniffi.a
lipo -create "target/${ios_sim[0]}/$profile/$lib" "target/${ios_sim[1]}/$profile/$lib" -output "$build/ios-simulator/$lib"
lipo -create "target/${macos[0]}/$profile/$lib" "target/${macos[1]}/$profile/$lib" -output "$build/macos/$lib"
xcodebuild -create-xcframework \
    -library "target/$ios/$profile/$lib" -headers "$build/headers" \
    -library "$build/ios-simulator/$lib" -headers "$build/headers" \
    -library "$build/macos/$lib" -headers "$build/headers" \
    -output "$here/OtpCoreFFI.xcframework"

# Every slice must have its header and modulemap in Headers/OtpCoreFFI/ and
# nothing at the root of Headers (see above).
for slice in "$here/OtpCoreFFI.xcframework"/*/; do
    if [[ ! -f "${slice}Headers/$ffi_module/module.modulemap" || ! -f "${slice}Headers/$ffi_module/$ffi_module.h" \
        || -e "${slice}Headers/module.modulemap" ]]; then
        echo "unexpected header layout in $slice (want Headers/$ffi_module/module.modulemap)" >&2
        exit 1
    fi
done

echo "Built $here/OtpCoreFFI.xcframework and Sources/OtpCore/OtpCore.swift; test with: cd $here && swift test"
