import type { LoaderFunctionArgs } from '@remix-run/node'
import { sendFile } from '~/web/uploads.server.js'

/** An uploaded file, to whoever its object's rule allows; 404 to anyone else (app/web/uploads.server.ts). */
export function loader(args: LoaderFunctionArgs) {
  return sendFile(args, 'original')
}
