import { z } from 'zod'
import { zId } from '../shared/schema.js'
import { EXPORT_LISTS, IMPORT_LISTS } from './columns.js'

/* The forms of /agency/exports and a task's page (fields read by name; anything else is ignored). */

export const ZSpreadsheetIntent = z.object({ intent: z.enum(['export', 'import']).catch('export') })

export const ZStartExport = z.object({
  list: z.enum(EXPORT_LISTS, { error: 'spreadsheets.v.list' }),
  /** The list page's query string (its filters). */
  params: z.string().max(1000).catch(''),
})

export const ZStartImport = z.object({
  list: z.enum(IMPORT_LISTS, { error: 'spreadsheets.v.list' }),
})

export const ZTaskAction = z.object({ intent: z.enum(['confirm', 'cancel'], { error: 'errors.badRequest' }) })

export const ZTasksQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) })

export const ZTemplateParams = z.object({ list: z.enum(IMPORT_LISTS) })

export const ZTaskParams = z.object({ id: zId })
