// ESLint flat config. `npm run lint` = eslint + prettier --check.
//
// The layer rule (issue 6): db/ ← search/ ← app/domain/ ← app/routes/, with seed/ and the
// CLIs on top, is enforced by import-x/no-restricted-paths (zones from layerZones below) and
// import-x/no-cycle over the whole tree. tests/unit/lint-rules.test.ts plants a violation of
// every zone and a cycle under tests/fixtures/lint/ and checks that each is reported.
import path from 'node:path'
import js from '@eslint/js'
import prettierConfig from 'eslint-config-prettier'
import { defineConfig } from 'eslint/config'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import react from 'eslint-plugin-react'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const root = import.meta.dirname

/** Where the lint fixtures live: a small tree that mirrors the real layers, with planted violations. */
export const LINT_FIXTURE_ROOT = 'tests/fixtures/lint/tree'

/**
 * The layer zones, relative to `base` ('.' for the real tree, LINT_FIXTURE_ROOT for the fixtures,
 * so the test exercises exactly the rules the tree is checked with). Each zone: files under
 * `target` may not import anything under `from` (type-only imports included).
 */
export function layerZones(base) {
  const p = (...parts) => path.posix.join(base, ...parts)
  const zone = (target, from, message) => ({ target, from, message: `Layer rule: ${message}` })
  return [
    zone(p('db'), [p('search'), p('app'), p('seed')], 'db/ is the bottom layer; it imports nothing from search/, app/ or seed/.'),
    zone(p('search'), [p('app'), p('seed')], 'search/ is a library below app/; it imports nothing from app/ or seed/.'),
    zone(
      [p('app/utils'), p('app/i18n')],
      [p('app/domain'), p('app/web'), p('app/routes'), p('app/components')],
      'app/utils/ and app/i18n/ are the low shared app layer; they import nothing from domain/, web/, routes/ or components/.',
    ),
    zone(
      p('app/domain'),
      [p('app/web'), p('app/routes'), p('app/components'), p('app/cli'), p('seed')],
      'app/domain/ imports nothing from web/, routes/, components/, cli/ or seed/.',
    ),
    zone(
      p('app/web'),
      [p('app/routes'), p('app/components')],
      'app/web/ (HTTP glue) imports nothing from routes/ or components/.',
    ),
    zone(p('app/components'), [p('app/web'), p('app/routes')], 'app/components/ import nothing from web/ or routes/.'),
    zone(
      p('app/components'),
      [p('**/*.server.ts'), p('**/*.server.tsx')],
      'app/components/ are rendered in the browser; they import no *.server module.',
    ),
    zone(
      p('app/components'),
      [p('app/domain/**/*schema*.ts')],
      'app/components/ are rendered in the browser; a zod schema module would ship zod with them: import plain constants from an enums or views module.',
    ),
    zone([p('app'), p('db'), p('search'), p('seed')], [p('tests')], 'production code imports nothing from tests/.'),
  ]
}

export default defineConfig(
  {
    ignores: [
      'build/',
      'public/build/',
      '.cache/',
      'data/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'tests/.tmp/',
      'tests/.e2e/',
      'tests/.bench/',
      // Deliberately broken code, linted on purpose by tests/unit/lint-rules.test.ts.
      'tests/fixtures/lint/',
    ],
  },
  js.configs.recommended,
  // Type-aware (whole tree ≈ 27 s on 2 cores at 136 files). tests/unit/lint-rules.test.ts turns
  // type information off: the layer and cycle rules do not need it.
  tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } } },
  {
    files: ['**/*.{ts,tsx}'],
    ...react.configs.flat.recommended,
  },
  {
    files: ['**/*.{ts,tsx}'],
    ...react.configs.flat['jsx-runtime'],
  },
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    settings: {
      react: { version: '18.3' },
      'import-x/extensions': ['.ts', '.tsx', '.js', '.jsx'],
      'import-x/resolver-next': [
        // Resolves `~/…` (tsconfig paths → app/) and `./x.js` specifiers that name `./x.ts(x)`.
        createTypeScriptImportResolver({ project: path.join(root, 'tsconfig.json'), alwaysTryTypes: true }),
      ],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-explicit-any': 'warn',
      // Remix: loaders and actions throw Responses (redirect(), json(), new Response()).
      '@typescript-eslint/only-throw-error': [
        'error',
        {
          allow: [
            { from: 'lib', name: 'Response' },
            { from: 'package', package: '@remix-run/server-runtime', name: 'TypedResponse' },
          ],
        },
      ],
      // Fakes and sync engines implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      'react/prop-types': 'off',
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'import-x/no-cycle': ['error', { maxDepth: '∞', ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        { basePath: root, zones: [...layerZones('.'), ...layerZones(LINT_FIXTURE_ROOT)] },
      ],
    },
  },
  {
    // Production code: no explicit any (tests may use it where a fake needs it).
    files: ['app/**', 'db/**', 'search/**', 'seed/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // Kysely migrations take Kysely<any> on purpose: they must not depend on today's DB types.
    files: ['db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests read untyped JSON bodies (`await response.json()`) all the time.
    files: ['tests/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  // Plain JS (config files, bench preloads) is outside the TS project.
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  // Last: turn off every stylistic rule that Prettier owns.
  prettierConfig,
)
