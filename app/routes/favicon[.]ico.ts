/** The icon is inline in the page head; answer the browser's habitual request cheaply. */
export function loader() {
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'public, max-age=86400' } })
}
