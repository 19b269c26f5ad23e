import { describe, expect, it } from 'vitest'
import type { DiagnosisKind, ServiceRecordKind } from '../../db/enums.js'
import { recordFlags, serviceProgress, type ServiceRecordFacts } from '../../app/domain/diagnosis/minimums.js'
import { hoursToMinutes, isCalendarDate, minutesToHours } from '../../app/domain/diagnosis/service-records-schema.js'

/*
 * The minimum service of a diagnosis (Jiangsu 2022 §三, seed 002): site visits per kind,
 * each ≥ 3 h with a team of ≥ 5; 2 trainings ≥ 2 h; 2 briefings. A flagged record is
 * listed but does not count.
 */

const visit = (minutes = 180, teamSize = 5): ServiceRecordFacts => ({ kind: 'site_visit', minutes, teamSize })
const training = (minutes = 120): ServiceRecordFacts => ({ kind: 'training', minutes, teamSize: 2 })
const briefing = (minutes = 60): ServiceRecordFacts => ({ kind: 'briefing', minutes, teamSize: 1 })

describe('recordFlags', () => {
  it.each<[string, ServiceRecordFacts, string[]]>([
    ['a visit of exactly 3 h with 5 people', visit(180, 5), []],
    ['a visit of 2 h 59 min', visit(179, 5), ['short_visit']],
    ['a visit with 4 people', visit(240, 4), ['small_team']],
    ['a short visit with a small team', visit(60, 2), ['short_visit', 'small_team']],
    ['a training of exactly 2 h', training(120), []],
    ['a training of 1.5 h', training(90), ['short_training']],
    ['a training with one person (no team rule)', { kind: 'training', minutes: 150, teamSize: 1 }, []],
    ['a short briefing (no length rule)', briefing(30), []],
  ])('%s', (_name, record, flags) => {
    expect(recordFlags(record)).toEqual(flags)
  })
})

describe('serviceProgress', () => {
  it.each<[DiagnosisKind, number]>([
    ['factory', 8],
    ['chain', 8],
    ['workshop', 3],
    ['digital_app', 1],
  ])('a %s diagnosis needs %i site visits, 2 trainings and 2 briefings', (kind, visits) => {
    const empty = serviceProgress(kind, [])
    expect(empty.lines.map((l) => [l.kind, l.counted, l.required, l.met])).toEqual([
      ['site_visit', 0, visits, false],
      ['training', 0, 2, false],
      ['briefing', 0, 2, false],
    ])
    expect(empty.complete).toBe(false)
    const enough = [...Array.from({ length: visits }, () => visit()), training(), training(), briefing(), briefing()]
    expect(serviceProgress(kind, enough).complete).toBe(true)
    // One visit fewer is not enough.
    expect(serviceProgress(kind, enough.slice(1)).complete).toBe(false)
  })

  it('lists flagged records in the total but does not count them', () => {
    const records = [visit(), visit(), visit(120, 6), visit(200, 3), training(90), training(), briefing()]
    const p = serviceProgress('workshop', records)
    const line = (k: ServiceRecordKind) => p.lines.find((l) => l.kind === k)!
    expect(line('site_visit')).toMatchObject({ counted: 2, total: 4, required: 3, met: false })
    expect(line('training')).toMatchObject({ counted: 1, total: 2, required: 2, met: false })
    expect(line('briefing')).toMatchObject({ counted: 1, total: 1, required: 2, met: false })
    expect(p.flagged).toBe(3)
    expect(p.complete).toBe(false)
  })
})

describe('the record form’s numbers', () => {
  it.each<[string, number | null]>([
    ['3', 180],
    ['3.5', 210],
    ['０.５', 30],
    ['2.9', 174],
    ['24', 1440],
    ['0.1', 6],
    ['0', null],
    ['24.5', null],
    ['3.25', null],
    ['-1', null],
    ['abc', null],
    ['', null],
  ])('hours %j → %j minutes', (raw, minutes) => {
    expect(hoursToMinutes(raw)).toBe(minutes)
  })

  it('shows minutes as hours with one decimal', () => {
    expect(minutesToHours(180)).toBe('3')
    expect(minutesToHours(210)).toBe('3.5')
    expect(minutesToHours(100)).toBe('1.7')
  })

  it('accepts calendar dates only', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true)
    expect(isCalendarDate('2026-02-30')).toBe(false)
    expect(isCalendarDate('2026-2-3')).toBe(false)
    expect(isCalendarDate('20260203')).toBe(false)
  })
})
