import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseRuleSet, type RuleSet } from './rule-set.js'

/*
 * The rule sets the platform knows: every *.json in seed/reference/policies (relative to
 * the working directory, where `npm start` and the tests run), checked against the schema
 * once and kept. A file that fails the schema stops the load with its name and problems:
 * a policy must never be half-read. Adding a province = adding a file here.
 */

export const POLICY_DIR = 'seed/reference/policies'

/** Reads and checks every rule set in the folders given; duplicate id + version is an error. */
export function loadRuleSetsFrom(dirs: readonly string[]): RuleSet[] {
  const sets: RuleSet[] = []
  const seen = new Set<string>()
  for (const dir of dirs) {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
    for (const file of files) {
      const origin = path.join(dir, file)
      const set = parseRuleSet(JSON.parse(readFileSync(origin, 'utf8')) as unknown, origin)
      const key = `${set.id}@${set.version}`
      if (seen.has(key)) throw new Error(`${origin}: ${key} is defined twice`)
      seen.add(key)
      sets.push(set)
    }
  }
  return sets
}

let cached: RuleSet[] | null = null

/** The platform's rule sets (loaded on first use). */
export function ruleSets(): RuleSet[] {
  cached ??= loadRuleSetsFrom([path.resolve(process.cwd(), POLICY_DIR)])
  return cached
}

/** One set by id (the highest version), or null. */
export function ruleSetById(id: string): RuleSet | null {
  return (
    ruleSets()
      .filter((s) => s.id === id)
      .sort((a, b) => b.version - a.version)[0] ?? null
  )
}
