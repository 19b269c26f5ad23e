/*
 * The bounds of an agency's Excel tasks (issue 15 §7), shared by the use cases, the job,
 * the server's body limit (app/utils/request-guards.server.ts) and the page's words.
 */

export const KiB = 1024
export const MiB = 1024 * KiB

/** Largest .xlsx an import takes. */
export const MAX_IMPORT_BYTES = 2 * MiB
/** Data rows an import takes (the header not counted). */
export const MAX_IMPORT_ROWS = 2000
/**
 * What a file may unpack to (an .xlsx is a zip: a small file can hold a huge sheet).
 * Checked from the zip's directory before the workbook is read.
 */
export const MAX_IMPORT_UNPACKED_BYTES = 64 * MiB
/** Rows one export writes at most (a province's needs at demo scale fit); the file says when it stopped. */
export const MAX_EXPORT_ROWS = 100_000
/** Rows read from the database at a time (and between two progress writes). */
export const EXPORT_CHUNK = 1000
/** Row-level issues kept per import (the rest are counted). */
export const MAX_ISSUES = 500
/** Rows of an import's preview. */
export const PREVIEW_ROWS = 50
/** Tasks of one agency waiting or running at once. */
export const MAX_OPEN_TASKS_PER_ORG = 5
/** Tasks one person may start in an hour. */
export const START_LIMIT = { limit: 20, windowMs: 60 * 60_000 }
/** Template downloads per person and hour. */
export const TEMPLATE_LIMIT = { limit: 60, windowMs: 60 * 60_000 }
/** A running task's claim: renewed after every chunk; a task whose claim ran out is taken over. */
export const TASK_LEASE_MS = 2 * 60_000
/** Claims of one task before it is given up as failed. */
export const MAX_ATTEMPTS = 3
/** Tasks (and their files) are kept this long, then removed by the job. */
export const KEEP_TASKS_MS = 7 * 24 * 60 * 60_000
/** Tasks a page of /agency/exports lists. */
export const TASKS_PAGE_SIZE = 20
