import { z } from 'zod'
import { zPageParam } from '../shared/schema.js'
import { AUDIT_ACTIONS, type AuditAction } from './actions.js'

/**
 * The audit log's query string. An unknown event type is dropped rather than refused:
 * a stale link still shows the log.
 */
export const ZAuditLogParams = z.object({
  action: z
    .string()
    .optional()
    .transform((v) => ((AUDIT_ACTIONS as readonly string[]).includes(v ?? '') ? (v as AuditAction) : undefined)),
  page: zPageParam(10_000),
})
export type TAuditLogParams = z.infer<typeof ZAuditLogParams>
