import SQLite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from '../../app/utils/env.server.js'
import { searchEngineFromEnv } from '../../app/web/search-engine.server.js'

const sqlite = new SQLite(':memory:')
afterAll(() => sqlite.close())

describe('searchEngineFromEnv', () => {
  it('builds the embedded FTS5 engine by default', () => {
    expect(searchEngineFromEnv(parseEnv({}), sqlite).name).toBe('sqlite-fts5')
  })

  it('builds Meilisearch when configured', () => {
    const env = parseEnv({ SEARCH_ENGINE: 'meilisearch', MEILI_URL: 'http://127.0.0.1:7700' })
    expect(searchEngineFromEnv(env, sqlite).name).toBe('meilisearch')
  })

  it('refuses Meilisearch without a URL rather than falling back to SQLite', () => {
    expect(() => searchEngineFromEnv({ ...parseEnv({}), SEARCH_ENGINE: 'meilisearch' }, sqlite)).toThrow(EnvError)
  })
})
