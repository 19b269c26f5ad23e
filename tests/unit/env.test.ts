import { describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from '../../app/utils/env.server.js'

describe('configuration', () => {
  it('fills defaults', () => {
    const env = parseEnv({})
    expect(env).toMatchObject({ PORT: 3000, DATABASE_PATH: 'data/duijie.db', SEARCH_ENGINE: 'sqlite' })
  })

  it('names the bad variable', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(EnvError)
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => parseEnv({ SEARCH_ENGINE: 'elastic' })).toThrow(/SEARCH_ENGINE/)
  })

  it('requires MEILI_URL when Meilisearch is chosen', () => {
    expect(() => parseEnv({ SEARCH_ENGINE: 'meilisearch' })).toThrow(/MEILI_URL/)
    expect(parseEnv({ SEARCH_ENGINE: 'meilisearch', MEILI_URL: 'http://127.0.0.1:7700' }).MEILI_URL).toBe('http://127.0.0.1:7700')
  })

  it('takes a PostgreSQL DATABASE_URL, and its search engine by default', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://duijie:pw@db:5432/duijie' })).toMatchObject({
      DATABASE_URL: 'postgres://duijie:pw@db:5432/duijie',
      SEARCH_ENGINE: 'postgres',
    })
    expect(
      parseEnv({ DATABASE_URL: 'postgresql://db/duijie', SEARCH_ENGINE: 'meilisearch', MEILI_URL: 'http://m:7700' }),
    ).toMatchObject({
      SEARCH_ENGINE: 'meilisearch',
    })
    // Empty (an unset line in .env) means SQLite.
    expect(parseEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined()
  })

  it('refuses a DATABASE_URL that is not PostgreSQL, and engines that do not fit the database', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://db/duijie' })).toThrow(/DATABASE_URL/)
    expect(() => parseEnv({ DATABASE_URL: 'data/duijie.db' })).toThrow(/DATABASE_URL/)
    expect(() => parseEnv({ DATABASE_URL: 'postgres://db/duijie', SEARCH_ENGINE: 'sqlite' })).toThrow(/SEARCH_ENGINE/)
    expect(() => parseEnv({ SEARCH_ENGINE: 'postgres' })).toThrow(/SEARCH_ENGINE/)
  })
})
