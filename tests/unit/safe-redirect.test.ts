import { describe, expect, it } from 'vitest'
import { safeRedirectPath } from '../../app/utils/http.js'

/** What a browser would do with the Location header: resolve it against the page it came from. */
function followedHost(location: string): string {
  return new URL(location, 'https://duijie.example/login').host
}

describe('safeRedirectPath', () => {
  it('keeps same-site paths, with their query and fragment', () => {
    expect(safeRedirectPath('/org')).toBe('/org')
    expect(safeRedirectPath('/needs?q=%E8%A7%86%E8%A7%89&page=2#list')).toBe('/needs?q=%E8%A7%86%E8%A7%89&page=2#list')
    expect(safeRedirectPath('/agency/audits/12', '/x')).toBe('/agency/audits/12')
  })

  it('percent-encodes non-ASCII text, so the Location header is always valid', () => {
    expect(safeRedirectPath('/needs?q=视觉')).toBe('/needs?q=%E8%A7%86%E8%A7%89')
    expect(safeRedirectPath('/ünïcödé')).toBe('/%C3%BCn%C3%AFc%C3%B6d%C3%A9')
    expect(() => new Headers({ Location: safeRedirectPath('/需求?q=𠀀') })).not.toThrow()
  })

  const hostile = [
    '/\t/evil.example',
    '/%09/evil.example',
    '/%2509/evil.example',
    '//evil.example',
    '/%2F/evil.example',
    '/%2f%2fevil.example',
    '/.//evil.example',
    '/..//evil.example',
    '/a/..//evil.example',
    '/\\evil.example',
    '/%5Cevil.example',
    '\\\\evil.example',
    '/\r\nX:1',
    '/%0d%0aX:1',
    '/%0aSet-Cookie:x=1',
    '/a\u0000b',
    '/a%00b',
    '/a\u0085b',
    'https://evil.example/',
    'javascript:alert(1)',
    ' /org',
    'org',
    '',
    '/%E0%A4%A',
    `/${'a'.repeat(5000)}`,
  ]
  it.each(hostile.map((to) => [to.length > 40 ? `${to.slice(0, 12)}… (${to.length} chars)` : to, to]))(
    'falls back for %j',
    (_, to) => {
      expect(safeRedirectPath(to, '/home')).toBe('/home')
    },
  )

  it('never yields a URL a browser would follow off-site, nor an invalid header', () => {
    for (const to of [...hostile, null, undefined, '/ok', '/ /evil', '/.//evil.example', '/..//evil.example']) {
      const location = safeRedirectPath(to, '/')
      expect(followedHost(location), String(to)).toBe('duijie.example')
      expect(() => new Headers({ Location: location }), String(to)).not.toThrow()
    }
  })
})
