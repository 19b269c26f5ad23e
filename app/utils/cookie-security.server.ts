import { getEnv, type Env } from './env.server.js'

/**
 * Every cookie the site sets is Secure in production, so it never travels over plain
 * HTTP; INSECURE_COOKIES=1 drops the flag for plain-HTTP runs other than localhost.
 */
export function secureCookies(env: Env = getEnv()): boolean {
  return env.NODE_ENV === 'production' && env.INSECURE_COOKIES !== '1'
}
