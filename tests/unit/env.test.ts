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
})
