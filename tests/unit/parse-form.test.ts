import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppError } from '../../app/utils/errors.js'
import { MAX_FORM_FIELDS, parseForm } from '../../app/utils/forms.server.js'

const ZInput = z.object({ name: z.string().min(1), tags: z.array(z.string()).optional() })

function form(entries: [string, string][]): FormData {
  const data = new FormData()
  for (const [k, v] of entries) data.append(k, v)
  return data
}

describe('parseForm', () => {
  it('reads single values, repeated keys and `[]` keys', () => {
    expect(parseForm(ZInput, form([['name', '张三']]))).toEqual({ name: '张三' })
    expect(
      parseForm(
        ZInput,
        form([
          ['name', '张三'],
          ['tags', 'a'],
          ['tags', 'b'],
        ]),
      ),
    ).toEqual({ name: '张三', tags: ['a', 'b'] })
    const listSchema = z.object({ 'ids[]': z.array(z.string()) })
    expect(parseForm(listSchema, form([['ids[]', '1']]))).toEqual({ 'ids[]': ['1'] })
  })

  it('treats a field named __proto__ as just another field', () => {
    expect(
      parseForm(
        ZInput,
        form([
          ['name', 'x'],
          ['__proto__', 'a'],
          ['__proto__', 'b'],
        ]),
      ),
    ).toEqual({ name: 'x' })
    expect(({} as Record<string, unknown>)[0]).toBeUndefined()
  })

  it('refuses a filled honeypot as a validation error', () => {
    expect(() =>
      parseForm(
        ZInput,
        form([
          ['name', 'x'],
          ['website', 'http://spam'],
        ]),
      ),
    ).toThrow(AppError)
  })

  it(`answers 413 beyond ${MAX_FORM_FIELDS} fields`, () => {
    const entries: [string, string][] = Array.from({ length: MAX_FORM_FIELDS + 1 }, (_, i) => [`f${i}`, 'x'])
    let thrown: unknown
    try {
      parseForm(ZInput, form(entries))
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).status).toBe(413)
  })

  it('parses 60 000 distinct fields in linear time (no getAll per key)', () => {
    // The cap stops a real request far earlier; this measures the parser on its own terms
    // by counting calls, not time: one pass over entries, no getAll.
    const data = form(Array.from({ length: 60_000 }, (_, i) => [`f${i}`, 'x']))
    let getAllCalls = 0
    const spy = new Proxy(data, {
      get(target, prop) {
        if (prop === 'getAll') getAllCalls += 1
        const value = Reflect.get(target, prop, target) as unknown
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    expect(() => parseForm(ZInput, spy)).toThrow(Response)
    expect(getAllCalls).toBe(0)
  })
})
