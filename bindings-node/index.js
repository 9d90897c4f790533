// CommonJS entry of `otp-core`: the native addon, loaded by napi-rs's
// generated loader (binding.js), which takes it from this folder (a build
// from source) or from the platform's package (`otp-core-linux-x64-gnu`, …,
// an optional dependency that npm installs for the machine's platform).
// Hand-written, for one thing: where there is no binary for this platform,
// the error names the platform and the supported ones.

/** The platforms the published packages carry a binary for. */
const SUPPORTED = ['linux-x64-gnu', 'linux-arm64-gnu', 'linux-x64-musl']

/** This machine as napi names platforms: `linux-x64-gnu`, `darwin-arm64`, … */
function platformName() {
  let name = `${process.platform}-${process.arch}`
  if (process.platform === 'linux') {
    const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null
    name += report?.header?.glibcVersionRuntime ? '-gnu' : '-musl'
  }
  return name
}

try {
  module.exports = require('./binding.js')
} catch (error) {
  if (!/^(Cannot find native binding|Failed to load native binding)/.test(String(error?.message))) throw error
  const platform = platformName()
  const why = SUPPORTED.includes(platform)
    ? `its package otp-core-${platform} is not installed: reinstall with optional dependencies (npm install --include=optional)`
    : `there is no prebuilt binary for ${platform} (prebuilt: ${SUPPORTED.join(', ')})`
  const notFound = new Error(
    `otp-core cannot load its native addon on ${platform}: ${why}. ` +
      'To build it for this machine from the package source (bindings-node), with a Rust toolchain: ' +
      'npx napi build --platform --release',
  )
  notFound.code = 'ERR_OTP_CORE_NO_BINARY'
  notFound.platform = platform
  notFound.cause = error
  throw notFound
}
