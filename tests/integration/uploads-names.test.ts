import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stripJpegMetadata, stripWebpMetadata } from '../../app/domain/files/jpeg-metadata.js'
import { cleanFileName, contentDisposition, MAX_FILE_NAME_CHARS } from '../../app/domain/files/names.js'
import {
  FILE_PURPOSES,
  FILE_TYPES,
  formatBytes,
  LARGEST_FILE_BYTES,
  MiB,
  purposeAccept,
  purposeTypeLabels,
  type FileMime,
} from '../../app/domain/files/purposes.js'
import { MAX_FORM_BYTES, UPLOAD_ROUTES } from '../../app/utils/request-guards.server.js'

// The pure parts of uploads: names, headers, limits, the JPEG walker.

describe('file names', () => {
  it.each([
    ['../../etc/passwd.png', 'image/png', 'passwd.png'],
    ['C:\\Users\\张三\\Desktop\\证书.PDF', 'application/pdf', '证书.PDF'],
    ['报告\u202Egpj.exe', 'image/jpeg', '报告gpj.exe.jpg'],
    ['page.html', 'image/png', 'page.html.png'],
    ['...', 'image/png', 'file.png'],
    ['', 'application/pdf', 'file.pdf'],
    ['  多个   空格\t和\n换行 .jpeg ', 'image/jpeg', '多个 空格 和 换行 .jpeg'],
    ['a<b>c:d"e|f?g*h.png', 'image/png', 'a_b_c_d_e_f_g_h.png'],
    ['.bashrc', 'image/png', 'bashrc.png'],
    ['e\u0301.png', 'image/png', 'é.png'],
  ] as [string, FileMime, string][])('%j as %s → %j', (raw, mime, expected) => {
    expect(cleanFileName(raw, mime)).toBe(expected)
  })

  it('keeps the extension when cutting a long name, counting characters (not UTF-16 units)', () => {
    const name = cleanFileName(
      `${'智'.repeat(300)}.docx`,
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    )
    expect(Array.from(name)).toHaveLength(MAX_FILE_NAME_CHARS)
    expect(name.endsWith('.docx')).toBe(true)
    const emoji = cleanFileName(`${'😀'.repeat(200)}.png`, 'image/png')
    expect(Array.from(emoji)).toHaveLength(MAX_FILE_NAME_CHARS)
    expect(emoji.endsWith('😀.png')).toBe(true)
  })

  it('never gives a path, a control character, a hidden name or a wrong extension, whatever it is sent', () => {
    const mimes = Object.keys(FILE_TYPES) as FileMime[]
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.constantFrom(...mimes), (raw, mime) => {
        const name = cleanFileName(raw, mime)
        expect(name).not.toMatch(/[/\\<>:"|?*\p{Cc}\p{Cf}]/u)
        expect(name.startsWith('.')).toBe(false)
        expect(name.length).toBeGreaterThan(0)
        expect(Array.from(name).length).toBeLessThanOrEqual(MAX_FILE_NAME_CHARS)
        const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase()
        expect(FILE_TYPES[mime].extensions as readonly string[]).toContain(ext)
      }),
      { numRuns: 500 },
    )
  })
})

describe('Content-Disposition', () => {
  it('gives an ASCII fallback and the real name by RFC 5987', () => {
    expect(contentDisposition('attachment', '资质证书 (2026).pdf')).toBe(
      `attachment; filename="____ (2026).pdf"; filename*=UTF-8''%E8%B5%84%E8%B4%A8%E8%AF%81%E4%B9%A6%20%282026%29.pdf`,
    )
    expect(contentDisposition('inline', "it's 100%; ok.png")).toBe(
      `inline; filename="it's 100__ ok.png"; filename*=UTF-8''it%27s%20100%25%3B%20ok.png`,
    )
  })
})

