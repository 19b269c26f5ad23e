import { createContext, useContext, type ReactNode } from 'react'

/**
 * The per-response CSP nonce. The server renders it into every inline script; in the
 * browser it is empty (browsers hide nonce attributes from scripts anyway).
 */
const NonceContext = createContext('')

export function NonceProvider({ value, children }: { value: string; children: ReactNode }) {
  return <NonceContext.Provider value={value}>{children}</NonceContext.Provider>
}

export function useNonce(): string {
  return useContext(NonceContext)
}
