import type { Database } from '../../../db/connection.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { getReferenceData } from '../reference/reference.server.js'
import { reportVersionFiles } from '../diagnosis/report-files.server.js'
import { diagnosisFor } from '../diagnosis/access.server.js'
import { mayReadBid } from '../bids/access.server.js'
import { mayReadContract } from '../contracts/access.server.js'

/**
 * Who may read the files attached to an object: one rule per object type, asked by
 * GET /files/:id before a byte is sent (files.server.ts). A rule answers for the
 * object, not for the file: every file of a case is as public as the case. Refusing
 * and "no such object" look the same from outside (404).
 */
export type FileAccessRule = (db: Database, actor: Actor | null, objectId: number) => Promise<boolean>

/** An active member of the organisation, acting for it (an unconfirmed newcomer is not). */
function isOwnActiveMember(actor: Actor | null, orgId: number): boolean {
  return actor?.org?.orgId === orgId && actor.org.membership === 'active'
}

/**
 * 案例图片: public once the provider is verified (its case is on its public page);
 * before that, or after it went back to review, only its own members see them.
 */
export const providerCaseFiles: FileAccessRule = async (db, actor, caseId) => {
  const row = await db
    .selectFrom('provider_cases as c')
    .innerJoin('organisations as o', 'o.id', 'c.org_id')
    .select(['c.org_id', 'o.status', 'o.kind'])
    .where('c.id', '=', caseId)
    .executeTakeFirst()
  if (!row) return false
  if (row.kind === 'provider' && row.status === 'verified') return true
  return isOwnActiveMember(actor, row.org_id)
}

/**
 * 资质证书扫描件: never public. The organisation's own active members, and the verified
 * agencies whose jurisdiction holds the organisation's region (they check what a
 * provider claims) — 'read:org-files:jurisdiction'.
 */
export const providerQualificationFiles: FileAccessRule = async (db, actor, qualificationId) => {
  if (!actor?.org) return false
  const row = await db
    .selectFrom('provider_qualifications as q')
    .innerJoin('organisations as o', 'o.id', 'q.org_id')
    .select(['q.org_id', 'o.region_code'])
    .where('q.id', '=', qualificationId)
    .executeTakeFirst()
  if (!row) return false
  if (isOwnActiveMember(actor, row.org_id)) return true
  return can(actor, await getReferenceData(db), 'read:org-files:jurisdiction', { regionCode: row.region_code })
}

/**
 * 考勤照片 (issue 12): whoever may see the diagnosis the record belongs to (its enterprise,
 * its provider, the agencies over the enterprise's region: diagnosisFor), nobody else.
 */
export const diagnosisServiceRecordFiles: FileAccessRule = async (db, actor, recordId) => {
  if (!actor?.org) return false
  const row = await db
    .selectFrom('diagnosis_service_records')
    .select('diagnosis_id')
    .where('id', '=', recordId)
    .executeTakeFirst()
  if (!row) return false
  try {
    await diagnosisFor(db, actor, await getReferenceData(db), row.diagnosis_id)
    return true
  } catch {
    return false
  }
}

/**
 * A contract's files (issue 14) — milestone evidence, supervision photos, dispute
 * evidence: whoever may read the contract (its parties, its supervisor, the agencies
 * over its region: contractRole), nobody else.
 */
function contractObjectFiles(table: 'milestone_submissions' | 'supervision_logs' | 'disputes'): FileAccessRule {
  return async (db, actor, objectId) => {
    if (!actor?.org) return false
    const row =
      table === 'milestone_submissions'
        ? await db
            .selectFrom('milestone_submissions as s')
            .innerJoin('contract_milestones as m', 'm.id', 's.milestone_id')
            .select('m.contract_id')
            .where('s.id', '=', objectId)
            .executeTakeFirst()
        : await db.selectFrom(table).select('contract_id').where('id', '=', objectId).executeTakeFirst()
    return row ? mayReadContract(db, actor, row.contract_id) : false
  }
}

/**
 * The rules of the object types there are. Listed here, imported for what they are,
 * rather than registered by a module's side effect (the build drops modules nobody
 * imports a name from: package.json says sideEffects only for CSS). A later context
 * adds its line here, or calls registerFileAccess from a module the server imports.
 */
export const BUILT_IN_FILE_ACCESS: ReadonlyMap<string, FileAccessRule> = new Map([
  ['provider_case', providerCaseFiles],
  ['provider_qualification', providerQualificationFiles],
  ['diagnosis_report_version', reportVersionFiles],
  ['diagnosis_service_record', diagnosisServiceRecordFiles],
  // 投标附件: whoever may read the bid (its bidder, the need's owner, agencies over its region).
  ['bid', mayReadBid],
  // 里程碑交付证明, 监理日志照片, 纠纷证据: whoever may read the contract.
  ['milestone_submission', contractObjectFiles('milestone_submissions')],
  ['supervision_log', contractObjectFiles('supervision_logs')],
  ['dispute', contractObjectFiles('disputes')],
])
