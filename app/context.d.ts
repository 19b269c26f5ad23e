import '@remix-run/node'

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The client's address as Express sees it (honouring TRUST_PROXY). */
    clientIp: string
  }
}
