import { FILE_TYPES, type FileMime } from './purposes.js'

/** Longest shown name, in characters (the column allows 200). */
export const MAX_FILE_NAME_CHARS = 120

/**
 * The name a file is shown and downloaded under, from what the client sent: never a
 * path (only what follows the last / or \), no control or invisible formatting
 * characters (a right-to-left override could disguise `gpj.exe` as `exe.jpg`), none
 * of the characters file systems refuse, no leading dots (hidden files), at most
 * MAX_FILE_NAME_CHARS characters, and an extension that matches the content: a PNG
 * sent as `x.html` becomes `x.html.png`. The stored bytes are found by a random key
 * whatever this says.
 */
export function cleanFileName(raw: string, mime: FileMime): string {
  const extensions: readonly string[] = FILE_TYPES[mime].extensions
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? ''
  let name = base
    .replace(/\s+/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .trim()
    .replace(/^[.\s]+/u, '')
    .replace(/[.\s]+$/u, '')
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
  let suffix = ''
  if (!extensions.includes(ext)) {
    suffix = `.${extensions[0]}`
  } else {
    suffix = name.slice(dot)
    name = name.slice(0, dot)
  }
  if (name === '') name = 'file'
  const room = MAX_FILE_NAME_CHARS - Array.from(suffix).length
  const stem = Array.from(name)
  const cut = stem.length > room ? stem.slice(0, room).join('').trimEnd() : name
  return `${cut}${suffix}`
}

/**
 * `Content-Disposition` for a download: an ASCII fallback for old clients and the real
 * name encoded by RFC 5987 / 6266 (`filename*=UTF-8''…`), so 资质证书.pdf arrives intact.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`
}
