import type { z } from 'zod'
import { hasMessage } from '../../i18n/index.js'

/** Where a line went wrong and why: a catalogue key with its parameters (translated by whoever prints it). */
export interface ExchangeIssue {
  /** 1-based line of the file. */
  line: number
  /** The field, as a path into the line's object (`qualifications.0.validUntil`); empty for the whole line. */
  path: (string | number)[]
  key: string
  params?: Record<string, string | number>
}

type Params = Record<string, string | number>

const EXPECTED = new Set(['string', 'number', 'int', 'boolean', 'array', 'object'])

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[p]
  }
  return v
}

function paramsOf(raw: unknown): Params {
  const out: Params = {}
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' || typeof v === 'number') out[k] = v
  }
  return out
}

/**
 * zod's issues for one line as catalogue keys: a rule's own key when it has one
 * (milestone sum, USCC check character …), else one key per kind of issue with its
 * limit (too long: at most {maximum} characters). A missing field is "required", an
 * unknown one is named by its own path. `input` is the line's object as parsed from
 * JSON, to tell a missing field from one of the wrong type.
 */
export function issuesFromZod(line: number, error: z.ZodError, input: unknown): ExchangeIssue[] {
  const out: ExchangeIssue[] = []
  for (const issue of error.issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)))
    const at = (key: string, params?: Params): void => {
      out.push(params && Object.keys(params).length ? { line, path, key, params } : { line, path, key })
    }
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push({ line, path: [...path, k], key: 'exchange.v.unknownField' })
      continue
    }
    if (hasMessage(issue.message)) {
      at(issue.message, issue.code === 'custom' ? paramsOf(issue.params) : undefined)
      continue
    }
    switch (issue.code) {
      case 'invalid_type':
        if (valueAt(input, issue.path) === undefined) at('exchange.v.required')
        else at(`exchange.v.type.${EXPECTED.has(issue.expected) ? issue.expected : 'other'}`)
        break
      case 'too_small':
        at(`exchange.v.tooSmall.${issue.origin === 'string' || issue.origin === 'array' ? issue.origin : 'number'}`, {
          minimum: Number(issue.minimum),
        })
        break
      case 'too_big':
        at(`exchange.v.tooBig.${issue.origin === 'string' || issue.origin === 'array' ? issue.origin : 'number'}`, {
          maximum: Number(issue.maximum),
        })
        break
      case 'invalid_value':
        at('exchange.v.oneOf', { values: issue.values.map((v) => JSON.stringify(v)).join(', ') })
        break
      default:
        at('exchange.v.invalid')
    }
  }
  return out
}
