// The FTS5 engine's worker thread (fts5-load-worker.ts). Plain
// JavaScript, so that it starts however the process was started (tsx, vitest, the
// bundled server build): it registers tsx's loader for this thread, then runs the
// TypeScript module.
import { register } from 'tsx/esm/api'

register()
await import('./fts5-load-worker.ts')
