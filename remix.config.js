// REMIX_BUILD_DIR builds server, assets and cache into another folder (tests build
// their own copy there, apart from the shared build/); app/server.ts reads the same variable.
const out = process.env.REMIX_BUILD_DIR

/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ...(out
    ? { serverBuildPath: `${out}/index.js`, assetsBuildDirectory: `${out}/public/build`, cacheDirectory: `${out}/.cache` }
    : {}),
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}'],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  // Native and large packages stay external: better-sqlite3 is a compiled addon,
  // jieba ships its own binary and dictionary.
  serverDependenciesToBundle: [],
  watchPaths: ['db/**/*', 'search/**/*', 'seed/**/*'],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
  },
}
