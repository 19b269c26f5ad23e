import { useT } from '~/i18n/use-t.js'

/*
 * A device as people name it ("Chrome · Windows", "微信 · iPhone"), from the user-agent
 * string a session stored. A small parser of our own: the browsers and systems people
 * here sign in with, checked in order (an app's in-app browser before the engine it is
 * built on, Edge and Opera before Chrome, Chrome before Safari, whose token every
 * WebKit and Blink browser carries). Anything else is named by its first token (curl).
 */

/** Browsers named the same in every language. */
type ProperBrowser = 'Edge' | 'Opera' | 'Samsung Internet' | 'Firefox' | 'Chrome' | 'Safari' | 'Yandex'
/** Browsers and apps whose names the catalogue gives per language (`device.browser.<id>`). */
const LOCALISED_BROWSERS = [
  'wechat',
  'wecom',
  'dingtalk',
  'feishu',
  'qq',
  'qqBrowser',
  'ucBrowser',
  'quark',
  'huaweiBrowser',
  'miuiBrowser',
  'baidu',
  'browser360',
  'sogou',
] as const
type LocalisedBrowser = (typeof LOCALISED_BROWSERS)[number]

const BROWSERS: [RegExp, ProperBrowser | LocalisedBrowser][] = [
  [/wxwork\//i, 'wecom'],
  [/MicroMessenger\//i, 'wechat'],
  [/DingTalk\//i, 'dingtalk'],
  [/Lark\/|Feishu/i, 'feishu'],
  [/M?QQBrowser\//i, 'qqBrowser'],
  [/\sQQ\/[\d.]+/, 'qq'],
  [/UCBrowser\/|UCWEB/i, 'ucBrowser'],
  [/Quark\//i, 'quark'],
  [/HuaweiBrowser\//i, 'huaweiBrowser'],
  [/MiuiBrowser\//i, 'miuiBrowser'],
  [/baiduboxapp|BIDUBrowser|baidubrowser/i, 'baidu'],
  [/360SE|360EE|QihooBrowser|QHBrowser/i, 'browser360'],
  [/SogouMobileBrowser|MetaSr/i, 'sogou'],
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/YaBrowser\//, 'Yandex'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/CriOS\/|Chrome\/|Chromium\/|HeadlessChrome\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\/|Mobile\/\w+ Safari\//, 'Safari'],
]

const SYSTEMS: [RegExp, string][] = [
  [/Windows Phone/, 'Windows Phone'],
  [/Windows NT|Win64|Windows/, 'Windows'],
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/iPod/, 'iPod'],
  [/HarmonyOS|OpenHarmony/, 'HarmonyOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Macintosh|Mac OS X/, 'macOS'],
  [/Linux|X11/, 'Linux'],
]

export interface DeviceInfo {
  /** A proper name, a LOCALISED_BROWSERS id, or the first token of an unknown agent; null if none. */
  browser: string | null
  os: string | null
}

export function parseUserAgent(userAgent: string): DeviceInfo {
  const ua = userAgent.trim()
  if (!ua) return { browser: null, os: null }
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1] ?? null
  const os = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1] ?? null
  // Not a browser we know (curl/8.5, a bot): its own first word, if it looks like one.
  const token = browser || os ? null : (/^([A-Za-z][\w.-]{0,30})\//.exec(ua)?.[1] ?? null)
  return { browser: browser ?? token, os }
}

function isLocalised(browser: string): browser is LocalisedBrowser {
  return (LOCALISED_BROWSERS as readonly string[]).includes(browser)
}

/** `(userAgent) => "Chrome · Windows"` in the reader's language. */
export function useDeviceName(): (userAgent: string) => string {
  const t = useT()
  return (userAgent) => {
    const { browser, os } = parseUserAgent(userAgent)
    if (!browser && !os) return t('device.unknown')
    const browserName = browser ? (isLocalised(browser) ? t(`device.browser.${browser}`) : browser) : t('device.unknownBrowser')
    return os ? t('device.name', { browser: browserName, os }) : browserName
  }
}
