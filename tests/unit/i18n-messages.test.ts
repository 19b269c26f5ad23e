import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS } from '../../app/domain/audit/actions.js'
import { en, zhCN } from '../../app/i18n/index.js'

const ROOT = path.resolve(import.meta.dirname, '../../app')
/**
 * Messages only operators see (command line, configuration), and the server's guards'
 * plain-text answers, given before a request reaches the app and its language
 * (bilingual "中文 / English").
 */
const OPERATOR_ONLY = ['domain/orgs/agencies.server.ts', 'utils/env.server.ts', 'cli/', 'utils/request-guards.server.ts']

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name)
    if (d.isDirectory()) return sourceFiles(full)
    return /\.(ts|tsx)$/.test(d.name) ? [full] : []
  })
}

const files = sourceFiles(ROOT)
  .map((file) => ({ rel: path.relative(ROOT, file), text: fs.readFileSync(file, 'utf8') }))
  .filter((f) => !f.rel.startsWith('i18n/messages/'))
const keys = Object.keys(zhCN)
const namespaces = new Set(keys.map((k) => k.split('.')[0]!))

describe('catalogues', () => {
  it('give English for every zh-CN key, and English in English', () => {
    expect(Object.keys(en).sort()).toEqual([...keys].sort())
    for (const [key, value] of Object.entries(en)) expect(value, key).not.toMatch(/[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]/)
  })

  it('hold every key the code names', () => {
    const missing: string[] = []
    for (const { rel, text } of files) {
      for (const m of text.matchAll(/['"`]([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_-]+)+)['"`]/g)) {
        const candidate = m[1]!
        if (!namespaces.has(candidate.split('.')[0]!) || /\.(js|ts|tsx|css|json|ico)$/.test(candidate)) continue
        // Audit action names (org.approved) are identifiers, not messages.
        if ((AUDIT_ACTIONS as readonly string[]).includes(candidate)) continue
        if (!(candidate in zhCN)) missing.push(`${rel}: ${candidate}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('hold no key that nothing uses', () => {
    const corpus = files.map((f) => f.text).join('\n')
    // Keys built from data: t(`needStatus.${status}`) uses every key under needStatus.
    const dynamicPrefixes = [...corpus.matchAll(/`([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_-]+)*)\.\$\{/g)].map((m) => `${m[1]}.`)
    const unused = keys.filter(
      (k) => !corpus.includes(`'${k}'`) && !corpus.includes(`"${k}"`) && !dynamicPrefixes.some((p) => k.startsWith(p)),
    )
    expect(unused).toEqual([])
  })

  it('are where messages come from: no Chinese text is thrown or used as a zod message', () => {
    const offenders: string[] = []
    let scanned = 0
    for (const { rel, text } of files) {
      if (OPERATOR_ONLY.some((p) => rel.startsWith(p))) continue
      if (!/^(domain|utils|web|routes)\//.test(rel)) continue
      scanned += 1
      for (const m of text.matchAll(
        /(?:AppError\('\w+', |message: |error: |\.(?:min|max|regex|length)\([^,()]+, )'([^'\n]*[\u4e00-\u9fff][^'\n]*)'/g,
      )) {
        offenders.push(`${rel}: ${m[1]}`)
      }
    }
    expect(scanned).toBeGreaterThan(30)
    expect(offenders).toEqual([])
  })
})
