import { pinyin } from 'pinyin-pro'
import type { RegionRecord } from './regions.js'

/*
 * English names of Chinese regions, made at seed time: a place name is its pinyin
 * written as one word (江苏省 → Jiangsu, 苏州市 → Suzhou, 昆山市 → Kunshan, 西安 → Xi'an),
 * with the kind of division in English where English names it (宝应县 → Baoying County,
 * 广陵区 → Guangling District, 延边朝鲜族自治州 → Yanbian Korean Autonomous Prefecture).
 * Provinces and cities drop 省 and 市, as English does. The exceptions English has
 * settled on (Shaanxi, Inner Mongolia, Hong Kong …) and the readings pinyin-pro gets
 * wrong for places (乐清 Yueqing, 六合 Luhe …) are listed below.
 */

/**
 * Place names English has settled on, by code (the kind of division still follows:
 * 阿拉善盟 → Alxa League): provinces whose pinyin is not their English name, and cities
 * whose Mongolian, Tibetan or Uyghur names have a romanisation of their own.
 */
const PLACE_BY_CODE: Record<string, string> = {
  '150000': 'Inner Mongolia',
  '450000': 'Guangxi',
  '540000': 'Tibet',
  '610000': 'Shaanxi',
  '640000': 'Ningxia',
  '650000': 'Xinjiang',
  '710000': 'Taiwan',
  '810000': 'Hong Kong',
  '820000': 'Macao',
  '150100': 'Hohhot',
  '150600': 'Ordos',
  '150700': 'Hulunbuir',
  '150800': 'Bayannur',
  '150900': 'Ulanqab',
  '152200': 'Hinggan',
  '152500': 'Xilingol',
  '152900': 'Alxa',
  '230100': 'Harbin',
  '230200': 'Qiqihar',
  '540100': 'Lhasa',
  '540200': 'Shigatse',
  '540300': 'Chamdo',
  '540400': 'Nyingchi',
  '540600': 'Nagqu',
  '542500': 'Ngari',
  '650100': 'Urumqi',
  '650200': 'Karamay',
  '650400': 'Turpan',
  '652700': 'Bortala',
  '652800': 'Bayingolin',
  '652900': 'Aksu',
  '653000': 'Kizilsu',
  '653100': 'Kashgar',
  '653200': 'Hotan',
  '654000': 'Ili',
  '654300': 'Altay',
  '632801': 'Golmud',
  '652801': 'Korla',
  '3210Z1': 'Yangzhou Eco-tech',
}

/** Characters whose reading in place names differs from pinyin-pro's everyday one (成都, 喀什). */
const CHARACTER_READINGS: Record<string, string> = { 都: 'du', 什: 'shi' }

/** Names (or name stems) whose place-name reading differs from pinyin-pro's everyday one. */
const READINGS: Record<string, string> = {
  乐清: 'Yueqing',
  万柏林: 'Wanbailin',
  曾都: 'Zengdu',
  六合: 'Luhe',
  洪洞: 'Hongtong',
  单: 'Shan',
  蔚: 'Yu',
  尉犁: 'Yuli',
  歙: 'She',
  黟: 'Yi',
  铅山: 'Yanshan',
  番禺: 'Panyu',
  吐鲁番: 'Tulufan',
  濉溪: 'Suixi',
  睢宁: 'Suining',
  睢县: 'Sui',
}

