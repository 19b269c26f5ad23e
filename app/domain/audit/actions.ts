/** Every kind of event the audit log records (shared by server and the log's filter). */
export const AUDIT_ACTIONS = [
  'auth.signed_in',
  'auth.signed_out',
  'auth.sign_in_failed',
  'auth.registered',
  'auth.session_revoked',
  'auth.rate_limited',
  'access.denied',
  'org.created',
  'org.resubmitted',
  'org.approved',
  'org.rejected',
  'org.member_joined',
  'org.member_removed',
  'org.invite_created',
  'org.invite_revoked',
  'org.switched',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]
