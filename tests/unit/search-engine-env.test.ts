import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/open.js'
import { createPostgresDb } from '../../db/postgres.js'
import { EnvError, parseEnv } from '../../app/utils/env.server.js'
import { searchEngineFromEnv } from '../../app/web/search-engine.server.js'

const sqlite = openDatabase({ dialect: 'sqlite', file: ':memory:' })
// A pool connects lazily: building an engine on it opens no connection.
const postgres = { ...createPostgresDb('postgres://nobody@127.0.0.1:1/none'), sqlite: null }
afterAll(async () => {
  await sqlite.close()
  await postgres.db.destroy()
})

describe('searchEngineFromEnv', () => {
  it('builds the embedded FTS5 engine by default on SQLite', () => {
    expect(searchEngineFromEnv(parseEnv({}), sqlite).name).toBe('sqlite-fts5')
  })

  it("builds PostgreSQL's full-text search by default on PostgreSQL", () => {
    const env = parseEnv({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })
    expect(env.SEARCH_ENGINE).toBe('postgres')
    expect(searchEngineFromEnv(env, postgres).name).toBe('postgresql')
  })

  it('builds Meilisearch when configured, on either database', () => {
    const env = parseEnv({ SEARCH_ENGINE: 'meilisearch', MEILI_URL: 'http://127.0.0.1:7700' })
    expect(searchEngineFromEnv(env, sqlite).name).toBe('meilisearch')
    expect(searchEngineFromEnv(env, postgres).name).toBe('meilisearch')
  })

  it('refuses Meilisearch without a URL rather than falling back to SQLite', () => {
    expect(() => searchEngineFromEnv({ ...parseEnv({}), SEARCH_ENGINE: 'meilisearch' }, sqlite)).toThrow(EnvError)
  })

  it("refuses an engine that needs the other database's handle", () => {
    expect(() => searchEngineFromEnv({ ...parseEnv({}), SEARCH_ENGINE: 'sqlite' }, postgres)).toThrow(EnvError)
    expect(() => searchEngineFromEnv({ ...parseEnv({}), SEARCH_ENGINE: 'postgres' }, sqlite)).toThrow(EnvError)
  })
})
