// Types of `otp-core/passport` (hand-written; guard/passport.js is the code).
import type { Guard } from './index.js'

export interface GuardStrategyOptions {
  guard: Guard
  /** Where the code is, in the body then the query (default `code`; dotted paths allowed). */
  codeField?: string
  /** The strategy's name (default `otp-core`). */
  name?: string
}

/** Maps the signed-in user to the guard's account id: by callback (as passport-totp's), or returned. */
export type VerifyFunction<User = any> = (
  user: User,
  done: (error: unknown, account?: string | null) => void,
) => string | null | undefined | Promise<string | null | undefined> | void

export declare class GuardStrategy<User = any> {
  constructor(options: GuardStrategyOptions, verify?: VerifyFunction<User>)
  name: string
  authenticate(req: any, options?: unknown): void
}
export { GuardStrategy as Strategy }
