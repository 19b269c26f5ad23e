/*
 * What the dashboard and outcomes pages render with, free of zod and server code (the
 * components import it).
 */

/** Hundredths of 万元 as text ("12.5"), as bids show amounts (priceWanText in app/domain/bids/schema.ts). */
export function wanText(x100: number): string {
  const whole = Math.floor(x100 / 100)
  const cents = x100 % 100
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`
}
