import crypto from 'node:crypto'
import type { Database } from '../../../db/connection.js'

// The installation's secret (made by the 2026-12-02 migration, kept in app_secrets),
// read once per connection.
const secrets = new WeakMap<Database, Promise<Buffer>>()

function installationSecret(db: Database): Promise<Buffer> {
  let secret = secrets.get(db)
  if (!secret) {
    secret = db
      .selectFrom('app_secrets')
      .select('value')
      .where('name', '=', 'hmac')
      .executeTakeFirstOrThrow()
      .then((row) => Buffer.from(row.value, 'hex'))
    // A failed read is not cached: the next call tries again.
    secret.catch(() => secrets.delete(db))
    secrets.set(db, secret)
  }
  return secret
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
