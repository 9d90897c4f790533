// Types of `otp-core/express` (hand-written; guard/express.js is the code).
import type { Guard, Outcome } from './index.js'

export interface RequireSecondFactorOptions<Req = any> {
  /** The signed-in account (default `req.user?.id`). */
  account?: (req: Req) => string | null | undefined | Promise<string | null | undefined>
  /** The code (default: header `X-OTP-Code`, then body `otp`, `code` or `token`). */
  token?: (req: Req) => string | undefined | Promise<string | undefined>
  /** Whether this session passed already for `account` (default: `req.session.secondFactorAt`, set for this account). */
  verified?: (req: Req, account: string) => boolean | Promise<boolean>
  /** After an accepted code (default: sets `req.session.secondFactorAt` and `req.session.secondFactorAccount`). */
  onVerified?: (req: Req, outcome: Outcome, account: string) => void | Promise<void>
}

/** 401/403 with a JSON body, 429 with `Retry-After`, `next()` once accepted (`req.secondFactor`). */
export declare function requireSecondFactor<Req = any>(
  guard: Guard,
  options?: RequireSecondFactorOptions<Req>,
): (req: Req, res: any, next: (error?: unknown) => void) => Promise<void>

export declare const MESSAGES: Readonly<Record<'rejected' | 'replayed' | 'locked' | 'throttled', string>>
