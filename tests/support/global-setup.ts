import fs from 'node:fs'
import { createDb } from '../../db/connection.js'
import { migrateToLatest } from '../../db/migrate.js'
import { loadReferenceData } from '../../seed/reference.js'
import { TEMPLATE_DB, TMP_DIR } from './paths.js'

export default async function setup() {
  fs.rmSync(TMP_DIR, { recursive: true, force: true })
  fs.mkdirSync(TMP_DIR, { recursive: true })
  const { db, sqlite } = createDb(TEMPLATE_DB)
  await migrateToLatest(db)
  await loadReferenceData(db)
  // Fold the WAL back so a plain file copy is a complete database.
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  await db.destroy()
  return () => fs.rmSync(TMP_DIR, { recursive: true, force: true })
}
