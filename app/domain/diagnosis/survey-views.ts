/* The survey's items and limits, without zod: components (the browser) import them from here. */

/** The five items in the seed's order, with their columns. */
export const SURVEY_ITEMS = ['process', 'analysis', 'proposal', 'competence', 'result'] as const
export type SurveyItem = (typeof SURVEY_ITEMS)[number]

export const SURVEY_LIMITS = { comment: 1000, opinion: 1000 } as const
