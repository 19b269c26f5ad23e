import { describe, expect, it } from 'vitest'
import { messageRef, parseMessageRef, translator } from '../../app/i18n/index.js'
import { AppError } from '../../app/utils/errors.js'
import { formFailure } from '../../app/utils/form-failure.js'

/*
 * A form failure's params are its form message's. A field whose words need them
 * (每项资质最多 {limit} 份) gets them with its key, so the message under the field reads
 * "最多 9 张", never "最多 {limit} 张".
 */

describe('messageRef', () => {
  it('keeps a key bare when its words take no params, or when there are none', () => {
    expect(messageRef('errors.invalid', { count: 2 })).toBe('errors.invalid')
    expect(messageRef('providers.e.tooManyImages', null)).toBe('providers.e.tooManyImages')
    expect(parseMessageRef('errors.invalid')).toEqual({ key: 'errors.invalid', params: null })
  })

  it('carries the params a key’s words name, and reads them back', () => {
    const ref = messageRef('files.e.unsupportedType', { types: 'JPEG, PNG, PDF' })
    expect(ref).toBe('files.e.unsupportedType?types=JPEG%2C+PNG%2C+PDF')
    const { key, params } = parseMessageRef(ref)
    expect(key).toBe('files.e.unsupportedType')
    expect(translator('en')('files.e.unsupportedType', params ?? undefined)).not.toContain('{')
    expect(translator('zh-CN')('files.e.unsupportedType', params ?? undefined)).toContain('JPEG, PNG, PDF')
  })

  it('keeps a param that looks like a query (&, =, ?) whole', () => {
    const { params } = parseMessageRef(messageRef('pool.e.expertTied', { name: '张三&李四=?' }))
    expect(params).toEqual({ name: '张三&李四=?' })
  })
})

describe('formFailure', () => {
  it('gives every field that shares the form’s words its params; other fields stay bare keys', () => {
    const failure = formFailure(
      new AppError('VALIDATION', 'providers.e.tooManyImages', {
        fieldErrors: { images: 'providers.e.tooManyImages', title: 'errors.invalid' },
        params: { limit: 9 },
      }),
    )
    expect(failure).toEqual({
      ok: false,
      code: 'VALIDATION',
      formError: 'providers.e.tooManyImages',
      formParams: { limit: 9 },
      fieldErrors: { images: 'providers.e.tooManyImages?limit=9', title: 'errors.invalid' },
    })
    const { key, params } = parseMessageRef(failure.fieldErrors.images!)
    expect(translator('zh-CN')(key as 'providers.e.tooManyImages', params ?? undefined)).toBe(
      '每个案例最多 9 张图片，请先删除不需要的图片',
    )
  })
})
