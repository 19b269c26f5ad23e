import type { LoaderFunctionArgs } from '@remix-run/node'
import { sendFile } from '~/web/uploads.server.js'

/** An uploaded image's preview (WebP, at most 640 px), under the same rule as the file itself. */
export function loader(args: LoaderFunctionArgs) {
  return sendFile(args, 'preview')
}
