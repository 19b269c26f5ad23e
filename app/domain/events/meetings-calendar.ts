/*
 * An organisation's meeting agenda as an iCalendar file (RFC 5545) — pure. Times in
 * Asia/Shanghai with its VTIMEZONE (UTC+8, no daylight saving), one VEVENT per meeting
 * with a stable UID, CRLF line ends, TEXT values escaped (\\ ; , newline) and lines
 * folded at 75 octets without splitting a UTF-8 character.
 */

export interface CalendarMeeting {
  meetingId: number
  eventId: number
  day: string
  start: string
  end: string
  summary: string
  description: string
  location: string
  /** When the meeting was scheduled (ISO): its DTSTAMP. */
  stampedAt: string
}

export const CALENDAR_HOST = 'duijie.meetings'

/** TEXT escaping (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
}

/** Folds a content line at 75 octets (§3.1), continuation lines starting with a space. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder()
  const parts: string[] = []
  let current = ''
  let octets = 0
  let limit = 75
  for (const ch of line) {
    const size = encoder.encode(ch).length
    if (octets + size > limit) {
      parts.push(current)
      current = ''
      octets = 0
      limit = 74 // the leading space counts
    }
    current += ch
    octets += size
  }
  parts.push(current)
  return parts.join('\r\n ')
}

const local = (day: string, clock: string) => `${day.replace(/-/g, '')}T${clock.replace(':', '')}00`

function utcStamp(iso: string): string {
  const d = new Date(iso)
  const valid = Number.isNaN(d.getTime()) ? new Date(0) : d
  return valid
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

export function meetingCalendar(name: string, meetings: readonly CalendarMeeting[]): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Duijie//Event meetings//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    'X-WR-TIMEZONE:Asia/Shanghai',
    'BEGIN:VTIMEZONE',
    'TZID:Asia/Shanghai',
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    'TZOFFSETFROM:+0800',
    'TZOFFSETTO:+0800',
    'TZNAME:CST',
    'END:STANDARD',
    'END:VTIMEZONE',
  ]
  for (const m of meetings) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:meeting-${m.meetingId}-event-${m.eventId}@${CALENDAR_HOST}`,
      `DTSTAMP:${utcStamp(m.stampedAt)}`,
      `DTSTART;TZID=Asia/Shanghai:${local(m.day, m.start)}`,
      `DTEND;TZID=Asia/Shanghai:${local(m.day, m.end)}`,
      `SUMMARY:${escapeText(m.summary)}`,
      `DESCRIPTION:${escapeText(m.description)}`,
      `LOCATION:${escapeText(m.location)}`,
      'STATUS:CONFIRMED',
      'TRANSP:OPAQUE',
      'END:VEVENT',
    )
  }
  lines.push('END:VCALENDAR')
  return lines.map(foldLine).join('\r\n') + '\r\n'
}
