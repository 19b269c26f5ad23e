import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { DropNulBytes } from '../../app/entry.server.js'

describe('DropNulBytes', () => {
  it('removes the zero padding React 18 leaves at 2 KiB boundaries and keeps every character', async () => {
    const text = '智改数转供需对接'.repeat(300)
    const bytes = Buffer.from(text)
    // Cut as React 18.3 does: whole characters per view, the view flushed with 0–2 zero bytes of padding.
    const chunks: Buffer[] = []
    for (let offset = 0; offset < bytes.length; offset += 2046) {
      chunks.push(Buffer.concat([bytes.subarray(offset, offset + 2046), Buffer.alloc(offset % 3)]))
    }
    const out = await buffer(Readable.from(chunks).pipe(new DropNulBytes()))
    expect(out.indexOf(0)).toBe(-1)
    expect(out.toString('utf8')).toBe(text)
  })

  it('sends the document as one chunk (each piece would cost a zlib call and a socket write)', async () => {
    const pieces = ['<html>', '<body>对接</body>', '</html>'].map((p) => Buffer.from(p))
    const out: Buffer[] = []
    for await (const chunk of Readable.from(pieces).pipe(new DropNulBytes())) out.push(chunk as Buffer)
    expect(out).toHaveLength(1)
    expect(out[0]!.toString('utf8')).toBe('<html><body>对接</body></html>')
  })

  it('passes chunks without zeros through untouched', async () => {
    const chunk = Buffer.from('<p>对接</p>')
    const out = await buffer(Readable.from([chunk]).pipe(new DropNulBytes()))
    expect(out.equals(chunk)).toBe(true)
  })
})