describe('limits', () => {
  it('are those issue 11 sets', () => {
    expect(FILE_PURPOSES.case_image).toEqual({ maxBytes: 5 * MiB, types: ['image/jpeg', 'image/png', 'image/webp'] })
    expect(FILE_PURPOSES.qualification_scan).toEqual({
      maxBytes: 10 * MiB,
      types: ['image/jpeg', 'image/png', 'application/pdf'],
    })
    for (const later of ['diagnosis_attachment', 'milestone_evidence', 'bid_attachment'] as const) {
      expect(FILE_PURPOSES[later].maxBytes).toBe(20 * MiB)
      expect(FILE_PURPOSES[later].types).toContain('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    }
    expect(LARGEST_FILE_BYTES).toBe(20 * MiB)
  })

  it('are said in words, and hinted to the browser', () => {
    expect(formatBytes(5 * MiB)).toBe('5 MiB')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(12)).toBe('12 B')
    expect(purposeTypeLabels('qualification_scan')).toBe('JPEG, PNG, PDF')
    expect(purposeAccept('case_image')).toBe('image/jpeg,.jpg,.jpeg,image/png,.png,image/webp,.webp')
  })

  it('let the server take each upload route its files at their limit, and nothing else more than 1 MiB', () => {
    const route = (p: string) => UPLOAD_ROUTES.find((r) => r.path.test(p))
    expect(route('/provider/cases/new')?.maxBytes).toBe(9 * 5 * MiB + MAX_FORM_BYTES)
    expect(route('/provider/cases/12')?.maxBytes).toBe(9 * 5 * MiB + MAX_FORM_BYTES)
    expect(route('/provider/qualifications')?.maxBytes).toBe(10 * MiB + MAX_FORM_BYTES)
    for (const other of [
      '/org/edit',
      '/provider/profile',
      '/provider/casesx',
      '/providers/1',
      '/files/1',
      '/provider',
      '/x/provider/cases',
    ]) {
      expect(route(other), other).toBeUndefined()
    }
  })
})

describe('JPEG metadata walker', () => {
  const segment = (marker: number, payload: number[]) => [
    0xff,
    marker,
    (payload.length + 2) >> 8,
    (payload.length + 2) & 0xff,
    ...payload,
  ]
  const scan = [0xff, 0xda, 0x00, 0x04, 0x01, 0x02, 0x11, 0x22, 0x33, 0xff, 0xd9]

  it('drops APP1, APP13 and comments, keeps the rest byte for byte', () => {
    const app0 = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00])
    const exif = segment(0xe1, [0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 1, 2, 3])
    const iptc = segment(0xed, [9, 9, 9])
    const comment = segment(0xfe, [0x68, 0x69])
    const icc = segment(0xe2, [7, 7])
    const dqt = segment(0xdb, [0, 1, 2, 3])
    const input = Uint8Array.from([0xff, 0xd8, ...app0, ...exif, ...iptc, ...comment, ...icc, ...dqt, ...scan])
    expect(Array.from(stripJpegMetadata(input, undefined)!)).toEqual([0xff, 0xd8, ...app0, ...icc, ...dqt, ...scan])
    // With an orientation: a minimal EXIF segment holding only it, after APP0.
    const turned = stripJpegMetadata(input, 6)!
    expect(Array.from(turned.subarray(0, 2 + app0.length))).toEqual([0xff, 0xd8, ...app0])
    expect(turned[2 + app0.length + 1]).toBe(0xe1)
    expect(Buffer.from(turned).includes(Buffer.from([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06]))).toBe(true)
  })

  it('gives up (null) on anything it cannot walk, never throws', () => {
    expect(stripJpegMetadata(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]), undefined)).toBeNull()
    expect(stripJpegMetadata(Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), undefined)).toBeNull()
    expect(stripJpegMetadata(Uint8Array.from([0xff, 0xd8, 0x00, 0x00, 0x00]), undefined)).toBeNull()
    expect(stripJpegMetadata(Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]), undefined)).toBeNull()
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const out = stripJpegMetadata(Uint8Array.from([0xff, 0xd8, ...tail]), 3)
        expect(out === null || (out[0] === 0xff && out[1] === 0xd8)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('walks a WebP the same way, or gives up', () => {
    expect(stripWebpMetadata(Uint8Array.from([0xff, 0xd8, 0xff]))).toBeNull()
    const riff = (...chunks: number[][]) => {
      const body = [0x57, 0x45, 0x42, 0x50, ...chunks.flat()]
      return Uint8Array.from([0x52, 0x49, 0x46, 0x46, body.length & 0xff, body.length >> 8, 0, 0, ...body])
    }
    const chunk = (fourcc: string, payload: number[]) => [
      ...Array.from(fourcc, (c) => c.charCodeAt(0)),
      payload.length,
      0,
      0,
      0,
      ...payload,
      ...(payload.length % 2 ? [0] : []),
    ]
    const vp8x = chunk('VP8X', [0x0c, 0, 0, 0, 1, 0, 0, 1, 0, 0])
    const image = chunk('VP8L', [1, 2, 3])
    const out = stripWebpMetadata(riff(vp8x, image, chunk('EXIF', [9, 9]), chunk('XMP ', [8])))!
    expect(Array.from(out)).toEqual(Array.from(riff(chunk('VP8X', [0x00, 0, 0, 0, 1, 0, 0, 1, 0, 0]), image)))
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const out = stripWebpMetadata(Uint8Array.from([...riff(), ...tail]))
        expect(out === null || out.length >= 12).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })
})