/** The 55 minority peoples, as their autonomous areas name them, and their English names. */
const PEOPLES: Record<string, string> = {
  蒙古: 'Mongol',
  回: 'Hui',
  藏: 'Tibetan',
  维吾尔: 'Uyghur',
  苗: 'Miao',
  彝: 'Yi',
  壮: 'Zhuang',
  布依: 'Bouyei',
  朝鲜: 'Korean',
  满: 'Manchu',
  侗: 'Dong',
  瑶: 'Yao',
  白: 'Bai',
  土家: 'Tujia',
  哈尼: 'Hani',
  哈萨克: 'Kazakh',
  傣: 'Dai',
  黎: 'Li',
  傈僳: 'Lisu',
  佤: 'Va',
  畲: 'She',
  高山: 'Gaoshan',
  拉祜: 'Lahu',
  水: 'Sui',
  东乡: 'Dongxiang',
  纳西: 'Naxi',
  景颇: 'Jingpo',
  柯尔克孜: 'Kyrgyz',
  土: 'Tu',
  达斡尔: 'Daur',
  仫佬: 'Mulao',
  羌: 'Qiang',
  布朗: 'Blang',
  撒拉: 'Salar',
  毛南: 'Maonan',
  仡佬: 'Gelao',
  锡伯: 'Xibe',
  阿昌: 'Achang',
  普米: 'Pumi',
  塔吉克: 'Tajik',
  怒: 'Nu',
  乌孜别克: 'Uzbek',
  俄罗斯: 'Russian',
  鄂温克: 'Evenki',
  德昂: "De'ang",
  保安: 'Bonan',
  裕固: 'Yugur',
  京: 'Gin',
  塔塔尔: 'Tatar',
  独龙: 'Derung',
  鄂伦春: 'Oroqen',
  赫哲: 'Hezhen',
  门巴: 'Monba',
  珞巴: 'Lhoba',
  基诺: 'Jino',
}
const PEOPLE_NAMES = Object.keys(PEOPLES).sort((a, b) => b.length - a.length)

/** The kind of division a name ends in, longest first, and what English calls it per level. */
const DIVISIONS: { suffix: string; english: string }[] = [
  { suffix: '特别行政区', english: '' },
  { suffix: '自治区', english: '' },
  { suffix: '自治州', english: 'Autonomous Prefecture' },
  { suffix: '自治县', english: 'Autonomous County' },
  { suffix: '自治旗', english: 'Autonomous Banner' },
  { suffix: '地区', english: 'Prefecture' },
  { suffix: '新区', english: 'New Area' },
  { suffix: '特区', english: 'Special District' },
  { suffix: '矿区', english: 'Mining District' },
  { suffix: '盟', english: 'League' },
  { suffix: '省', english: '' },
  // A municipality, a prefecture-level city and a county-level city alike: Beijing, Suzhou, Kunshan.
  { suffix: '市', english: '' },
  { suffix: '区', english: 'District' },
  { suffix: '县', english: 'County' },
  { suffix: '旗', english: 'Banner' },
]

/** Development zones and other functional areas (the statistics bureau's 71–79 codes), longest first. */
const ZONE_KINDS: [string, string][] = (
  [
    ['高新技术产业开发区', 'High-tech Industrial Development Zone'],
    ['高技术产业开发区', 'High-tech Industrial Development Zone'],
    ['高新技术产业园区', 'High-tech Industrial Park'],
    ['高新技术开发区', 'High-tech Development Zone'],
    ['经济技术开发区', 'Economic and Technological Development Zone'],
    ['经济开发区', 'Economic Development Zone'],
    ['经济综合实验区', 'Comprehensive Economic Experimental Zone'],
    ['综合改革示范区', 'Comprehensive Reform Demonstration Zone'],
    ['城乡一体化示范区', 'Urban-Rural Integration Demonstration Zone'],
    ['综合物流产业聚集区', 'Logistics Industry Cluster'],
    ['现代产业园区', 'Modern Industrial Park'],
    ['文化旅游创意园区', 'Cultural Tourism and Creative Park'],
    ['综合保税区', 'Comprehensive Bonded Zone'],
    ['风景名胜区', 'Scenic Area'],
    ['工业园区', 'Industrial Park'],
    ['产业园区', 'Industrial Park'],
    ['示范区', 'Demonstration Zone'],
    ['管理区', 'Administrative Zone'],
    ['管委会', 'Administrative Committee'],
    ['食品区', 'Food Zone'],
    ['循环化工园区', 'Circular Chemical Industry Park'],
    ['新城', 'New Town'],
    ['新区', 'New Area'],
    ['园区', 'Park'],
  ] as [string, string][]
).sort((a, b) => b[0].length - a[0].length)

