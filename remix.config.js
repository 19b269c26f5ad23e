/** @type {import('@remix-run/dev').AppConfig} */
export default {
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
