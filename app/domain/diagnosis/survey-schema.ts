import { z } from 'zod'
import { SURVEY_GRADES, SURVEY_OVERALLS } from '../../../db/enums.js'
import { SURVEY_LIMITS } from './survey-views.js'

/*
 * 服务商诊断服务满意度调查表 (seed 002's attachment): five items graded 很好 / 较好 / 一般 /
 * 较差, an overall 满意 / 比较满意 / 不满意, an optional comment; and the agency's
 * 审核意见. Messages are catalogue keys (app/i18n/messages/diagnosis-service.ts).
 */

export { SURVEY_ITEMS, SURVEY_LIMITS, type SurveyItem } from './survey-views.js'

const grade = z.enum(SURVEY_GRADES, { error: 'survey.v.grade' })

export const ZSurveyInput = z.object({
  process: grade,
  analysis: grade,
  proposal: grade,
  competence: grade,
  result: grade,
  overall: z.enum(SURVEY_OVERALLS, { error: 'survey.v.overall' }),
  comment: z.string().trim().max(SURVEY_LIMITS.comment, 'survey.v.commentTooLong').default(''),
})
export type TSurveyInput = z.infer<typeof ZSurveyInput>

export const ZSurveyReview = z.object({
  opinion: z
    .string({ error: 'survey.v.opinionRequired' })
    .trim()
    .min(1, 'survey.v.opinionRequired')
    .max(SURVEY_LIMITS.opinion, 'survey.v.opinionTooLong'),
})
export type TSurveyReview = z.infer<typeof ZSurveyReview>

export const ZSurveyIntent = z.object({ intent: z.enum(['fill', 'review'], { error: 'errors.badRequest' }) })