/** Names that are no place: the statistics bureau's groupings and the South China Sea islands. */
const WHOLE_NAMES: Record<string, string> = {
  省直辖县级行政区划: 'Directly administered county-level divisions',
  自治区直辖县级行政区划: 'Directly administered county-level divisions',
  神农架林区: 'Shennongjia Forestry District',
  西沙群岛: 'Xisha Islands',
  南沙群岛: 'Nansha Islands',
  中沙群岛的岛礁及其海域: 'Zhongsha Islands',
  大柴旦行政委员会: 'Da Qaidam Administrative Committee',
}

/** Words in zone names that English translates rather than spells (包头稀土 → Baotou Rare Earth). */
const ZONE_WORDS: Record<string, string> = {
  稀土: 'Rare Earth',
  汽车: 'Automotive',
  医药: 'Pharmaceutical',
  火炬: 'Torch',
  航空港: 'Airport',
  港: 'Port',
  中国新加坡: 'China-Singapore',
  中新: 'China-Singapore',
  转型: 'Transformation',
}

/** Banner names' positions (土默特左旗 → Tumote Left Banner, 科尔沁右翼中旗 → Ke'erqin Right Middle Banner). */
const POSITIONS: [string, string][] = [
  ['联合', 'United'],
  ['左翼', 'Left'],
  ['右翼', 'Right'],
  ['左', 'Left'],
  ['右', 'Right'],
  ['前', 'Front'],
  ['中', 'Middle'],
  ['后', 'Rear'],
]

const capitalise = (word: string) => (word ? word[0]!.toUpperCase() + word.slice(1) : word)

/**
 * Chinese characters as one pinyin word without tones: syllables run together, with
 * an apostrophe before a syllable that starts with a, o or e (Xi'an, Yan'an).
 */
export function pinyinWord(chinese: string): string {
  if (!chinese) return ''
  const known = READINGS[chinese]
  if (known) return known
  const chars = Array.from(chinese)
  let syllables = pinyin(chinese, { toneType: 'none', type: 'array' })
  if (syllables.length === chars.length) syllables = syllables.map((s, i) => CHARACTER_READINGS[chars[i]!] ?? s)
  return capitalise(syllables.map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s)).join(''))
}

/**
 * The peoples an autonomous area names after its place name (延边朝鲜族 → 延边, [Korean]);
 * a name that is a people's alone (鄂温克族自治旗) is that people (Evenki).
 */
function splitPeoples(name: string, requireZu: boolean): { place: string; peoples: string[] } {
  let place = name.replace(/各族$/, '')
  const peoples: string[] = []
  for (;;) {
    const withZu = place.endsWith('族')
    const base = withZu ? place.slice(0, -1) : place
    if (peoples.length === 0 && PEOPLES[base] && (withZu || base.length > 1)) return { place: PEOPLES[base], peoples }
    // A one-character people (回, 水, 白 …) only with 族, so a place name is never cut short.
    const found = PEOPLE_NAMES.find((p) => base.endsWith(p) && base.length > p.length && (withZu || (!requireZu && p.length > 1)))
    if (!found) break
    peoples.unshift(PEOPLES[found]!)
    place = base.slice(0, -found.length)
  }
  return { place, peoples }
}

interface ParsedName {
  /** The place name (Chinese), or its English when the name is a people's (Evenki). */
  place: string
  /** English words between the place and the division: peoples, a banner's position. */
  middle: string[]
  division: string
}

