import path from 'node:path'

// One scratch folder per vitest run (the main process picks it, workers inherit it
// through the environment), so two runs in one checkout never wipe each other's files.
process.env.DUIJIE_TEST_TMP ??= path.resolve(import.meta.dirname, '..', '.tmp', `run-${process.pid}`)

export const TMP_DIR = process.env.DUIJIE_TEST_TMP
/** Migrated database with reference data; every test file starts from a copy. */
export const TEMPLATE_DB = path.join(TMP_DIR, 'template.db')
