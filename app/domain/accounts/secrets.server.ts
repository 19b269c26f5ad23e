import crypto from 'node:crypto'
import type { Database } from '../../../db/connection.js'

// The installation's secret (made by the 2026-12-02 migration, kept in app_secrets),
// read once per connection.
const secrets = new WeakMap<Database, Promise<Buffer>>()

function installationSecret(db: Database): Promise<Buffer> {
  let secret = secrets.get(db)
  if (!secret) {
    secret = readOrMakeSecret(db).then((value) => Buffer.from(value, 'hex'))
    // A failed read is not cached: the next call tries again.
    secret.catch(() => secrets.delete(db))
    secrets.set(db, secret)
  }
  return secret
}

/**
 * The SQLite migration of 2026-12-02 made the secret; a database that has none (a new
 * PostgreSQL installation: its baseline makes the table only) gets one here, from
 * Node's random source, once: of instances racing, the first insert wins and everyone
 * reads that one.
 */
async function readOrMakeSecret(db: Database): Promise<string> {
  const read = () => db.selectFrom('app_secrets').select('value').where('name', '=', 'hmac').executeTakeFirst()
  const found = await read()
  if (found) return found.value
  await db
    .insertInto('app_secrets')
    .values({ name: 'hmac', value: crypto.randomBytes(32).toString('hex') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  const made = await read()
  if (!made) throw new Error('app_secrets: no hmac secret')
  return made.value
}

/**
 * Inside a transaction, pass the transaction (SQLite has one connection, which the
 * transaction holds: a read through `db` would wait for it forever).
 *
 * HMAC-SHA-256 of `value` under the installation's secret, for one `purpose` (so a
 * digest made for one use cannot stand in for another), base64url. What stands for an
 * unrecognised login in the audit log and for a one-time code at rest: equal inputs
 * give equal digests (attempts can be correlated), and nobody who reads only the log
 * can reverse one, as they could an unkeyed SHA-256 of a phone number or of a password
 * typed into the wrong field.
 */
export async function keyedDigest(db: Database, purpose: string, value: string): Promise<string> {
  return crypto
    .createHmac('sha256', await installationSecret(db))
    .update(`${purpose}\0${value}`)
    .digest('base64url')
}
