import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { TEMPLATE_DB, TMP_DIR } from './paths.js'

// Every test file gets its own migrated SQLite file, copied from the template the
// global setup built, and the app's singletons open it through DATABASE_PATH.
const file = path.join(TMP_DIR, `test-${process.pid}-${crypto.randomUUID()}.db`)
fs.copyFileSync(TEMPLATE_DB, file)
process.env.DATABASE_PATH = file
process.env.NODE_ENV = 'test'
process.env.INSECURE_COOKIES = '1'
