/*
 * Removing a photo's metadata without re-encoding it (a WebP's: stripWebpMetadata below).
 * A JPEG: its segments before the image
 * data are copied except APP1 (EXIF: GPS position, camera, date; XMP), APP13 (IPTC,
 * Photoshop) and COM (comments). The image data is copied byte for byte, so nothing
 * is lost and it costs no decoding. The EXIF orientation, which says how to turn the
 * picture upright, is kept as a minimal EXIF segment holding only that.
 */

const SOI = 0xd8
const SOS = 0xda
const EOI = 0xd9
const APP0 = 0xe0
const DROPPED = new Set([0xe1 /* APP1 */, 0xed /* APP13 */, 0xfe /* COM */])

/** An APP1 segment with an EXIF block holding one tag: Orientation (0x0112) = `orientation`. */
function orientationSegment(orientation: number): Uint8Array {
  const tiff = [
    ...[0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08], // big-endian TIFF header, IFD0 at 8
    ...[0x00, 0x01], // one entry
    ...[0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00], // Orientation, SHORT, 1
    ...[0x00, 0x00, 0x00, 0x00], // no next IFD
  ]
  const payload = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00, ...tiff] // "Exif\0\0"
  const length = payload.length + 2
  return Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, ...payload])
}

/**
 * The JPEG without its EXIF, XMP, IPTC and comments (keeping `orientation` when it is
 * 2–8), or null when the bytes are not a JPEG this can walk (the caller re-encodes).
 */
export function stripJpegMetadata(bytes: Uint8Array, orientation: number | undefined): Uint8Array | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) return null
  const parts: Uint8Array[] = [bytes.subarray(0, 2)]
  const keepOrientation = orientation !== undefined && orientation >= 2 && orientation <= 8
  let orientationWritten = !keepOrientation
  let at = 2
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null
    const marker = bytes[at + 1]!
    // Fill bytes (0xFF repeated) may pad between segments.
    if (marker === 0xff) {
      at += 1
      continue
    }
    if (marker === EOI) return null
    if (marker === SOS) {
      if (!orientationWritten) parts.push(orientationSegment(orientation!))
      parts.push(bytes.subarray(at))
      return concat(parts)
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!
    if (length < 2 || at + 2 + length > bytes.length) return null
    const segment = bytes.subarray(at, at + 2 + length)
    if (!DROPPED.has(marker)) {
      // The EXIF segment goes right after JFIF's APP0 (or the start), where readers look for it.
      if (!orientationWritten && marker !== APP0) {
        parts.push(orientationSegment(orientation!))
        orientationWritten = true
      }
      parts.push(segment)
    }
    at += 2 + length
  }
  return null
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

const ascii = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4))

/**
 * The same for WebP (RIFF): its EXIF and XMP chunks dropped and their flags cleared
 * in VP8X, the image chunks copied byte for byte. Null when the bytes are not a RIFF
 * WebP this can walk (the caller re-encodes). A WebP's orientation lives in its EXIF:
 * the caller re-encodes a turned one instead.
 */
export function stripWebpMetadata(bytes: Uint8Array): Uint8Array | null {
  if (bytes.length < 20 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WEBP') return null
  const parts: Uint8Array[] = [bytes.slice(0, 12)]
  let at = 12
  while (at < bytes.length) {
    if (at + 8 > bytes.length) return null
    const fourcc = ascii(bytes, at)
    const size = (bytes[at + 4]! | (bytes[at + 5]! << 8) | (bytes[at + 6]! << 16) | (bytes[at + 7]! << 24)) >>> 0
    const end = at + 8 + size + (size % 2)
    if (end > bytes.length + (size % 2)) return null
    if (fourcc === 'VP8X') {
      if (size < 10) return null
      const chunk = bytes.slice(at, Math.min(end, bytes.length))
      chunk[8] = chunk[8]! & ~(0x08 | 0x04) // EXIF and XMP flags
      parts.push(chunk)
    } else if (fourcc !== 'EXIF' && fourcc !== 'XMP ') {
      parts.push(bytes.subarray(at, Math.min(end, bytes.length)))
    }
    at = end
  }
  const out = concat(parts)
  const riffSize = out.length - 8
  out[4] = riffSize & 0xff
  out[5] = (riffSize >> 8) & 0xff
  out[6] = (riffSize >> 16) & 0xff
  out[7] = (riffSize >>> 24) & 0xff
  return out
}
