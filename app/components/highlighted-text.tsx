import { Fragment, useMemo } from 'react'
import { highlightSegments } from '../../search/highlight.js'

/**
 * `text` with the words a search matched in <mark>. Every part is a React text node,
 * so whatever the text or the terms hold (<script>, &lt;) is shown as written, never
 * read as markup. Without terms it is the text itself.
 */
export function HighlightedText({ text, terms }: { text: string; terms: readonly string[] | undefined }) {
  const segments = useMemo(() => (terms && terms.length > 0 ? highlightSegments(text, terms) : null), [text, terms])
  if (!segments) return <>{text}</>
  return <>{segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <Fragment key={i}>{s.text}</Fragment>))}</>
}
