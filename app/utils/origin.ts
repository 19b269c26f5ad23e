/**
 * A state-changing request whose Origin names another site is refused. Requests
 * without Origin (curl, old browsers) pass: SameSite=Lax cookies already keep
 * cross-site form posts from carrying a session.
 *
 * The Origin must match the Host the request was sent to and, when an X-Forwarded-Host
 * is present, that too: behind a trusted proxy (trustForwarded) the forwarded host is
 * the one the browser saw, so it alone is compared; without one, a forwarded host that
 * disagrees with the Origin is a forged or confused request either way.
 */
export function isForeignOrigin(
  origin: string | undefined | null,
  host: string | undefined | null,
  forwarded: { host?: string | undefined; trusted?: boolean } = {},
): boolean {
  if (!origin) return false
  if (origin === 'null') return true
  let originHost: string
  try {
    originHost = new URL(origin).host
  } catch {
    return true
  }
  const same = (candidate: string | undefined | null) => !!candidate && hostOf(candidate) === originHost
  const forwardedHost = forwarded.host?.split(',')[0]?.trim()
  if (forwardedHost !== undefined && !same(forwardedHost)) return true
  if (forwarded.trusted && forwardedHost !== undefined) return false
  return !same(host)
}

/** `Example.com:80` → `example.com`, as URL.host would say it. */
function hostOf(host: string): string | null {
  try {
    return new URL(`http://${host}`).host
  } catch {
    return null
  }
}
