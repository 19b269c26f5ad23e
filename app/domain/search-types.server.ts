import type { IndexedType } from '../../search/indexer.js'
import { needsSearchIndex } from './needs/search-index.server.js'
import { providerCellsSearchIndex, providersSearchIndex } from './providers/search-index.server.js'

/**
 * Every type the app keeps in the search engine, one per context. The indexer
 * dispatches outbox rows on their entity_type through this list; a context that
 * becomes searchable (providers, cases, contract templates) adds its IndexedType here.
 */
export const SEARCH_TYPES: readonly IndexedType[] = [needsSearchIndex, providersSearchIndex, providerCellsSearchIndex]
