import crypto from 'node:crypto'
import { Meilisearch } from 'meilisearch'
import { createMeilisearchEngine } from '../../search/meilisearch-engine.js'
import { runSearchEngineContract } from './search-contract.js'

// Runs only against a real server: MEILI_URL=http://127.0.0.1:7700 [MEILI_API_KEY=…] npx vitest run …
const url = process.env.MEILI_URL
const apiKey = process.env.MEILI_API_KEY || undefined

runSearchEngineContract(
  'meilisearch',
  async () => {
    if (!url) throw new Error('MEILI_URL is not set')
    // A prefix per run, so parallel runs and leftovers never collide.
    const indexPrefix = `duijie_test_${crypto.randomUUID().slice(0, 8)}_`
    const client = new Meilisearch({ host: url, apiKey })
    return {
      engine: createMeilisearchEngine({ url, apiKey, indexPrefix }),
      index: 'contract',
      otherIndex: 'contract_other',
      cleanup: async () => {
        for (const name of ['contract', 'contract_other']) await client.deleteIndexIfExists(`${indexPrefix}${name}`)
      },
    }
  },
  // 'any' is matchingStrategy 'frequency' there: documents need at least the rarest word.
  { skip: !url, looseAny: true },
)
