/** A timestamp or date column as ISO text: PostgreSQL's driver gives strings here, SQLite text; a Date just in case. */
export function isoText(v: unknown): string | null {
  if (v === null || v === undefined) return null
  if (v instanceof Date) return v.toISOString()
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null
}

/** The YYYY-MM-DD of a date column (or of an ISO timestamp). */
export const isoDay = (v: unknown): string | null => isoText(v)?.slice(0, 10) ?? null
