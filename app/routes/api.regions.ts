import type { LoaderFunctionArgs } from '@remix-run/node'
import { json } from '@remix-run/node'
import { getReferenceData } from '~/domain/reference/reference.server.js'
import { services } from '~/web/services.server.js'

/** Child regions of a GB/T 2260 code (or the provinces), for cascading pickers. */
export async function loader({ request }: LoaderFunctionArgs) {
  const parent = new URL(request.url).searchParams.get('parent') ?? ''
  const ref = await getReferenceData(services().db)
  const list = parent ? (ref.childrenByCode.get(parent) ?? []) : ref.provinces
  return json(
    { parent, regions: list.map((r) => ({ code: r.code, name: r.name })) },
    { headers: { 'Cache-Control': 'public, max-age=3600' } },
  )
}
