import type { ReportStatus } from '../../../db/enums.js'
import type { Database } from '../../../db/connection.js'
import type { Actor } from '../accounts/actor.js'
import { getReferenceData } from '../reference/reference.server.js'
import { diagnosisSide, loadDiagnosisRow, type DiagnosisSide } from './access.server.js'

/*
 * Who reads a report version and its attachments. Kept apart from reports.server.ts:
 * app/domain/files/access.server.ts lists this rule, and files.server.ts (which the
 * report use cases import) reads that list when it loads — no import cycle.
 */

/** Files of a report version are attached under this object type. */
export const REPORT_OBJECT_TYPE = 'diagnosis_report_version'

/** May this side read a version in this status? The diagnoser every one; others never a draft. */
export function readsVersion(side: DiagnosisSide, status: ReportStatus): boolean {
  return side === 'provider' || status !== 'draft'
}

/**
 * Files of a report version (GET /files/:id): whoever may see the project and read
 * that version — the diagnoser always, the enterprise and agencies of its jurisdiction
 * once it was submitted.
 */
export async function reportVersionFiles(db: Database, actor: Actor | null, versionId: number): Promise<boolean> {
  const row = await db
    .selectFrom('diagnosis_report_versions')
    .select(['diagnosis_id', 'status'])
    .where('id', '=', versionId)
    .executeTakeFirst()
  if (!row) return false
  const diagnosis = await loadDiagnosisRow(db, row.diagnosis_id)
  if (!diagnosis) return false
  const side = diagnosisSide(actor, await getReferenceData(db), diagnosis)
  return side !== null && readsVersion(side, row.status)
}
