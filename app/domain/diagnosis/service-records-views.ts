/*
 * The service record form's limits and conversions, without zod: the form component
 * (the browser) imports them from here; service-records-schema.ts builds on them.
 */

/** Photos one record may carry (UPLOAD_ROUTES allows 9 × 10 MiB on /diagnoses/:id/records…). */
export const PHOTOS_PER_RECORD = 9
/** The photos field of the record form. */
export const PHOTOS_FIELD = 'photos'

export const RECORD_LIMITS = { leader: 40, teamMembers: 500, content: 4000, teamSize: 200 } as const

/** Full-width digits and point (a Chinese input method) as ASCII. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uff10-\uff19\uff0e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

/** "3", "3.5", "２.５" hours → minutes (0.1 h … 24 h). */
export function hoursToMinutes(raw: string): number | null {
  const text = toHalfWidth(raw).replace(/\s/g, '')
  if (!/^\d{1,2}(\.\d)?$/.test(text)) return null
  const minutes = Math.round(Number(text) * 60)
  return minutes >= 6 && minutes <= 1440 ? minutes : null
}

/** Minutes as the form shows them: hours with one decimal ("3.5"). */
export function minutesToHours(minutes: number): string {
  const hours = Math.round((minutes / 60) * 10) / 10
  return Number.isInteger(hours) ? String(hours) : hours.toFixed(1)
}

/** A real calendar date, YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}
