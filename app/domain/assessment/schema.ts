import { z } from 'zod'
import { SELF_ASSESSMENT_KINDS } from '../../../db/enums.js'
import { zPageParam } from '../shared/schema.js'

/*
 * Input of the self-assessment pages. The answers are read per question by the use case
 * against the questionnaire (its ids are data); here: the kind, the one-submission token
 * and the answer fields' outer shape (at most 60 answers, each an option letter).
 */

export const ZAssessmentKindQuery = z.object({
  kind: z.enum(SELF_ASSESSMENT_KINDS, { message: 'assessment.v.kind' }),
})

export const ZAssessmentSubmit = z.object({
  kind: z.enum(SELF_ASSESSMENT_KINDS, { message: 'assessment.v.kind' }),
  /** One per opened form: a second submission of the same form is refused (double click, resend). */
  token: z.string().uuid({ message: 'assessment.v.token' }),
})

/** The `q_<question id>` fields of the form: question id → option id. */
export function answersFromForm(form: FormData): Record<string, string> {
  const answers: Record<string, string> = {}
  let count = 0
  for (const [key, value] of form) {
    if (!key.startsWith('q_') || typeof value !== 'string' || value === '') continue
    if (++count > 60) break
    const id = key.slice(2)
    if (/^[a-z][a-z0-9_]{0,39}$/.test(id) && /^[a-z]$/.test(value)) answers[id] = value
    else if (/^[a-z][a-z0-9_]{0,39}$/.test(id)) answers[id] = '?'
  }
  return answers
}

export const ZAssessmentsQuery = z.object({ page: zPageParam(10_000) })

export const ZOrgAssessmentsParams = z.object({
  orgId: z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .transform(Number),
})
