import { describe, expect, it } from 'vitest'
import { MAX_ID, zId } from '../../app/domain/shared/schema.js'

describe('zId', () => {
  it('takes plain decimal ids up to the largest an integer column holds', () => {
    expect(zId.parse('1')).toBe(1)
    expect(zId.parse(String(MAX_ID))).toBe(2_147_483_647)
  })

  it('refuses what names no row, including numbers PostgreSQL would not compare with an integer id', () => {
    for (const bad of ['0', '007', '-1', '1e3', '0x10', ' 7', '1.5', '', String(MAX_ID + 1), '13900000001', '9007199254740993']) {
      expect(zId.safeParse(bad).success, bad).toBe(false)
    }
  })
})
