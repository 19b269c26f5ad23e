/**
 * A state-changing request whose Origin names another site is refused. Requests
 * without Origin (curl, old browsers) pass: SameSite=Lax cookies already keep
 * cross-site form posts from carrying a session.
 */
export function isForeignOrigin(origin: string | undefined | null, host: string | undefined | null): boolean {
  if (!origin) return false
  if (origin === 'null') return true
  try {
    return new URL(origin).host !== host
  } catch {
    return true
  }
}
