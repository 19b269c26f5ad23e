/*
 * The pool's use cases and form schemas for the routes: through this .server module,
 * zod stays out of the browser bundle.
 */
export { applyToRound, providerPool, withdrawApplication } from './applications.server.js'
export {
  admitApplication,
  decideObjection,
  fileObjection,
  publicNotices,
  rejectApplication,
  startNotice,
} from './decisions.server.js'
export { assignExperts, declareTie, expertPool, submitReview } from './reviews.server.js'
export { agencyPool, closeRound, createRound, roundPage, setQuota } from './rounds.server.js'
export {
  ZApplyInput,
  ZAssignInput,
  ZNoticeInput,
  ZObjectionDecision,
  ZObjectionInput,
  ZPoolIntent,
  ZPoolQuery,
  ZReasonInput,
  ZReviewInput,
  ZRoundInput,
  ZRoundQuery,
  ZQuotaInput,
  ZTieInput,
} from './schema.js'
