// ES module entry of `otp-core`: the same objects as `require('otp-core')`
// (index.js, over napi's generated loader binding.js), as named exports. Hand-written: `OtpError`
// and `ERROR_CODES` are defined by the addon when it loads, where Node's
// CommonJS export detection cannot see them. Keep the list equal to
// index.js's exports (api.test.mjs checks).
import { createRequire } from 'node:module'

const binding = createRequire(import.meta.url)('./index.js')

export const {
  ERROR_CODES,
  HOTP,
  Keyring,
  MAX_TOKEN_LEN,
  OtpError,
  Secret,
  Steam,
  TOTP,
  Throttle,
  URI,
  VERSION,
  Verifier,
  version,
  __napiBindingTarget,
  backupCodes,
  clampDrift,
  migration,
  qr,
} = binding
export default binding
