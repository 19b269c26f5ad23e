/** Dates shown to people are in China Standard Time, whatever the server's zone. */
const dateFormatter = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

const dateTimeFormatter = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
})

export function formatDate(iso: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : dateFormatter.format(d).replaceAll('/', '-')
}

export function formatDateTime(iso: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormatter.format(d).replaceAll('/', '-')
}

const numberFormatter = new Intl.NumberFormat('zh-CN')
export function formatNumber(n: number): string {
  return numberFormatter.format(n)
}

const decimalFormatters = new Map<number, Intl.NumberFormat>()
/** A number with up to `maxFractionDigits` decimals (trailing zeros dropped) and thousands separators. */
export function formatDecimal(n: number, maxFractionDigits: number): string {
  let formatter = decimalFormatters.get(maxFractionDigits)
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { maximumFractionDigits: maxFractionDigits })
    decimalFormatters.set(maxFractionDigits, formatter)
  }
  return formatter.format(n)
}

/** An address as people read it: IPv4 clients seen through an IPv6 socket lose the `::ffff:` prefix. */
export function formatIp(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip.trim())
  return mapped ? mapped[1]! : ip.trim()
}

/** Hundredths of 万元 as people read an amount: 12.34, 12.5, 12 (no separators, so it reads back in a form). */
export function wanText(x100: number): string {
  const whole = Math.floor(x100 / 100)
  const cents = x100 % 100
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`
}
