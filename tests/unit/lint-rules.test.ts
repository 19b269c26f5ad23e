import path from 'node:path'
import { ESLint, type Linter } from 'eslint'
import tseslint from 'typescript-eslint'
import { beforeAll, describe, expect, it } from 'vitest'

// The layer and cycle rules of eslint.config.js, shown to catch what they are for. The fixtures under
// tests/fixtures/lint/ are ignored by `eslint .`; here they are linted on purpose (ignore: false).

const ROOT = path.resolve(import.meta.dirname, '../..')
const FIXTURES = 'tests/fixtures/lint'
const TREE = `${FIXTURES}/tree`

const CYCLE = 'import-x/no-cycle'
const ZONE = 'import-x/no-restricted-paths'

let eslint: ESLint

beforeAll(() => {
  eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: path.join(ROOT, 'eslint.config.js'),
    ignore: false,
    // The import rules need no type information; without it the project is not loaded (seconds saved).
    overrideConfig: tseslint.configs.disableTypeChecked as Linter.Config,
  })
})

type Finding = { file: string; ruleId: string | null; message: string; line: number }

async function lint(files: string[]): Promise<Finding[]> {
  const results = await eslint.lintFiles(files.map((file) => path.join(ROOT, file)))
  return results.flatMap((result) =>
    result.messages.map((m) => ({
      file: path.relative(ROOT, result.filePath),
      ruleId: m.ruleId,
      message: m.message,
      line: m.line,
    })),
  )
}

/** Lints code as if it were the file at `filePath` in the real tree, without writing it there. */
async function lintAt(filePath: string, code: string): Promise<Finding[]> {
  const results = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) })
  return results.flatMap((result) =>
    result.messages.map((m) => ({ file: filePath, ruleId: m.ruleId, message: m.message, line: m.line })),
  )
}

describe('import-x/no-cycle', () => {
  it('reports a planted two-file cycle on both files', async () => {
    const findings = await lint([`${FIXTURES}/cycle/pair-a.ts`, `${FIXTURES}/cycle/pair-b.ts`])
    expect(findings.map((f) => [f.file, f.ruleId])).toEqual([
      [`${FIXTURES}/cycle/pair-a.ts`, CYCLE],
      [`${FIXTURES}/cycle/pair-b.ts`, CYCLE],
    ])
  })

  it('follows a cycle through more than one hop', async () => {
    const findings = await lint([`${FIXTURES}/cycle/ring-1.ts`])
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: CYCLE, line: 1 })
  })
})

describe('import-x/no-restricted-paths: the layer zones', () => {
  // Each fixture breaks one zone once; the message names the layer rule it breaks.
  const violations: [file: string, rule: string][] = [
    ['db/breaks-db-imports-app.ts', 'db/ is the bottom layer'],
    ['db/breaks-db-imports-search.ts', 'db/ is the bottom layer'],
    ['search/breaks-search-imports-app.ts', 'search/ is a library below app/'],
    ['app/utils/breaks-utils-imports-domain.ts', 'app/utils/ and app/i18n/ are the low shared app layer'],
    ['app/i18n/breaks-i18n-imports-components.tsx', 'app/utils/ and app/i18n/ are the low shared app layer'],
    ['app/domain/breaks-domain-imports-web.ts', 'app/domain/ imports nothing from web/'],
    ['app/domain/breaks-domain-imports-seed.ts', 'app/domain/ imports nothing from web/'],
    ['app/web/breaks-web-imports-routes.ts', 'app/web/ (HTTP glue) imports nothing from routes/'],
    ['app/components/breaks-components-import-web.tsx', 'app/components/ import nothing from web/ or routes/'],
    ['app/components/breaks-components-import-server.tsx', 'app/components/ are rendered in the browser'],
    ['seed/breaks-seed-imports-tests.ts', 'production code imports nothing from tests/'],
  ]

  it.each(violations)('reports %s', async (file, rule) => {
    const findings = await lint([`${TREE}/${file}`])
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: ZONE, line: 1 })
    expect(findings[0]!.message).toContain(`Layer rule: ${rule}`)
  })

  it('passes the files that follow the layers, whichever way down they import', async () => {
    const clean = [
      'db/connection.ts',
      'search/engine.ts',
      'app/utils/env.ts',
      'app/i18n/messages.ts',
      'app/domain/needs.ts',
      'app/domain/needs.server.ts',
      'app/web/services.server.ts',
      'app/web/flash.ts',
      'app/components/card.tsx',
      'app/routes/page.tsx',
      'seed/demo.ts',
      'tests/factories.ts',
    ]
    expect(await lint(clean.map((file) => `${TREE}/${file}`))).toEqual([])
  })
})

describe('the zones on the real tree (virtual files, `~/` and `.js` → `.tsx` resolution)', () => {
  it('db/ may not import app/ through the ~/ alias', async () => {
    const findings = await lintAt('db/__lint_probe__.ts', "import '~/root.js'\n")
    expect(findings.map((f) => f.ruleId)).toEqual([ZONE])
    expect(findings[0]!.message).toContain('db/ is the bottom layer')
  })

  it('search/ may not import app/ through a relative path', async () => {
    const findings = await lintAt('search/__lint_probe__.ts', "import '../app/root.js'\n")
    expect(findings.map((f) => f.ruleId)).toEqual([ZONE])
    expect(findings[0]!.message).toContain('search/ is a library below app/')
  })

  it('app/components/ may not import a *.server module', async () => {
    const findings = await lintAt('app/components/__lint_probe__.tsx', "import '~/entry.server.js'\n")
    expect(findings.map((f) => f.ruleId)).toEqual([ZONE])
    expect(findings[0]!.message).toContain('they import no *.server module')
  })

  it('app/ may not import tests/', async () => {
    const findings = await lintAt('app/__lint_probe__.ts', "import '../tests/unit/lint-rules.test.js'\n")
    expect(findings.map((f) => f.ruleId)).toEqual([ZONE])
    expect(findings[0]!.message).toContain('production code imports nothing from tests/')
  })

  it('a route may import the root module', async () => {
    expect(await lintAt('app/routes/__lint_probe__.tsx', "import '~/root.js'\n")).toEqual([])
  })
})