/** A region's name split into place, peoples or position, and kind of division: 延边朝鲜族自治州 → 延边 · Korean · Autonomous Prefecture. */
function parseName(region: Pick<RegionRecord, 'name' | 'level'>): ParsedName {
  const { name } = region
  // A one-character stem keeps a two-character suffix whole (清新区 is Qingxin District, not a new area).
  const division = DIVISIONS.find((d) => name.endsWith(d.suffix) && name.length - d.suffix.length >= Math.min(2, d.suffix.length))
  if (!division) return { place: name, middle: [], division: '' }
  let place = name.slice(0, -division.suffix.length)
  const middle: string[] = []
  if (division.suffix.startsWith('自治')) {
    const split = splitPeoples(place, region.level === 'province')
    place = split.place
    middle.push(...split.peoples)
  }
  if (division.suffix.endsWith('旗')) {
    // From the end: 科尔沁 · 左翼 · 中 → Ke'erqin Left Middle.
    for (let found = true; found;) {
      const position = POSITIONS.find(([chinese]) => place.length > chinese.length + 1 && place.endsWith(chinese))
      found = Boolean(position)
      if (position) {
        middle.unshift(position[1])
        place = place.slice(0, -position[0].length)
      }
    }
  } else if (division.suffix === '自治县') {
    // An autonomous county's wing (喀喇沁左翼 → Kalaqin Left Wing).
    const wing = /^(.{2,})([左右])翼$/.exec(place)
    if (wing) {
      place = wing[1]!
      middle.unshift(wing[2] === '左' ? 'Left Wing' : 'Right Wing')
    }
  }
  return { place, middle, division: division.english }
}

/**
 * A zone's name before its kind (河北唐山芦台 of 河北唐山芦台经济开发区): the places it
 * starts with, as they are called in English (Hebei Tangshan), then the rest as one
 * pinyin word (Lutai) or its English (稀土 → Rare Earth). A 市 after a place is dropped
 * (秦皇岛市 → Qinhuangdao).
 */
function zoneHead(head: string, places: ReadonlyMap<string, string>, longest: number): string {
  const words: string[] = []
  let rest = head
  for (;;) {
    rest = rest.replace(/^市/, '')
    let match = ''
    for (let n = Math.min(longest, rest.length); n >= 2 && !match; n--) if (places.has(rest.slice(0, n))) match = rest.slice(0, n)
    if (!match) break
    words.push(places.get(match)!)
    rest = rest.slice(match.length)
  }
  if (rest) words.push(ZONE_WORDS[rest] ?? pinyinWord(rest))
  return words.join(' ')
}

/** The English name of every region, by code. */
export function regionEnglishNames(regions: readonly RegionRecord[]): Map<string, string> {
  // Places by their Chinese name, for the zones that start with them (河北唐山芦台 …).
  const places = new Map<string, string>()
  for (const r of regions) {
    if (r.level === 'zone') continue
    const { place } = parseName(r)
    if (place.length >= 2 && !places.has(place)) places.set(place, PLACE_BY_CODE[r.code] ?? pinyinWord(place))
  }
  const longest = Math.max(...[...places.keys()].map((p) => p.length))
  const names = new Map<string, string>()
  for (const r of regions) names.set(r.code, regionEnglishName(r, places, longest))
  return names
}

function regionEnglishName(region: RegionRecord, places: ReadonlyMap<string, string>, longest: number): string {
  const whole = WHOLE_NAMES[region.name.replace(/^.*-/, '')]
  if (whole) return whole
  if (region.level === 'zone') {
    const kind = ZONE_KINDS.find(([suffix]) => region.name.endsWith(suffix))
    const head = kind ? region.name.slice(0, -kind[0].length) : region.name
    const place = PLACE_BY_CODE[region.code] ?? zoneHead(head, places, longest)
    return [place, kind?.[1] ?? ''].filter(Boolean).join(' ')
  }
  const { place, middle, division } = parseName(region)
  const english = PLACE_BY_CODE[region.code] ?? (/^[A-Z]/.test(place) ? place : pinyinWord(place))
  // An autonomous region is called by its place alone (Guangxi, Ningxia).
  return [english, ...(region.level === 'province' ? [] : middle), division].filter(Boolean).join(' ')
}
