const BASE = 'http://duijie.invalid'
// C0 and C1 controls, DEL and backslash: browsers drop tabs and newlines from URLs and read
// `\` as `/`, so `/\t/evil.example` or `/\evil.example` would leave the site.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\]/
const MAX_LENGTH = 2048

/**
 * Where to send someone after sign-in or a language switch: a path on this site, or the
 * fallback. The check looks at the value as given and at every level of its percent
 * decoding, so `/%09/evil.example`, `/%5Cevil.example` and `//evil.example` all go to the
 * fallback. The answer is the URL parser's own serialisation of the path (non-ASCII text
 * percent-encoded), so it is always a valid Location header: this never throws.
 */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || to.length > MAX_LENGTH || !to.startsWith('/')) return fallback
  let decoded = to
  for (let level = 0; level < 4; level += 1) {
    if (FORBIDDEN.test(decoded) || decoded.startsWith('//')) return fallback
    let next: string
    try {
      next = decodeURIComponent(decoded)
    } catch {
      return fallback
    }
    if (next === decoded) break
    decoded = next
  }
  let url: URL
  try {
    url = new URL(to, BASE)
  } catch {
    return fallback
  }
  const path = url.pathname + url.search + url.hash
  // Dot segments can collapse into `//`: `/.//evil.example` serialises as `//evil.example`.
  if (url.origin !== BASE || path.startsWith('//')) return fallback
  return path
}
