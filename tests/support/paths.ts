import path from 'node:path'

export const TMP_DIR = path.resolve(import.meta.dirname, '..', '.tmp')
/** Migrated database with reference data; every test file starts from a copy. */
export const TEMPLATE_DB = path.join(TMP_DIR, 'template.db')
