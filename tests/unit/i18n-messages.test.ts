import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { en, zhCN } from '../../app/i18n/index.js'
import { messagesEn } from '../../app/i18n/messages-en.js'

const ROOT = path.resolve(import.meta.dirname, '../../app')
/** Messages only operators see (command line, configuration), not people in the browser. */
const OPERATOR_ONLY = ['domain/orgs/agencies.server.ts', 'utils/env.server.ts', 'cli/']

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name)
    if (d.isDirectory()) return sourceFiles(full)
    return /\.(ts|tsx)$/.test(d.name) ? [full] : []
  })
}

describe('catalogues', () => {
  it('give English for every zh-CN key', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort())
    for (const [key, value] of Object.entries(en)) expect(value, key).not.toMatch(/[\u4e00-\u9fff]/)
  })

  it('give English for every Chinese message a use case or form schema can return', () => {
    const missing: string[] = []
    let seen = 0
    for (const file of sourceFiles(ROOT)) {
      const rel = path.relative(ROOT, file)
      if (OPERATOR_ONLY.some((p) => rel.startsWith(p)) || rel.startsWith('i18n/')) continue
      if (!/(domain|utils)\/|routes\//.test(rel)) continue
      const text = fs.readFileSync(file, 'utf8')
      // Literals passed to AppError, zod checks ({ message }, error:, .min(…, '…')) and issues.
      for (const m of text.matchAll(/(?:AppError\('\w+', |message: |error: |, )'([^'\n]*[\u4e00-\u9fff][^'\n]*)'/g)) {
        const msg = m[1]!
        seen += 1
        if (!(msg in messagesEn)) missing.push(`${rel}: ${msg}`)
      }
    }
    // The scan must actually find the messages, or this test would prove nothing.
    expect(seen).toBeGreaterThan(40)
    expect(missing).toEqual([])
  })
})
